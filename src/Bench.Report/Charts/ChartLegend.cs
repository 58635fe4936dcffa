using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// Legend entries in the house style: one colour swatch per model, then the modes in neutral grey showing only their
/// fill, line or marker — so a reader learns "colour = model, style = mode" once per chart.
/// </summary>
internal static class ChartLegend
{
    /// <summary>The neutral colour mode entries are drawn in.</summary>
    public static readonly Color Neutral = Color.FromHex("#555555");

    /// <summary>A colour swatch per model, in palette order.</summary>
    public static IEnumerable<LegendItem> Models(ModelPalette palette, IEnumerable<string> models) =>
        models.Distinct().OrderBy(palette.IndexOf).Select(m => new LegendItem
        {
            LabelText = m,
            FillColor = palette.Of(m),
            OutlineColor = palette.Of(m),
            OutlineWidth = 1,
        });

    /// <summary>A fill swatch for a mode (boxes, bars).</summary>
    public static LegendItem Fill(ModeStyle style, string? label = null) => new()
    {
        LabelText = label ?? style.Name,
        FillColor = style.Fill(Neutral),
        OutlineColor = Neutral,
        OutlineWidth = 1,
    };

    /// <summary>A fill swatch of any opacity (for charts with more than one fill per mode).</summary>
    public static LegendItem Fill(double alpha, string label) => new()
    {
        LabelText = label,
        FillColor = Neutral.WithAlpha(alpha),
        OutlineColor = Neutral,
        OutlineWidth = 1,
    };

    /// <summary>A line sample for a mode (CDFs, throughput, sweep curves).</summary>
    public static LegendItem Line(ModeStyle style, string? label = null, float width = 2) => new()
    {
        LabelText = label ?? style.Name,
        LineColor = Neutral,
        LineWidth = width,
        LinePattern = style.Line,
    };

    /// <summary>A marker sample (scatter points).</summary>
    public static LegendItem Marker(MarkerShape shape, string label) => new()
    {
        LabelText = label,
        MarkerShape = shape,
        MarkerSize = 9,
        MarkerFillColor = Neutral,
        MarkerLineColor = Neutral,
        MarkerLineWidth = 1.5f,
        LineWidth = 0,
    };

    /// <summary>An open ring (marks points singled out, e.g. the Pareto front).</summary>
    public static LegendItem Ring(string label, Color color) => new()
    {
        LabelText = label,
        MarkerShape = MarkerShape.OpenCircle,
        MarkerSize = 14,
        MarkerLineColor = color,
        MarkerLineWidth = 1.5f,
        LineWidth = 0,
    };

    /// <summary>An entry with a custom line (reference lines, fronts).</summary>
    public static LegendItem Line(string label, Color color, LinePattern pattern, float width = 2) => new()
    {
        LabelText = label,
        LineColor = color,
        LineWidth = width,
        LinePattern = pattern,
    };
}
