using Bench.Report.Charts;
using Bench.Report.Document;
using Bench.Report.Exporters;
using Bench.Report.Html;
using Bench.Report.Tests.Charts;

namespace Bench.Report.Tests.Document;

/// <summary><see cref="Span.Href"/>: a figure links to the table it comes from, in report.md and report.html alike;
/// only a fragment of the page or a relative file of the results folder becomes a link, anything else stays text.</summary>
public sealed class SpanLinkTests
{
    [Theory]
    [InlineData("#budget-plan", true)]
    [InlineData("#cost-per-1000-requests", true)]
    [InlineData("charts/money-per-option.svg", true)]
    [InlineData("summary.csv#cells", true)]
    [InlineData("#", false)]
    [InlineData("", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("https://example.com/", false)]
    [InlineData("//example.com/x", false)]
    [InlineData("/etc/passwd", false)]
    [InlineData("../secret.txt", false)]
    [InlineData("#a b", false)]
    [InlineData("#a\"onmouseover=\"x", false)]
    [InlineData("x.md)(y", false)]
    public void IsSafeHref_OnlyFragmentsAndRelativeFiles(string href, bool safe) => Assert.Equal(safe, Span.IsSafeHref(href));

    [Fact]
    public void Markdown_LinkedSpan_IsALink_InItsStyle_WithBracketsEscaped()
    {
        var md = MarkdownExporter.Inline(
        [
            "costs ",
            new Span(SpanStyle.Plain, "USD 1,691.19") { Href = "#budget-plan" },
            " / ",
            new Span(SpanStyle.Strong, "a]b[c") { Href = "#monthly-projection" },
            " ",
            new Span(SpanStyle.Plain, "evil") { Href = "javascript:alert(1)" },
        ]);

        Assert.Equal("costs [USD 1,691.19](#budget-plan) / [**a\\]b\\[c**](#monthly-projection) evil", md);
    }

    [Fact]
    public void Html_LinkedSpan_IsAnAnchor_UnsafeHrefIsPlainText_TextEscaped()
    {
        using var run = TestRun.Standard();
        run.Save();
        var report = run.Report();
        var document = ReportDocumentBuilder.Build(report);
        var linked = new Section("linked", "Linked",
        [
            new Paragraph(
            [
                new Span(SpanStyle.Plain, "USD <1>") { Href = "#cost-per-1000-requests" },
                " ",
                new Span(SpanStyle.Strong, "a model") { Href = "https://example.com/" },
                " ",
                new Span(SpanStyle.Code, "m") { Href = "charts/x.svg" },
            ]),
        ]);

        var html = HtmlExporter.Render(document with { Sections = [linked, .. document.Sections] }, report, []);

        Assert.Contains("<p><a href=\"#cost-per-1000-requests\">USD &lt;1&gt;</a> <strong>a model</strong> <a href=\"charts/x.svg\"><code>m</code></a></p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("example.com", html, StringComparison.Ordinal);
        Assert.Contains("id=\"cost-per-1000-requests\"", html, StringComparison.Ordinal); // the link's target exists
    }
}
