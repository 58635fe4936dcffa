using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Records;
using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// Box plot of one latency metric per model (and mode, side by side): box from the 25th to the 75th percentile of the
/// cell's requests, line at p50, whiskers from min to p99, a diamond at the mean. p50, p99, min, max and mean are
/// the summary's (HdrHistogram/exact); only the quartiles, which the summary does not carry, come from the
/// per-request sample. <c>ttft-box</c> shows streaming cells, <c>e2e-box</c> both modes.
/// </summary>
internal sealed class LatencyBoxChart(MetricDescriptor metric) : IChart
{
    private static readonly Color Ink = Color.FromHex("#222222");

    /// <inheritdoc />
    public string Id { get; } = metric.Id.Replace("_ms", "", StringComparison.Ordinal) + "-box";

    /// <inheritdoc />
    public ChartFile? Draw(ChartContext context)
    {
        var cells = context.Report.Cells
            .Select(c => (c.Summary, Stats: c.Summary.Get(metric), Sample: Sample(context, c.Summary)))
            .Where(c => c.Stats is not null && c.Sample.Count > 0)
            .Select(c => (c.Summary, Stats: c.Stats!, c.Sample))
            .ToList();
        if (cells.Count == 0)
        {
            return null;
        }

        // One category per model, or per model × policy when a cell ran under a resilience policy.
        var policies = cells.Any(c => c.Summary.Policy is not null);
        // The model is named at its target when the run has several (Palette.Name): one category per target × model.
        var categories = cells.Select(c => (Model: context.Palette.Name(c.Summary.Target, c.Summary.Model), c.Summary.Policy)).Distinct().OrderBy(k => context.Palette.IndexOf(k.Model)).ToList();
        var labels = categories.Select(k => policies ? $"{k.Model} · {k.Policy ?? ResilienceChart.NoPolicy}" : k.Model).ToList();
        var modes = ModeStyle.Ordered(cells.Select(c => c.Summary.Mode));
        var title = metric == Metric.Ttft ? "TTFT per model (streaming)" : $"{metric.DisplayName} latency per model and mode";
        using var frame = new ChartFrame(title, policies ? "model · policy" : "model", $"{metric.DisplayName} ({metric.Unit})");
        var width = modes.Count > 1 ? 0.36 : 0.5;
        var top = 0.0;
        foreach (var (summary, stats, sample) in cells)
        {
            var style = ModeStyle.Of(summary.Mode);
            var x = categories.IndexOf((context.Palette.Name(summary.Target, summary.Model), summary.Policy)) + (modes.Count > 1 ? (summary.Mode == Mode.Streaming ? -0.2 : 0.2) : 0);
            var (q1, q3) = Quartiles(sample);
            var color = context.Palette.Of(summary.Target, summary.Model);
            // ScottPlot gives an added box the next palette colour: style it afterwards.
            var box = frame.Plot.Add.Box(new Box
            {
                Position = x,
                Width = width,
                BoxMin = Math.Min(q1, stats.P50),
                BoxMax = Math.Max(q3, stats.P50),
                BoxMiddle = stats.P50,
                WhiskerMin = stats.Min,
                WhiskerMax = stats.P99,
            }).Boxes[0];
            box.FillColor = style.Fill(color);
            box.LineColor = Ink;
            box.LineWidth = 1.5f;
            frame.Plot.Add.Marker(x, stats.Mean, MarkerShape.FilledDiamond, 9, Ink);
            top = Math.Max(top, stats.P99);
        }

        frame.CategoryTicks(labels);
        frame.Plot.Axes.SetLimitsX(-0.6, categories.Count - 0.4);
        frame.Plot.Axes.SetLimitsY(0, top * 1.08);
        frame.Legend(modes.Select(m => ChartLegend.Fill(m))
            .Append(ChartLegend.Marker(MarkerShape.FilledDiamond, "mean")));
        var sampled = cells.Any(c => context.Samples.For(c.Summary) is { } s && Reservoir(s).Sampled)
            ? string.Create(CultureInfo.InvariantCulture, $" (quartiles from a uniform sample of {context.Samples.PointsPerCell:N0} requests per cell)")
            : "";
        var caption = $"{metric.DisplayName} of successful requests{(metric == Metric.Ttft ? " (streaming only)" : "")}. Box: 25th–75th percentile{sampled}; line: p50; whiskers: min to p99; diamond: mean. Colour is the model; {(modes.Count > 1 ? "dense fill streaming, pale fill non-streaming" : $"all cells are {modes[0].Name}")}.";
        return frame.Save(context.Directory, Id, ChartSection.Distributions, caption);
    }

    private Reservoir<double> Reservoir(CellSamples samples) => metric == Metric.Ttft ? samples.TtftMs : samples.E2eMs;

    private IReadOnlyList<double> Sample(ChartContext context, CellSummary summary) =>
        context.Samples.For(summary) is { } samples ? Reservoir(samples).Items : [];

    /// <summary>25th and 75th percentiles by linear interpolation between order statistics.</summary>
    internal static (double Q1, double Q3) Quartiles(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return (Quantile(sorted, 0.25), Quantile(sorted, 0.75));
    }

    private static double Quantile(double[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((rank - low) * (sorted[high] - sorted[low]));
    }
}
