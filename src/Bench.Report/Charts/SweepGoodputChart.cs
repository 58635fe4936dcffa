using Bench.Core.Metrics;
using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// Sweep curve, goodput: offered rate → goodput (requests/s that succeeded and met the sweep's SLO set; achieved
/// requests/s when the scenario has no SLO set), against the diagonal where every offered request would be good.
/// The highest sustainable rate of each curve is ringed. Drawn when the run has sweep curves.
/// </summary>
internal sealed class SweepGoodputChart : IChart
{
    /// <inheritdoc />
    public string Id => "sweep-goodput";

    /// <inheritdoc />
    public ChartFile? Draw(ChartContext context)
    {
        var curves = context.Report.Sweeps.Where(c => c.Points.Count > 0).ToList();
        if (curves.Count == 0)
        {
            return null;
        }

        var judged = curves.All(c => c.Slo is not null);
        var axis = new RateAxis(curves.SelectMany(c => c.Points).Select(p => p.RatePerS));
        using var frame = new ChartFrame("Sweep: goodput against offered load", axis.Label,
            judged ? "goodput (req/s meeting the SLOs)" : "achieved throughput (req/s)");
        var span = axis.Span();
        var diagonal = frame.Plot.Add.ScatterLine(span.Select(axis.X).ToArray(), span.ToArray(), ChartLegend.Neutral.WithAlpha(0.6));
        diagonal.LinePattern = LinePattern.Dotted;
        diagonal.LineWidth = 1.5f;
        diagonal.MarkerSize = 0;
        var top = span.Max();
        var anySustainable = false;
        foreach (var curve in curves)
        {
            var xs = curve.Points.Select(p => axis.X(p.RatePerS)).ToArray();
            var ys = curve.Points.Select(p => Goodput(p.Summary, curve.Slo)).ToArray();
            var color = context.Palette.Of(curve.Target, curve.Model);
            var style = ModeStyle.Of(curve.Mode);
            var series = frame.Plot.Add.Scatter(xs, ys, color);
            series.LineWidth = 2;
            series.LinePattern = style.Line;
            series.MarkerShape = style.Marker;
            series.MarkerSize = 8;
            top = Math.Max(top, ys.Max());
            if (curve.SustainableRatePerS is { } rate && curve.Points.FirstOrDefault(p => p.RatePerS == rate) is { } best)
            {
                anySustainable = true;
                var ring = frame.Plot.Add.Marker(axis.X(rate), Goodput(best.Summary, curve.Slo), MarkerShape.OpenCircle, 22, color);
                ring.MarkerLineWidth = 2;
            }
        }

        axis.Apply(frame.Plot);
        frame.Plot.Axes.SetLimitsY(0, top * 1.1);
        var modes = ModeStyle.Ordered(curves.Select(c => c.Mode));
        frame.Legend(ChartLegend.Models(context.Palette, curves.Select(c => context.Palette.Name(c.Target, c.Model)))
            .Concat(modes.Select(m => ChartLegend.Line(m)))
            .Append(ChartLegend.Line("offered = good", ChartLegend.Neutral, LinePattern.Dotted, 1.5f))
            .Concat(anySustainable ? [ChartLegend.Marker(MarkerShape.OpenCircle, "highest rate meeting the SLOs")] : []));
        var slos = string.Join(", ", curves.Select(c => c.Slo).OfType<string>().Distinct());
        var caption = judged
            ? $"Goodput is the rate of requests that succeeded and met SLO set {slos}; on the dotted diagonal every offered request was good. A ring marks the highest rate that met the SLOs below every rate that failed."
            : "No SLO set was given, so the chart shows the achieved rate of completed requests against the offered rate; on the dotted diagonal the target kept up.";
        if (axis.IsLog)
        {
            caption += " The rate axis is logarithmic (the search bisected down to low rates), so the diagonal curves.";
        }

        return frame.Save(context.Directory, Id, ChartSection.Sweep, caption);
    }

    private static double Goodput(CellSummary summary, string? slo) =>
        slo is null ? summary.Rps : summary.Slos.FirstOrDefault(s => s.Name == slo)?.GoodputRps ?? 0;
}
