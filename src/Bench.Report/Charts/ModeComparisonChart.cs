using Bench.Core.Metrics;
using Bench.Core.Records;
using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// Streaming against non-streaming, per model: three bars side by side — mean TTFT when streaming, mean E2E when
/// streaming, mean E2E when not — each with a whisker up to its p95. All figures are the summary's.
/// Drawn when at least one model ran in both modes.
/// </summary>
internal sealed class ModeComparisonChart : IChart
{
    /// <summary>The three bars of a model: what they show and how they are filled.</summary>
    private static readonly (Mode Mode, MetricDescriptor Metric, double Alpha, string Label)[] Slots =
    [
        (Mode.Streaming, Metric.Ttft, 1.0, "TTFT mean, streaming"),
        (Mode.Streaming, Metric.E2e, 0.5, "E2E mean, streaming"),
        (Mode.NonStreaming, Metric.E2e, ModeStyle.NonStreaming.FillAlpha, "E2E mean, non-streaming"),
    ];

    private static readonly Color Ink = Color.FromHex("#222222");

    private const double BarWidth = 0.26;

    /// <inheritdoc />
    public string Id => "streaming-vs-non-streaming";

    /// <inheritdoc />
    public ChartFile? Draw(ChartContext context)
    {
        // A model's two modes within one target (its series name: target · model when the run has several targets).
        var cells = context.Report.Cells.Select(c => c.Summary).ToList();
        string Series(CellSummary s) => context.Palette.Name(s.Target, s.Model);
        var models = cells.Select(Series).Distinct()
            .Where(m => cells.Any(s => Series(s) == m && s.Mode == Mode.Streaming) && cells.Any(s => Series(s) == m && s.Mode == Mode.NonStreaming))
            .OrderBy(context.Palette.IndexOf)
            .ToList();
        if (models.Count == 0)
        {
            return null;
        }

        using var frame = new ChartFrame("Streaming against non-streaming", "model", "latency (ms): bar = mean, whisker = p95");
        var bars = new List<Bar>();
        var whiskers = new List<(double X, double From, double To)>();
        var top = 0.0;
        for (var i = 0; i < models.Count; i++)
        {
            var color = context.Palette.Of(models[i]);
            for (var slot = 0; slot < Slots.Length; slot++)
            {
                var (mode, metric, alpha, _) = Slots[slot];
                if (cells.FirstOrDefault(s => Series(s) == models[i] && s.Mode == mode)?.Get(metric) is not { } stats)
                {
                    continue;
                }

                var x = i + ((slot - 1) * (BarWidth + 0.02));
                bars.Add(new Bar
                {
                    Position = x,
                    Size = BarWidth,
                    Value = stats.Mean,
                    FillColor = color.WithAlpha(alpha),
                    LineColor = color,
                    LineWidth = 1.5f,
                });
                if (stats.P95 > stats.Mean)
                {
                    whiskers.Add((x, stats.Mean, stats.P95));
                }

                top = Math.Max(top, Math.Max(stats.P95, stats.Mean));
            }
        }

        frame.Plot.Add.Bars(bars);
        foreach (var (x, from, to) in whiskers)
        {
            foreach (var segment in new[] { frame.Plot.Add.Line(x, from, x, to), frame.Plot.Add.Line(x - (BarWidth / 4), to, x + (BarWidth / 4), to) })
            {
                segment.LineColor = Ink;
                segment.LineWidth = 1.5f;
                segment.MarkerSize = 0;
            }
        }

        frame.CategoryTicks(models);
        frame.Plot.Axes.SetLimits(-0.6, models.Count - 0.4, 0, top * 1.1);
        frame.Legend(Slots.Select(s => ChartLegend.Fill(s.Alpha, s.Label)).Append(ChartLegend.Line("p95", Ink, LinePattern.Solid, 1.5f)));
        var caption = "Per model that ran in both modes: how long until the first token when streaming, against how long the whole answer takes in each mode. Bars are means, whiskers reach p95 (figures from the summary table). Colour is the model; solid bar TTFT, half-filled bar streaming E2E, pale bar non-streaming E2E.";
        return frame.Save(context.Directory, Id, ChartSection.Comparison, caption);
    }
}
