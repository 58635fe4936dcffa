using System.Text;
using Bench.Report.Charts;
using Bench.Report.Document;
using Bench.Report.Model;

namespace Bench.Report.Html;

/// <summary>
/// Writes <c>report.html</c>: one self-contained page rendered from the run's <see cref="ReportDocument"/> — the same
/// document <c>report.md</c> is written from, so both carry the same text and tables — with the charts inline as SVG
/// figures in the sections their <see cref="ChartSlot"/>s name. No script, no external resource (a
/// Content-Security-Policy forbids fetching any), and a print stylesheet for A4 and Letter. Everything from the run
/// (model names, errors) is HTML-escaped: the document holds text, never markup.
/// </summary>
public static class HtmlExporter
{
    /// <summary>File name inside a results folder.</summary>
    public const string FileName = "report.html";

    /// <summary>Id of the section that takes charts whose section the document does not have.</summary>
    private const string ChartsId = "charts";

    /// <summary>Renders the page for <paramref name="report"/> with <paramref name="charts"/> (whose SVG files must exist).</summary>
    public static string Render(RunReport report, IReadOnlyList<ChartFile> charts) => Render(ReportDocumentBuilder.Build(report), report, charts);

    /// <summary>Renders <paramref name="document"/> (the document of <paramref name="report"/>) with <paramref name="charts"/>.</summary>
    public static string Render(ReportDocument document, RunReport report, IReadOnlyList<ChartFile> charts)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(charts);
        var slotted = document.Sections.SelectMany(s => s.Blocks.OfType<ChartSlot>()).Select(s => s.Charts).ToHashSet();
        var unslotted = charts.Where(c => !slotted.Contains(c.Section)).ToList();
        var sections = new StringBuilder();
        var contents = new List<(string Id, string Title)>();
        foreach (var section in document.Sections)
        {
            if (section.Id == ReportDocumentBuilder.Ids.Definitions)
            {
                WriteUnslotted(unslotted, sections, contents);
            }

            if (section.ChartsOnly && !section.Blocks.OfType<ChartSlot>().Any(slot => charts.Any(c => c.Section == slot.Charts)))
            {
                continue;
            }

            contents.Add((section.Id, section.Title));
            sections.Append($"<h2 id=\"{Escape(section.Id)}\">{Escape(section.Title)}</h2>\n");
            foreach (var block in section.Blocks)
            {
                if (block is ChartSlot slot)
                {
                    foreach (var chart in charts.Where(c => c.Section == slot.Charts))
                    {
                        sections.Append(ChartFigure.Render(chart));
                    }
                }
                else
                {
                    sections.Append(Block(block));
                }
            }
        }

        WriteUnslotted(unslotted, sections, contents);
        var body = new StringBuilder();
        body.Append($"<h1>{Inline(document.Title)}</h1>\n");
        foreach (var block in document.Header)
        {
            body.Append(Block(block));
        }

        body.Append("<nav class=\"contents\" aria-label=\"Contents\"><ul>")
            .AppendJoin("", contents.Select(c => $"<li><a href=\"#{Escape(c.Id)}\">{Escape(c.Title)}</a></li>"))
            .Append("</ul></nav>\n")
            .Append(sections);
        return Page(report, body.ToString());
    }

    /// <summary>Writes <c>report.html</c> into <paramref name="directory"/>; returns its path.</summary>
    public static string Write(RunReport report, string directory, IReadOnlyList<ChartFile> charts) =>
        Write(ReportDocumentBuilder.Build(report), report, directory, charts);

    /// <summary>Writes <paramref name="document"/> (the document of <paramref name="report"/>) as <c>report.html</c>
    /// into <paramref name="directory"/>; returns its path.</summary>
    public static string Write(ReportDocument document, RunReport report, string directory, IReadOnlyList<ChartFile> charts)
    {
        var path = Path.Combine(directory, FileName);
        File.WriteAllText(path, Render(document, report, charts), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    /// <summary>Charts whose section is not in the document go into a "Charts" section before "Definitions" (or at
    /// the end), once.</summary>
    private static void WriteUnslotted(List<ChartFile> unslotted, StringBuilder sections, List<(string Id, string Title)> contents)
    {
        if (unslotted.Count == 0)
        {
            return;
        }

        contents.Add((ChartsId, "Charts"));
        sections.Append($"<h2 id=\"{ChartsId}\">Charts</h2>\n");
        foreach (var chart in unslotted)
        {
            sections.Append(ChartFigure.Render(chart));
        }

        unslotted.Clear();
    }

    private static string Block(Block block) => block switch
    {
        Paragraph p => $"<p>{Inline(p.Text)}</p>\n",
        BulletList list => "<ul>\n" + string.Concat(list.Items.Select(item => $"<li>{Inline(item)}</li>\n")) + "</ul>\n",
        Quote { Banner: true } banner => $"<blockquote class=\"banner\" role=\"note\">\n<p>{Inline(banner.Text)}</p>\n</blockquote>\n",
        Quote quote => $"<blockquote>\n<p>{Inline(quote.Text)}</p>\n</blockquote>\n",
        Table table => TableHtml(table),
        _ => throw new ArgumentException($"Unexpected block {block.GetType().Name}.", nameof(block)),
    };

    private static string TableHtml(Table table)
    {
        string Cell(string tag, int column, string content) =>
            table.Alignments[column] == Align.Right ? $"<{tag} class=\"num\">{content}</{tag}>\n" : $"<{tag}>{content}</{tag}>\n";

        var html = new StringBuilder("<div class=\"table-wrap\">\n<table>\n<thead>\n<tr>\n");
        for (var i = 0; i < table.Headers.Count; i++)
        {
            html.Append(Cell("th", i, Escape(table.Headers[i])));
        }

        html.Append("</tr>\n</thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>\n");
            for (var i = 0; i < row.Count; i++)
            {
                html.Append(Cell("td", i, Inline(row[i])));
            }

            html.Append("</tr>\n");
        }

        return html.Append("</tbody>\n</table>\n</div>\n").ToString();
    }

    /// <summary>Spans as escaped text in their style; a span with a safe link (<see cref="Span.SafeHref"/>: a fragment of
    /// this page or a relative file of the results folder) inside <c>&lt;a href&gt;</c>, any other link dropped.</summary>
    private static string Inline(IEnumerable<Span> spans) => string.Concat(spans.Select(s =>
    {
        var text = s.Style switch
        {
            SpanStyle.Strong => $"<strong>{Escape(s.Text)}</strong>",
            SpanStyle.Code => $"<code>{Escape(s.Text)}</code>",
            _ => Escape(s.Text),
        };
        return s.SafeHref is { } href ? $"<a href=\"{Escape(href)}\">{text}</a>" : text;
    }));

    /// <summary>Escapes text for an element or a quoted attribute.</summary>
    private static string Escape(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);

    private static string Page(RunReport report, string body) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
        <meta name="generator" content="Bench">
        <title>Bench run {Escape(report.Run.RunId)}</title>
        <style>
        {ReportStylesheet.Css}
        {PrintStylesheet.Css}
        </style>
        </head>
        <body>
        <main>
        {body}
        </main>
        <footer>Generated by Bench from <code>records.jsonl</code> and <code>run.json</code>; the same tables are in <code>report.md</code>, the charts in <code>{Escape(ChartBuilder.DirectoryName)}/</code> as PNG and SVG.</footer>
        </body>
        </html>

        """;
}
