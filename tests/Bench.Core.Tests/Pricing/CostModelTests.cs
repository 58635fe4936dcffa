using Bench.Core.Pricing;
using Bench.Core.Records;

namespace Bench.Core.Tests.Pricing;

public sealed class CostModelTests
{
    private static ModelPrice Gpt41 => PriceCatalog.BuiltIn.Get("gpt-4.1");

    private static ModelPrice DeepSeek => PriceCatalog.BuiltIn.Get("deepseek-v3.2");

    [Fact]
    public void RequestCostUsd_CachedPromptAndReasoning_UsesEachPriceOnce()
    {
        // gpt-4.1: 1,500 prompt of which 1,024 cached; 300 completion of which 120 reasoning (already in the 300).
        // (476 × 2.00 + 1,024 × 0.50 + 300 × 8.00) / 1M = (952 + 512 + 2,400) / 1M = 0.003864
        var tokens = new TokenCounts(PromptTokens: 1_500, CachedTokens: 1_024, CompletionTokens: 300, ReasoningTokens: 120);

        Assert.Equal(0.003864m, CostModel.RequestCostUsd(tokens, Gpt41));
    }

    [Fact]
    public void RequestCostUsd_NoCachedPrice_ChargesCachedAtInputPrice()
    {
        // deepseek-v3.2 (no cached price): (1,234 × 0.27 + 567 × 0.42) / 1M = (333.18 + 238.14) / 1M = 0.00057132,
        // the same with 1,000 of the prompt cached. (This used claude-sonnet-4.5, which has a cache-read price since
        // issue 14.)
        Assert.Equal(0.00057132m, CostModel.RequestCostUsd(new TokenCounts(1_234, 0, 567), DeepSeek));
        Assert.Equal(0.00057132m, CostModel.RequestCostUsd(new TokenCounts(1_234, 1_000, 567), DeepSeek));
    }

    [Fact]
    public void RequestCostUsd_Batch_UsesBatchPrices()
    {
        // gpt-4.1 batch: (1,000 × 1.00 + 500 × 4.00) / 1M = 0.003
        Assert.Equal(0.003m, CostModel.RequestCostUsd(new TokenCounts(1_000, 0, 500), Gpt41, batch: true));
    }

    [Fact]
    public void RequestCostUsd_BatchWithoutBatchPrice_Throws()
    {
        var e = Assert.Throws<MissingBatchPriceException>(() => CostModel.RequestCostUsd(new TokenCounts(1, 0, 1), DeepSeek, batch: true));

        Assert.Equal("deepseek-v3.2", e.Model);
        Assert.StartsWith("Model 'deepseek-v3.2' has no Batch API price in the catalogue", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestCostUsd_CachedExceedsPrompt_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CostModel.RequestCostUsd(new TokenCounts(10, 11, 0), Gpt41));
    }

    [Fact]
    public void RequestCostUsd_RecordWithUsage_PricesTokens()
    {
        var record = new RequestRecord { PromptTokens = 200, CachedTokens = 100, CompletionTokens = 50, Outcome = Outcome.Success };

        // (100 × 2.00 + 100 × 0.50 + 50 × 8.00) / 1M = 650 / 1M
        Assert.Equal(0.00065m, CostModel.RequestCostUsd(record, Gpt41));
    }

    [Fact]
    public void RequestCostUsd_InterruptedStreamWithPartialCounts_CostsWhatWasBilled()
    {
        var record = new RequestRecord { PromptTokens = 100, CompletionTokens = 50, Outcome = Outcome.StreamInterrupted };

        // (100 × 2.00 + 50 × 8.00) / 1M = 0.0006
        Assert.Equal(0.0006m, CostModel.RequestCostUsd(record, Gpt41));
    }

    [Theory]
    [InlineData(Outcome.RateLimited)]
    [InlineData(Outcome.ClientError)]
    [InlineData(Outcome.ConnectionError)]
    public void RequestCostUsd_RejectedWithoutUsage_CostsZero(Outcome outcome)
    {
        Assert.Equal(0m, CostModel.RequestCostUsd(new RequestRecord { Outcome = outcome }, Gpt41));
    }

    [Theory]
    [InlineData(Outcome.Success)]
    [InlineData(Outcome.Timeout)]
    [InlineData(Outcome.ServerError)]
    [InlineData(Outcome.StreamInterrupted)]
    [InlineData(Outcome.Malformed)]
    public void RequestCostUsd_NoTokenCountsAndPossiblyBilled_ReturnsNull(Outcome outcome)
    {
        Assert.Null(CostModel.RequestCostUsd(new RequestRecord { Outcome = outcome }, Gpt41));
    }

    [Fact]
    public void Breakdown_BatchWithCachedTokens_ChargesCachedAtBatchInputAndNotes()
    {
        // gpt-4.1 batch, 10M prompt (2M cached), 1M completion:
        // 8M × 1.00 + 2M × 1.00 (no batch cached price) + 1M × 4.00 = 8 + 2 + 4 = 14
        var cost = CostModel.Breakdown(10_000_000m, 2_000_000m, 1_000_000m, Gpt41, PriceTier.Batch);

        Assert.Equal(8m, cost.InputCostUsd);
        Assert.Equal(2m, cost.CachedInputCostUsd);
        Assert.Equal(4m, cost.OutputCostUsd);
        Assert.Equal(14m, cost.TotalCostUsd);
        Assert.True(cost.CachedPricedAsInput);
        Assert.Equal(["gpt-4.1: no Batch API cached-input price: cached tokens charged at the batch input price."], cost.Notes);
    }

    [Fact]
    public void Breakdown_BatchFallbackToStandard_FlagsIt()
    {
        // gemini-2.5-flash has no batch price: 10M output × 2.50 = 25, flagged.
        var gemini = PriceCatalog.BuiltIn.Get("gemini-2.5-flash");

        var cost = CostModel.Breakdown(0m, 0m, 10_000_000m, gemini, PriceTier.Batch, BatchPriceFallback.UseStandardPrices);

        Assert.Equal(25m, cost.TotalCostUsd);
        Assert.True(cost.StandardPricesUsedForBatch);
        Assert.Equal(["gemini-2.5-flash has no Batch API price: priced at standard prices (the batch cost is likely lower)."], cost.Notes);
    }

    [Fact]
    public void Breakdown_StandardWithCachedPrice_NoNotes()
    {
        var cost = CostModel.Breakdown(10m, 5m, 1m, Gpt41);

        Assert.False(cost.CachedPricedAsInput);
        Assert.False(cost.StandardPricesUsedForBatch);
        Assert.Empty(cost.Notes);
        Assert.Equal(0.50m, cost.UsdPerMillionCachedInputTokens);
    }
}
