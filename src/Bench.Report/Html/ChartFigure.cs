using System.Net;
using System.Xml.Linq;
using Bench.Report.Charts;

namespace Bench.Report.Html;

/// <summary>
/// One chart as an HTML figure: its SVG inline (no fetch, scales with the page), a caption with the title and how to
/// read it, and the names of the PNG/SVG files beside the report. The figure carries <c>id="chart-{id}"</c> and
/// <c>data-chart="{id}"</c>.
/// </summary>
internal static class ChartFigure
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>The figure's element id.</summary>
    public static string ElementId(ChartFile chart) => "chart-" + chart.Id;

    /// <summary>Renders the figure, reading the chart's SVG file.</summary>
    /// <exception cref="FileNotFoundException">The SVG file is missing.</exception>
    public static string Render(ChartFile chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var id = ElementId(chart);
        var svg = XDocument.Load(chart.SvgPath).Root ?? throw new InvalidDataException($"{chart.SvgPath} has no root element.");
        if (svg.Name != Svg + "svg")
        {
            throw new InvalidDataException($"{chart.SvgPath} is not an SVG document.");
        }

        svg.SetAttributeValue("role", "img");
        svg.SetAttributeValue("aria-labelledby", id + "-caption");
        var e = (string text) => WebUtility.HtmlEncode(text);
        return $"""
            <figure class="chart" id="{e(id)}" data-chart="{e(chart.Id)}">
            {svg.ToString(SaveOptions.DisableFormatting)}
            <figcaption id="{e(id)}-caption"><strong>{e(chart.Title)}.</strong> {e(chart.Caption)} <span class="chart-files">Files: {e(ChartBuilder.DirectoryName)}/{e(Path.GetFileName(chart.PngPath))}, {e(ChartBuilder.DirectoryName)}/{e(Path.GetFileName(chart.SvgPath))}.</span></figcaption>
            </figure>

            """;
    }
}
