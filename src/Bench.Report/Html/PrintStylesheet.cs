using Bench.Report.Pdf;

namespace Bench.Report.Html;

/// <summary>
/// The print rules added after <see cref="ReportStylesheet"/> (in <c>report.html</c>, so a browser's own print gets
/// them too, and in <c>report.pdf</c>): page numbers in the footer, colours printed as on screen (the simulated banner
/// keeps its background), figures and tables kept whole, charts at most 100 mm tall (two to a page on A4 and on Letter, scaled with their aspect
/// ratio kept), headings kept with what follows them, nothing wider or taller
/// than a page (which would spill onto a page of its own), and no break after the last element (no blank last page).
/// </summary>
/// <remarks>The page numbers are CSS margin boxes (CSS Paged Media 3, <c>@bottom-right</c>), drawn by Chromium 131
/// and later when its own header and footer are off; older browsers ignore them.</remarks>
public static class PrintStylesheet
{
    /// <summary>The CSS.</summary>
    public const string Css = """
        @page {
          @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt "DejaVu Sans", Arial, sans-serif; color: #555; }
        }
        @media print {
          html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          h1, h2, h3 { break-after: avoid; page-break-after: avoid; break-inside: avoid; }
          p, li { orphans: 3; widows: 3; }
          p:has(+ .table-wrap) { break-after: avoid; page-break-after: avoid; }
          blockquote { break-inside: avoid; page-break-inside: avoid; }
          blockquote.banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          figure.chart { break-inside: avoid; page-break-inside: avoid; }
          figure.chart { margin: 0.8em 0 1.2em; }
          figure.chart > svg { width: auto; height: auto; max-width: 100%; max-height: 100mm; margin: 0 auto; }
          td, th { overflow-wrap: break-word; }
          main > :last-child, footer > :last-child { margin-bottom: 0; }
          footer { margin-top: 1.5em; padding: 0.6em 0 0; break-inside: avoid; break-before: auto; }
        }
        """;

    /// <summary>The rule that sets the paper for a PDF: <c>@page { size: A4; }</c> or <c>letter</c>.</summary>
    public static string PageSize(PaperSize paper) => $"@page {{ size: {paper.CssSize()}; }}";

    /// <summary><paramref name="html"/> (a <c>report.html</c>) with <see cref="PageSize"/> added as a last style sheet
    /// before <c>&lt;/head&gt;</c>.</summary>
    /// <exception cref="InvalidDataException">The page has no <c>&lt;/head&gt;</c> (it is not a Bench report).</exception>
    public static string ForPrint(string html, PaperSize paper)
    {
        ArgumentNullException.ThrowIfNull(html);
        var head = html.IndexOf("</head>", StringComparison.OrdinalIgnoreCase);
        if (head < 0)
        {
            throw new InvalidDataException("The page has no </head>: it is not a report.html written by Bench.");
        }

        return string.Concat(html.AsSpan(0, head), $"<style>\n{PageSize(paper)}\n</style>\n", html.AsSpan(head));
    }
}
