using Bench.Core.Pricing;

namespace Bench.Core.Tests.Pricing;

public sealed class MonthlyProjectionTests
{
    private static readonly MonthlyTokens TenMillionOutput = MonthlyTokens.FromTotals(inputTokens: 0m, outputTokens: 10_000_000m);

    [Theory]
    // SEED-FIGURES.md, "Arithmetic the articles got wrong": 10M output tokens/month.
    [InlineData("gpt-4.1", "80")] // 10 × 8.00, not $80,000
    [InlineData("claude-sonnet-4.5", "150")] // 10 × 15.00
    [InlineData("gemini-2.5-flash", "25")] // 10 × 2.50
    [InlineData("deepseek-v3.2", "4.20")] // 10 × 0.42
    public void Price_TenMillionOutputTokens_MatchesHandComputedCost(string model, string expectedUsd)
    {
        var budget = MonthlyProjection.Price(TenMillionOutput, PriceCatalog.BuiltIn.Get(model));

        Assert.Equal(decimal.Parse(expectedUsd, System.Globalization.CultureInfo.InvariantCulture), budget.TotalCostUsd);
        Assert.Equal(budget.TotalCostUsd, budget.OutputCostUsd);
    }

    [Fact]
    public void Price_Gpt41BatchTenMillionOutput_Is40()
    {
        // 10 × 4.00 (Batch API output price)
        var budget = MonthlyProjection.Price(TenMillionOutput, PriceCatalog.BuiltIn.Get("gpt-4.1"), PriceTier.Batch);

        Assert.Equal(40m, budget.TotalCostUsd);
        Assert.Equal("batch-api", Assert.Single(budget.Lines).Mode);
    }

    [Fact]
    public void Price_Gpt41InputCachedAndOutput_MatchesHandComputedCost()
    {
        // 10M input of which 2M cached, 1M output on gpt-4.1:
        // 8M × 2.00 = 16.00; 2M × 0.50 = 1.00; 1M × 8.00 = 8.00; total 25.00
        var volume = MonthlyTokens.FromTotals(inputTokens: 10_000_000m, outputTokens: 1_000_000m, cachedInputTokens: 2_000_000m);

        var budget = MonthlyProjection.Price(volume, PriceCatalog.BuiltIn.Get("gpt-4.1"));

        Assert.Equal(16m, budget.InputCostUsd);
        Assert.Equal(1m, budget.CachedInputCostUsd);
        Assert.Equal(8m, budget.OutputCostUsd);
        Assert.Equal(25m, budget.TotalCostUsd);
    }

    [Fact]
    public void Price_DeepSeekCachedWithoutCachedPrice_ChargesInputPriceAndNotes()
    {
        // 10M input of which 4M cached, 2M output on deepseek-v3.2 (no cached price):
        // 6M × 0.27 = 1.62; 4M × 0.27 = 1.08; 2M × 0.42 = 0.84; total 3.54
        var volume = MonthlyTokens.FromTotals(inputTokens: 10_000_000m, outputTokens: 2_000_000m, cachedInputTokens: 4_000_000m);

        var budget = MonthlyProjection.Price(volume, PriceCatalog.BuiltIn.Get("deepseek-v3.2"));

        Assert.Equal(1.62m, budget.InputCostUsd);
        Assert.Equal(1.08m, budget.CachedInputCostUsd);
        Assert.Equal(0.84m, budget.OutputCostUsd);
        Assert.Equal(3.54m, budget.TotalCostUsd);
        Assert.Equal(["deepseek-v3.2: no cached-input price: cached tokens charged at the input price (an upper bound)."], budget.Notes);
    }

    [Fact]
    public void Price_RequestsTimesMeanTokens_MatchesHandComputedCost()
    {
        // 100,000 requests × (1,200 prompt of which 300 cached, 250 completion) on gpt-4.1:
        // 120M prompt, 30M cached, 25M completion → 90M × 2.00 = 180; 30M × 0.50 = 15; 25M × 8.00 = 200; total 395
        var volume = MonthlyTokens.FromRequests(100_000m, meanInputTokensPerRequest: 1_200m, meanOutputTokensPerRequest: 250m,
            meanCachedInputTokensPerRequest: 300m);

        var budget = MonthlyProjection.Price(volume, PriceCatalog.BuiltIn.Get("gpt-4.1"));

        Assert.Equal(120_000_000m, volume.InputTokens);
        Assert.Equal(100_000m, volume.RequestsPerMonth);
        Assert.Equal(395m, budget.TotalCostUsd);
    }

    [Fact]
    public void Price_FractionalMeanTokens_StaysExact()
    {
        // 3 requests × 512.5 output tokens on deepseek-v3.2: 1,537.5 × 0.42 / 1M = 0.00064575
        var volume = MonthlyTokens.FromRequests(3m, 0m, 512.5m);

        Assert.Equal(0.00064575m, MonthlyProjection.Price(volume, PriceCatalog.BuiltIn.Get("deepseek-v3.2")).TotalCostUsd);
    }

    [Fact]
    public void PriceMix_HalfDeepSeekHalfGemini_Is14Point60()
    {
        // SEED-FIGURES.md: 5M deepseek-v3.2 + 5M gemini-2.5-flash output = 5 × 0.42 + 5 × 2.50 = 2.10 + 12.50 = 14.60
        var mix = ModelMix.Create([new MixShare("deepseek-v3.2", null, 50m), new MixShare("gemini-2.5-flash", null, 50m)]);

        var budget = MonthlyProjection.PriceMix(TenMillionOutput, mix, PriceCatalog.BuiltIn);

        Assert.Equal(14.60m, budget.TotalCostUsd);
        Assert.Equal([2.10m, 12.50m], budget.Lines.Select(l => l.Cost.TotalCostUsd));
        Assert.Equal([5_000_000m, 5_000_000m], budget.Lines.Select(l => l.Volume.OutputTokens));
        Assert.True(budget.IsMix);
        Assert.Equal("deepseek-v3.2=50% + gemini-2.5-flash=50%", budget.Name);
    }

    [Fact]
    public void PriceMix_ModesAndCachedInput_MatchesHandComputedCost()
    {
        // 20M input (5M cached), 10M output; gpt-4.1 streaming 30 %, deepseek-v3.2 non-streaming 70 %.
        // gpt-4.1: 6M input, 1.5M cached, 3M output → 4.5M × 2.00 = 9.00 + 1.5M × 0.50 = 0.75 + 3M × 8.00 = 24.00 → 33.75
        // deepseek: 14M input, 3.5M cached, 7M output → 10.5M × 0.27 = 2.835 + 3.5M × 0.27 = 0.945 + 7M × 0.42 = 2.94 → 6.72
        // total 40.47
        var volume = MonthlyTokens.FromTotals(20_000_000m, 10_000_000m, 5_000_000m);
        var mix = ModelMix.Create([new MixShare("gpt-4.1", "streaming", 30m), new MixShare("deepseek-v3.2", "non-streaming", 70m)]);

        var budget = MonthlyProjection.PriceMix(volume, mix, PriceCatalog.BuiltIn);

        Assert.Equal([33.75m, 6.72m], budget.Lines.Select(l => l.Cost.TotalCostUsd));
        Assert.Equal(9m + 2.835m, budget.InputCostUsd);
        Assert.Equal(0.75m + 0.945m, budget.CachedInputCostUsd);
        Assert.Equal(24m + 2.94m, budget.OutputCostUsd);
        Assert.Equal(40.47m, budget.TotalCostUsd);
    }

    [Fact]
    public void PriceMix_BatchShare_UsesBatchPricesForThatShareOnly()
    {
        // 10M output; gpt-4.1 batch-api 40 % (4M × 4.00 = 16) + gpt-4.1 streaming 60 % (6M × 8.00 = 48) = 64
        var mix = ModelMix.Create([new MixShare("gpt-4.1", "batch-api", 40m), new MixShare("gpt-4.1", "streaming", 60m)]);

        var budget = MonthlyProjection.PriceMix(TenMillionOutput, mix, PriceCatalog.BuiltIn);

        Assert.Equal([PriceTier.Batch, PriceTier.Standard], budget.Lines.Select(l => l.Cost.Tier));
        Assert.Equal(64m, budget.TotalCostUsd);
    }

    [Fact]
    public void PriceMix_UnknownModelAndMissingBatch_ReportsBoth()
    {
        var mix = ModelMix.Create([new MixShare("gpt-9", null, 50m), new MixShare("gemini-2.5-flash", "batch-api", 50m)]);

        var e = Assert.Throws<PricingException>(() => MonthlyProjection.PriceMix(TenMillionOutput, mix, PriceCatalog.BuiltIn));

        Assert.Equal(2, e.Errors.Count);
        Assert.StartsWith("Unknown model 'gpt-9'", e.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("Model 'gemini-2.5-flash' has no Batch API price", e.Errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void FromTotals_CachedAboveInputAndNegative_ThrowsListingAll()
    {
        var e = Assert.Throws<ArgumentException>(() => MonthlyTokens.FromTotals(1_000m, -1m, 2_000m));

        Assert.Equal(
            "Invalid monthly volume: output tokens must not be negative; cached input tokens (2,000) are part of the input tokens (1,000) and cannot exceed them.",
            e.Message);
    }
}
