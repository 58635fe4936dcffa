using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// Sweep curve, latency: offered rate → p50 (circles) and p95 (triangles) of the headline latency (TTFT streaming,
/// E2E non-streaming), one pair of lines per swept cell. Drawn when the run has sweep curves.
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

        using var frame = new ChartFrame("Sweep: latency against offered load", "offered rate (req/s)", $"latency (ms): {HeadlineLatency.AxisNote}");
        var right = 0.0;
        var top = 0.0;
        foreach (var curve in curves)
        {
            var points = curve.Points.Where(p => HeadlineLatency.Of(p.Summary) is not null).ToList();
            var xs = points.Select(p => p.RatePerS).ToArray();
            var style = ModeStyle.Of(curve.Mode);
            foreach (var (percentile, marker, width) in new[] { ("p50", MarkerShape.FilledCircle, 1.5f), ("p95", MarkerShape.FilledTriangleUp, 2.5f) })
            {
                var ys = points.Select(p => HeadlineLatency.Of(p.Summary)!.Get(percentile)).ToArray();
                var series = frame.Plot.Add.Scatter(xs, ys, context.Palette.Of(curve.Model));
                series.LineWidth = width;
                series.LinePattern = style.Line;
                series.MarkerShape = marker;
                series.MarkerSize = 8;
                top = Math.Max(top, ys.Max());
            }

            right = Math.Max(right, xs.Max());
        }

        frame.Plot.Axes.SetLimits(0, right * 1.05, 0, top * 1.1);
        var modes = ModeStyle.Ordered(curves.Select(c => c.Mode));
        frame.Legend(ChartLegend.Models(context.Palette, curves.Select(c => c.Model))
            .Concat(modes.Select(m => ChartLegend.Line(m)))
            .Append(ChartLegend.Marker(MarkerShape.FilledCircle, "p50"))
            .Append(ChartLegend.Marker(MarkerShape.FilledTriangleUp, "p95")));
        var caption = $"Each sweep probe offered a fixed request rate; the lines join its p50 (circles) and p95 (triangles) of the latency to first output ({HeadlineLatency.AxisNote}). Where p95 bends upwards the target is saturating. Colour is the model; solid line streaming, dashed non-streaming.";
        return frame.Save(context.Directory, Id, ChartSection.Sweep, caption);
    }
}
