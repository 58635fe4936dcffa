using System.Text;
using Bench.Report.Document;
using Bench.Report.Model;

namespace Bench.Report.Exporters;

/// <summary>
/// Writes <c>report.md</c>: the <see cref="ReportDocument"/> of a run (<see cref="ReportDocumentBuilder"/>) as
/// GitHub-flavoured Markdown — headings, paragraphs, lists, call-outs and pipe tables. It only formats: every word and
/// figure comes from the document. Chart slots are left out (the charts are files beside the report, and inline in
/// <c>report.html</c>).
/// </summary>
public static class MarkdownExporter
{
    /// <summary>File name inside a results folder.</summary>
    public const string FileName = "report.md";

    /// <summary>Renders the report as Markdown.</summary>
    public static string Render(RunReport report) => Render(ReportDocumentBuilder.Build(report));

    /// <summary>Renders a document as Markdown.</summary>
    public static string Render(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var blocks = new List<string> { "# " + Inline(document.Title) };
        blocks.AddRange(document.Header.Select(Block));
        var linked = LinkedIds(document);
        foreach (var section in document.Sections.Where(s => !s.ChartsOnly))
        {
            // A section a link points to gets an explicit anchor: renderers slug a heading each their own way (and the
            // slug of "Budget plan: every option per traffic class" is not "budget-plan"), an <a id> they all honour.
            blocks.Add("## " + (linked.Contains(section.Id) ? $"<a id=\"{section.Id}\"></a>" : "") + section.Title);
            blocks.AddRange(section.Blocks.Where(b => b is not ChartSlot).Select(Block));
        }

        var md = new StringBuilder();
        foreach (var block in blocks)
        {
            md.Append(block).Append("\n\n");
        }

        // One newline at the very end, as a text file ends.
        md.Length--;
        return md.ToString();
    }

    /// <summary>The section ids an in-page link of <paramref name="document"/> points to (<c>#id</c>).</summary>
    private static HashSet<string> LinkedIds(ReportDocument document)
    {
        static IEnumerable<Span> Spans(Block block) => block switch
        {
            Paragraph p => p.Text,
            BulletList l => l.Items.SelectMany(i => i),
            Quote q => q.Text,
            Table t => t.Rows.SelectMany(r => r.SelectMany(c => c)),
            _ => [],
        };
        return document.Header.Concat(document.Sections.SelectMany(s => s.Blocks)).SelectMany(Spans)
            .Select(s => s.SafeHref).OfType<string>().Where(h => h.StartsWith('#')).Select(h => h[1..])
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Writes <c>report.md</c> into <paramref name="directory"/>; returns its path.</summary>
    public static string Write(RunReport report, string directory) => Write(ReportDocumentBuilder.Build(report), directory);

    /// <summary>Writes <paramref name="document"/> as <c>report.md</c> into <paramref name="directory"/>; returns its path.</summary>
    public static string Write(ReportDocument document, string directory)
    {
        var path = Path.Combine(directory, FileName);
        File.WriteAllText(path, Render(document));
        return path;
    }

    /// <summary>Text with its emphasis: <c>**strong**</c>, <c>`code`</c>; a span with a safe link
    /// (<see cref="Span.SafeHref"/>) as <c>[text](#id)</c>, its brackets escaped so the link text cannot end early.</summary>
    public static string Inline(IEnumerable<Span> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        return string.Concat(spans.Select(s =>
        {
            var text = s.Style switch
            {
                SpanStyle.Strong => $"**{s.Text}**",
                SpanStyle.Code => $"`{s.Text}`",
                _ => s.Text,
            };
            return s.SafeHref is { } href
                ? $"[{text.Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal)}]({href})"
                : text;
        }));
    }

    private static string Block(Block block) => block switch
    {
        Paragraph p => Inline(p.Text),
        BulletList list => string.Join("\n", list.Items.Select(item => "- " + Inline(item))),
        Quote quote => "> " + Inline(quote.Text),
        Table table => TableText(table),
        _ => throw new ArgumentException($"Unexpected block {block.GetType().Name}.", nameof(block)),
    };

    private static string TableText(Table table)
    {
        var lines = new List<string>
        {
            "| " + string.Join(" | ", table.Headers) + " |",
            "|" + string.Concat(table.Alignments.Select(a => a == Align.Right ? "---:|" : "---|")),
        };
        lines.AddRange(table.Rows.Select(row => "| " + string.Join(" | ", row.Select(cell => Cell(Inline(cell)))) + " |"));
        return string.Join("\n", lines);
    }

    /// <summary>A table cell's text: a pipe escaped and line breaks as spaces, so text from a server or a model id
    /// (error messages, <c>a|b</c>) cannot break the table.</summary>
    private static string Cell(string text) =>
        text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
}
