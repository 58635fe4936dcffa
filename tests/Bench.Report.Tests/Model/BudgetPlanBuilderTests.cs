using Bench.Core.Batches;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Report.Model;

namespace Bench.Report.Tests.Model;

/// <summary>The budget holder's plan (issue 18) on hand-made cells whose money is computed here by hand: every request
/// has 100 prompt and 100 completion tokens, so a request costs (100 × input + 100 × output) / 1,000,000 USD.</summary>
public class BudgetPlanBuilderTests
{
    // cheap: $1/M in and out → $0.0002 a request; batch $0.5/M → $0.0001. mid: $2/M → $0.0004. dear: $10/M → $0.002.
    private static readonly PriceCatalog Prices = PriceCatalog.Create("test", [
        new ModelPrice("cheap", 1m, null, 1m, 0.5m, 0.5m, "t"),
        new ModelPrice("mid", 2m, null, 2m, null, null, "t"),
        new ModelPrice("dear", 10m, null, 10m, 5m, 5m, "t"),
    ]);

    private static readonly SloSet Interactive = new()
    {
        Name = "interactive",
        MaxMs = new Dictionary<string, double> { ["ttft_ms"] = 500 },
        Percentile = 90,
        Share = 30m,
    };

    private static readonly SloSet Background = new()
    {
        Name = "background",
        MaxMs = new Dictionary<string, double> { ["e2e_ms"] = 5000 },
        Percentile = 90,
        MinSuccessRate = 0.9,
        MaxTurnaroundH = 24,
        Share = 70m,
    };

    /// <summary><paramref name="count"/> requests (30: enough to show 90 %, 0.9^30 &lt; 0.05), TTFT as given, E2E =
    /// TTFT + 100 ms, 100 prompt + 100 completion tokens; the first <paramref name="failures"/> fail as server errors.</summary>
    private static IEnumerable<RequestRecord> Requests(string model, double ttftMs = 100, Mode mode = Mode.Streaming, int count = 30,
        string? target = "t1", int failures = 0, Outcome failure = Outcome.ServerError) =>
        Enumerable.Range(0, count).Select(i => new RequestRecord
        {
            Target = target,
            Model = model,
            Mode = mode,
            SentMs = i * 1000,
            FirstByteMs = mode == Mode.BatchApi ? null : i * 1000 + 1,
            FirstTokenMs = mode == Mode.Streaming ? i * 1000 + ttftMs : null,
            EndMs = i * 1000 + ttftMs + 100,
            PromptTokens = 100,
            CompletionTokens = 100,
            Outcome = i < failures ? failure : Outcome.Success,
        });

    private static BatchRecord Batch(string model, long? turnaroundS) => new()
    {
        Model = model,
        Lines = 30,
        CreatedAt = 1_000,
        CompletedAt = turnaroundS is { } t ? 1_000 + t : null,
        Status = turnaroundS is null ? "in_progress" : "completed",
    };

    private static RunReport Build(IReadOnlyList<SloSet> slos, IEnumerable<RequestRecord> records, Action<ReportSettings>? settings = null,
        IReadOnlyList<BatchRecord>? batches = null, List<TargetInfo>? targets = null)
    {
        var aggregator = new RunAggregator(slos);
        foreach (var r in records)
        {
            aggregator.Add(r);
        }

        var run = new RunInfo { Targets = targets ?? [new TargetInfo { Name = "t1", BaseUrl = "https://api.example.com/v1" }] };
        settings?.Invoke(run.Report);
        return RunReport.Build(run, aggregator, new RecordsReadResult(), Prices, slos, batches: batches);
    }

    private static IEnumerable<RequestRecord> ThreeCells() =>
        [.. Requests("cheap"), .. Requests("dear"), .. Requests("cheap", mode: Mode.BatchApi)];

    [Fact]
    public void TwoClasses_CheapestShownPerClass_BatchForTheClassThatWaits_OneBudget()
    {
        var report = Build([Interactive, Background], ThreeCells(), batches: [Batch("cheap", 3_600)]);
        var plan = report.Plan!;

        // Default volume 1,000,000: interactive 30 % = 300,000, background 70 % = 700,000.
        Assert.Equal(1_000_000m, plan.MonthlyRequests);
        Assert.Equal([300_000m, 700_000m], plan.Classes.Select(c => c.Class.MonthlyRequests));
        var interactive = plan.Classes[0];
        // interactive: cheap streaming 300,000 × $0.0002 = $60; dear 300,000 × $0.002 = $600; batch cannot meet ttft.
        Assert.Equal(new CellKey("t1", "cheap", Mode.Streaming, null), interactive.Choice!.Cell.Summary.Key);
        Assert.Equal(60m, interactive.Choice.MonthlyUsd);
        Assert.Equal(600m, interactive.RunnerUp!.MonthlyUsd);
        Assert.Equal(540m, interactive.SavingVsRunnerUpUsd);
        Assert.Equal([60m, 600m], interactive.Options.Select(o => o.MonthlyUsd));
        var background = plan.Classes[1];
        // background: batch 700,000 × $0.0001 = $70 (turnaround 1 h ≤ 24 h); cheap streaming $140; dear $1,400.
        Assert.Equal(Mode.BatchApi, background.Choice!.Cell.Summary.Mode);
        Assert.Equal(70m, background.Choice.MonthlyUsd);
        Assert.Equal(140m, background.RunnerUp!.MonthlyUsd);
        Assert.Equal([70m, 140m, 1400m], background.Options.Select(o => o.MonthlyUsd));
        Assert.True(plan.Complete);
        Assert.Equal(60m + 70m, plan.TotalUsd);
        Assert.Null(plan.CurrentUsd);
        Assert.Empty(plan.Problems);
        Assert.False(plan.Simulated);
    }

    [Fact]
    public void CurrentCell_PricedOnEveryClass_SavingExact()
    {
        var report = Build([Interactive, Background], ThreeCells(), s => s.Current = "dear:streaming", [Batch("cheap", 3_600)]);
        var plan = report.Plan!;

        // dear: 300,000 × $0.002 = $600 + 700,000 × $0.002 = $1,400 → $2,000; plan $130; saving $1,870 = 93.5 %.
        Assert.Equal(600m, plan.Classes[0].Current!.MonthlyUsd);
        Assert.Equal(1400m, plan.Classes[1].Current!.MonthlyUsd);
        Assert.Equal(540m, plan.Classes[0].SavingVsCurrentUsd);
        Assert.Equal(2000m, plan.CurrentUsd);
        Assert.Equal(1870m, plan.SavingUsd);
        Assert.Equal(93.5m, plan.SavingPercent);
        Assert.Null(plan.BreakEven); // two lines through the origin never cross
        Assert.Equal("dear:streaming", plan.Current!.Text);
    }

    [Fact]
    public void CurrentCellThatDoesNotMeetAClass_IsPricedAnyway_AndSaidSo()
    {
        var report = Build([Interactive, Background], [.. ThreeCells(), .. Requests("mid", ttftMs: 900)], s => s.Current = "mid", [Batch("cheap", 3_600)]);
        var interactive = report.Plan!.Classes[0];

        // mid at 300,000 × $0.0004 = $120, though its TTFT of 900 ms misses the class.
        Assert.Equal(120m, interactive.Current!.MonthlyUsd);
        Assert.Contains(interactive.Notes, n => n.Text.StartsWith("The current setup does not meet interactive: only 0 % of requests succeeded with ttft_ms ≤ 500", StringComparison.Ordinal));
    }

    [Fact]
    public void CurrentSpend_InAnotherCurrency_ConvertedAtItsRate_WithBreakEven()
    {
        var report = Build([Interactive, Background], ThreeCells(), s =>
        {
            s.Current = "80k CNY";
            s.Fx = ["CNY-relay=1", "CNY=8"];
        }, [Batch("cheap", 3_600)]);
        var plan = report.Plan!;

        // 80,000 CNY at the CNY rate (8 per USD, not the relay's 1) = $10,000.
        Assert.Equal(80_000m, plan.Current!.MonthlySpend);
        Assert.Equal("CNY", plan.Current.SpendCurrency);
        Assert.Equal(10_000m, plan.CurrentUsd);
        Assert.Equal(10_000m - 130m, plan.SavingUsd);
        // Break-even: $130 at 1,000,000 requests grows linearly; $10,000 flat → V* = 10,000 × 1,000,000 / 130.
        Assert.Equal(10_000m * 1_000_000m / 130m, plan.BreakEven!.MonthlyRequests);
        Assert.Equal(10_000m, plan.BreakEven.MonthlyUsd);
    }

    [Fact]
    public void RelayBillingOneYuanPerDollar_RanksCheaperThanTheDirectApi()
    {
        List<TargetInfo> targets =
        [
            new() { Name = "direct", BaseUrl = "https://api.example.com/v1" },
            new() { Name = "relay", BaseUrl = "https://relay.example.cn/v1", Billing = new TargetBilling { Currency = "CNY", UnitsPerListUsd = 1m, MarketUnitsPerUsd = 7.3m } },
        ];
        var single = Interactive with { Share = null };
        var report = Build([single], [.. Requests("cheap", target: "direct"), .. Requests("mid", target: "relay")], targets: targets);

        // List: cheap $0.0002 < mid $0.0004 a request. Paid: mid at the relay is ¥0.0004 = $0.0004 / 7.3 ≈ $0.0000548.
        var r = Assert.Single(report.Recommendations);
        Assert.Equal("relay", r.Best!.Summary.Target);
        Assert.Equal(0.0004m / 7.3m, Recommendation.PaidUsdPerSuccess(r.Best));
        var choice = Assert.Single(report.Plan!.Classes);
        // One set without a share is the whole traffic: 1,000,000 × $0.0004 = $400 listed × (1 / 7.3) paid per listed
        // dollar (the rate held as a decimal of 28 significant digits: exact to 10^-25 USD).
        Assert.Equal(100m, choice.Class.SharePercent);
        Assert.Equal(400m * (1m / 7.3m), choice.Choice!.MonthlyUsd);
        Assert.Equal(54.79m, decimal.Round(choice.Choice.MonthlyUsd, 2));
        Assert.Equal(200m, choice.RunnerUp!.MonthlyUsd);
        Assert.Equal(choice.Choice.MonthlyUsd, report.Plan.TotalUsd);
        // The recommendation's words give the paid figure it ranks by: $0.0004 / 7.3 = $0.0000548 → $0.000055.
        var markdown = Bench.Report.Exporters.MarkdownExporter.Render(report);
        Assert.Contains("Choose **relay · mid · streaming**: $0.000055 per successful request as paid (CNY 1 per listed $1 at 7.3 CNY = $1)", markdown, StringComparison.Ordinal);
        Assert.Contains("Runner-up: direct · cheap · streaming: $0.000200 per successful request, ", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchCell_TurnaroundOverTheLimit_FailsWithTheReason()
    {
        var report = Build([Interactive, Background], ThreeCells(), batches: [Batch("cheap", 94_000)]);
        var background = report.Recommendations[1];

        // 94,000 s = 26.11 h > 24 h.
        var (cell, why) = Assert.Single(background.Failed, f => f.Cell.Summary.Mode == Mode.BatchApi);
        Assert.Equal("turnaround 26.111 h > 24 h", why);
        Assert.Equal(Mode.Streaming, report.Plan!.Classes[1].Choice!.Cell.Summary.Mode);
        Assert.Equal(140m, report.Plan.Classes[1].Choice!.MonthlyUsd);
    }

    [Fact]
    public void BatchCell_StillRunning_FailsWithTheReason()
    {
        var report = Build([Interactive, Background], ThreeCells(), batches: [Batch("cheap", null)]);

        var (_, why) = Assert.Single(report.Recommendations[1].Failed, f => f.Cell.Summary.Mode == Mode.BatchApi);
        Assert.Equal("1 batch still running (no turnaround yet)", why);
    }

    [Fact]
    public void BatchCell_SuccessRateBelowTheClass_Fails_AndWithoutTurnaroundLimit_IsNoCandidate()
    {
        // 5 of 30 batch lines failed: 83.3 % < 90 %.
        var report = Build([Interactive, Background], [.. Requests("cheap"), .. Requests("cheap", mode: Mode.BatchApi, failures: 5)], batches: [Batch("cheap", 60)]);
        Assert.Equal("success rate 83.33 % is below 90 %", Assert.Single(report.Recommendations[1].Failed, f => f.Cell.Summary.Mode == Mode.BatchApi).Why);

        var noTurnaround = Background with { MaxTurnaroundH = null };
        var plain = Build([Interactive, noTurnaround], ThreeCells(), batches: [Batch("cheap", 60)]);
        Assert.Equal("answers in a batch's turnaround (hours); the class sets no max_turnaround_h", Assert.Single(plain.Recommendations[1].Failed, f => f.Cell.Summary.Mode == Mode.BatchApi).Why);
    }

    [Fact]
    public void OwnVolumes_KeptWithoutTheFlag_RescaledWithIt()
    {
        var a = Interactive with { Share = null, MonthlyRequests = 100_000m };
        var b = Background with { Share = null, MonthlyRequests = 300_000m };
        var kept = Build([a, b], ThreeCells(), batches: [Batch("cheap", 60)]).Plan!;

        // Own volumes: 100,000 + 300,000 = 400,000; shares 25 % and 75 %.
        Assert.Equal(400_000m, kept.MonthlyRequests);
        Assert.Equal([25m, 75m], kept.Classes.Select(c => c.Class.SharePercent!.Value));
        // 100,000 × $0.0002 = $20; 300,000 × $0.0001 = $30.
        Assert.Equal(50m, kept.TotalUsd);

        // --monthly-requests 2,000,000 given: 100,000 × 2,000,000 / 400,000 = 500,000 and 1,500,000.
        var rescaled = Build([a, b], ThreeCells(), s =>
        {
            s.MonthlyRequests = 2_000_000m;
            s.MonthlyRequestsGiven = true;
        }, [Batch("cheap", 60)]).Plan!;
        Assert.Equal([500_000m, 1_500_000m], rescaled.Classes.Select(c => c.Class.MonthlyRequests));
        Assert.Equal(2_000_000m, rescaled.MonthlyRequests);
        Assert.Equal(500_000m * 0.0002m + 1_500_000m * 0.0001m, rescaled.TotalUsd);
    }

    [Fact]
    public void Shares_TotalScalesExactlyWithTheVolume()
    {
        var one = Build([Interactive, Background], ThreeCells(), s => s.MonthlyRequests = 123_457m, [Batch("cheap", 60)]).Plan!;
        var two = Build([Interactive, Background], ThreeCells(), s => s.MonthlyRequests = 246_914m, [Batch("cheap", 60)]).Plan!;

        // 30 % × 123,457 × $0.0002 + 70 % × 123,457 × $0.0001.
        Assert.Equal(0.3m * 123_457m * 0.0002m + 0.7m * 123_457m * 0.0001m, one.TotalUsd);
        Assert.Equal(2 * one.TotalUsd, two.TotalUsd);
    }

    [Fact]
    public void SeveralSetsWithoutSharesOrVolumes_EachAtTheWholeVolume_NoTotal_ProblemSaid()
    {
        var plan = Build([Interactive with { Share = null }, Background with { Share = null }], ThreeCells(), batches: [Batch("cheap", 60)]).Plan!;

        Assert.All(plan.Classes, c => Assert.Equal(1_000_000m, c.Class.MonthlyRequests));
        Assert.All(plan.Classes, c => Assert.Null(c.Class.SharePercent));
        Assert.Equal(200m, plan.Classes[0].Choice!.MonthlyUsd);
        Assert.False(plan.Complete);
        Assert.Null(plan.TotalUsd);
        Assert.Contains("give no share or monthly_requests", Assert.Single(plan.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void NoSloSets_NoPlan_LikeAnOldRunJson()
    {
        var report = Build([], Requests("cheap"));

        Assert.Null(report.Plan);
    }

    [Fact]
    public void NoCellMeetsAClass_SaidInNotesAndProblems_NoTotal()
    {
        var report = Build([Interactive, Background], [.. Requests("cheap", ttftMs: 900), .. Requests("dear", ttftMs: 900)]);
        var plan = report.Plan!;

        Assert.Null(plan.Classes[0].Choice);
        Assert.Null(plan.Classes[0].Risk);
        Assert.Contains("No option is shown to meet interactive in this run: no measured cell meets it.", plan.Classes[0].Notes);
        Assert.False(plan.Complete);
        Assert.Null(plan.TotalUsd);
        Assert.Contains(plan.Problems, p => p.StartsWith("interactive: no option is shown to meet it", StringComparison.Ordinal));
    }

    [Fact]
    public void SmallSample_CheaperCellNotShown_SaidWithTheRequestsNeeded()
    {
        // cheap: 10 requests meet the TTFT on the point but cannot show 90 % (0.9^10 > 0.05); dear: 30 show it.
        var report = Build([Interactive with { Share = null }], [.. Requests("cheap", count: 10), .. Requests("dear")]);
        var choice = report.Plan!.Classes[0];

        Assert.Equal("dear", choice.Choice!.Cell.Summary.Model);
        // ⌈ln 0.05 / ln 0.9⌉ = 29 failure-free requests show 90 %.
        Assert.Contains("t1 · cheap · streaming would cost 200.00 USD a month, less than the choice, and meets interactive on this sample's point estimate, but 10 requests are too few to show it; about 29 requests with no more misses than now would.", choice.Notes.Select(n => n.Text));
    }

    [Fact]
    public void Risk_FailureRateWithItsUpperBound_KindsAndRateLimits()
    {
        var loose = new SloSet { Name = "any", MinSuccessRate = 0.5 };
        var report = Build([loose], Requests("cheap", count: 100, failures: 3, failure: Outcome.RateLimited));
        var risk = report.Plan!.Classes[0].Risk!;

        Assert.Equal(100, risk.Requests);
        Assert.Equal(97, risk.Successes);
        Assert.Equal(0.03, risk.FailureRate, 12);
        // One-sided 95 % exact upper bound of 3 / 100 (Clopper–Pearson): 0.0757…
        Assert.InRange(risk.FailureRateUpper, 0.0757, 0.0758);
        Assert.Equal(("rate_limited", 3L), Assert.Single(risk.FailureKinds));
        Assert.Equal(3, risk.RateLimited);
        Assert.Equal(SloEvidence.Shown, risk.Evidence);
    }

    [Fact]
    public void TieThatNothingBreaks_IsANote()
    {
        // Two models at one price with identical records: their cost intervals are one point each and overlap.
        var twins = PriceCatalog.Create("twins", [new ModelPrice("a", 1m, null, 1m, null, null, "t"), new ModelPrice("b", 1m, null, 1m, null, null, "t")]);
        var slo = Interactive with { Share = null };
        var aggregator = new RunAggregator([slo]);
        foreach (var r in Requests("a").Concat(Requests("b")))
        {
            aggregator.Add(r);
        }

        var report = RunReport.Build(new RunInfo(), aggregator, new RecordsReadResult(), twins, [slo]);
        var choice = report.Plan!.Classes[0];

        Assert.Equal(TieBreak.None, report.Recommendations[0].Tie!.By);
        Assert.Contains(choice.Notes, n => n.Text.Contains("cost the same per successful request within this sample's noise", StringComparison.Ordinal));
        Assert.Equal(choice.Choice!.MonthlyUsd, choice.RunnerUp!.MonthlyUsd);
    }

    [Fact]
    public void SimulatedTargets_FromRunJson()
    {
        List<TargetInfo> targets = [new() { Name = "t1", BaseUrl = "embedded simulator" }];
        var plan = Build([Interactive with { Share = null }], Requests("cheap"), targets: targets).Plan!;

        Assert.True(plan.Simulated);
        Assert.Equal(["t1"], plan.SimulatedTargets);
        var old = new RunInfo { Target = "embedded simulator (http://127.0.0.1:5000)" };
        Assert.Equal(["simulator"], BudgetPlanBuilder.SimulatedTargets(old, []));
        Assert.Empty(BudgetPlanBuilder.SimulatedTargets(new RunInfo { Target = "https://api.openai.com/v1" }, []));
    }

    [Theory]
    [InlineData("12000", 12000, "USD", 12000)]
    [InlineData("12,000USD", 12000, "USD", 12000)]
    [InlineData("12k USD", 12000, "USD", 12000)]
    [InlineData("1.5M", 1500000, "USD", 1500000)]
    [InlineData("73000 cny", 73000, "CNY", 10000)]
    public void CurrentSetup_Spend(string text, double amount, string currency, double usd)
    {
        Assert.True(CurrentSetup.TryParse(text, [new FxRate("CNY", 7.3m)], out var setup, out var error), error);
        Assert.Null(setup.Selector);
        Assert.Equal((decimal)amount, setup.MonthlySpend);
        Assert.Equal(currency, setup.SpendCurrency);
        Assert.Equal((decimal)usd, setup.MonthlySpendUsd);
    }

    [Fact]
    public void CurrentSetup_SpendWithoutItsRate_AndBadSelector_AreRefusedWithTheFix()
    {
        Assert.False(CurrentSetup.TryParse("80000CNY", [], out _, out var error));
        Assert.Equal("--current 80000CNY: a spend in CNY needs its exchange rate; add --fx CNY=UNITS_PER_USD (e.g. --fx CNY=7.3).", error);
        Assert.False(CurrentSetup.TryParse("gpt-4.1@", [], out _, out error));
        Assert.StartsWith("--current gpt-4.1@: neither a monthly spend", error, StringComparison.Ordinal);
    }

    [Fact]
    public void CurrentSetup_Selector_PrefersTheCellWithoutPolicy_RefusesSeveral()
    {
        Assert.True(CurrentSetup.TryParse("gpt-4.1:streaming", [], out var setup, out _));
        CellKey plain = new("a", "gpt-4.1", Mode.Streaming, null), retry = new("a", "gpt-4.1", Mode.Streaming, "retry"), other = new("b", "gpt-4.1", Mode.Streaming, null);

        Assert.True(setup.MatchCell([plain, retry], out var cell, out _));
        Assert.Equal(plain, cell);
        Assert.False(setup.MatchCell([plain, retry, other], out _, out var error));
        Assert.Contains("matches 2 cells", error, StringComparison.Ordinal);
        Assert.False(setup.MatchCell([new CellKey("a", "o3", Mode.Streaming, null)], out _, out error));
        Assert.Contains("matches no cell", error, StringComparison.Ordinal);
    }
}
