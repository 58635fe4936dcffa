using System.Text.RegularExpressions;
using Bench.Report.Tests.Charts;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Bench.Report.Tests.Html;

/// <summary>
/// Opens a real <c>report.html</c> (built by <see cref="ReportBuilder.Write"/> from a hand-made results folder) in
/// headless Chromium — Debian's <c>/usr/bin/chromium</c>, installed by <c>eng/install-chromium.sh</c> before the
/// build; Playwright's own browser download is never used.
/// </summary>
public class ReportBrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    [Fact]
    public async Task ReportHtml_InChromium_RendersEveryChart_OneSummaryRowPerCell_NoErrorsNoNetwork()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run eng/install-chromium.sh (the test project's build runs it).");
        using var run = TestRun.Standard(sweep: true).Save();
        var report = ReportBuilder.Write(run.Directory, run.Run, TestRun.Prices);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ChromiumArgs });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var errors = new List<string>();
        var network = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                errors.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => errors.Add("page error: " + error);
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith("file:", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                network.Add(request.Url);
            }
        };
        Func<IRoute, Task> refuse = route =>
        {
            network.Add(route.Request.Url);
            return route.AbortAsync();
        };
        await page.RouteAsync(new Regex("^(https?|wss?)://"), refuse);

        await page.GotoAsync(new Uri(Path.Combine(run.Directory, "report.html")).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });

        var figures = page.Locator("figure[data-chart]");
        var count = await figures.CountAsync();
        Assert.Equal(Directory.GetFiles(Path.Combine(run.Directory, "charts"), "*.svg").Length, count);
        Assert.True(count >= 10, $"only {count} charts");
        for (var i = 0; i < count; i++)
        {
            var figure = figures.Nth(i);
            var id = await figure.GetAttributeAsync("data-chart");
            Assert.Equal($"chart-{id}", await figure.GetAttributeAsync("id"));
            var svg = await figure.Locator("svg").BoundingBoxAsync();
            Assert.True(svg is { Width: > 300, Height: > 150 }, $"{id}: svg box {svg?.Width}×{svg?.Height}");
            // Text is drawn as glyph outlines: the title's glyphs must have ink.
            var title = await figure.Locator("svg g[aria-label]").Last.BoundingBoxAsync();
            Assert.True(title is { Width: > 0, Height: > 0 }, $"{id}: text not rendered");
        }

        var summaryRows = await page.Locator("h2#summary ~ .table-wrap").First.Locator("tbody tr").CountAsync();
        Assert.Equal(report.Cells.Count, summaryRows);

        // Kept after the test (the results folder is deleted) so a person can look at it.
        var screenshot = Path.Combine(Path.GetTempPath(), "bench-report-tests", "report-in-chromium.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 50_000);
        output.WriteLine($"Screenshot: {screenshot}");

        // Printed on A4 (210 mm − 2 × 12 mm margins ≈ 703 CSS px), every chart and table fits the text width.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await page.SetViewportSizeAsync(703, 1000);
        var widest = await page.EvaluateAsync<double>("Math.max(...[...document.querySelectorAll('figure.chart > svg')].map(s => s.getBoundingClientRect().right))");
        Assert.InRange(widest, 300, 703);
        Assert.InRange(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), 1, 703); // tables too

        Assert.Empty(errors);
        Assert.Empty(network);
    }
}
