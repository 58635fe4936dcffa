using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// Sweep curve, latency: offered rate → p50 (circles) and p95 (triangles) of the headline latency (TTFT streaming,
/// E2E non-streaming), one pair of lines per swept cell, with the <c>ttft_ms</c> limit of the sweep's SLO set as a
/// dashed line. Drawn when the run has sweep curves.
/// </summary>
internal sealed class SweepLatencyChart : IChart
{
    /// <inheritdoc />
    public string Id => "sweep-latency";

    /// <inheritdoc />
    public ChartFile? Draw(ChartContext context)
    {
        var curves = context.Report.Sweeps.Where(c => c.Points.Any(p => HeadlineLatency.Of(p.Summary) is not null)).ToList();
        if (curves.Count == 0)
        {
            return null;
        }

        var note = HeadlineLatency.NoteFor(curves.Select(c => c.Mode));
        var axis = new RateAxis(curves.SelectMany(c => c.Points).Select(p => p.RatePerS));
        using var frame = new ChartFrame("Sweep: latency against offered load", axis.Label,
            note == HeadlineLatency.AxisNote ? $"latency (ms): {note}" : $"{note} (ms)");
        var top = 0.0;
        foreach (var curve in curves)
        {
            var points = curve.Points.Where(p => HeadlineLatency.Of(p.Summary) is not null).ToList();
            var xs = points.Select(p => axis.X(p.RatePerS)).ToArray();
            var style = ModeStyle.Of(curve.Mode);
            foreach (var (percentile, marker, width) in new[] { ("p50", MarkerShape.FilledCircle, 1.5f), ("p95", MarkerShape.FilledTriangleUp, 2.5f) })
            {
                var ys = points.Select(p => HeadlineLatency.Of(p.Summary)!.Get(percentile)).ToArray();
                var series = frame.Plot.Add.Scatter(xs, ys, context.Palette.Of(curve.Target, curve.Model));
                series.LineWidth = width;
                series.LinePattern = style.Line;
                series.MarkerShape = marker;
                series.MarkerSize = 8;
                top = Math.Max(top, ys.Max());
            }
        }

        var limits = Limits(context.Report.Slos, curves);
        foreach (var (_, ms) in limits)
        {
            frame.Plot.Add.HorizontalLine(ms, 1.5f, LimitColor, LinePattern.Dashed);
            top = Math.Max(top, ms);
        }

        axis.Apply(frame.Plot);
        frame.Plot.Axes.SetLimitsY(0, top * 1.1);
        var modes = ModeStyle.Ordered(curves.Select(c => c.Mode));
        frame.Legend(ChartLegend.Models(context.Palette, curves.Select(c => context.Palette.Name(c.Target, c.Model)))
            .Concat(modes.Select(m => ChartLegend.Line(m)))
            .Append(ChartLegend.Marker(MarkerShape.FilledCircle, "p50"))
            .Append(ChartLegend.Marker(MarkerShape.FilledTriangleUp, "p95"))
            .Concat(limits.Select(l => ChartLegend.Line(string.Create(CultureInfo.InvariantCulture, $"SLO {l.Name}: TTFT ≤ {l.Ms:0.###} ms"), LimitColor, LinePattern.Dashed, 1.5f))));
        var sloNote = limits.Count > 0
            ? $" The dashed line is the TTFT limit of SLO set {string.Join(", ", limits.Select(l => l.Name))}{(modes.Any(m => m.Mode == Mode.NonStreaming) ? " (for non-streaming it applies to E2E)" : "")}; the set is met while at least its percentile of requests stay under every limit."
            : "";
        var modeNote = modes.Count > 1 ? " Colour is the model; solid line streaming, dashed non-streaming." : $" Colour is the model; all curves are {modes[0].Name}.";
        var caption = $"Each sweep probe offered a fixed request rate; the lines join its p50 (circles) and p95 (triangles) of the latency to first output ({note}). Where p95 bends upwards the target is saturating.{(axis.IsLog ? " The rate axis is logarithmic (the search bisected down to low rates)." : "")}{sloNote}{modeNote}";
        return frame.Save(context.Directory, Id, ChartSection.Sweep, caption);
    }

    /// <summary>The SLO metric whose limit bounds the headline latency in both modes (<see cref="Metric.JudgedAs"/>
    /// judges a non-streaming response's <c>ttft_ms</c> by its E2E).</summary>
    private static readonly string ThresholdMetric = Metric.Ttft.Id;

    /// <summary>Limits are drawn in near-black, not red: colour belongs to the models.</summary>
    private static readonly Color LimitColor = Color.FromHex("#333333");

    /// <summary>The <c>ttft_ms</c> limits of the SLO sets the curves were judged by, one per distinct set.</summary>
    private static List<(string Name, double Ms)> Limits(IReadOnlyList<SloSet> slos, IEnumerable<SweepCurve> curves) =>
        [.. curves.Select(c => c.Slo).OfType<string>().Distinct(StringComparer.Ordinal)
            .Select(name => slos.FirstOrDefault(s => s.Name == name))
            .OfType<SloSet>()
            .Where(s => s.MaxMs.ContainsKey(ThresholdMetric))
            .Select(s => (s.Name, s.MaxMs[ThresholdMetric]))];
}
