using Bench.Core.Metrics;
using Bench.Core.Records;
using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// Resilience policies side by side, per model × mode that ran under at least one policy: one bar per policy (and per
/// no-policy cell, "none"), coloured by policy. Two charts share the layout: the success rate the user saw, with a
/// ring at the first-attempt success rate (what the same requests got without retries), and the E2E p95. Figures are
/// the summary's. Drawn only when some cell ran under a policy.
/// </summary>
internal sealed class ResilienceChart(ResilienceChart.Figure figure) : IChart
{
    /// <summary>What the bars show.</summary>
    public enum Figure
    {
        /// <summary><c>success_rate</c> (bar) and <c>first_attempt_success_rate</c> (ring), percent.</summary>
        Success,

        /// <summary><c>e2e_ms_p95</c>, ms.</summary>
        E2eP95,
    }

    /// <summary>The label of a cell without a policy.</summary>
    public const string NoPolicy = "none";

    private static readonly Color Ink = Color.FromHex("#222222");

    /// <inheritdoc />
    public string Id => figure == Figure.Success ? "resilience-success" : "resilience-e2e-p95";

    /// <inheritdoc />
    public ChartFile? Draw(ChartContext context)
    {
        var cells = context.Report.Cells.Select(c => c.Summary).ToList();
        if (context.Report.Resilience.Count == 0)
        {
            return null;
        }

        // Groups: each model × mode with a policy cell, in run order; within a group, its cells in run order.
        // The model is named at its target when the run has several (one group per target × model × mode).
        string Model(CellSummary s) => context.Palette.Name(s.Target, s.Model);
        var groups = cells.Where(s => s.Policy is not null).Select(s => (Model: Model(s), s.Mode)).Distinct().ToList();
        var palette = new ModelPalette(cells.Where(s => groups.Contains((Model(s), s.Mode))).Select(Label));
        var width = 0.8 / Math.Max(1, groups.Max(g => cells.Count(s => (Model(s), s.Mode) == g)));
        using var frame = figure == Figure.Success
            ? new ChartFrame("Success rate per resilience policy", "model · mode", "success rate (%)")
            : new ChartFrame("E2E p95 per resilience policy", "model · mode", "E2E p95 (ms)");
        var bars = new List<Bar>();
        var rings = new List<(double X, double Y)>();
        var top = 0.0;
        var bottom = 100.0;
        for (var g = 0; g < groups.Count; g++)
        {
            var members = cells.Where(s => (Model(s), s.Mode) == groups[g]).ToList();
            for (var i = 0; i < members.Count; i++)
            {
                var s = members[i];
                var x = g + ((i - ((members.Count - 1) / 2.0)) * width);
                var value = figure == Figure.Success ? s.SuccessRate * 100 : s.Get(Metric.E2e)?.P95;
                if (value is not { } v)
                {
                    continue;
                }

                var color = palette.Of(Label(s));
                bars.Add(new Bar { Position = x, Size = width * 0.9, Value = v, FillColor = color.WithAlpha(0.75), LineColor = color, LineWidth = 1.5f });
                top = Math.Max(top, v);
                bottom = Math.Min(bottom, v);
                if (figure == Figure.Success && s.Policy is not null)
                {
                    var first = s.FirstAttemptSuccessRate * 100;
                    rings.Add((x, first));
                    bottom = Math.Min(bottom, first);
                }
            }
        }

        if (bars.Count == 0)
        {
            return null;
        }

        frame.Plot.Add.Bars(bars);
        foreach (var (x, y) in rings)
        {
            // Drawn after the bars, so a ring inside its bar stays visible.
            var ring = frame.Plot.Add.Marker(x, y, MarkerShape.OpenCircle, 11, Ink);
            ring.MarkerLineWidth = 1.5f;
        }
        frame.CategoryTicks([.. groups.Select(g => $"{g.Model} · {Names.Of(g.Mode)}")]);
        var legend = palette.Models.Select(label => new LegendItem { LabelText = label, FillColor = palette.Of(label).WithAlpha(0.75), OutlineColor = palette.Of(label), OutlineWidth = 1 });
        string caption;
        if (figure == Figure.Success)
        {
            // Success rates near 100 % differ in their last digits: start the axis below the lowest figure shown.
            var floor = Math.Max(0, Math.Floor((bottom - Math.Max(1, (100 - bottom) * 0.5)) / 1) * 1);
            frame.Plot.Axes.SetLimits(-0.6, groups.Count - 0.4, floor, 100 + ((100 - floor) * 0.05));
            frame.Legend(legend.Append(ChartLegend.Marker(MarkerShape.OpenCircle, "first attempt (no retry)")));
            caption = "Per model and mode, one bar per policy (colour; \"none\" is a cell without a policy): the success rate the user saw. The ring is the share of the same requests whose first attempt succeeded, what they would have got without retries or hedging. The axis starts below the lowest figure so the last digits show.";
        }
        else
        {
            frame.Plot.Axes.SetLimits(-0.6, groups.Count - 0.4, 0, top * 1.1);
            frame.Legend(legend);
            caption = "Per model and mode, one bar per policy (colour; \"none\" is a cell without a policy): E2E p95 over successful requests, from the first attempt's send to the end of the attempt that succeeded, so the waits and attempts retries added are in it.";
        }

        return frame.Save(context.Directory, Id, ChartSection.Resilience, caption);
    }

    private static string Label(CellSummary s) => s.Policy ?? NoPolicy;
}
