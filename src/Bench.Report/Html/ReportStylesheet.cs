namespace Bench.Report.Html;

/// <summary>
/// The page's only stylesheet, inline. Light on screen and on paper: tables scroll sideways on narrow screens and
/// shrink to fit in print, rows and figures never split across pages, charts scale to the text width of A4 and
/// Letter, and nothing prints on a dark background.
/// </summary>
internal static class ReportStylesheet
{
    /// <summary>The CSS.</summary>
    public const string Css = """
        :root { color-scheme: light; --ink: #1b1b1b; --muted: #5a5a5a; --rule: #d8d8d8; --stripe: #f6f6f6; --accent: #0b5cad; }
        * { box-sizing: border-box; }
        html { background: #fff; color: var(--ink); }
        body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 8px; }
        h1 { font-size: 1.7em; margin: 0.2em 0 0.5em; }
        h2 { font-size: 1.3em; margin: 1.8em 0 0.6em; padding-bottom: 0.2em; border-bottom: 1px solid var(--rule); }
        h1 code, h2 code { font-size: 0.85em; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; background: var(--stripe); padding: 0 0.25em; border-radius: 3px; }
        a { color: var(--accent); }
        blockquote { margin: 1em 0; padding: 0.4em 1em; border-left: 4px solid #c77700; background: #fff7e8; }
        blockquote.banner { border: 2px solid #b3261e; border-left-width: 8px; background: #fdeceb; color: #5c0f0a; font-size: 1.02em; }
        blockquote.banner strong { color: #8c1d18; }
        nav.contents ul { list-style: none; margin: 0 0 1em; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3em 1.2em; font-size: 0.92em; }
        .table-wrap { overflow-x: auto; margin: 0.8em 0 1.2em; }
        table { border-collapse: collapse; font-size: 0.86em; font-variant-numeric: tabular-nums; }
        th, td { padding: 0.3em 0.6em; border-bottom: 1px solid var(--rule); vertical-align: top; }
        th { text-align: left; background: var(--stripe); border-bottom: 2px solid #bdbdbd; vertical-align: bottom; }
        th.num, td.num { text-align: right; }
        td:nth-child(-n+2) { white-space: nowrap; }
        tbody tr:nth-child(even) td { background: #fbfbfb; }
        figure.chart { margin: 1.2em 0 1.8em; padding: 0; break-inside: avoid; page-break-inside: avoid; }
        figure.chart > svg { display: block; width: 100%; max-width: 960px; height: auto; border: 1px solid var(--rule); background: #fff; }
        figcaption { max-width: 960px; margin-top: 0.45em; font-size: 0.9em; color: var(--muted); }
        figcaption strong { color: var(--ink); }
        .chart-files { white-space: nowrap; }
        footer { max-width: 1240px; margin: 2em auto 0; padding: 12px 28px 28px; font-size: 0.85em; color: var(--muted); border-top: 1px solid var(--rule); }
        @page { margin: 12mm; }
        @media print {
          html, body { background: #fff !important; color: #000; }
          body { font-size: 10pt; }
          main, footer { max-width: none; padding: 0; }
          nav.contents { display: none; }
          a { color: inherit; text-decoration: none; }
          h2 { break-after: avoid; page-break-after: avoid; }
          .table-wrap { overflow: visible; }
          table { width: 100%; font-size: 7pt; }
          th, td { padding: 0.2em 0.3em; }
          thead { display: table-header-group; }
          tr, td, th { break-inside: avoid; page-break-inside: avoid; }
          tbody tr:nth-child(even) td, th, code, blockquote { background: none !important; }
          blockquote.banner { border: 2pt solid #000 !important; border-left-width: 6pt !important; color: #000; break-inside: avoid; page-break-inside: avoid; }
          figure.chart > svg { max-width: 100%; border: none; }
          figcaption { max-width: none; color: #333; }
        }
        """;
}
