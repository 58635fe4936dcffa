using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Report.Model;
using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// Cost against latency, one point per priced cell: x = cost per 1,000 requests (USD), y = p95 of the latency to first
/// output (TTFT streaming, E2E non-streaming) or a batch-api cell's batch turnaround, on a logarithmic axis
/// (<see cref="LatencyLogAxis"/>) so milliseconds and hours fit. The Pareto front — cells no other cell beats on both — is a step line
/// with its points ringed and named; lower-left is better. Unpriced cells are left out and listed in a note.
/// </summary>
internal sealed class CostLatencyChart : IChart
{
    private static readonly Color FrontColor = Color.FromHex("#333333");

    /// <inheritdoc />
    public string Id => "cost-vs-latency";

    /// <summary>What the latency axis shows for the modes on a chart.</summary>
    public const string BatchNote = "turnaround batch-api";

    /// <inheritdoc />
    public ChartFile? Draw(ChartContext context)
    {
        var points = context.Report.Cells
            .Where(c => c.CostUsdPer1kRequests is not null && LatencyS(c) is not null)
            .Select(c => new CostPoint(context.Palette.Name(c.Summary.Target, c.Summary.Model), c.Summary.Mode, (double)c.CostUsdPer1kRequests!.Value, LatencyS(c)!.Value, c.Summary.Policy, c.Batch?.Simulated == true))
            .ToList();
        if (points.Count == 0)
        {
            return null;
        }

        var synchronous = points.Where(p => p.Mode != Mode.BatchApi).Select(p => p.Mode).ToList();
        var batch = points.Any(p => p.Mode == Mode.BatchApi);
        var note = synchronous.Count == 0 ? BatchNote
            : batch ? $"{HeadlineLatency.NoteFor(synchronous)}, {BatchNote}"
            : HeadlineLatency.NoteFor(synchronous);
        // The axis label stays short enough to fit the chart's height; the caption says it in full.
        var turnaround = points.Any(p => p.Simulated) ? "batch turnaround (sim.)" : "batch turnaround";
        var axisNote = !batch ? note : synchronous.Count == 0 ? turnaround : $"TTFT, E2E, {turnaround}";
        var axis = new LatencyLogAxis(points.Select(p => p.P95S));
        using var frame = new ChartFrame("Cost against latency", "cost per 1,000 requests (USD)", $"p95 latency (log): {axisNote}");
        var front = ParetoFront.Of(points, p => p.CostUsd, p => p.P95S);
        var right = points.Max(p => p.CostUsd);
        if (front.Count > 1)
        {
            var line = frame.Plot.Add.ScatterLine(front.Select(p => p.CostUsd).ToArray(), front.Select(p => LatencyLogAxis.Y(p.P95S)).ToArray(), FrontColor);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 2;
            line.MarkerSize = 0;
        }

        foreach (var point in points)
        {
            var marker = frame.Plot.Add.Marker(point.CostUsd, LatencyLogAxis.Y(point.P95S), ModeStyle.Of(point.Mode).Marker, 13, context.Palette.Of(point.Model));
            marker.MarkerLineWidth = 2.5f;
        }

        // Room on the right for the names of the front's points.
        var xMax = right * 1.3;
        var placed = new List<PixelBox>();
        foreach (var point in front)
        {
            // A ring marks membership, so a point that merely lies near the step line is not mistaken for one on it.
            var y = LatencyLogAxis.Y(point.P95S);
            var ring = frame.Plot.Add.Marker(point.CostUsd, y, MarkerShape.OpenCircle, 26, FrontColor);
            ring.MarkerLineWidth = 1.5f;
            var text = point.Policy is { } policy ? $"{point.Model} · {Names.Of(point.Mode)} · {policy}" : $"{point.Model} · {Names.Of(point.Mode)}";
            var (alignment, offsetX, offsetY) = Place(text, point.CostUsd, y - axis.Low, xMax, axis.High - axis.Low, placed);
            var label = frame.Plot.Add.Text(text, point.CostUsd, y);
            label.LabelFontName = ChartFonts.Family;
            label.LabelFontSize = LabelSize;
            label.LabelFontColor = FrontColor;
            label.LabelAlignment = alignment;
            label.LabelOffsetX = offsetX;
            label.LabelOffsetY = offsetY;
        }

        frame.Plot.Axes.SetLimitsX(0, xMax);
        axis.Apply(frame.Plot);
        var unpriced = context.Report.Cells.Where(c => c.CostUsdPer1kRequests is null).Select(Describe).ToList();
        if (unpriced.Count > 0)
        {
            frame.Note(Wrap("Not priced, not shown: ", unpriced));
        }

        var modes = ModeStyle.Ordered(points.Select(p => p.Mode));
        frame.Legend(ChartLegend.Models(context.Palette, points.Select(p => p.Model))
            .Concat(modes.Select(m => ChartLegend.Marker(m.Marker, m.Name)))
            .Append(ChartLegend.Line("Pareto front", FrontColor, LinePattern.Solid))
            .Append(ChartLegend.Ring("on the front", FrontColor)));
        var simulated = points.FirstOrDefault(p => p.Simulated) is not null
            ? $" Batch turnaround is simulated ({context.Report.Cells.First(c => c.Batch?.Simulated == true).Batch!.TimeScale:0.##}× time scale)."
            : "";
        var caption = $"One point per priced cell: what 1,000 requests cost against how long the slowest 5 % waited ({note}; a batch-api cell's batch turnaround, p95 over its batches), on a logarithmic latency axis so milliseconds and hours fit. The step line is the Pareto front: the ringed, named cells are those no other cell beats on both cost and latency; lower-left is better.{simulated}{(unpriced.Count > 0 ? $" Not priced, so not shown: {string.Join(", ", unpriced)}." : "")}";
        return frame.Save(context.Directory, Id, ChartSection.Cost, caption);
    }

    /// <summary>A cell's latency on this chart, seconds: p95 of its headline latency (TTFT streaming, E2E
    /// non-streaming), or a batch-api cell's p95 batch turnaround; null without samples.</summary>
    internal static double? LatencyS(CellResult cell) => Metric.HasRequestLatency(cell.Summary.Mode)
        ? HeadlineLatency.Of(cell.Summary)?.P95 / 1000.0
        : cell.Batch?.TurnaroundSP95;

    private const float LabelSize = 12;

    /// <summary>The longest line of the chart's note, in characters (about the plot's width at the note's size).</summary>
    private const int NoteLineChars = 100;

    /// <summary><paramref name="head"/> then the items joined by commas, broken into lines of at most
    /// <see cref="NoteLineChars"/> characters (an item is never split), so a long list stays inside the plot.</summary>
    internal static string Wrap(string head, IReadOnlyList<string> items)
    {
        var lines = new List<string>();
        var line = new System.Text.StringBuilder(head);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] + (i < items.Count - 1 ? "," : "");
            if (line.Length > head.Length && line.Length + 1 + item.Length > NoteLineChars)
            {
                lines.Add(line.ToString());
                line.Clear().Append(item);
            }
            else
            {
                line.Append(line.Length == head.Length ? "" : " ").Append(item);
            }
        }

        lines.Add(line.ToString());
        return string.Join("\n", lines);
    }

    /// <summary>Approximate size of the data area in pixels (the frame less its axes and the legend), enough to keep
    /// the names of neighbouring front points apart.</summary>
    private const double DataWidthPx = 640;

    private const double DataHeightPx = 420;

    /// <summary>
    /// Where a front point's name goes: above and to the right of its ring, else below it when that would run into a
    /// name already placed, and to the left instead of the right when it would leave the data area. Returns the
    /// ScottPlot alignment and pixel offsets; records the chosen box in <paramref name="placed"/>.
    /// </summary>
    internal static (Alignment Alignment, float OffsetX, float OffsetY) Place(string text, double costUsd, double p95Ms, double xMax, double yMax, List<PixelBox> placed)
    {
        const double Gap = 14;
        const double Lift = 8;
        var width = text.Length * LabelSize * 0.62;
        var height = LabelSize * 1.4;
        var x = costUsd / xMax * DataWidthPx;
        var y = p95Ms / yMax * DataHeightPx;
        var leftward = x + Gap + width > DataWidthPx;
        var left = leftward ? x - Gap - width : x + Gap;
        var above = new PixelBox(left, y + Lift, width, height);
        var below = new PixelBox(left, y - Lift - height, width, height);
        var useBelow = placed.Any(above.Overlaps) && !placed.Any(below.Overlaps);
        placed.Add(useBelow ? below : above);
        var alignment = (useBelow, leftward) switch
        {
            (false, false) => Alignment.LowerLeft,
            (false, true) => Alignment.LowerRight,
            (true, false) => Alignment.UpperLeft,
            (true, true) => Alignment.UpperRight,
        };
        return (alignment, (float)(leftward ? -Gap : Gap), (float)(useBelow ? Lift : -Lift));
    }

    /// <summary>A label's box in data-area pixels, y upwards.</summary>
    internal readonly record struct PixelBox(double X, double Y, double Width, double Height)
    {
        /// <summary>True when the two boxes share any area.</summary>
        public bool Overlaps(PixelBox other) =>
            X < other.X + other.Width && other.X < X + Width && Y < other.Y + other.Height && other.Y < Y + Height;
    }

    private static string Describe(CellResult cell) => $"{cell.Summary.Model} · {Names.Of(cell.Summary.Mode)}";

    /// <summary>A cell on the cost–latency plane.</summary>
    private sealed record CostPoint(string Model, Mode Mode, double CostUsd, double P95S, string? Policy = null, bool Simulated = false);
}
