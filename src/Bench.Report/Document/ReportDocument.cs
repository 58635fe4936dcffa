using Bench.Report.Charts;

namespace Bench.Report.Document;

/// <summary>
/// The report as a document, built once from a <see cref="Model.RunReport"/> by <see cref="ReportDocumentBuilder"/>:
/// a title, a header list, then sections with stable ids holding paragraphs, lists, quotes, tables and chart slots.
/// <see cref="Exporters.MarkdownExporter"/> and <see cref="Html.HtmlExporter"/> only format it, so <c>report.md</c>
/// and <c>report.html</c> carry the same text and tables, and charts are placed by section id. Text is plain
/// (<see cref="Span"/>s carry the emphasis): a model name with <c>*</c> or <c>&lt;</c> in it is text, never markup.
/// </summary>
/// <param name="Title">The page title (<c>Bench run …</c>).</param>
/// <param name="Header">Blocks before the first section (the run's metadata).</param>
/// <param name="Sections">The sections, in order.</param>
public sealed record ReportDocument(IReadOnlyList<Span> Title, IReadOnlyList<Block> Header, IReadOnlyList<Section> Sections);

/// <summary>A level-2 section.</summary>
/// <param name="Id">Stable id (the HTML anchor; charts name it through their <see cref="ChartSection"/>).</param>
/// <param name="Title">Heading text.</param>
/// <param name="Blocks">Content, in order.</param>
public sealed record Section(string Id, string Title, IReadOnlyList<Block> Blocks)
{
    /// <summary>True when the section holds only chart slots (it has no Markdown text and shows only where the HTML
    /// page has charts for it).</summary>
    public bool ChartsOnly => Blocks.All(b => b is ChartSlot);
}

/// <summary>How a run of text is shown.</summary>
public enum SpanStyle
{
    /// <summary>Plain text.</summary>
    Plain,

    /// <summary>Strong emphasis (<c>**…**</c>, <c>&lt;strong&gt;</c>).</summary>
    Strong,

    /// <summary>Code (<c>`…`</c>, <c>&lt;code&gt;</c>).</summary>
    Code,
}

/// <summary>A run of text in one style.</summary>
/// <param name="Style">The style.</param>
/// <param name="Text">The text, unescaped.</param>
public sealed record Span(SpanStyle Style, string Text)
{
    /// <summary>A link target, e.g. <c>#cost-per-1000-requests</c> (a section id of the same report) so a figure points
    /// to the table it comes from; null for no link. Markdown writes <c>[text](#id)</c>, HTML <c>&lt;a href&gt;</c>.</summary>
    public string? Href { get; init; }

    /// <summary>Plain text.</summary>
    public static implicit operator Span(string text) => new(SpanStyle.Plain, text);

    /// <summary>The link the exporters write for this span: <see cref="Href"/> when it is safe
    /// (<see cref="IsSafeHref"/>), else null — the span is then shown as plain text of its style.</summary>
    public string? SafeHref => Href is { } href && IsSafeHref(href) ? href : null;

    /// <summary>
    /// True for the only links a report may carry: a fragment of the same page (<c>#budget-plan</c>: <c>#</c>, then
    /// letters, digits, <c>-</c>, <c>_</c>, <c>.</c>) or a relative link to a file of the results folder
    /// (<c>charts/money.svg</c>, <c>summary.csv#x</c>: path segments of those characters, no scheme, no leading
    /// <c>/</c>, no <c>..</c>). Anything else — <c>javascript:</c>, <c>https://…</c>, <c>//host</c>, spaces, quotes,
    /// parentheses — is refused, so text from a run (a model name) can never become a link or markup.
    /// </summary>
    public static bool IsSafeHref(string href)
    {
        ArgumentNullException.ThrowIfNull(href);
        var hash = href.IndexOf('#', StringComparison.Ordinal);
        var path = hash < 0 ? href : href[..hash];
        var fragment = hash < 0 ? null : href[(hash + 1)..];
        if (fragment is not null && (fragment.Length == 0 || !fragment.All(IsLinkChar)))
        {
            return false;
        }

        return path.Length == 0
            ? fragment is not null
            : path.Split('/').All(segment => segment.Length > 0 && segment is not "." and not ".." && segment.All(IsLinkChar));

        static bool IsLinkChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
    }
}

/// <summary>A block of a section.</summary>
public abstract record Block;

/// <summary>A paragraph.</summary>
/// <param name="Text">Its text.</param>
public sealed record Paragraph(IReadOnlyList<Span> Text) : Block;

/// <summary>A bulleted list.</summary>
/// <param name="Items">Its items.</param>
public sealed record BulletList(IReadOnlyList<IReadOnlyList<Span>> Items) : Block;

/// <summary>A call-out (a warning the reader must not miss).</summary>
/// <param name="Text">Its text.</param>
public sealed record Quote(IReadOnlyList<Span> Text) : Block
{
    /// <summary>True for a banner repeated wherever figures appear (the simulated banner,
    /// <see cref="ReportDocumentBuilder.SimulatedBanner"/>): Markdown writes it as any call-out, HTML gives it the
    /// <c>banner</c> class, styled so it cannot be missed on screen or on paper.</summary>
    public bool Banner { get; init; }
}

/// <summary>Column alignment.</summary>
public enum Align
{
    /// <summary>Left (labels).</summary>
    Left,

    /// <summary>Right (numbers).</summary>
    Right,
}

/// <summary>A table: a header row and body rows of the same width.</summary>
/// <param name="Headers">Header cells.</param>
/// <param name="Alignments">One per column.</param>
/// <param name="Rows">Body rows, each one cell per column.</param>
public sealed record Table(IReadOnlyList<string> Headers, IReadOnlyList<Align> Alignments, IReadOnlyList<IReadOnlyList<IReadOnlyList<Span>>> Rows) : Block;

/// <summary>Where the charts of one <see cref="ChartSection"/> go (the HTML page; Markdown has no charts).</summary>
/// <param name="Charts">The chart section.</param>
public sealed record ChartSlot(ChartSection Charts) : Block;
