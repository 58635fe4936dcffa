using System.Net;
using System.Text;
using Bench.Report.Charts;
using Bench.Report.Exporters;
using Bench.Report.Model;
using Markdig;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Extensions.Tables;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Bench.Report.Html;

/// <summary>
/// Writes <c>report.html</c>: one self-contained page — the body of <c>report.md</c> rendered by Markdig (so it
/// carries exactly the same tables), with the charts inline as SVG figures in the sections they belong to. No
/// script, no external resource (a Content-Security-Policy forbids fetching any), and a print stylesheet for A4 and
/// Letter. Everything from the run (model names, errors) is HTML-escaped; raw HTML in the Markdown is not passed
/// through.
/// </summary>
public static class HtmlExporter
{
    /// <summary>File name inside a results folder.</summary>
    public const string FileName = "report.html";

    /// <summary>The Markdown pipeline: GitHub-style pipe tables and heading ids, raw HTML disabled — and nothing else.
    /// In particular not Markdig's "advanced" set: its maths extension reads a header such as
    /// <c>$ per 1k requests | $ per successful request</c> as one TeX span and merges two columns, and its autolinks
    /// would turn the embedded simulator's throw-away URL into a dead link.</summary>
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseAutoIdentifiers(AutoIdentifierOptions.GitHub)
        .DisableHtml()
        .Build();

    /// <summary>Where charts go, in order: at the end of the first section of <c>report.md</c> whose heading starts with
    /// one of the anchors (tried in order), under a new heading (null: inside that section). Latency charts follow the
    /// verdict and the streaming comparison, so the page reads summary → verdict → evidence.</summary>
    private static readonly (ChartSection Section, string[] Anchors, string? Heading, string HeadingId)[] Placement =
    [
        (ChartSection.Comparison, ["Streaming against non-streaming"], null, ""),
        (ChartSection.Distributions, ["Streaming against non-streaming", "Recommendation", "Summary"], "Latency distributions", "latency-distributions"),
        (ChartSection.OverTime, ["Streaming against non-streaming", "Recommendation", "Summary"], "Latency and throughput over the run", "over-the-run"),
        (ChartSection.Sweep, ["Sweep"], null, ""),
        (ChartSection.Cost, ["Cost"], null, ""),
    ];

    /// <summary>Where the table of contents goes (before the first section); Markdown cannot produce it, raw HTML
    /// being disabled.</summary>
    private const string ContentsMarker = "<!--contents-->\n";

    /// <summary>Renders the page for <paramref name="report"/> with <paramref name="charts"/> (whose SVG files must exist).</summary>
    public static string Render(RunReport report, IReadOnlyList<ChartFile> charts)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(charts);
        var document = Markdown.Parse(MarkdownExporter.Render(report), Pipeline);
        var body = new StringWriter();
        var renderer = new HtmlRenderer(body);
        Pipeline.Setup(renderer);
        var placed = new HashSet<ChartFile>();
        var contents = new List<(string Id, string Text)>();
        var headings = document.OfType<HeadingBlock>().Where(h => h.Level == 2).Select(Text).ToList();
        var anchors = Placement.ToDictionary(p => p.Section, p => p.Anchors
            .Select(a => headings.FirstOrDefault(h => h.StartsWith(a, StringComparison.Ordinal)))
            .FirstOrDefault(h => h is not null));
        string? section = null;

        foreach (var block in document)
        {
            if (block is HeadingBlock { Level: 2 } heading)
            {
                if (section is null)
                {
                    body.Write(ContentsMarker);
                }

                CloseSection(section, anchors, charts, placed, body, contents, before: Text(heading));
                section = Text(heading);
                contents.Add((heading.GetAttributes().Id ?? "", section));
            }

            if (block is Table)
            {
                body.Write("<div class=\"table-wrap\">\n");
                renderer.Render(block);
                body.Write("</div>\n");
            }
            else
            {
                renderer.Render(block);
            }
        }

        CloseSection(section, anchors, charts, placed, body, contents, before: null);
        renderer.Writer.Flush();
        return Page(report, body.ToString(), contents);
    }

    /// <summary>Writes <c>report.html</c> into <paramref name="directory"/>; returns its path.</summary>
    public static string Write(RunReport report, string directory, IReadOnlyList<ChartFile> charts)
    {
        var path = Path.Combine(directory, FileName);
        File.WriteAllText(path, Render(report, charts), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    /// <summary>At the end of a Markdown section: the charts anchored to it (see <see cref="Placement"/>). Charts whose
    /// section is missing from the Markdown go into a "Charts" section before "Definitions" (or at the end).</summary>
    private static void CloseSection(string? section, Dictionary<ChartSection, string?> anchors, IReadOnlyList<ChartFile> charts,
        HashSet<ChartFile> placed, StringWriter body, List<(string Id, string Text)> contents, string? before)
    {
        if (section is not null)
        {
            foreach (var (chartSection, _, heading, headingId) in Placement)
            {
                if (anchors[chartSection] != section)
                {
                    continue;
                }

                var figures = charts.Where(c => c.Section == chartSection && !placed.Contains(c)).ToList();
                if (figures.Count == 0)
                {
                    continue;
                }

                if (heading is not null)
                {
                    body.Write($"<h2 id=\"{headingId}\">{WebUtility.HtmlEncode(heading)}</h2>\n");
                    contents.Add((headingId, heading));
                }

                Figures(figures, placed, body);
            }
        }

        if (before is null || before.StartsWith("Definitions", StringComparison.Ordinal))
        {
            var rest = charts.Where(c => !placed.Contains(c)).ToList();
            if (rest.Count > 0)
            {
                body.Write("<h2 id=\"charts\">Charts</h2>\n");
                contents.Add(("charts", "Charts"));
                Figures(rest, placed, body);
            }
        }
    }

    private static void Figures(List<ChartFile> figures, HashSet<ChartFile> placed, StringWriter body)
    {
        foreach (var chart in figures)
        {
            body.Write(ChartFigure.Render(chart));
            placed.Add(chart);
        }
    }

    private static string Text(HeadingBlock heading)
    {
        var text = new StringBuilder();
        foreach (var inline in heading.Inline?.Descendants<Inline>() ?? [])
        {
            text.Append(inline switch
            {
                LiteralInline literal => literal.Content.ToString(),
                CodeInline code => code.Content,
                _ => "",
            });
        }

        return text.ToString().Trim();
    }

    private static string Page(RunReport report, string body, List<(string Id, string Text)> contents)
    {
        var e = (string text) => WebUtility.HtmlEncode(text);
        var nav = string.Concat(contents.Where(c => c.Id.Length > 0).Select(c => $"<li><a href=\"#{e(c.Id)}\">{e(c.Text)}</a></li>"));
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
            <meta name="generator" content="Bench">
            <title>Bench run {e(report.Run.RunId)}</title>
            <style>
            {ReportStylesheet.Css}
            </style>
            </head>
            <body>
            <main>
            {body.Replace(ContentsMarker, $"<nav class=\"contents\" aria-label=\"Contents\"><ul>{nav}</ul></nav>\n", StringComparison.Ordinal)}
            </main>
            <footer>Generated by Bench from <code>records.jsonl</code> and <code>run.json</code>; the same tables are in <code>report.md</code>, the charts in <code>{e(ChartBuilder.DirectoryName)}/</code> as PNG and SVG.</footer>
            </body>
            </html>

            """;
    }
}
