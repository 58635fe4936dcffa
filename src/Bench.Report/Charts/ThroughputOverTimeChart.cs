using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// Completions per second over the run: per cell, the successful requests that ended in each 1 s bucket of the run
/// clock (exact counts, not sampled), as a step line from the cell's first to its last completion.
/// </summary>
internal sealed class ThroughputOverTimeChart : IChart
{
    /// <inheritdoc />
    public string Id => "throughput-over-time";

    /// <inheritdoc />
    public ChartFile? Draw(ChartContext context)
    {
        var cells = context.Samples.Cells.Where(c => c.CompletionsPerSecond.Any(n => n > 0)).ToList();
        if (cells.Count == 0)
        {
            return null;
        }

        using var frame = new ChartFrame("Throughput over the run", "time since run start (s, 1 s buckets)", "successful completions per second (req/s)");
        var right = 0.0;
        var top = 0.0;
        foreach (var cell in cells)
        {
            var counts = cell.CompletionsPerSecond;
            var first = counts.ToList().FindIndex(n => n > 0);
            var last = counts.ToList().FindLastIndex(n => n > 0);
            var xs = Enumerable.Range(first, last - first + 2).Select(s => (double)s).ToArray();
            var ys = Enumerable.Range(first, last - first + 1).Select(s => (double)counts[s]).Append(counts[last]).ToArray();
            var series = frame.Plot.Add.ScatterLine(xs, ys, context.Palette.Of(cell.Target, cell.Model));
            series.ConnectStyle = ConnectStyle.StepHorizontal;
            series.LineWidth = 2;
            series.LinePattern = ModeStyle.Of(cell.Mode).Line;
            series.MarkerSize = 0;
            right = Math.Max(right, xs[^1]);
            top = Math.Max(top, ys.Max());
        }

        frame.Plot.Axes.SetLimits(0, right * 1.02, 0, top * 1.12);
        var modes = ModeStyle.Ordered(cells.Select(c => c.Mode));
        frame.Legend(ChartLegend.Models(context.Palette, cells.Select(c => context.Palette.Name(c.Target, c.Model)))
            .Concat(modes.Select(m => ChartLegend.Line(m))));
        var caption = "Successful requests completed in each 1-second bucket of the run clock, per cell (exact counts), from its first to its last completion. Colour is the model; solid line streaming, dashed non-streaming.";
        return frame.Save(context.Directory, Id, ChartSection.OverTime, caption);
    }
}
