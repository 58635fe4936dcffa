using System.Globalization;
using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// E2E latency over the run: one point per request after warm-up (sweep probes included), placed at the time it
/// ended (seconds since the run started), so drift, warm-up effects and stalls show. Failed requests are crosses.
/// </summary>
internal sealed class LatencyOverTimeChart : IChart
{
    /// <inheritdoc />
    public string Id => "e2e-over-time";

    /// <inheritdoc />
    public ChartFile? Draw(ChartContext context)
    {
        var cells = context.Samples.Cells.Where(c => c.Timeline.Items.Count > 0).ToList();
        if (cells.Count == 0)
        {
            return null;
        }

        using var frame = new ChartFrame("E2E latency over the run", "time since run start, when the request ended (s)", "E2E latency (ms)");
        var anyFailed = false;
        foreach (var cell in cells)
        {
            var color = context.Palette.Of(cell.Target, cell.Model);
            var style = ModeStyle.Of(cell.Mode);
            var ok = cell.Timeline.Items.Where(p => p.Success).ToList();
            var failed = cell.Timeline.Items.Where(p => !p.Success).ToList();
            if (ok.Count > 0)
            {
                var markers = frame.Plot.Add.Markers(ok.Select(p => p.EndS).ToArray(), ok.Select(p => p.E2eMs).ToArray(), style.Marker, 6, color.WithAlpha(0.8));
                markers.MarkerLineWidth = 1.5f;
            }

            if (failed.Count > 0)
            {
                anyFailed = true;
                var markers = frame.Plot.Add.Markers(failed.Select(p => p.EndS).ToArray(), failed.Select(p => p.E2eMs).ToArray(), MarkerShape.Eks, 8, color);
                markers.MarkerLineWidth = 1.5f;
            }
        }

        var points = cells.SelectMany(c => c.Timeline.Items).ToList();
        frame.Plot.Axes.SetLimits(0, points.Max(p => p.EndS) * 1.02, 0, points.Max(p => p.E2eMs) * 1.08);
        var modes = ModeStyle.Ordered(cells.Select(c => c.Mode));
        frame.Legend(ChartLegend.Models(context.Palette, cells.Select(c => context.Palette.Name(c.Target, c.Model)))
            .Concat(modes.Select(m => ChartLegend.Marker(m.Marker, m.Name)))
            .Concat(anyFailed ? [ChartLegend.Marker(MarkerShape.Eks, "failed")] : []));
        var sampled = cells.Any(c => c.Timeline.Sampled)
            ? string.Create(CultureInfo.InvariantCulture, $"; a uniform sample of up to {context.Samples.PointsPerCell:N0} requests per cell")
            : "";
        var caption = $"Each point is one request after warm-up, at the time it ended{sampled}. Colour is the model, marker the mode{(anyFailed ? "; crosses are failed requests (E2E until the failure)" : "")}. Cells that ran one after another appear side by side.";
        return frame.Save(context.Directory, Id, ChartSection.OverTime, caption);
    }
}
