using System.Text.RegularExpressions;
using Bench.Core.Records;
using Bench.Report.Charts;
using Bench.Report.Document;
using Bench.Report.Exporters;
using Bench.Report.Html;
using Bench.Report.Tests.Charts;

namespace Bench.Report.Tests.Html;

public partial class HtmlExporterTests
{
    private static (string Html, IReadOnlyList<ChartFile> Charts, string Markdown) Render(TestRun run)
    {
        run.Save();
        var report = run.Report();
        var charts = ChartBuilder.Write(report, run.Directory);
        return (HtmlExporter.Render(report, charts), charts, MarkdownExporter.Render(report));
    }

    [Fact]
    public void Render_CarriesTheSameTablesAsReportMd()
    {
        using var run = TestRun.Standard(sweep: true);
        var (html, _, markdown) = Render(run);

        var mdRows = markdown.Split('\n').Where(l => l.StartsWith('|') && !l.StartsWith("|---", StringComparison.Ordinal) && !l.StartsWith("|--:", StringComparison.Ordinal)).ToList();
        var mdTables = markdown.Split('\n').Count(l => l.StartsWith("|---", StringComparison.Ordinal));
        Assert.Equal(mdTables, Regex.Count(html, "<table>"));
        Assert.Equal(mdRows.Count, Regex.Count(html, "<tr>"));
        Assert.Equal(mdTables, Regex.Count(html, "<div class=\"table-wrap\">"));
        Assert.Contains("<td>alpha-model</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_KeepsEveryColumn_OfHeadersWithDollarSigns()
    {
        using var run = TestRun.Standard();
        var (html, _, markdown) = Render(run);

        // The cost table's header has two "$" ("$ per 1k requests | $ per successful request"): read as a TeX span they
        // would merge two columns. Every header cell of report.md must come out as one <th>.
        var lines = markdown.Split('\n');
        var headers = lines.Zip(lines.Skip(1))
            .Where(p => p.First.StartsWith('|') && (p.Second.StartsWith("|---", StringComparison.Ordinal) || p.Second.StartsWith("|--:", StringComparison.Ordinal)))
            .Select(p => p.First.Trim().Trim('|').Split('|'))
            .ToList();
        Assert.Contains(headers, h => h.Count(cell => cell.Contains('$', StringComparison.Ordinal)) >= 2);
        var th = Regex.Matches(html, "<th[^>]*>(.*?)</th>").Select(m => System.Net.WebUtility.HtmlDecode(Regex.Replace(m.Groups[1].Value, "<[^>]+>", ""))).ToList();
        Assert.Equal(headers.SelectMany(h => h).Select(cell => cell.Trim()), th);
        Assert.DoesNotContain("class=\"math\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SweepOnlyRun_ShowsNoEmptyTable()
    {
        using var run = TestRun.Standard(sweep: true);
        run.Records.RemoveAll(r => r.Phase != Phases.Sweep);
        var (html, charts, _) = Render(run);

        var tables = Regex.Matches(html, "<table>.*?</table>", RegexOptions.Singleline).Select(m => m.Value).ToList();
        Assert.NotEmpty(tables); // the sweep's own table
        Assert.All(tables, t => Assert.Matches("<tbody>\\s*<tr>", t));
        Assert.Contains("Every measured request was a sweep probe", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">Cost per 1,000 requests</h2>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">Recommendation</h2>", html, StringComparison.Ordinal);
        Assert.Contains(charts, c => c.Id == "sweep-goodput");
    }

    [Fact]
    public void Render_EveryChart_IsAnInlineSvgFigure_WithIdDataChartAndCaption()
    {
        using var run = TestRun.Standard(sweep: true);
        var (html, charts, _) = Render(run);

        Assert.NotEmpty(charts);
        foreach (var chart in charts)
        {
            var start = html.IndexOf($"<figure class=\"chart\" id=\"chart-{chart.Id}\" data-chart=\"{chart.Id}\">", StringComparison.Ordinal);
            Assert.True(start >= 0, $"no figure for {chart.Id}");
            var end = html.IndexOf("</figure>", start, StringComparison.Ordinal);
            var figure = html[start..end];
            Assert.Contains("<svg ", figure, StringComparison.Ordinal);
            Assert.Contains($"aria-labelledby=\"chart-{chart.Id}-caption\"", figure, StringComparison.Ordinal);
            Assert.Contains($"<figcaption id=\"chart-{chart.Id}-caption\">", figure, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Render_PlacesChartsInTheirSections()
    {
        using var run = TestRun.Standard(sweep: true);
        var (html, _, _) = Render(run);

        static int At(string html, string text) => html.IndexOf(text, StringComparison.Ordinal);
        Assert.InRange(At(html, "data-chart=\"ttft-box\""), At(html, "<h2 id=\"latency-distributions\">"), At(html, "<h2 id=\"over-the-run\">"));
        Assert.InRange(At(html, "data-chart=\"throughput-over-time\""), At(html, "<h2 id=\"over-the-run\">"), int.MaxValue);
        Assert.True(At(html, "data-chart=\"streaming-vs-non-streaming\"") > At(html, ">Streaming against non-streaming</h2>"));
        Assert.True(At(html, "data-chart=\"sweep-goodput\"") > At(html, ">Sweep: "));
        Assert.True(At(html, "data-chart=\"cost-vs-latency\"") > At(html, ">Cost per 1,000 requests</h2>"));
        Assert.True(At(html, "data-chart=\"cost-vs-latency\"") < At(html, ">Definitions</h2>"));
        Assert.DoesNotContain("id=\"charts\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_IsSelfContained_NoScriptNoExternalReference()
    {
        using var run = TestRun.Standard();
        var (html, _, _) = Render(run);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.Contains("Content-Security-Policy\" content=\"default-src 'none'", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EscapesWhatTheRunRecorded()
    {
        using var run = new TestRun();
        const string evil = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        for (var i = 0; i < 3; i++)
        {
            run.Add(evil, Mode.Streaming, i * 500, Phases.Measure, i);
        }

        var (html, _, _) = Render(run);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MarkdownCharactersFromTheRun_AreText_NotMarkup()
    {
        using var run = new TestRun();
        const string name = "*star*_`tick`";
        for (var i = 0; i < 3; i++)
        {
            run.Add(name, Mode.Streaming, i * 500, Phases.Measure, i);
        }

        var (html, _, _) = Render(run);

        Assert.Contains("<td>*star*_`tick`</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<em>star</em>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ChartsAreSlottedBySectionId_AndOthersGoBeforeDefinitions()
    {
        using var run = TestRun.Standard(sweep: true);
        run.Save();
        var report = run.Report();
        var charts = ChartBuilder.Write(report, run.Directory);
        var document = ReportDocumentBuilder.Build(report);

        // Without the comparison section, its chart has no slot: it goes to a "Charts" section before the definitions.
        var html = HtmlExporter.Render(document with { Sections = [.. document.Sections.Where(s => s.Id != ReportDocumentBuilder.Ids.Comparison)] }, report, charts);

        static int At(string html, string text) => html.IndexOf(text, StringComparison.Ordinal);
        Assert.InRange(At(html, "data-chart=\"streaming-vs-non-streaming\""), At(html, "<h2 id=\"charts\">"), At(html, "<h2 id=\"definitions\">"));
        Assert.Contains("<li><a href=\"#charts\">Charts</a></li>", html, StringComparison.Ordinal);
        Assert.Equal(1, Regex.Count(html, "data-chart=\"streaming-vs-non-streaming\""));
        Assert.Equal(charts.Count, Regex.Count(html, "<figure class=\"chart\""));
    }

    [Fact]
    public void Render_AndReportMd_ComeFromOneDocument_WithTheSameSections()
    {
        using var run = TestRun.Standard(sweep: true);
        var (html, _, markdown) = Render(run);
        var document = ReportDocumentBuilder.Build(run.Report());

        foreach (var section in document.Sections.Where(s => !s.ChartsOnly))
        {
            // A section a link points to carries its anchor in report.md (<a id>), as its <h2 id> in report.html.
            Assert.Matches($"\n## (<a id=\"{Regex.Escape(section.Id)}\"></a>)?{Regex.Escape(section.Title)}\n", markdown);
            Assert.Contains($"<h2 id=\"{section.Id}\">{section.Title}</h2>", html, StringComparison.Ordinal); // titles hold nothing to escape
        }

        Assert.DoesNotContain("Latency distributions", markdown, StringComparison.Ordinal); // chart-only sections: HTML only
    }

    [Fact]
    public void Write_CreatesReportHtml()
    {
        using var run = TestRun.Standard();
        run.Save();
        var report = run.Report();

        var path = HtmlExporter.Write(report, run.Directory, ChartBuilder.Write(report, run.Directory));

        Assert.Equal(Path.Combine(run.Directory, "report.html"), path);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(path), StringComparison.Ordinal);
    }

    /// <summary>A <c>src</c>, <c>href</c> or CSS <c>url()</c> that would make the browser fetch something.</summary>
    [GeneratedRegex("""(?:src|href)\s*=\s*["']?(?:https?:|//)|url\(\s*["']?(?:https?:|//)""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
