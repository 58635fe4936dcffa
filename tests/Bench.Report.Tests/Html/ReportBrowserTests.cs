using System.Text.Json;
using System.Text.RegularExpressions;
using Bench.Report.Charts;
using Bench.Report.Tests.Charts;
using Microsoft.Playwright;
using SkiaSharp;
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
        // Policies too, so the resilience section and its charts are on the page; a batch-api cell with its simulated
        // batch and a routing mix, so the three-modes section, the routing table and batch on the cost chart are too; 60
        // requests a cell, enough to show the SLO set, so the budget plan has options and the money charts are drawn.
        using var run = TestRun.Standard(perCell: 60, sweep: true, policies: true);
        run.AddBatch(TestRun.Alpha, lines: 12, turnaroundS: 1080, timeScale: 600);
        run.Run.Report.Mixes = ["alpha-model:streaming=30%,alpha-model:batch-api=70%"];
        // The scenario's SLO sets, which ReportBuilder reads from run.json: TestRun's (for the sweep) and a second, as
        // two traffic classes with shares, so the budget plan has a total and each class's choice is a line of its own.
        run.Run.ScenarioJson = System.Text.Json.JsonDocument.Parse("""
            { "models": ["alpha-model", "beta-model"], "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 1 } ],
              "slos": [ { "name": "fast", "max_ms": { "e2e_ms": 900 }, "share": 60 }, { "name": "any", "min_success_rate": 0.9, "share": 40 } ] }
            """).RootElement.Clone();
        run.Save();
        var report = ReportBuilder.Write(run.Directory, run.Run, ChartBuilderTests.BatchPrices());

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

        // This folder has data for every kind of chart (both modes, prices, a sweep, a policy): the page shows each of them once.
        var figures = page.Locator("figure[data-chart]");
        var count = await figures.CountAsync();
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await figures.Nth(i).GetAttributeAsync("data-chart") ?? "");
        }

        Assert.Equal(ChartBuilder.Ids.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Equal(Directory.GetFiles(Path.Combine(run.Directory, "charts"), "*.svg").Length, count);
        var alpha = ModelPalette.For(report).Of(TestRun.Alpha);
        var choice = report.Plan!.Classes[0].Choice!.Cell.Summary.Model;
        for (var i = 0; i < count; i++)
        {
            var figure = figures.Nth(i);
            var id = ids[i];
            Assert.Equal($"chart-{id}", await figure.GetAttributeAsync("id"));
            var svg = await figure.Locator("svg").BoundingBoxAsync();
            Assert.True(svg is { Width: > 300, Height: > 150 }, $"{id}: svg box {svg?.Width}×{svg?.Height}");
            // Text is drawn as glyph outlines: the title's glyphs must have ink.
            var title = await figure.Locator("svg g[aria-label]").Last.BoundingBoxAsync();
            Assert.True(title is { Width: > 0, Height: > 0 }, $"{id}: text not rendered");
            // What Chromium painted: ink on the white ground, and the first model's colour (pure or blended with white).
            // Cost against volume draws the plan in black and each class's choice in its model's colour: beta's here.
            var (model, colour) = id == CostVolumeChart.ChartId ? (choice, ModelPalette.For(report).Of(choice)) : (TestRun.Alpha, alpha);
            var (inked, modelColoured) = Paint(await figure.Locator("svg").ScreenshotAsync(), colour);
            Assert.True(inked > 0.02, $"{id}: only {inked:P1} of the chart has ink");
            Assert.True(modelColoured >= 100, $"{id}: {modelColoured} pixels in {model}'s colour");
        }

        // Every table has body rows, each row as many cells as its header, and no header cell is blank (a header
        // mis-parsed — e.g. two "$" read as one TeX span — merges two cells and leaves the last one blank).
        var tables = await page.EvaluateAsync<int[][]>(
            "[...document.querySelectorAll('main table')].map(t => [t.tHead.rows[0].cells.length, t.tBodies[0]?.rows.length ?? 0, ...[...(t.tBodies[0]?.rows ?? [])].map(r => r.cells.length)])");
        Assert.NotEmpty(tables);
        Assert.Empty(await page.EvaluateAsync<string[]>("[...document.querySelectorAll('main th')].filter(th => th.textContent.trim() === '').map(th => th.closest('table').rows[0].textContent)"));
        Assert.All(tables, t =>
        {
            Assert.True(t[1] > 0, "a table has no body rows");
            Assert.All(t[2..], cells => Assert.Equal(t[0], cells));
        });
        var summaryRows = await page.Locator("h2#summary ~ .table-wrap").First.Locator("tbody tr").CountAsync();
        Assert.Equal(report.Cells.Count, summaryRows);

        // The resilience section is there (a cell ran under a policy) and holds both resilience charts: each follows
        // its heading and comes before the next section's.
        Assert.Equal(1, await page.Locator("h2#resilience").CountAsync());
        foreach (var chart in new[] { "resilience-success", "resilience-e2e-p95" })
        {
            Assert.True(await page.EvaluateAsync<bool>(
                "id => { const h = document.querySelector('h2#resilience'); const f = document.getElementById('chart-' + id); let n = h.nextElementSibling; while (n && n.tagName !== 'H2') { if (n === f || n.contains(f)) return true; n = n.nextElementSibling; } return false; }",
                chart), $"{chart} is not in the resilience section");
        }

        // The Batch API on the page: three ways to call, the routing table, batch turnaround on the cost chart.
        Assert.Equal(1, await page.Locator("h2#three-ways-to-call").CountAsync());
        Assert.Equal(1, await page.Locator("h2#routing").CountAsync());
        Assert.Contains("18 min (simulated, 600× time scale)", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(report.Cells.Count, report.Cells.Select(c => (c.Summary.Model, c.Summary.Mode, c.Summary.Policy)).Distinct().Count());

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

    [Fact]
    public async Task ReportHtml_WithAPlan_InChromium_OpensWithTheExecutiveSummary_EveryLinkResolves_BannerShown()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run eng/install-chromium.sh (the test project's build runs it).");
        // Two traffic classes with shares, a current setup and a reader's currency, on the simulator: the page has a plan.
        using var run = TestRun.Standard();
        run.Run.Target = "embedded simulator (http://127.0.0.1:5000), profiles calibrated to SEED-FIGURES.md";
        run.Run.ScenarioJson = JsonDocument.Parse("""
            {
              "name": "test", "models": ["alpha-model", "beta-model"], "modes": ["streaming", "non-streaming"],
              "workload": [{ "type": "iterations_for_constant", "copies": 1, "iterations": 12 }],
              "slos": [
                { "name": "fast", "share": 30, "max_ms": { "e2e_ms": 900 } },
                { "name": "bulk", "share": 70, "max_ms": { "e2e_ms": 2000 } }
              ]
            }
            """).RootElement.Clone();
        run.Run.Report.Fx = ["CNY=7.3"];
        run.Run.Report.Current = "alpha-model:streaming";
        run.Save();
        var report = ReportBuilder.Write(run.Directory, run.Run, TestRun.Prices);
        Assert.NotNull(report.Plan);
        Assert.NotEmpty(report.Plan.Classes);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ChromiumArgs });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await page.GotoAsync(new Uri(Path.Combine(run.Directory, "report.html")).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });

        // The first section is the executive summary, and the first thing in it is the banner, visible.
        Assert.Equal("executive-summary", await page.Locator("main h2").First.GetAttributeAsync("id"));
        var banner = page.Locator("h2#executive-summary + blockquote.banner");
        Assert.True(await banner.IsVisibleAsync());
        Assert.Equal("Simulated, calibrated to published figures — not a measurement of any provider.", (await banner.InnerTextAsync()).Trim());
        Assert.Equal("rgb(179, 38, 30)", await banner.EvaluateAsync<string>("b => getComputedStyle(b).borderTopColor")); // styled, not a plain quote

        // Every in-page link resolves to an element of the page; the summary's money figures link to the budget plan.
        var unresolved = await page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('main a[href^=\"#\"]')].map(a => a.getAttribute('href')).filter(h => !document.getElementById(h.slice(1)))");
        Assert.Empty(unresolved);
        var summaryLinks = await page.EvaluateAsync<string[]>(
            "(() => { const out = []; let n = document.getElementById('executive-summary').nextElementSibling; while (n && n.tagName !== 'H2') { out.push(...[...n.querySelectorAll('a')].map(a => a.getAttribute('href'))); n = n.nextElementSibling; } return out; })()");
        Assert.Contains("#budget-plan", summaryLinks);
        Assert.Contains("#cost-per-1000-requests", summaryLinks);

        // Following a figure's link scrolls to its table.
        await page.Locator("h2#executive-summary ~ p a[href='#budget-plan']").First.ClickAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.getElementById('budget-plan').getBoundingClientRect().top < 100"));
    }

    /// <summary>Of a screenshot: the share of pixels that are not near-white, and how many pixels are
    /// <paramref name="model"/>'s colour laid over white at some opacity from 15 % to 100 % (fills, lines, markers).</summary>
    private static (double Inked, int ModelColoured) Paint(byte[] png, ScottPlot.Color model)
    {
        using var bitmap = SKBitmap.Decode(png) ?? throw new InvalidDataException("The screenshot is not a PNG.");
        var target = new[] { (double)model.R, model.G, model.B };
        var inked = 0;
        var coloured = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                var rgb = new[] { (double)pixel.Red, pixel.Green, pixel.Blue };
                if (rgb.Min() < 235)
                {
                    inked++;
                }

                // pixel = a·model + (1 − a)·white, channel by channel, with one opacity a for all three.
                var opacities = Enumerable.Range(0, 3).Where(c => target[c] < 200).Select(c => (255 - rgb[c]) / (255 - target[c])).ToList();
                if (opacities.Count > 0 && opacities.Min() >= 0.15 && opacities.Max() <= 1.05 && opacities.Max() - opacities.Min() <= 0.08
                    && Enumerable.Range(0, 3).All(c => target[c] < 200 || Math.Abs(rgb[c] - ((opacities.Average() * target[c]) + ((1 - opacities.Average()) * 255))) <= 12))
                {
                    coloured++;
                }
            }
        }

        return ((double)inked / (bitmap.Width * bitmap.Height), coloured);
    }
}
