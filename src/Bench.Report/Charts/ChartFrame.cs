using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// The boilerplate every chart shares: a <see cref="Plot"/> in the bundled font with the house sizes, a title and
/// axis labels with units, a legend outside the data area, model names as category ticks, and saving the same
/// figure as PNG (2× pixels) and SVG (text as outlines). Chart classes only add their data.
/// </summary>
internal sealed class ChartFrame : IDisposable
{
    /// <summary>Logical width in pixels (the SVG's size; the PNG has twice as many pixels).</summary>
    public const int Width = 960;

    /// <summary>Logical height in pixels.</summary>
    public const int Height = 540;

    /// <summary>PNG pixels per logical pixel (sharp on high-density screens and in print).</summary>
    public const int PngScale = 2;

    private const float TitleSize = 18;
    private const float AxisLabelSize = 15;
    private const float TickSize = 13;
    private const float LegendSize = 13;

    /// <summary>Creates a styled plot with a title and axis labels (labels name the quantity and its unit).</summary>
    public ChartFrame(string title, string xLabel, string yLabel)
    {
        ChartFonts.EnsureRegistered();
        Title = title;
        Plot.Font.Set(ChartFonts.Family);
        Plot.Title(title, TitleSize);
        Plot.Axes.Title.Label.Font = ChartFonts.Bold;
        Plot.XLabel(xLabel, AxisLabelSize);
        Plot.YLabel(yLabel, AxisLabelSize);
        Plot.Axes.Bottom.TickLabelStyle.FontSize = TickSize;
        Plot.Axes.Left.TickLabelStyle.FontSize = TickSize;
        Plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.1);
        Plot.FigureBackground.Color = Colors.White;
        Plot.DataBackground.Color = Colors.White;
        Plot.Legend.FontName = ChartFonts.Family;
        Plot.Legend.FontSize = LegendSize;
        Plot.Legend.SymbolWidth = 30;
        Plot.Legend.ShadowColor = Colors.Transparent;
        Plot.Legend.OutlineColor = Colors.Black.WithAlpha(0.3);
    }

    /// <summary>The plot to add data to.</summary>
    public Plot Plot { get; } = new();

    /// <summary>The chart's title.</summary>
    public string Title { get; }

    /// <summary>Shows <paramref name="items"/> as the legend, to the right of the data area so it never covers data.</summary>
    public void Legend(IEnumerable<LegendItem> items)
    {
        Plot.Legend.ManualItems.Clear();
        Plot.Legend.ManualItems.AddRange(items);
        Plot.Legend.DisplayPlottableLegendItems = false;
        Plot.ShowLegend(Edge.Right);
    }

    /// <summary>Labels x = 0, 1, 2… with <paramref name="labels"/> (model names), and nothing else.</summary>
    public void CategoryTicks(IReadOnlyList<string> labels)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var i = 0; i < labels.Count; i++)
        {
            ticks.AddMajor(i, labels[i]);
        }

        Plot.Axes.Bottom.TickGenerator = ticks;
        Plot.Axes.Bottom.MajorTickStyle.Length = 0;
        Plot.Grid.XAxisStyle.IsVisible = false;
        if (labels.Count > 5)
        {
            Plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
            Plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        }
    }

    /// <summary>A note in the data area's upper-left corner (e.g. what was left out).</summary>
    public void Note(string text)
    {
        var note = Plot.Add.Annotation(text, Alignment.UpperLeft);
        note.LabelFontName = ChartFonts.Family;
        note.LabelFontSize = LegendSize - 1;
        note.LabelBackgroundColor = Colors.White.WithAlpha(0.85);
        note.LabelBorderColor = Colors.Black.WithAlpha(0.2);
        note.LabelShadowColor = Colors.Transparent;
    }

    /// <summary>Writes <c>{id}.svg</c> and <c>{id}.png</c> into <paramref name="directory"/>.</summary>
    public ChartFile Save(string directory, string id, ChartSection section, string caption)
    {
        var svgPath = Path.Combine(directory, id + ".svg");
        var pngPath = Path.Combine(directory, id + ".png");
        Plot.ScaleFactor = 1;
        var (dashes, restore) = EncodePatterns();
        try
        {
            File.WriteAllText(svgPath, SvgOutlines.Rewrite(Plot.GetSvgXml(Width, Height), id, dashes));
        }
        finally
        {
            restore();
        }

        Plot.ScaleFactor = PngScale;
        Plot.SavePng(pngPath, Width * PngScale, Height * PngScale);
        return new ChartFile(id, Title, caption, section, pngPath, svgPath);
    }

    /// <inheritdoc />
    public void Dispose() => Plot.Dispose();

    /// <summary>
    /// Skia's SVG backend cannot write dash effects (it logs "Unsupported path effect" and strokes solid), so for the
    /// SVG render every patterned line is made solid and its pattern encoded in its width: width + code/64 px, where
    /// the house widths are multiples of ½ px. <see cref="SvgOutlines"/> turns the code back into a
    /// <c>stroke-dasharray</c>. Returns the code → dash intervals map and an action that restores the patterns.
    /// </summary>
    private (IReadOnlyDictionary<int, float[]> Dashes, Action Restore) EncodePatterns()
    {
        var styles = Plot.GetPlottables().SelectMany(LineStyles)
            .Concat(Plot.Legend.ManualItems.SelectMany(i => new[] { i.LineStyle, i.OutlineStyle }))
            .Where(s => s.Width > 0 && s.Pattern.Name != LinePattern.Solid.Name && s.Pattern.Intervals is { Length: > 0 })
            .Distinct()
            .ToList();
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        var dashes = new Dictionary<int, float[]>();
        var saved = new List<(LineStyle Style, LinePattern Pattern, float Width)>();
        foreach (var style in styles)
        {
            if (!codes.TryGetValue(style.Pattern.Name, out var code))
            {
                code = codes.Count + 1;
                codes.Add(style.Pattern.Name, code);
                dashes.Add(code, style.Pattern.Intervals);
            }

            saved.Add((style, style.Pattern, style.Width));
            style.Pattern = LinePattern.Solid;
            style.Width += code / (float)SvgOutlines.PatternCodesPerPixel;
        }

        return (dashes, () =>
        {
            foreach (var (style, pattern, width) in saved)
            {
                style.Pattern = pattern;
                style.Width = width;
            }
        });
    }

    private static IEnumerable<LineStyle> LineStyles(IPlottable plottable) => plottable switch
    {
        IHasLine line => [line.LineStyle],
        ScottPlot.Plottables.BarPlot bars => bars.Bars.Select(b => b.LineStyle),
        ScottPlot.Plottables.BoxPlot boxes => boxes.Boxes.Select(b => b.LineStyle),
        _ => [],
    };
}
