using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Report.Model;
using Bench.Report.Tests.Charts;

namespace Bench.Report.Tests.Model;

/// <summary>
/// Issue 15, point 5: the monthly projection, the budget plan's options and <c>--mix</c> budgets use each cell's
/// measured mix of uncached, cached (cache-read), cache-write and output tokens per attempted request. Cache writes
/// were left out of <see cref="Projection"/>'s volume before (priced as uncached input): these figures are worked out
/// by hand from the records below.
/// </summary>
public sealed class MeasuredMixProjectionTests
{
    // USD per 1,000,000 tokens (Anthropic-like: cached read 0.1 × input, 5-minute cache write 1.25 × input).
    private const decimal Input = 3m;
    private const decimal Cached = 0.3m;
    private const decimal CacheWrite = 3.75m;
    private const decimal Output = 15m;
    private const decimal Monthly = 1_000_000m;

    internal static readonly PriceCatalog Prices = PriceCatalog.Create("hand prices",
        [new ModelPrice(TestRun.Alpha, Input, Cached, Output, null, null, "hand", usdPerMillionCacheWriteInputTokens: CacheWrite)]);

    // The cell (alpha, streaming), 5 attempted requests:
    //   #0  prompt 1,000: 800 written to the cache, 200 uncached; completion 100
    //   #1–#3 prompt 1,000: 800 read from the cache, 200 uncached; completion 100
    //   #4  a 429 without usage (bills nothing, counts in the per-attempted-request mean)
    // Totals: prompt 4,000 = uncached 800 + cached 2,400 + cache write 800; completion 400.
    // Per attempted request (÷ 5): uncached 160, cached 480, cache write 160, output 80.
    // At 1,000,000 requests a month:
    //   uncached    160 × 1e6 × 3.00 / 1e6 =   480 USD
    //   cached      480 × 1e6 × 0.30 / 1e6 =   144 USD
    //   cache write 160 × 1e6 × 3.75 / 1e6 =   600 USD
    //   output       80 × 1e6 × 15   / 1e6 = 1,200 USD
    //   total                               = 2,424 USD  (before the fix: writes at input, 320 × 3 = 960 + 144 + 1,200 = 2,304)
    private const decimal Total = 2_424m;

    internal static CellResult Cell(string? target = null) => Run(target).Report(Prices).Cells.Single();

    /// <summary>The records above (not saved; the caller disposes).</summary>
    internal static TestRun Run(string? target = null)
    {
        var run = new TestRun();
        for (var i = 0; i < 4; i++)
        {
            var r = run.Add(TestRun.Alpha, Mode.Streaming, i * 1000, Phases.Measure, i);
            r.PromptTokens = 1_000;
            r.CompletionTokens = 100;
            r.CacheWriteTokens = i == 0 ? 800 : null;
            r.CachedTokens = i == 0 ? null : 800;
        }

        run.Add(TestRun.Alpha, Mode.Streaming, 5000, Phases.Measure, 4, Outcome.RateLimited);
        run.Records.ForEach(r => r.Target = target);
        return run;
    }

    [Fact]
    public void CellProjection_PricesTheMeasuredMix_CacheWritesAtTheirPrice()
    {
        var cell = Cell();
        var budget = Assert.Single(Projection.Build([cell], Monthly, [], []).Cells).Budget;

        var line = Assert.Single(budget.Lines);
        Assert.Equal(800m * Monthly, line.Volume.InputTokens);             // 4,000 / 5 per request
        Assert.Equal(160m * Monthly, line.Volume.UncachedInputTokens);
        Assert.Equal(480m * Monthly, line.Volume.CachedInputTokens);
        Assert.Equal(160m * Monthly, line.Volume.CacheWriteInputTokens);
        Assert.Equal(80m * Monthly, line.Volume.OutputTokens);
        Assert.Equal(480m, budget.InputCostUsd);
        Assert.Equal(144m, budget.CachedInputCostUsd);
        Assert.Equal(600m, budget.CacheWriteInputCostUsd);
        Assert.Equal(1_200m, budget.OutputCostUsd);
        Assert.Equal(Total, budget.TotalCostUsd);

        // The measured cell's own cost per 1k requests, scaled, is the same figure: 12,120 / 1e6 USD / 5 × 1,000 = 2.424.
        Assert.Equal(2.424m, cell.Cost.CostUsdPer1kRequests);
        Assert.Equal(Total, cell.Cost.CostUsdPer1kRequests!.Value * Monthly / 1000m);
    }

    [Fact]
    public void MixAndPlanOption_PriceTheMeasuredMix()
    {
        var cell = Cell();
        Assert.True(ModelMix.TryParse($"{TestRun.Alpha}:streaming=100%", out var mix, out var error), error);

        var projection = Projection.Build([cell], Monthly, [], [mix]);

        Assert.Empty(projection.Problems);
        Assert.Equal(Total, Assert.Single(projection.Mixes).TotalCostUsd);
        Assert.Equal(600m, projection.Mixes[0].CacheWriteInputCostUsd);

        // The budget plan's option (USD at list price: 1 USD paid per list USD).
        var option = BudgetPlanBuilder.Price(cell, Monthly);
        Assert.NotNull(option);
        Assert.Equal(Total, option.MonthlyUsd);
    }
}
