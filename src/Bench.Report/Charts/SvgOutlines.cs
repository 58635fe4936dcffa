using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SkiaSharp;

namespace Bench.Report.Charts;

/// <summary>
/// Makes Skia's SVG output (what ScottPlot's <c>GetSvgXml</c> returns) safe to inline in a page next to other charts
/// and independent of the viewer's fonts:
/// <list type="bullet">
/// <item>every <c>&lt;text&gt;</c> becomes glyph outlines of the bundled font (each distinct glyph defined once in
/// <c>&lt;defs&gt;</c> and placed with <c>&lt;use&gt;</c>), keeping the text in an <c>aria-label</c>;</item>
/// <item>every id (Skia numbers its clip paths from 1 in each file) is prefixed, and references follow;</item>
/// <item>a <c>viewBox</c> is added so the drawing scales with its container.</item>
/// </list>
/// A text whose glyphs cannot all be found in the bundled font stays text, with its per-glyph position lists
/// repaired (Skia writes them with a trailing comma, which browsers reject).
/// </summary>
internal static partial class SvgOutlines
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly XNamespace XLink = "http://www.w3.org/1999/xlink";
    private const string FallbackFamily = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, sans-serif";

    /// <summary>Stroke widths are read in 1/64 px steps: a width of <c>w + k/64</c> (w a multiple of ½ px,
    /// 0 &lt; k &lt; 32) carries dash pattern k.</summary>
    public const int PatternCodesPerPixel = 64;

    /// <summary>Rewrites <paramref name="svg"/>; ids become <c>{idPrefix}-{id}</c>, and strokes whose width carries a
    /// code of <paramref name="dashes"/> get that <c>stroke-dasharray</c> (see <see cref="ChartFrame"/>).</summary>
    public static string Rewrite(string svg, string idPrefix, IReadOnlyDictionary<int, float[]>? dashes = null)
    {
        var document = XDocument.Parse(svg);
        var root = document.Root ?? throw new FormatException("The SVG has no root element.");
        PrefixIds(root, idPrefix);
        if (dashes is { Count: > 0 })
        {
            DecodeDashes(root, dashes);
        }

        AddViewBox(root);
        using var glyphs = new GlyphDefinitions(idPrefix);
        foreach (var text in root.Descendants(Svg + "text").ToList())
        {
            if (glyphs.Outline(text) is { } outlined)
            {
                text.ReplaceWith(outlined);
            }
            else
            {
                RepairText(text);
            }
        }

        if (glyphs.Definitions.Count > 0)
        {
            root.AddFirst(new XElement(Svg + "defs", glyphs.Definitions));
        }

        var output = new StringBuilder();
        output.Append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        output.Append(root.ToString(SaveOptions.DisableFormatting));
        output.Append('\n');
        return output.ToString();
    }

    private static void PrefixIds(XElement root, string prefix)
    {
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var element in root.DescendantsAndSelf())
        {
            if (element.Attribute("id") is { } id)
            {
                renamed[id.Value] = $"{prefix}-{id.Value}";
                id.Value = renamed[id.Value];
            }
        }

        if (renamed.Count == 0)
        {
            return;
        }

        foreach (var attribute in root.DescendantsAndSelf().SelectMany(e => e.Attributes()))
        {
            if ((attribute.Name == "href" || attribute.Name == XLink + "href") && attribute.Value.StartsWith('#')
                && renamed.TryGetValue(attribute.Value[1..], out var target))
            {
                attribute.Value = "#" + target;
            }
            else if (attribute.Value.Contains("url(#", StringComparison.Ordinal))
            {
                attribute.Value = UrlReference().Replace(attribute.Value,
                    m => renamed.TryGetValue(m.Groups[1].Value, out var to) ? $"url(#{to})" : m.Value);
            }
        }
    }

    private static void DecodeDashes(XElement root, IReadOnlyDictionary<int, float[]> dashes)
    {
        foreach (var element in root.DescendantsAndSelf())
        {
            if (Number(element.Attribute("stroke-width")) is not { } width)
            {
                continue;
            }

            var steps = width * PatternCodesPerPixel;
            var rounded = Math.Round(steps);
            var code = (int)rounded % (PatternCodesPerPixel / 2);
            if (Math.Abs(steps - rounded) > 0.01 || !dashes.TryGetValue(code, out var intervals))
            {
                continue;
            }

            element.SetAttributeValue("stroke-width", ((rounded - code) / PatternCodesPerPixel).ToString(CultureInfo.InvariantCulture));
            element.SetAttributeValue("stroke-dasharray", string.Join(' ', intervals.Select(i => i.ToString(CultureInfo.InvariantCulture))));
        }
    }

    private static void AddViewBox(XElement root)
    {
        if (root.Attribute("viewBox") is null && Number(root.Attribute("width")) is { } width && Number(root.Attribute("height")) is { } height)
        {
            root.SetAttributeValue("viewBox", string.Create(CultureInfo.InvariantCulture, $"0 0 {width} {height}"));
        }
    }

    private static void RepairText(XElement text)
    {
        foreach (var name in new[] { "x", "y" })
        {
            if (text.Attribute(name) is { } list)
            {
                list.Value = string.Join(' ', Numbers(list.Value));
            }
        }

        text.SetAttributeValue("font-family", FallbackFamily);
    }

    private static List<string> Numbers(string list) =>
        [.. list.Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)];

    private static double? Number(XAttribute? attribute) =>
        attribute is not null && double.TryParse(attribute.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlReference();

    /// <summary>Glyph outlines of one SVG document, each defined once.</summary>
    private sealed class GlyphDefinitions(string prefix) : IDisposable
    {
        private readonly Dictionary<(bool Bold, float Size, ushort Glyph), string> _ids = [];
        private readonly Dictionary<(bool Bold, float Size), SKFont> _fonts = [];

        public List<XElement> Definitions { get; } = [];

        /// <summary>The text as a group of glyph references, or null when it cannot be outlined exactly.</summary>
        public XElement? Outline(XElement text)
        {
            if (!string.Equals(text.Attribute("font-family")?.Value, ChartFonts.Regular.FamilyName, StringComparison.Ordinal))
            {
                return null;
            }

            var content = text.Value.Trim('\n', '\r', '\t');
            var xs = Numbers(text.Attribute("x")?.Value ?? "");
            var ys = Numbers(text.Attribute("y")?.Value ?? "");
            var runes = content.EnumerateRunes().ToList();
            if (runes.Count == 0 || xs.Count != runes.Count || ys.Count == 0 || Number(text.Attribute("font-size")) is not { } size)
            {
                return null;
            }

            var bold = Number(text.Attribute("font-weight")) is >= 600;
            var font = Font(bold, (float)size);
            var glyphs = new ushort[runes.Count];
            for (var i = 0; i < runes.Count; i++)
            {
                glyphs[i] = font.GetGlyph(runes[i].Value);
                if (glyphs[i] == 0 && !Rune.IsWhiteSpace(runes[i]))
                {
                    return null;
                }
            }

            var group = new XElement(Svg + "g", new XAttribute("aria-label", content));
            foreach (var attribute in text.Attributes().Where(a => a.Name.LocalName is "transform" or "fill" or "fill-opacity" or "opacity"))
            {
                group.SetAttributeValue(attribute.Name, attribute.Value);
            }

            for (var i = 0; i < glyphs.Length; i++)
            {
                if (Definition(font, bold, (float)size, glyphs[i]) is { } id)
                {
                    group.Add(new XElement(Svg + "use",
                        new XAttribute("href", "#" + id),
                        new XAttribute("x", xs[i]),
                        new XAttribute("y", ys.Count == xs.Count ? ys[i] : ys[0])));
                }
            }

            return group;
        }

        public void Dispose()
        {
            foreach (var font in _fonts.Values)
            {
                font.Dispose();
            }
        }

        private SKFont Font(bool bold, float size)
        {
            if (!_fonts.TryGetValue((bold, size), out var font))
            {
                font = new SKFont(bold ? ChartFonts.Bold : ChartFonts.Regular, size);
                _fonts.Add((bold, size), font);
            }

            return font;
        }

        /// <summary>The id of the glyph's outline (defining it on first use), or null for a glyph with no ink (space).</summary>
        private string? Definition(SKFont font, bool bold, float size, ushort glyph)
        {
            if (_ids.TryGetValue((bold, size, glyph), out var id))
            {
                return id;
            }

            using var path = font.GetGlyphPath(glyph);
            if (path is null || path.IsEmpty)
            {
                return null;
            }

            id = $"{prefix}-glyph{_ids.Count}";
            _ids.Add((bold, size, glyph), id);
            Definitions.Add(new XElement(Svg + "path", new XAttribute("id", id), new XAttribute("d", path.ToSvgPathData())));
            return id;
        }
    }
}
