using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Report.Model;
using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// Cost against latency, one point per priced cell: x = cost per 1,000 requests (USD), y = p95 of the latency to first
/// output (TTFT streaming, E2E non-streaming). The Pareto front — cells no other cell beats on both — is a step line
/// with its points named; lower-left is better. Unpriced cells are left out and listed in a note.
/// </summary>
internal sealed class CostLatencyChart : IChart
{
    private static readonly Color FrontColor = Color.FromHex("#333333");

    /// <inheritdoc />
    public string Id => "cost-vs-latency";

    /// <inheritdoc />
    public ChartFile? Draw(ChartContext context)
    {
        var points = context.Report.Cells
            .Where(c => c.CostUsdPer1kRequests is not null && HeadlineLatency.Of(c.Summary) is not null)
            .Select(c => new CostPoint(c.Summary.Model, c.Summary.Mode, (double)c.CostUsdPer1kRequests!.Value, HeadlineLatency.Of(c.Summary)!.P95))
            .ToList();
        if (points.Count == 0)
        {
            return null;
        }

        using var frame = new ChartFrame("Cost against latency", "cost per 1,000 requests (USD)", $"p95 latency (ms): {HeadlineLatency.AxisNote}");
        var front = ParetoFront.Of(points, p => p.CostUsd, p => p.P95Ms);
        var right = points.Max(p => p.CostUsd);
        var top = points.Max(p => p.P95Ms);
        if (front.Count > 1)
        {
            var line = frame.Plot.Add.ScatterLine(front.Select(p => p.CostUsd).ToArray(), front.Select(p => p.P95Ms).ToArray(), FrontColor);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 2;
            line.MarkerSize = 0;
        }

        foreach (var point in points)
        {
            var marker = frame.Plot.Add.Marker(point.CostUsd, point.P95Ms, ModeStyle.Of(point.Mode).Marker, 13, context.Palette.Of(point.Model));
            marker.MarkerLineWidth = 2.5f;
        }

        foreach (var point in front)
        {
            var label = frame.Plot.Add.Text($"{point.Model} · {Names.Of(point.Mode)}", point.CostUsd, point.P95Ms);
            label.LabelFontName = ChartFonts.Family;
            label.LabelFontSize = 12;
            label.LabelFontColor = FrontColor;
            label.LabelAlignment = Alignment.LowerLeft;
            label.LabelOffsetX = 8;
            label.LabelOffsetY = -6;
        }

        // Room on the right for the names of the front's points.
        frame.Plot.Axes.SetLimits(0, right * 1.3, 0, top * 1.12);
        var unpriced = context.Report.Cells.Where(c => c.CostUsdPer1kRequests is null).Select(Describe).ToList();
        if (unpriced.Count > 0)
        {
            frame.Note($"Not priced, not shown: {string.Join(", ", unpriced)}");
        }

        var modes = ModeStyle.Ordered(points.Select(p => p.Mode));
        frame.Legend(ChartLegend.Models(context.Palette, points.Select(p => p.Model))
            .Concat(modes.Select(m => ChartLegend.Marker(m.Marker, m.Name)))
            .Append(ChartLegend.Line("Pareto front", FrontColor, LinePattern.Solid)));
        var caption = $"One point per priced cell: what 1,000 requests cost against how long the slowest 5 % waited for first output ({HeadlineLatency.AxisNote}). The step line is the Pareto front, the named cells no other cell beats on both cost and latency; lower-left is better.{(unpriced.Count > 0 ? $" Not priced, so not shown: {string.Join(", ", unpriced)}." : "")}";
        return frame.Save(context.Directory, Id, ChartSection.Cost, caption);
    }

    private static string Describe(CellReport cell) => $"{cell.Summary.Model} · {Names.Of(cell.Summary.Mode)}";

    /// <summary>A cell on the cost–latency plane.</summary>
    private sealed record CostPoint(string Model, Mode Mode, double CostUsd, double P95Ms);
}
