using System.Text.Json;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Report.Document;
using Bench.Report.Exporters;
using Bench.Report.Model;
using Bench.Report.Tests.Charts;

namespace Bench.Report.Tests.Model;

/// <summary>
/// Issue 15, point 5: what prompt caching saved, per cell, from hand-made records (<see cref="MeasuredMixProjectionTests"/>'s
/// cell) with the money worked out by hand.
/// </summary>
/// <remarks>
/// Prices USD per 1M: input 3, cached 0.30, cache write 3.75, output 15. The cell bills prompt 4,000 = uncached 800 +
/// cached 2,400 + cache write 800, completion 400, over 5 attempted requests.
/// <para>Saving = cached × (input − cached) − write × (write − input) = 2,400 × 2.70 − 800 × 0.75 = 6,480 − 600 = 5,880
/// per 1e6 → 0.00588 USD over the cell; per 1,000 requests 0.00588 / 5 × 1,000 = 1.176 USD; per month at 1,000,000
/// requests 1.176 × 1,000 = 1,176 USD.</para>
/// <para>Without the cache the cell would cost (4,000 × 3 + 400 × 15) / 1e6 = 0.018 USD; with it (800 × 3 + 2,400 × 0.3
/// + 800 × 3.75 + 400 × 15) / 1e6 = (2,400 + 720 + 3,000 + 6,000) / 1e6 = 0.01212 USD; 0.018 − 0.01212 = 0.00588 ✓;
/// saving 0.00588 / 0.018 = 32.666… %.</para>
/// <para>Cached share 2,400 / 4,000 = 0.6; cache-write share 800 / 4,000 = 0.2.</para>
/// </remarks>
public sealed class PromptCachingTests
{
    private const decimal SavingPer1k = 1.176m;

    [Fact]
    public void CellSaving_IsCachedReadsSavedMinusCacheWritesOverpaid()
    {
        var cell = MeasuredMixProjectionTests.Cell();

        Assert.Equal(0.00588m, cell.Cost.CacheSavingListUsd);
        Assert.Equal(SavingPer1k, cell.Cost.CacheSavingListUsdPer1kRequests);
        Assert.Equal(SavingPer1k, cell.Cost.Billed.CacheSavingUsdPer1kRequests); // list price in USD: as paid = list
        Assert.Equal(0.00588m, cell.Cost.Billed.CacheSavingUsd);
        Assert.Equal(0.018m, cell.Cost.CostUsd + cell.Cost.CacheSavingListUsd);
        Assert.Equal(0.00588m / 0.018m * 100m, MetricCatalog.SavingPercent(cell));
        Assert.Equal(0.6, MetricCatalog.CachedPromptShare.Cell!(cell).AsDouble!.Value, 12);
        Assert.Equal((double)SavingPer1k, MetricCatalog.CacheSavingUsdPer1kRequests.Cell!(cell).AsDouble!.Value, 12);
    }

    [Fact]
    public void Report_PromptCaching_PerMonthAtTheStatedVolume_AsPaid()
    {
        using var run = MeasuredMixProjectionTests.Run();
        run.Run.Report.MonthlyRequests = 2_000_000m;
        var report = run.Report(MeasuredMixProjectionTests.Prices);

        var row = Assert.Single(report.PromptCaching!.Cells);
        Assert.Equal(2_000_000m, report.PromptCaching.MonthlyRequests);
        Assert.Equal(0.6, row.CachedShare!.Value, 12);
        Assert.Equal(0.2, row.CacheWriteShare!.Value, 12);
        Assert.Equal(SavingPer1k, row.SavingUsdPer1kRequests);
        Assert.Equal(2_352m, row.SavingUsdPerMonth); // 1.176 × 2,000,000 / 1,000

        var markdown = MarkdownExporter.Render(report);
        Assert.Contains("## Prompt caching", markdown, StringComparison.Ordinal);
        Assert.Contains("USD 2,352.00", markdown, StringComparison.Ordinal);
        Assert.Contains("60 %", markdown, StringComparison.Ordinal);
        Assert.Contains("32.7 %", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void RelayBilling_SavingAsPaid_IsTheListSavingTimesUsdPaidPerListUsd()
    {
        // A relay billing ¥1 per listed $1 at a market rate of ¥7.3 = $1: as paid = list / 7.3.
        var summary = MeasuredMixProjectionTests.Cell("relay").Summary;
        var billing = new TargetBilling { Currency = "CNY", UnitsPerListUsd = 1m, MarketUnitsPerUsd = 7.3m };
        var cost = CellCost.Of(summary, MeasuredMixProjectionTests.Prices, new Dictionary<string, TargetPricing> { ["relay"] = new(billing) });

        Assert.Equal(SavingPer1k, cost.Billed.CacheSavingPer1kRequests);            // ¥1.176
        Assert.Equal(SavingPer1k / 7.3m, cost.Billed.CacheSavingUsdPer1kRequests);  // $0.16109…
    }

    [Fact]
    public void SavingIsZero_WhenTheCatalogueHasNoCachedPrice_AndNegative_WhenOnlyWritesWereBilled()
    {
        var noCachedPrice = new ModelPrice("m", 3m, null, 15m, null, null, "hand");
        Assert.Equal(0m, CostModel.Breakdown(1_000m, 800m, 100m, noCachedPrice).CacheSavingUsd);

        // Anthropic-like: 1,000 tokens written, none read: −1,000 × (3.75 − 3) / 1e6 = −0.00075 USD.
        var anthropic = new ModelPrice("a", 3m, 0.3m, 15m, null, null, "hand", usdPerMillionCacheWriteInputTokens: 3.75m);
        Assert.Equal(-0.00075m, CostModel.Breakdown(1_000m, 0m, 100m, anthropic, cacheWriteTokens: 1_000m).CacheSavingUsd);

        // Batch API prices: no batch cached-input price in any catalogue, so cached tokens are at the batch input price: no saving.
        var batch = new ModelPrice("b", 2m, 0.5m, 8m, 1m, 4m, "hand");
        Assert.Equal(0m, CostModel.Breakdown(1_000m, 800m, 100m, batch, PriceTier.Batch).CacheSavingUsd);
    }

    [Fact]
    public void RunWithoutCachedTokens_HasNoSectionAndNoBlock_ButCellsStateAZeroSaving()
    {
        using var run = TestRun.Standard(perCell: 4);
        var report = run.Report();

        Assert.Null(report.PromptCaching);
        Assert.DoesNotContain("Prompt caching", MarkdownExporter.Render(report), StringComparison.Ordinal);
        Assert.All(report.Cells, c => Assert.Equal(0m, c.Cost.Billed.CacheSavingUsdPer1kRequests));
    }

    [Fact]
    public void SummaryJson_PromptCaching_KeysAreDeclared_AndFiguresAreTheHandOnes()
    {
        using var run = MeasuredMixProjectionTests.Run();
        var report = run.Report(MeasuredMixProjectionTests.Prices);

        SummaryJsonExporter.Write(report, run.Directory);
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(run.Directory, SummaryJsonExporter.FileName)));

        var block = document.RootElement.GetProperty(MetricCatalog.PromptCachingJsonKey);
        Assert.Equal(MetricCatalog.PromptCachingJsonFields.Select(f => f.Name), block.EnumerateObject().Select(p => p.Name));
        var row = Assert.Single(block.GetProperty("cells").EnumerateArray().ToList());
        Assert.Equal(MetricCatalog.PromptCachingCellJsonFields.Select(f => f.Name), row.EnumerateObject().Select(p => p.Name));
        Assert.Equal(SavingPer1k, row.GetProperty("cache_saving_usd_per_1k_requests").GetDecimal());
        Assert.Equal(1_176m, row.GetProperty("cache_saving_usd_per_month").GetDecimal());
        Assert.Equal(32.67m, row.GetProperty("cache_saving_percent").GetDecimal());

        var cell = document.RootElement.GetProperty("cells")[0];
        Assert.Equal(0.00588m, cell.GetProperty("cost").GetProperty("prompt_caching").GetProperty("cache_saving_usd").GetDecimal());
        Assert.Equal(0.6m, cell.GetProperty("billed_tokens").GetProperty("cached_prompt_share").GetDecimal());
        Assert.Equal(PromptCachingId, ReportDocumentBuilder.PromptCachingId);
    }

    private const string PromptCachingId = "prompt-caching";
}
