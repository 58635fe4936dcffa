using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Records;
using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// Empirical CDF of one latency metric, one step line per cell: at latency x the curve shows the share of successful
/// requests that took at most x. Dotted guides mark 50 % and 95 % (named p50 and p95 on the right-hand axis), where
/// the curves cross at each cell's p50 and p95. <c>ttft-cdf</c> shows streaming cells, <c>e2e-cdf</c> both modes.
/// </summary>
internal sealed class LatencyCdfChart(MetricDescriptor metric) : IChart
{
    /// <inheritdoc />
    public string Id { get; } = metric.Id.Replace("_ms", "", StringComparison.Ordinal) + "-cdf";

    /// <inheritdoc />
    public ChartFile? Draw(ChartContext context)
    {
        var cells = context.Report.Cells
            .Select(c => context.Samples.For(c.Summary))
            .OfType<CellSamples>()
            .Select(s => (Samples: s, Sample: metric == Metric.Ttft ? s.TtftMs : s.E2eMs))
            .Where(c => c.Sample.Items.Count > 0)
            .ToList();
        if (cells.Count == 0)
        {
            return null;
        }

        var title = metric == Metric.Ttft ? "TTFT distribution (CDF, streaming)" : $"{metric.DisplayName} latency distribution (CDF)";
        using var frame = new ChartFrame(title, $"{metric.DisplayName} ({metric.Unit})", "requests at or below x (%)");
        // Dotted guides at 50 % and 95 %, named p50 and p95 on the right-hand axis (outside the data, so no curve or
        // frame line ever runs through the names).
        var guideTicks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var (guide, name) in new[] { (50.0, "p50"), (95.0, "p95") })
        {
            frame.Plot.Add.HorizontalLine(guide, 1, ChartLegend.Neutral.WithAlpha(0.6), LinePattern.Dotted);
            guideTicks.AddMajor(guide, name);
        }

        frame.Plot.Axes.Right.TickGenerator = guideTicks;
        frame.Plot.Axes.Right.TickLabelStyle.FontSize = 13;
        frame.Plot.Axes.Right.TickLabelStyle.ForeColor = ChartLegend.Neutral;
        frame.Plot.Axes.Right.MajorTickStyle.Length = 4;
        frame.Plot.Axes.Right.MinorTickStyle.Length = 0;

        var right = 0.0;
        foreach (var (samples, sample) in cells)
        {
            var (xs, ys) = Steps(sample.Items);
            var style = ModeStyle.Of(samples.Mode);
            var series = frame.Plot.Add.ScatterLine(xs, ys, context.Palette.Of(samples.Target, samples.Model));
            series.ConnectStyle = ConnectStyle.StepHorizontal;
            series.LineWidth = 2;
            series.LinePattern = style.Line;
            series.MarkerSize = 0;
            right = Math.Max(right, xs[^1]);
        }

        frame.Plot.Axes.SetLimits(0, right * 1.03, 0, 101);
        frame.Plot.Axes.SetLimitsY(0, 101, frame.Plot.Axes.Right);
        var modes = ModeStyle.Ordered(cells.Select(c => c.Samples.Mode));
        frame.Legend(ChartLegend.Models(context.Palette, cells.Select(c => context.Palette.Name(c.Samples.Target, c.Samples.Model)))
            .Concat(modes.Select(m => ChartLegend.Line(m))));
        var sampled = cells.Any(c => c.Sample.Sampled)
            ? string.Create(CultureInfo.InvariantCulture, $", from a uniform sample of up to {context.Samples.PointsPerCell:N0} requests per cell")
            : "";
        var caption = $"Share of successful requests whose {metric.DisplayName} was at most x{sampled}. Further left is faster; a curve that flattens late has a long tail. Colour is the model; {(modes.Count > 1 ? "solid line streaming, dashed non-streaming" : $"all cells are {modes[0].Name}")}.";
        return frame.Save(context.Directory, Id, ChartSection.Distributions, caption);
    }

    /// <summary>The ECDF as step points: (x₍₁₎, 0), then (x₍ᵢ₎, 100·i/n) for the sorted values.</summary>
    internal static (double[] Xs, double[] Ys) Steps(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var xs = new double[sorted.Length + 1];
        var ys = new double[sorted.Length + 1];
        xs[0] = sorted[0];
        for (var i = 0; i < sorted.Length; i++)
        {
            xs[i + 1] = sorted[i];
            ys[i + 1] = 100.0 * (i + 1) / sorted.Length;
        }

        return (xs, ys);
    }
}
