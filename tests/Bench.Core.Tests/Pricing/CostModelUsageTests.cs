using Bench.Core.Pricing;
using Bench.Core.Records;

namespace Bench.Core.Tests.Pricing;

/// <summary>A record whose counts are impossible is unpriced, never priced at face value and never an exception.</summary>
public class CostModelUsageTests
{
    private static ModelPrice Gpt41 => PriceCatalog.BuiltIn.Get("gpt-4.1");

    [Theory]
    [InlineData(-1, 5, null, null)]
    [InlineData(10, -5, null, null)]
    [InlineData(10, 5, 50, null)]
    [InlineData(10, 5, null, 9)]
    [InlineData(10, 2_000_000_000, null, null)]
    [InlineData(int.MinValue, int.MaxValue, int.MaxValue, int.MinValue)]
    public void RequestCostUsd_ImpossibleCounts_Unpriced(int prompt, int completion, int? cached, int? reasoning)
    {
        var record = new RequestRecord
        {
            Outcome = Outcome.Success,
            PromptTokens = prompt,
            CompletionTokens = completion,
            CachedTokens = cached,
            ReasoningTokens = reasoning,
            TokensSource = TokenSources.Usage,
        };

        Assert.Null(CostModel.RequestCostUsd(record, Gpt41));
    }

    [Fact]
    public void RequestCostUsd_FlaggedAndCountedLocally_PricesTheLocalCount()
    {
        var record = new RequestRecord
        {
            Outcome = Outcome.Success,
            PromptTokens = 10,
            CompletionTokens = 2_000_000_000,
            TokensSource = TokenSources.Usage,
            TokenizerPromptTokens = 10,
            TokenizerCompletionTokens = 5,
        };

        UsageCheck.Apply(record, maxTokens: 16);

        // gpt-4.1: $2 input, $8 output per 1M tokens: 10 × 2 + 5 × 8 = 60 per 1M.
        Assert.Equal(0.00006m, CostModel.RequestCostUsd(record, Gpt41));
    }
}
