using System.Text.RegularExpressions;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Core.Thresholds;
using Bench.Report.Document;
using Bench.Report.Exporters;
using Bench.Report.Html;
using Bench.Report.Model;
using Bench.Report.Tests.Charts;

namespace Bench.Report.Tests.Document;

/// <summary>
/// The executive summary (issue 18, point 1): first section, written from a hand-made <see cref="BudgetPlan"/> so each
/// figure can be computed here by hand; its links resolve; the simulated banner appears exactly when a target was the
/// simulator.
/// </summary>
/// <remarks>
/// The hand-made plan, on <see cref="TestRun.Standard"/>'s cells (every request bills 100 prompt + 20 completion tokens;
/// alpha at $2 / $8 per 1M tokens, beta at $0.50 / $1):
/// a request costs alpha 100 × 2/10⁶ + 20 × 8/10⁶ = $0.00036, beta 100 × 0.5/10⁶ + 20 × 1/10⁶ = $0.00007.
/// Class "fast" (30 % of 1,000,000 = 300,000 requests): beta streaming 300,000 × 0.00007 = $21.00 (¥153.30 at 7.3),
/// runner-up alpha streaming 300,000 × 0.00036 = $108.00 (¥788.40); saving $87.00 (¥635.10), 87/108 = 80.6 %.
/// Class "bulk" (70 % = 700,000): beta non-streaming $49.00 (¥357.70), no runner-up.
/// Current setup alpha streaming on both: 108 + 700,000 × 0.00036 = 108 + 252 = $360.00 (¥2,628.00);
/// plan 21 + 49 = $70.00 (¥511.00); saving $290.00 (¥2,117.00), 290/360 = 80.6 %.
/// </remarks>
public sealed class ExecutiveSummaryTests
{
    private static readonly FxRate Cny = new("CNY", 7.3m);

    [Fact]
    public void Build_ExecutiveSummary_IsTheFirstSection_MetadataFollowsIt()
    {
        using var run = TestRun.Standard();
        var report = WithPlan(run.Report(), Plan(run.Report()));

        var document = ReportDocumentBuilder.Build(report);

        Assert.Equal(ReportDocumentBuilder.Ids.Executive, document.Sections[0].Id);
        Assert.Equal(ReportDocumentBuilder.Ids.Run, document.Sections[1].Id);
        Assert.Empty(document.Header); // the page opens with the decision
        Assert.Contains("Scenario: **test**", MarkdownExporter.Render(document).Split("## About this run")[1], StringComparison.Ordinal);
        Assert.Contains(document.Sections, s => s.Id == ReportDocumentBuilder.Ids.BudgetPlan);
    }

    [Fact]
    public void Markdown_ClassSentences_CarryThePlansFigures_Exactly()
    {
        using var run = TestRun.Standard();
        var report = WithPlan(run.Report(), Plan(run.Report()));

        var md = MarkdownExporter.Render(report);
        var summary = MarkdownSections.Of(md, "Executive summary");

        Assert.Contains("For **fast** (30 % of 1,000,000 requests a month; e2e_ms ≤ 900 ms for 95 % of requests): choose **beta-model · streaming** — [¥153.30 (USD 21.00)](#budget-plan) a month.", summary, StringComparison.Ordinal);
        Assert.Contains("- Against the current setup (alpha-model · streaming, [¥788.40 (USD 108.00)](#budget-plan) a month at this volume): this choice saves **¥635.10 (USD 87.00)** a month, 80.6 %.", summary, StringComparison.Ordinal);
        Assert.Contains("- Against the runner-up (alpha-model · streaming, [¥788.40 (USD 108.00)](#budget-plan) a month): this choice saves **¥635.10 (USD 87.00)** a month, 80.6 %.", summary, StringComparison.Ordinal);
        // Beta streaming: 1 failure (rate_limited) in 13 requests = 7.69 %; the bound is the plan's, shown as given.
        Assert.Contains("- Risk: 7.69 % of requests failed (at most 31.95 % as far as 13 requests show), all rate_limited; the endpoint rate-limited 1 attempt at this load.", summary, StringComparison.Ordinal);
        Assert.Contains("- A hand-made note.", summary, StringComparison.Ordinal);
        Assert.Contains("For **bulk** (70 % of 1,000,000 requests a month; e2e_ms ≤ 900 ms for 95 % of requests): choose **beta-model · non-streaming** — [¥357.70 (USD 49.00)](#budget-plan) a month.", summary, StringComparison.Ordinal);
        Assert.Contains("- No runner-up: no other priced option is shown to meet this class.", summary, StringComparison.Ordinal);
        Assert.Contains("**The plan as one budget**: [¥511.00 (USD 70.00)](#budget-plan) a month for 1,000,000 requests (fast: beta-model · streaming, bulk: beta-model · non-streaming). The current setup (`alpha-model:streaming`) would cost [¥2,628.00 (USD 360.00)](#budget-plan) a month on the same volume: the plan saves **¥2,117.00 (USD 290.00)** a month, 80.6 %.", summary, StringComparison.Ordinal);
        // It says which tables the figures come from.
        Assert.Contains("[Budget plan](#budget-plan)", summary, StringComparison.Ordinal);
        Assert.Contains("[Cost per 1,000 requests](#cost-per-1000-requests)", summary, StringComparison.Ordinal);
        Assert.Contains("[Monthly projection](#monthly-projection)", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_BudgetPlanTable_ListsEveryOption_InEveryCurrency_CurrentMarked()
    {
        using var run = TestRun.Standard();
        var report = WithPlan(run.Report(), Plan(run.Report()));

        var table = MarkdownSections.Of(MarkdownExporter.Render(report), "Budget plan: every option per traffic class");

        Assert.Contains("| model | mode | role | USD / month | CNY / month | USD per success (paid) | evidence |", table, StringComparison.Ordinal);
        Assert.Contains("| beta-model | streaming | choice | 21.00 | 153.30 |", table, StringComparison.Ordinal);
        Assert.Contains("| alpha-model | streaming | runner-up, current | 108.00 | 788.40 |", table, StringComparison.Ordinal);
        Assert.Contains("| beta-model | non-streaming | choice | 49.00 | 357.70 |", table, StringComparison.Ordinal);
        // The current cell is listed for bulk too, though the plan does not offer it there.
        Assert.Contains("| alpha-model | streaming | current (not shown to meet the class) | 252.00 | 1,839.60 |", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Links_PointToSectionsThatExist_InMarkdownAndHtml()
    {
        using var run = TestRun.Standard();
        run.Save();
        var report = WithPlan(run.Report(), Plan(run.Report()));
        var document = ReportDocumentBuilder.Build(report);
        var ids = document.Sections.Select(s => s.Id).ToHashSet();

        var mdLinks = Regex.Matches(MarkdownExporter.Render(document), @"\]\(#([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        var html = HtmlExporter.Render(document, report, []);
        var htmlLinks = Regex.Matches(html, "<a href=\"#([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();

        Assert.True(mdLinks.Count >= 8, $"{mdLinks.Count} links");
        Assert.All(mdLinks, id => Assert.Contains(id, ids));
        Assert.All(htmlLinks, id => Assert.Contains($"id=\"{id}\"", html, StringComparison.Ordinal));
    }

    [Fact]
    public void Links_ToAMissingSection_AreDropped()
    {
        using var run = new TestRun();
        run.Add(TestRun.Alpha, Mode.Streaming, 0, Phases.Measure, 0);
        var report = run.Report(prices: PriceCatalog.Create("none", []));
        var withPlan = WithPlan(report, new BudgetPlan([], 1_000_000, [], null, ["simulator"], []), simulated: true);

        // No price: no cost projection table; the no-class paragraph's link to it is plain text.
        var md = MarkdownExporter.Render(withPlan);

        Assert.DoesNotContain("#monthly-projection", md, StringComparison.Ordinal);
        Assert.Contains("[Cost per 1,000 requests](#cost-per-1000-requests)", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Banner_SimulatedRun_TopOfTheSummaryAndEverySectionWithFigures_StyledInHtml()
    {
        using var run = TestRun.Standard();
        run.Run.Target = "embedded simulator (http://127.0.0.1:5000), profiles calibrated to SEED-FIGURES.md";
        run.Save();
        var report = run.Report();
        Assert.True(report.Simulated);
        report = WithPlan(report, Plan(report));
        var document = ReportDocumentBuilder.Build(report);

        const string banner = "Simulated, calibrated to published figures — not a measurement of any provider.";
        foreach (var id in new[] { "executive-summary", "summary", "recommendation", "cost-per-1000-requests", "monthly-projection", "budget-plan" })
        {
            var section = document.Sections.Single(s => s.Id == id);
            var quote = Assert.IsType<Quote>(section.Blocks[0]);
            Assert.True(quote.Banner, id);
            Assert.Equal(banner, MarkdownExporter.Inline(quote.Text).Trim('*'));
        }

        Assert.Contains($"## Executive summary\n\n> **{banner}**", MarkdownExporter.Render(document), StringComparison.Ordinal);
        var html = HtmlExporter.Render(document, report, []);
        Assert.Contains($"<blockquote class=\"banner\" role=\"note\">\n<p><strong>{banner}</strong></p>", html, StringComparison.Ordinal);
        Assert.Contains("blockquote.banner", html, StringComparison.Ordinal); // styled, on screen and in print
    }

    [Fact]
    public void Banner_MixedRun_NamesTheSimulatedTargets()
    {
        using var run = TestRun.Standard();
        run.Run.Targets =
        [
            new TargetInfo { Name = "sim", BaseUrl = "embedded simulator" },
            new TargetInfo { Name = "openai", BaseUrl = "https://api.openai.com/v1" },
        ];
        var report = run.Report();

        var md = MarkdownExporter.Render(report);

        Assert.Contains("> **Simulated, calibrated to published figures — not a measurement of any provider.** Simulated target: sim; measured at a real endpoint: openai.", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Banner_RealTargetRun_HasNone()
    {
        using var run = TestRun.Standard();
        run.Run.Targets = [new TargetInfo { Name = "openai", BaseUrl = "https://api.openai.com/v1" }];
        var report = WithPlan(run.Report(), Plan(run.Report()));

        var md = MarkdownExporter.Render(report);

        Assert.False(report.Simulated);
        Assert.DoesNotContain("Simulated, calibrated", md, StringComparison.Ordinal);
        // The summary opens with the decision (after the small run's warning, a smoke test here), no banner before it.
        Assert.StartsWith("# Bench run `20250101-000000-test`\n\n## Executive summary\n\n**", md, StringComparison.Ordinal);
        Assert.StartsWith("For **fast**", MarkdownSections.Of(md, "Executive summary").Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .First(p => !p.Contains("smoke test", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void NoSloRun_Simulated_HasTheBanner_NoPlan()
    {
        using var run = TestRun.Standard();
        run.Run.Targets = [new TargetInfo { Name = "simulator", BaseUrl = "embedded simulator" }];
        var report = run.Report(slos: []);
        Assert.Null(report.Plan is { Classes.Count: > 0 } ? report.Plan : null);

        var document = ReportDocumentBuilder.Build(report);
        var md = MarkdownExporter.Render(document);

        Assert.Equal(ReportDocumentBuilder.Ids.Executive, document.Sections[0].Id);
        Assert.DoesNotContain(document.Sections, s => s.Id == ReportDocumentBuilder.Ids.BudgetPlan);
        Assert.Contains("The scenario declares no traffic class", MarkdownSections.Of(md, "Executive summary"), StringComparison.Ordinal);
        Assert.Contains("> **Simulated, calibrated to published figures — not a measurement of any provider.**", MarkdownSections.Of(md, "Summary"), StringComparison.Ordinal);
    }

    [Fact]
    public void NoSloRun_RealTarget_HasNoExecutiveSummary_HeaderStaysOnTop()
    {
        using var run = TestRun.Standard();
        var report = run.Report(slos: []);

        var document = ReportDocumentBuilder.Build(report);

        Assert.Equal(ReportDocumentBuilder.Ids.Summary, document.Sections[0].Id);
        Assert.IsType<BulletList>(Assert.Single(document.Header));
    }

    [Fact]
    public void InterruptedRun_CallOutStaysOnTop_AboveTheSummary()
    {
        using var run = TestRun.Standard();
        run.Run.EndedUtc = null;
        var report = WithPlan(run.Report(), Plan(run.Report()));

        var md = MarkdownExporter.Render(report);

        Assert.StartsWith("# Bench run `20250101-000000-test`\n\n> **This run did not finish**", md, StringComparison.Ordinal);
        Assert.True(md.IndexOf("## Executive summary", StringComparison.Ordinal) > md.IndexOf("did not finish", StringComparison.Ordinal));
    }

    [Fact]
    public void ClassWithoutChoice_SaidPlainly_PlanHasNoTotal_ProblemsShown()
    {
        using var run = TestRun.Standard();
        var report = run.Report();
        var plan = Plan(report);
        var none = plan.Classes[1] with { Options = [], Choice = null, RunnerUp = null, Risk = null, Notes = ["No option is shown to meet bulk in this run: every cell missed it."] };
        plan = plan with { Classes = [plan.Classes[0], none], Problems = ["bulk: no option is shown to meet it (every cell missed it), so the plan has no total"] };

        var summary = MarkdownSections.Of(MarkdownExporter.Render(WithPlan(report, plan)), "Executive summary");

        Assert.Contains("For **bulk** (70 % of 1,000,000 requests a month; e2e_ms ≤ 900 ms for 95 % of requests): **no option is shown to meet this class in this run** (why, per cell: [Recommendation](#recommendation)).", summary, StringComparison.Ordinal);
        Assert.Contains("- No option is shown to meet bulk in this run: every cell missed it.", summary, StringComparison.Ordinal);
        Assert.Contains("**The plan as one budget**: no total. bulk: no option is shown to meet it (every cell missed it), so the plan has no total.", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void FlatCurrentSpend_PlanSaving_AndBreakEvenInWords()
    {
        using var run = TestRun.Standard();
        var report = run.Report();
        // 12,000 USD a month against the plan's 70.00: saving 11,930.00 (¥87,089.00), 11,930 / 12,000 = 99.4 %. The lines
        // cross where 70 × V / 1,000,000 = 12,000: V = 171,428,571.4 requests, 12,000 USD (¥87,600.00) each.
        var plan = Plan(report) with { Current = new CurrentSetup("12000USD", null, 12000m, "USD", 12000m) };
        plan = plan with { BreakEven = new BreakEven(12000m * 1_000_000m / 70m, 12000m) };

        var summary = MarkdownSections.Of(MarkdownExporter.Render(WithPlan(report, plan)), "Executive summary");

        Assert.Contains("The current setup (`12000USD`, as given) costs ¥87,600.00 (USD 12,000.00) a month: the plan saves **¥87,089.00 (USD 11,930.00)** a month, 99.4 %. The plan and the current setup cost the same at 171,428,571 requests a month (¥87,600.00 (USD 12,000.00) each): below that volume the plan, whose cost grows with the traffic, is the cheaper; above it the flat current spend is.", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void RiskWords_NoFailure_SaysWhatTheSampleShows_AndATooSmallSample()
    {
        var words = MarkdownExporter.Inline(ReportDocumentBuilder.RiskWords(new Risk(64, 64, 0, 0.0457, [], 0, SloEvidence.Inconclusive, 598)));

        Assert.Equal("no failure in 64 requests: that shows at most 4.57 % fail; no rate limit was met at this load. **The sample is too small to show this class's SLO set is met**: about 598 requests without a failure or a slow answer would show it.", words);
    }

    [Fact]
    public void RiskWords_SeveralKinds_MostlyTheFirst_WithRateLimits()
    {
        var words = MarkdownExporter.Inline(ReportDocumentBuilder.RiskWords(new Risk(640, 636, 0.00625, 0.0143, [("rate_limited", 3), ("server_error", 1)], 12, SloEvidence.Shown, null)));

        // 4 of 640 failed: 0.625 %, shown to two decimals as 0.63 %.
        Assert.Equal("0.63 % of requests failed (at most 1.43 % as far as 640 requests show), mostly rate_limited (3; also server_error (1)); the endpoint rate-limited 12 attempts at this load.", words);
    }

    [Fact]
    public void Amount_ReaderCurrencyFirst_UsdBeside_UsdAloneWithoutFx()
    {
        Assert.Equal("¥12,345.67 (USD 1,691.19)", ReportDocumentBuilder.Amount(1691.1876712m, [new FxRate("CNY", 7.3m)]));
        Assert.Equal("USD 1,691.19", ReportDocumentBuilder.Amount(1691.1876712m, []));
        Assert.Equal("CHF 10.00 (USD 12.50)", ReportDocumentBuilder.Amount(12.5m, [new FxRate("CHF", 0.8m)]));
    }


    /// <summary>The plan of the remarks above, built by hand.</summary>
    internal static BudgetPlan Plan(RunReport report)
    {
        CellResult Cell(string model, Mode mode) => report.Cells.Single(c => c.Summary.Model == model && c.Summary.Mode == mode && c.Summary.Policy is null);
        PricedOption Option(string model, Mode mode, decimal requests)
        {
            var cell = Cell(model, mode);
            return new PricedOption(cell, MonthlyProjection.Price(MonthlyTokens.FromRequests(requests, 100, 20), cell.Price!), 1m);
        }

        var recommendation = report.Recommendations.Single();
        var fast = new TrafficClass(new SloSet { Name = "fast", Share = 30, MaxMs = new Dictionary<string, double> { ["e2e_ms"] = 900 } }, 300_000, 30);
        var bulk = new TrafficClass(new SloSet { Name = "bulk", Share = 70, MaxMs = new Dictionary<string, double> { ["e2e_ms"] = 900 } }, 700_000, 70);
        var betaStreaming = Option(TestRun.Beta, Mode.Streaming, 300_000);
        var alphaFast = Option(TestRun.Alpha, Mode.Streaming, 300_000);
        var betaBulk = Option(TestRun.Beta, Mode.NonStreaming, 700_000);
        var alphaBulk = Option(TestRun.Alpha, Mode.Streaming, 700_000);
        var risk = new Risk(13, 12, 1 / 13.0, 0.3195, [("rate_limited", 1)], 1, SloEvidence.Shown, null);
        return new BudgetPlan(
            [
                new ClassChoice(fast, recommendation, [betaStreaming, alphaFast], betaStreaming, alphaFast, alphaFast, risk, ["A hand-made note."]),
                new ClassChoice(bulk, recommendation, [betaBulk], betaBulk, null, alphaBulk, new Risk(12, 12, 0, 0.2209, [], 0, SloEvidence.Shown, null), []),
            ],
            1_000_000,
            [Cny],
            new CurrentSetup("alpha-model:streaming", CellSelector.TryParse("alpha-model:streaming", out var selector, out _) ? selector : null, null, null, null),
            report.SimulatedTargets,
            []);
    }

    /// <summary>The report with <paramref name="plan"/> in place of the one the run built.</summary>
    internal static RunReport WithPlan(RunReport r, BudgetPlan? plan, bool? simulated = null) => new()
    {
        Run = r.Run,
        Cells = r.Cells,
        PriceCatalog = r.PriceCatalog,
        Records = r.Records,
        Projection = r.Projection,
        Slos = r.Slos,
        Recommendations = r.Recommendations,
        Routing = r.Routing,
        CallModes = r.CallModes,
        Plan = plan,
        SimulatedTargets = simulated is true ? ["simulator"] : r.SimulatedTargets,
    };
}
