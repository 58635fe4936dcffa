using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Records;
using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// Histogram of inter-token gaps (<c>itl_ms</c>, pooled over each streaming cell's successful requests), one outline
/// per model on shared bins from 0 to the largest cell p99, as a share of the cell's gaps so cells of different
/// sizes compare. Gaps beyond the last bin are counted in the caption, not drawn.
/// </summary>
internal sealed class ItlHistogramChart : IChart
{
    /// <summary>Number of bins.</summary>
    internal const int Bins = 60;

    /// <inheritdoc />
    public string Id => "itl-histogram";

    /// <inheritdoc />
    public ChartFile? Draw(ChartContext context)
    {
        var cells = context.Report.Cells
            .Where(c => c.Summary.Mode == Mode.Streaming && c.Summary.Get(Metric.Itl) is not null)
            .Select(c => (c.Summary, Samples: context.Samples.For(c.Summary)))
            .Where(c => c.Samples is { ItlMs.Items.Count: > 0 })
            .Select(c => (c.Summary, Gaps: c.Samples!.ItlMs))
            .ToList();
        if (cells.Count == 0)
        {
            return null;
        }

        var upper = cells.Max(c => c.Summary.Get(Metric.Itl)!.P99);
        if (!(upper > 0))
        {
            upper = cells.Max(c => c.Gaps.Items.Max());
        }

        upper = Math.Max(upper, 1e-3);
        var binWidth = upper / Bins;
        using var frame = new ChartFrame("Inter-token latency (ITL, streaming)", "gap between token events, ITL (ms)", "share of the cell's gaps (%)");
        var top = 0.0;
        long beyond = 0;
        long total = 0;
        foreach (var (summary, gaps) in cells)
        {
            var (shares, over) = Shares(gaps.Items, binWidth);
            beyond += over;
            total += gaps.Items.Count;
            var xs = Enumerable.Range(0, Bins + 1).Select(i => i * binWidth).ToArray();
            var ys = shares.Append(shares[^1]).ToArray();
            var series = frame.Plot.Add.ScatterLine(xs, ys, context.Palette.Of(summary.Target, summary.Model));
            series.ConnectStyle = ConnectStyle.StepHorizontal;
            series.LineWidth = 2;
            series.MarkerSize = 0;
            top = Math.Max(top, shares.Max());
        }

        frame.Plot.Axes.SetLimits(0, upper, 0, top * 1.1);
        frame.Legend(ChartLegend.Models(context.Palette, cells.Select(c => context.Palette.Name(c.Summary.Target, c.Summary.Model))));
        var sampled = cells.Any(c => c.Gaps.Sampled)
            ? string.Create(CultureInfo.InvariantCulture, $" (a uniform sample of up to {context.Samples.PointsPerCell:N0} gaps per cell)")
            : "";
        var caption = string.Create(CultureInfo.InvariantCulture,
            $"Gaps between consecutive token-bearing events of successful streaming requests, pooled per model{sampled}, in {Bins} bins of {binWidth:0.###} ms up to the largest p99 ({upper:0.#} ms); {100.0 * beyond / Math.Max(1, total):0.#} % of gaps lie beyond and are not drawn. A second hump means the server sends tokens in bursts.");
        return frame.Save(context.Directory, Id, ChartSection.Distributions, caption);
    }

    /// <summary>Percentage of <paramref name="values"/> in each of <see cref="Bins"/> bins of <paramref name="binWidth"/>
    /// from 0 (the last bin closed), and how many values lie beyond.</summary>
    internal static (double[] Shares, long Beyond) Shares(IReadOnlyList<double> values, double binWidth)
    {
        var counts = new long[Bins];
        long beyond = 0;
        foreach (var value in values)
        {
            var bin = (int)Math.Floor(Math.Max(0, value) / binWidth);
            if (bin == Bins && value <= binWidth * Bins)
            {
                bin = Bins - 1;
            }

            if (bin >= Bins)
            {
                beyond++;
                continue;
            }

            counts[bin]++;
        }

        return ([.. counts.Select(c => 100.0 * c / values.Count)], beyond);
    }
}
