using Bench.Core.Pricing;

namespace Bench.Core.Tests.Pricing;

public sealed class CostEstimateTests
{
    private static readonly FxRate[] CnyRates = [new FxRate("CNY", 7.3m), new FxRate("CNY-relay", 1.0m)];

    private static CostEstimate TenMillionOutputOnGpt41AndDeepSeek() => CostEstimate.Compute(
        new CostEstimateRequest
        {
            Volume = MonthlyTokens.FromTotals(0m, 10_000_000m),
            Models = ["gpt-4.1", "deepseek-chat"],
            Mixes = [ModelMix.Create([new MixShare("deepseek-v3.2", null, 50m), new MixShare("gemini-2.5-flash", null, 50m)])],
            FxRates = CnyRates,
        },
        PriceCatalog.BuiltIn);

    [Fact]
    public void Compute_ModelsAndMix_OneBudgetEachInOrder()
    {
        var estimate = TenMillionOutputOnGpt41AndDeepSeek();

        Assert.Equal(["gpt-4.1", "deepseek-chat", "deepseek-v3.2=50% + gemini-2.5-flash=50%"], estimate.Budgets.Select(b => b.Name));
        Assert.Equal([80m, 4.20m, 14.60m], estimate.Budgets.Select(b => b.TotalCostUsd));
        Assert.Equal("deepseek-v3.2", estimate.Budgets[1].Lines[0].Cost.Price.Model);
        Assert.Single(estimate.Savings);
    }

    [Fact]
    public void Compute_UnknownModelsMissingBatchAndDuplicateRates_ReportsEveryProblem()
    {
        var e = Assert.Throws<PricingException>(() => CostEstimate.Compute(
            new CostEstimateRequest
            {
                Volume = MonthlyTokens.FromTotals(0m, 1m),
                Models = ["gpt-9", "claude-sonnet-4.5"],
                ModelTier = PriceTier.Batch,
                FxRates = [new FxRate("CNY", 7.3m), new FxRate("cny", 7.2m)],
            },
            PriceCatalog.BuiltIn));

        Assert.Equal(3, e.Errors.Count);
        Assert.Equal("Exchange rate 'CNY' is given 2 times; give each label once.", e.Errors[0]);
        Assert.StartsWith("Unknown model 'gpt-9'", e.Errors[1], StringComparison.Ordinal);
        Assert.StartsWith("Model 'claude-sonnet-4.5' has no Batch API price", e.Errors[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_NothingToPrice_Throws()
    {
        var e = Assert.Throws<PricingException>(() => CostEstimate.Compute(
            new CostEstimateRequest { Volume = MonthlyTokens.FromTotals(1m, 1m) }, PriceCatalog.BuiltIn));

        Assert.Equal("Nothing to price: give at least one model or a model mix.", e.Message);
    }
}
