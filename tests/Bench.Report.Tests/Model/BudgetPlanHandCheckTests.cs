using Bench.Report.Tests.Document;
using Bench.Core.Records;
using Bench.Report.Model;

namespace Bench.Report.Tests.Model;

/// <summary>
/// Issue 18, point 6: "a test recomputes the summary's figures by hand from a small records file". The folder is
/// <see cref="BudgetPlanFixture"/> (four cells, round token counts, a 429, server errors, a batch job; the target at
/// list price in USD, or a relay billing ¥1 per listed $1 at a market rate of ¥7.3); every figure below is worked out by
/// hand in the comments from the records as the fixture writes them and the catalogue's prices copied here, then
/// compared with <see cref="RunReport.Plan"/> as <c>bench report DIR</c> builds it.
/// </summary>
/// <remarks>
/// <para><b>Exact.</b> Amounts whose arithmetic terminates are compared exactly (decimal). A few do not terminate (C's
/// mean tokens 29,000 / 30; anything ÷ 7.3; a percentage of 7,200): Bench's decimal and the hand's may then differ in
/// the 28th significant digit by the order of operations, so those are compared to 10⁻²⁰ USD (or percentage point),
/// far below the cent every figure is printed to.</para>
/// <para><b>Money as paid</b> (common brief): an option's monthly cost = the class's requests × the cell's mean billed
/// tokens per <i>attempted</i> request (failures without usage bill 0 tokens but count in the mean's denominator) ×
/// the price per token (batch prices for batch-api) × the target's USD paid per listed USD.</para>
/// </remarks>
public sealed class BudgetPlanHandCheckTests
{
    // Prices, USD per 1,000,000 tokens, copied from src/Bench.Core/Pricing/PriceCatalog.BuiltIn.cs:
    //   line 56: new ModelPrice("gpt-4.1", 2.00m, 0.50m, 8.00m, 1.00m, 4.00m, …)  input / cached / output / batch input / batch output
    //   line 46: new ModelPrice("deepseek-v3.2", 0.27m, null, 0.42m, null, null, …)  input / – / output
    private const decimal GptInput = 2.00m;
    private const decimal GptOutput = 8.00m;
    private const decimal GptBatchInput = 1.00m;
    private const decimal GptBatchOutput = 4.00m;
    private const decimal DeepSeekInput = 0.27m;
    private const decimal DeepSeekOutput = 0.42m;
    private const decimal PerMillion = 1_000_000m;

    // The relay: ¥1 per listed $1, market ¥7.3 = $1 → USD paid per listed USD = 1 / 7.3.
    private const decimal MarketCnyPerUsd = 7.3m;

    // Volumes: --monthly-requests 2,000,000 split by the classes' shares 50 / 30 / 20 %.
    private const decimal Monthly = 2_000_000m;
    private const decimal ChatRequests = 1_000_000m;      // 2,000,000 × 50 / 100
    private const decimal BulkRequests = 600_000m;        // 2,000,000 × 30 / 100
    private const decimal OvernightRequests = 400_000m;   // 2,000,000 × 20 / 100

    // Mean billed tokens per attempted request, from the records:
    //   A gpt-4.1 streaming:            20 attempted, 20 successes → 20,000 / 20 = 1,000 prompt, 4,000 / 20 = 200 completion
    //   B deepseek-v3.2 non-streaming:  20 attempted, 19 successes → 19,000 / 20 =   950 prompt, 3,800 / 20 = 190 completion
    //   C gpt-4.1 batch-api:            30 attempted, 29 successes → 29,000 / 30 prompt, 5,800 / 30 completion (non-terminating)
    //   D deepseek-v3.2 streaming:      20 attempted, 18 successes → 18,000 / 20 =   900 prompt, 4,500 / 20 = 225 completion
    //
    // List cost of one attempted request, USD:
    //   A: (1,000 × 2.00 + 200 × 8.00) / 1,000,000 = (2,000 + 1,600) / 1e6      = 0.0036
    //   B: (950 × 0.27 + 190 × 0.42) / 1,000,000   = (256.5 + 79.8) / 1e6       = 0.0003363
    //   C: (29,000 × 1.00 + 5,800 × 4.00) / 30 / 1,000,000 = 52,200 / 30 / 1e6  = 0.00174 (batch prices)
    //   D: (900 × 0.27 + 225 × 0.42) / 1,000,000   = (243 + 94.5) / 1e6         = 0.0003375
    private const decimal AListPerRequest = ((1_000m * GptInput) + (200m * GptOutput)) / PerMillion;
    private const decimal BListPerRequest = ((950m * DeepSeekInput) + (190m * DeepSeekOutput)) / PerMillion;
    private const decimal CListPerRequest = ((29_000m * GptBatchInput) + (5_800m * GptBatchOutput)) / 30m / PerMillion;
    private const decimal DListPerRequest = ((900m * DeepSeekInput) + (225m * DeepSeekOutput)) / PerMillion;

    // Cost of one successful request, USD (the ranking; the same order at any billing factor):
    //   B 0.0003363 × 20 / 19 = 0.000354 < D 0.0003375 × 20 / 18 = 0.000375 < C 0.00174 × 30 / 29 = 0.0018 < A 0.0036.

    // chat (1,000,000; ttft_ms ≤ 800 for 70 %): A shown (20/20 good → lower bound 0.861), D shown (18/20 → 0.717),
    // B not met (non-streaming: TTFT judged as its E2E, 3,000 ms), C not met (a batch line has no latency).
    //   choice D: 1,000,000 × 0.0003375 = 337.5 USD;  runner-up A: 1,000,000 × 0.0036 = 3,600 USD
    private const decimal ChatD = ChatRequests * DListPerRequest;
    private const decimal ChatA = ChatRequests * AListPerRequest;

    // bulk (600,000; success ≥ 70 %): A (0.861), B (19/20 → 0.784), D (0.717) shown.
    //   choice B: 600,000 × 0.0003363 = 201.78 USD;  runner-up D: 600,000 × 0.0003375 = 202.5 USD;  A: 2,160 USD
    private const decimal BulkB = BulkRequests * BListPerRequest;
    private const decimal BulkD = BulkRequests * DListPerRequest;
    private const decimal BulkA = BulkRequests * AListPerRequest;

    // overnight (400,000; success ≥ 80 %, batch within 24 h): A shown (0.861), C shown (29/30 → 0.851; its one batch
    // ended after 7,200 s = 2 h ≤ 24 h); B (0.784) and D (0.717) meet it on the point estimate only.
    //   choice C: 400,000 × 0.00174 = 696 USD (batch prices);  runner-up A: 400,000 × 0.0036 = 1,440 USD
    //   not shown but cheaper, said in a note: B 400,000 × 0.0003363 = 134.52; D 400,000 × 0.0003375 = 135
    private const decimal OvernightC = OvernightRequests * CListPerRequest;
    private const decimal OvernightA = OvernightRequests * AListPerRequest;

    // The plan: 337.5 + 201.78 + 696 = 1,235.28 USD a month.
    private const decimal PlanTotal = ChatD + BulkB + OvernightC;

    // Current = gpt-4.1:streaming (A) on every class: 3,600 + 2,160 + 1,440 = 7,200 = 2,000,000 × 0.0036.
    private const decimal CurrentTotal = ChatA + BulkA + OvernightA;

    private static void Near(decimal expected, decimal? actual, string what)
    {
        Assert.True(actual is not null, $"{what}: expected {expected}, got null");
        Assert.True(Math.Abs(expected - actual!.Value) <= 1e-20m, $"{what}: expected {expected}, got {actual}");
    }

    private static ClassChoice Class(BudgetPlan plan, string name) => Assert.Single(plan.Classes, c => c.Class.Name == name);

    private static string Cell(PricedOption? option) => option is null ? "(none)" : $"{option.Cell.Summary.Model} · {Names.Of(option.Cell.Summary.Mode)}";

    [Fact]
    public void HandArithmetic_TheConstantsAreWhatTheCommentsSay()
    {
        // The hand figures themselves, before Bench is asked anything: a typo in a constant would otherwise move both
        // sides of every comparison below.
        Assert.Equal(0.0036m, AListPerRequest);
        Assert.Equal(0.0003363m, BListPerRequest);
        Assert.Equal(0.00174m, CListPerRequest);
        Assert.Equal(0.0003375m, DListPerRequest);
        Assert.Equal((337.5m, 3_600m), (ChatD, ChatA));
        Assert.Equal((201.78m, 202.5m, 2_160m), (BulkB, BulkD, BulkA));
        Assert.Equal((696m, 1_440m), (OvernightC, OvernightA));
        Assert.Equal(1_235.28m, PlanTotal);
        Assert.Equal(7_200m, CurrentTotal);
        Assert.Equal(Monthly, ChatRequests + BulkRequests + OvernightRequests);
    }

    [Fact]
    public void Plan_EveryFigure_EqualsTheHandArithmetic()
    {
        using var folder = BudgetPlanFixture.Create();
        var (report, _) = folder.Build();

        Assert.Equal(3, report.Slos.Count); // the scenario in run.json was read (a scenario that fails to parse has no classes)
        var plan = report.Plan;
        Assert.NotNull(plan);
        Assert.Equal(Monthly, plan.MonthlyRequests);
        Assert.Equal([("chat", ChatRequests, 50m), ("bulk", BulkRequests, 30m), ("overnight", OvernightRequests, 20m)],
            plan.Classes.Select(c => (c.Class.Name, c.Class.MonthlyRequests, c.Class.SharePercent!.Value)));
        Assert.Empty(plan.Problems);
        Assert.True(plan.Complete);
        Assert.False(plan.Simulated);
        Assert.Equal("gpt-4.1:streaming", plan.Current!.Text);

        var chat = Class(plan, "chat");
        Assert.Equal(("deepseek-v3.2 · streaming", "gpt-4.1 · streaming"), (Cell(chat.Choice), Cell(chat.RunnerUp)));
        Assert.Equal(ChatD, chat.Choice!.MonthlyUsd);
        Assert.Equal(ChatA, chat.RunnerUp!.MonthlyUsd);
        Assert.Equal(ChatA, chat.Current!.MonthlyUsd);
        Assert.Equal(3_262.5m, chat.SavingVsRunnerUpUsd);   // 3,600 − 337.5
        Assert.Equal(3_262.5m, chat.SavingVsCurrentUsd);
        Assert.Equal(1m, chat.Choice.UsdPerListUsd);

        var bulk = Class(plan, "bulk");
        Assert.Equal(("deepseek-v3.2 · non-streaming", "deepseek-v3.2 · streaming"), (Cell(bulk.Choice), Cell(bulk.RunnerUp)));
        Assert.Equal(BulkB, bulk.Choice!.MonthlyUsd);
        Assert.Equal(BulkD, bulk.RunnerUp!.MonthlyUsd);
        Assert.Equal(BulkA, bulk.Current!.MonthlyUsd);
        Assert.Equal(0.72m, bulk.SavingVsRunnerUpUsd);      // 202.5 − 201.78
        Assert.Equal(1_958.22m, bulk.SavingVsCurrentUsd);   // 2,160 − 201.78
        Assert.Equal(BulkA, Assert.Single(bulk.Options, o => Cell(o) == "gpt-4.1 · streaming").MonthlyUsd);

        var overnight = Class(plan, "overnight");
        Assert.Equal(("gpt-4.1 · batch-api", "gpt-4.1 · streaming"), (Cell(overnight.Choice), Cell(overnight.RunnerUp)));
        Near(OvernightC, overnight.Choice!.MonthlyUsd, "overnight choice (29,000 / 30 tokens a request)");
        Assert.Equal(OvernightA, overnight.RunnerUp!.MonthlyUsd);
        Assert.Equal(OvernightA, overnight.Current!.MonthlyUsd);
        Assert.Equal(Bench.Core.Pricing.PriceTier.Batch, overnight.Choice.Budget.Lines[0].Cost.Tier);
        // Options: the shown, priced cells, cheapest a month first: C 696, A 1,440.
        Assert.Equal(["gpt-4.1 · batch-api", "gpt-4.1 · streaming"], overnight.Options.Select(Cell));

        Near(PlanTotal, plan.TotalUsd, "plan total");
        Assert.Equal(CurrentTotal, plan.CurrentUsd);
        Near(5_964.72m, plan.SavingUsd, "saving");          // 7,200 − 1,235.28
        // 5,964.72 / 7,200 × 100 = 82.84333…%
        Near(5_964.72m / 7_200m * 100m, plan.SavingPercent, "saving percent");
        Assert.Null(plan.BreakEven); // a current cell grows with volume as the plan does: the lines never cross
    }

    /// <summary>report.md's executive summary prints the hand figures, rounded to cents only there, in the reader's
    /// currency (--fx CNY=7.3: ¥ = USD × 7.3) with USD beside, each class's amounts linked to the budget-plan table.</summary>
    [Fact]
    public void ExecutiveSummary_ShowsTheHandFigures_LinkedToTheirTable()
    {
        using var folder = BudgetPlanFixture.Create();
        var (_, markdown) = folder.Build();
        var summary = MarkdownSections.Of(markdown, "Executive summary");

        Assert.StartsWith("## Executive summary", markdown[markdown.IndexOf("## ", StringComparison.Ordinal)..], StringComparison.Ordinal); // the first section
        Assert.DoesNotContain("Simulated, calibrated", markdown, StringComparison.Ordinal); // real endpoints: no banner

        // chat: D 337.5 USD × 7.3 = ¥2,463.75; current = runner-up = A 3,600 USD × 7.3 = ¥26,280.00;
        // saving 3,262.5 USD × 7.3 = ¥23,816.25, 3,262.5 / 3,600 = 90.625 % → "90.6 %".
        Assert.Contains("For **chat** (50 % of 2,000,000 requests a month; ttft_ms ≤ 800 ms for 70 % of requests): choose **direct · deepseek-v3.2 · streaming** — [¥2,463.75 (USD 337.50)](#budget-plan) a month.", summary, StringComparison.Ordinal);
        Assert.Contains("Against the current setup (direct · gpt-4.1 · streaming, [¥26,280.00 (USD 3,600.00)](#budget-plan) a month at this volume): this choice saves **¥23,816.25 (USD 3,262.50)** a month, 90.6 %.", summary, StringComparison.Ordinal);

        // bulk: B 201.78 × 7.3 = 1,472.994 → ¥1,472.99; runner-up D 202.5 × 7.3 = ¥1,478.25; saving 0.72 × 7.3 = 5.256 →
        // ¥5.26, 0.72 / 202.5 = 0.356 % → "0.4 %"; current A 2,160 × 7.3 = ¥15,768.00, saving 1,958.22 × 7.3 = 14,295.006
        // → ¥14,295.01, 1,958.22 / 2,160 = 90.66 % → "90.7 %".
        Assert.Contains("choose **direct · deepseek-v3.2 · non-streaming** — [¥1,472.99 (USD 201.78)](#budget-plan) a month.", summary, StringComparison.Ordinal);
        Assert.Contains("Against the runner-up (direct · deepseek-v3.2 · streaming, [¥1,478.25 (USD 202.50)](#budget-plan) a month): this choice saves **¥5.26 (USD 0.72)** a month, 0.4 %.", summary, StringComparison.Ordinal);
        Assert.Contains("[¥15,768.00 (USD 2,160.00)](#budget-plan) a month at this volume): this choice saves **¥14,295.01 (USD 1,958.22)** a month, 90.7 %.", summary, StringComparison.Ordinal);

        // overnight: C 696 × 7.3 = ¥5,080.80; A 1,440 × 7.3 = ¥10,512.00; saving 744 × 7.3 = ¥5,431.20, 744 / 1,440 = 51.67 % → "51.7 %".
        Assert.Contains("choose **direct · gpt-4.1 · batch-api** — [¥5,080.80 (USD 696.00)](#budget-plan) a month.", summary, StringComparison.Ordinal);
        Assert.Contains("[¥10,512.00 (USD 1,440.00)](#budget-plan) a month): this choice saves **¥5,431.20 (USD 744.00)** a month, 51.7 %.", summary, StringComparison.Ordinal);

        // The plan: 1,235.28 × 7.3 = 9,017.544 → ¥9,017.54; current 7,200 × 7.3 = ¥52,560.00; saving 5,964.72 × 7.3 =
        // 43,542.456 → ¥43,542.46; 82.843 % → "82.8 %".
        Assert.Contains("**The plan as one budget**: [¥9,017.54 (USD 1,235.28)](#budget-plan) a month for 2,000,000 requests", summary, StringComparison.Ordinal);
        Assert.Contains("would cost [¥52,560.00 (USD 7,200.00)](#budget-plan) a month on the same volume: the plan saves **¥43,542.46 (USD 5,964.72)** a month, 82.8 %.", summary, StringComparison.Ordinal);

        // The table the links point to is in the document, anchored so #budget-plan resolves in report.md itself, and
        // the summary says which table in words.
        Assert.Contains("## <a id=\"budget-plan\"></a>Budget plan: every option per traffic class", markdown, StringComparison.Ordinal);
        Assert.Contains("[Budget plan](#budget-plan) table", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ExecutiveSummary_FlatSpend_SavingAndBreakEvenAsWorkedOut()
    {
        // --current 10950CNY: ¥10,950.00 (USD 1,500.00) as given; saving 264.72 × 7.3 = 1,932.456 → ¥1,932.46, 17.648 %
        // → "17.6 %"; break-even 2,428,599.18… → "2,428,599 requests a month".
        using var folder = BudgetPlanFixture.Create();
        folder.Run.Report.Current = "10950CNY";
        folder.SaveRun();
        var summary = MarkdownSections.Of(folder.Build().Markdown, "Executive summary");

        Assert.Contains("The current setup (`10950CNY`, as given) costs ¥10,950.00 (USD 1,500.00) a month: the plan saves **¥1,932.46 (USD 264.72)** a month, 17.6 %.", summary, StringComparison.Ordinal);
        Assert.Contains("The plan and the current setup cost the same at 2,428,599 requests a month (¥10,950.00 (USD 1,500.00) each)", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ExecutiveSummary_Simulated_BannerFirst()
    {
        using var folder = BudgetPlanFixture.Create(simulated: true);
        var summary = MarkdownSections.Of(folder.Build().Markdown, "Executive summary");

        Assert.StartsWith("> **Simulated, calibrated to published figures — not a measurement of any provider.**", summary.TrimStart(), StringComparison.Ordinal);
    }


    [Fact]
    public void Relay_EveryAmountPaidAtOneOverSevenPointThree_SameChoices()
    {
        // The same records through a relay billing ¥1 per listed $1 at ¥7.3 = $1: every cell is paid 1 / 7.3 of its
        // list price, so every amount is the USD one ÷ 7.3 and the ranking does not change.
        //   plan 1,235.28 / 7.3 = 169.216438…; current 7,200 / 7.3 = 986.301369…; saving 5,964.72 / 7.3 = 817.084931…
        using var folder = BudgetPlanFixture.Create(relay: true);
        var plan = folder.Build().Report.Plan!;

        Assert.Equal(["deepseek-v3.2 · streaming", "deepseek-v3.2 · non-streaming", "gpt-4.1 · batch-api"], plan.Classes.Select(c => Cell(c.Choice)));
        Near(1m / MarketCnyPerUsd, plan.Classes[0].Choice!.UsdPerListUsd, "USD paid per listed USD");
        Assert.Equal(ChatRequests * DListPerRequest, plan.Classes[0].Choice!.Budget.TotalCostUsd); // listed 337.5
        Near(ChatD / MarketCnyPerUsd, plan.Classes[0].Choice!.MonthlyUsd, "chat choice paid");
        Near(BulkB / MarketCnyPerUsd, plan.Classes[1].Choice!.MonthlyUsd, "bulk choice paid");
        Near(OvernightC / MarketCnyPerUsd, plan.Classes[2].Choice!.MonthlyUsd, "overnight choice paid");
        Near(PlanTotal / MarketCnyPerUsd, plan.TotalUsd, "plan total paid");
        Near(CurrentTotal / MarketCnyPerUsd, plan.CurrentUsd, "current paid");
        Near((CurrentTotal - PlanTotal) / MarketCnyPerUsd, plan.SavingUsd, "saving paid");
        Assert.Equal(169.22m, Math.Round(plan.TotalUsd!.Value, 2));
    }

    [Fact]
    public void Risk_OfEachChoice_CountedFromTheRecords()
    {
        using var folder = BudgetPlanFixture.Create();
        var plan = folder.Build().Report.Plan!;

        // chat → D: 20 attempted, 18 successes; 1 rate limited (429), 1 server error (500): failure rate 2 / 20 = 0.1;
        // one-sided 95 % exact upper bound of 2 / 20 = 0.282619 (Clopper–Pearson: P(X ≤ 2 | p) = 0.05, by bisection).
        var d = Class(plan, "chat").Risk!;
        Assert.Equal((20L, 18L), (d.Requests, d.Successes));
        Assert.Equal(0.1, d.FailureRate, 12);
        Assert.Equal(0.282619, d.FailureRateUpper, 5);
        Assert.Equal([("rate_limited", 1L), ("server_error", 1L)], d.FailureKinds.OrderBy(k => k.Kind, StringComparer.Ordinal));
        Assert.Equal(1, d.RateLimited);

        // bulk → B: 20 attempted, 19 successes, 1 server error: 0.05, upper bound of 1 / 20 = 0.216106; no 429.
        var b = Class(plan, "bulk").Risk!;
        Assert.Equal((20L, 19L), (b.Requests, b.Successes));
        Assert.Equal(0.05, b.FailureRate, 12);
        Assert.Equal(0.216106, b.FailureRateUpper, 5);
        Assert.Equal([("server_error", 1L)], b.FailureKinds);
        Assert.Equal(0, b.RateLimited);

        // overnight → C: 30 lines, 29 successes, 1 failed line: 1 / 30, upper bound of 1 / 30 = 0.148596.
        var c = Class(plan, "overnight").Risk!;
        Assert.Equal((30L, 29L), (c.Requests, c.Successes));
        Assert.Equal(1.0 / 30, c.FailureRate, 12);
        Assert.Equal(0.148596, c.FailureRateUpper, 5);
    }

    [Fact]
    public void Overnight_CheapestCellNotShown_SaidInANote()
    {
        using var folder = BudgetPlanFixture.Create();
        var overnight = Class(folder.Build().Report.Plan!, "overnight");

        // B (400,000 × 0.0003363 = 134.52 USD) and D (400,000 × 0.0003375 = 135 USD) would cost less than C's 696, but
        // their samples (19/20, 18/20) cannot show 80 %; the note names the cheapest of them (i18-plan b3166fd), B.
        Assert.Contains(overnight.Notes, n => n.Text.Contains("deepseek-v3.2 · non-streaming", StringComparison.Ordinal) && n.Text.Contains("134.52", StringComparison.Ordinal));
    }

    [Fact]
    public void WhatIf_MonthlyRequests_EveryFigureScales()
    {
        // bench report DIR --monthly-requests 500000: a quarter of 2,000,000, so every class volume and every amount is
        // a quarter: chat 250,000, bulk 150,000, overnight 100,000; plan 1,235.28 / 4 = 308.82; current 7,200 / 4 = 1,800.
        using var folder = BudgetPlanFixture.Create();
        folder.Run.Report.MonthlyRequests = 500_000m;
        folder.SaveRun();
        var plan = folder.Build().Report.Plan!;

        Assert.Equal([250_000m, 150_000m, 100_000m], plan.Classes.Select(c => c.Class.MonthlyRequests));
        Assert.Equal(50.445m, Class(plan, "bulk").Choice!.MonthlyUsd); // 150,000 × 0.0003363
        Near(308.82m, plan.TotalUsd, "plan total at 500,000");
        Assert.Equal(1_800m, plan.CurrentUsd);
        Near(1_491.18m, plan.SavingUsd, "saving at 500,000");
    }

    [Fact]
    public void FlatSpendInCny_SavingAndBreakEven()
    {
        // --current 10950CNY with --fx CNY=7.3: 10,950 / 7.3 = 1,500 USD a month, whatever the volume.
        // Saving = 1,500 − 1,235.28 = 264.72; 264.72 / 1,500 × 100 = 17.648 %.
        // Break-even: the plan costs 1,235.28 / 2,000,000 = 0.00061764 USD a request, so it reaches the flat 1,500 at
        // 1,500 / 0.00061764 = 2,428,599.184…  requests a month.
        using var folder = BudgetPlanFixture.Create();
        folder.Run.Report.Current = "10950CNY";
        folder.SaveRun();
        var plan = folder.Build().Report.Plan!;

        Assert.Equal((10_950m, "CNY", 1_500m), (plan.Current!.MonthlySpend!.Value, plan.Current.SpendCurrency, plan.Current.MonthlySpendUsd!.Value));
        Assert.All(plan.Classes, c => Assert.Null(c.Current));
        Assert.Equal(1_500m, plan.CurrentUsd);
        Near(264.72m, plan.SavingUsd, "saving against 1,500 USD");
        Near(17.648m, plan.SavingPercent, "saving percent against 1,500 USD");
        var breakEven = plan.BreakEven;
        Assert.NotNull(breakEven);
        Assert.Equal(1_500m, breakEven.MonthlyUsd);
        Assert.True(Math.Abs((1_500m / 0.00061764m) - breakEven.MonthlyRequests) < 1e-15m, $"break-even {breakEven.MonthlyRequests}, hand {1_500m / 0.00061764m}");
        Assert.Equal(2_428_599.18m, Math.Round(breakEven.MonthlyRequests, 2));
    }

    [Fact]
    public void Simulated_TargetNamed()
    {
        using var folder = BudgetPlanFixture.Create(simulated: true);
        var plan = folder.Build().Report.Plan!;

        Assert.True(plan.Simulated);
        Assert.Equal(["direct"], plan.SimulatedTargets);
    }

    /// <summary>The common brief: "a batch-api cell is a candidate only for a class with <c>max_turnaround_h</c>". A
    /// class without it (here <c>bulk</c>, 50 %, success ≥ 80 %, no latency limit) did not say it tolerates batch hours.
    /// Shown: A (20/20 → 0.861) and C (29/30 → 0.851); B and D cannot show 80 %. So the choice is A at 1,000,000 ×
    /// 0.0036 = 3,600 USD, with no runner-up — not C at 1,000,000 × 0.00174 = 1,740.</summary>
    [Fact]
    public void BatchCell_NotACandidate_ForAClassWithoutTurnaround()
    {
        using var folder = BudgetPlanFixture.Create("""
            [
              { "name": "chat", "share": 50, "max_ms": { "ttft_ms": 800 }, "percentile": 70 },
              { "name": "bulk", "share": 50, "min_success_rate": 0.8 }
            ]
            """);
        var bulk = Class(folder.Build().Report.Plan!, "bulk");

        Assert.Equal("gpt-4.1 · streaming", Cell(bulk.Choice));
        Assert.Equal(1_000_000m * AListPerRequest, bulk.Choice!.MonthlyUsd); // 50 % of 2,000,000 × 0.0036 = 3,600
        Assert.DoesNotContain(bulk.Options, o => o.Cell.Summary.Mode == Mode.BatchApi);
    }
}
