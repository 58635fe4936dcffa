using System.Text;
using System.Text.Json;
using Bench.Core.Pricing;
using Bench.Core.Records;

namespace Bench.Core.Tests.Pricing;

/// <summary>Cost per protocol (issue 14, point 6): Anthropic cache reads and writes, Gemini cached content; expected
/// amounts worked by hand from the provider's prices.</summary>
public sealed class CacheWritePricingTests
{
    [Fact]
    public void RequestCostUsd_AnthropicUsageWithCacheReadsAndWrites_PricesEachKindOnce()
    {
        // Anthropic usage {input_tokens: 1,200, cache_read_input_tokens: 30,000, cache_creation_input_tokens: 5,000,
        // output_tokens: 800} → prompt 36,200 (= 1,200 + 30,000 + 5,000), cached 30,000, cache write 5,000.
        // claude-sonnet-4.5: 1,200 × 3.00 + 30,000 × 0.30 + 5,000 × 3.75 + 800 × 15.00
        //   = 3,600 + 9,000 + 18,750 + 12,000 = 43,350 per 1M → 0.04335 USD.
        var record = new RequestRecord
        {
            Model = "claude-sonnet-4-5", Outcome = Outcome.Success,
            PromptTokens = 36_200, CachedTokens = 30_000, CacheWriteTokens = 5_000, CompletionTokens = 800,
        };

        Assert.Equal(0.04335m, CostModel.RequestCostUsd(record, PriceCatalog.Default.Get(record.Model)));
    }

    [Fact]
    public void Breakdown_AnthropicCacheWrites_SplitsUncachedReadWriteOutput()
    {
        // claude-haiku-4.5 (1.00 / 0.10 read / 1.25 write / 5.00): 10,000 prompt = 2,000 uncached + 3,000 read + 5,000 write.
        var cost = CostModel.Breakdown(10_000m, 3_000m, 400m, PriceCatalog.BuiltIn.Get("claude-haiku-4.5"), cacheWriteTokens: 5_000m);

        Assert.Equal(2_000m, cost.UncachedInputTokens);
        Assert.Equal(0.002m, cost.InputCostUsd); // 2,000 × 1.00 / 1M
        Assert.Equal(0.0003m, cost.CachedInputCostUsd); // 3,000 × 0.10 / 1M
        Assert.Equal(0.00625m, cost.CacheWriteInputCostUsd); // 5,000 × 1.25 / 1M
        Assert.Equal(0.002m, cost.OutputCostUsd); // 400 × 5.00 / 1M
        Assert.Equal(0.01055m, cost.TotalCostUsd);
        Assert.False(cost.CacheWritePricedAsInput);
        Assert.Empty(cost.Notes);
    }

    [Fact]
    public void RequestCostUsd_GeminiUsageWithCachedContentAndThoughts_PricesThoughtsAsOutput()
    {
        // Gemini usageMetadata {promptTokenCount: 10,000, cachedContentTokenCount: 4,000, candidatesTokenCount: 500,
        // thoughtsTokenCount: 1,500} → prompt 10,000, cached 4,000, completion 2,000 (reasoning 1,500 of it).
        // gemini-2.5-pro (≤ 200k tier): 6,000 × 1.25 + 4,000 × 0.125 + 2,000 × 10.00 = 7,500 + 500 + 20,000 → 0.028 USD.
        var tokens = new TokenCounts(PromptTokens: 10_000, CachedTokens: 4_000, CompletionTokens: 2_000, ReasoningTokens: 1_500);

        Assert.Equal(0.028m, CostModel.RequestCostUsd(tokens, PriceCatalog.BuiltIn.Get("gemini-2.5-pro")));
    }

    [Fact]
    public void Breakdown_NoCacheWritePrice_ChargesWritesAtInputPriceWithNote()
    {
        // gemini-2.0-flash has no cache-write price: 1,000 writes × 0.10 / 1M = 0.0001.
        var cost = CostModel.Breakdown(1_000m, 0m, 0m, PriceCatalog.BuiltIn.Get("gemini-2.0-flash"), cacheWriteTokens: 1_000m);

        Assert.Equal(0.0001m, cost.TotalCostUsd);
        Assert.True(cost.CacheWritePricedAsInput);
        Assert.Contains(cost.Notes, n => n.Contains("no cache-write price", StringComparison.Ordinal));
    }

    [Fact]
    public void Breakdown_ReadsAndWritesAbovePrompt_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            CostModel.Breakdown(1_000m, 600m, 0m, PriceCatalog.BuiltIn.Get("claude-haiku-4.5"), cacheWriteTokens: 500m));
    }

    [Fact]
    public void RequestCostUsd_RecordWithReadsAndWritesAbovePrompt_IsUnpriced()
    {
        var record = new RequestRecord { Outcome = Outcome.Success, PromptTokens = 1_000, CachedTokens = 600, CacheWriteTokens = 500, CompletionTokens = 1 };

        Assert.Null(CostModel.RequestCostUsd(record, PriceCatalog.BuiltIn.Get("claude-haiku-4.5")));
    }

    [Theory]
    [InlineData("claude-sonnet-4.5", "claude-sonnet-4-5")]
    [InlineData("claude-sonnet-4.6", "claude-sonnet-4-6")]
    [InlineData("claude-opus-4", "claude-opus-4-20250514")]
    [InlineData("claude-opus-4.1", "claude-opus-4-1")]
    [InlineData("claude-opus-4.5", "claude-opus-4-5")]
    [InlineData("claude-opus-4.6", "claude-opus-4-6")]
    [InlineData("claude-haiku-4.5", "claude-haiku-4-5")]
    public void BuiltIn_AnthropicModels_MatchVendoredLiteLlmAndAnthropicRatios(string model, string liteLlmKey)
    {
        // Independent reader: the vendored JSON through System.Text.Json, not PriceCatalog's loader.
        var entry = VendoredEntry(liteLlmKey);
        var price = PriceCatalog.BuiltIn.Get(model);

        Assert.Equal(PerMillion(entry, "input_cost_per_token"), price.UsdPerMillionInputTokens);
        Assert.Equal(PerMillion(entry, "output_cost_per_token"), price.UsdPerMillionOutputTokens);
        Assert.Equal(PerMillion(entry, "cache_read_input_token_cost"), price.UsdPerMillionCachedInputTokens);
        Assert.Equal(PerMillion(entry, "cache_creation_input_token_cost"), price.UsdPerMillionCacheWriteInputTokens);
        // Anthropic's pricing page: 5-minute cache write = 1.25 × input, cache read = 0.1 × input.
        Assert.Equal(price.UsdPerMillionInputTokens * 1.25m, price.UsdPerMillionCacheWriteInputTokens);
        Assert.Equal(price.UsdPerMillionInputTokens * 0.1m, price.UsdPerMillionCachedInputTokens);
        Assert.Contains("https://docs.anthropic.com/en/docs/about-claude/pricing", price.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gemini-2.5-pro")]
    [InlineData("gemini-2.0-flash")]
    public void BuiltIn_GeminiModels_MatchVendoredLiteLlmWithoutCacheWritePrice(string model)
    {
        var entry = VendoredEntry(model);
        var price = PriceCatalog.BuiltIn.Get(model);

        Assert.Equal(PerMillion(entry, "input_cost_per_token"), price.UsdPerMillionInputTokens);
        Assert.Equal(PerMillion(entry, "output_cost_per_token"), price.UsdPerMillionOutputTokens);
        Assert.Equal(PerMillion(entry, "cache_read_input_token_cost"), price.UsdPerMillionCachedInputTokens);
        Assert.Null(price.UsdPerMillionCacheWriteInputTokens);
        Assert.Contains("https://ai.google.dev/gemini-api/docs/pricing", price.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void LiteLlm_CacheCreationCost_IsReadAsCacheWritePrice()
    {
        Assert.Equal(1.25m, PriceCatalog.LiteLlm.Get("claude-haiku-4-5").UsdPerMillionCacheWriteInputTokens);
        Assert.Null(PriceCatalog.LiteLlm.Get("gpt-4.1").UsdPerMillionCacheWriteInputTokens);
    }

    [Fact]
    public void LoadUserFile_CacheWriteInput_IsRead()
    {
        var catalog = PriceCatalog.LoadUserFile(new MemoryStream(Encoding.UTF8.GetBytes("""
            { "models": [ { "model": "relay-claude", "input": 3, "cached_input": 0.3, "cache_write_input": 3.75, "output": 15 } ] }
            """)), "prices.json");

        Assert.Equal(3.75m, catalog.Get("relay-claude").UsdPerMillionCacheWriteInputTokens);
    }

    [Fact]
    public void MonthlyProjection_CacheWriteVolume_PricedAtCacheWritePrice()
    {
        // 10M input of which 6M read and 2M written, 1M output on claude-sonnet-4.5:
        // 2 × 3.00 + 6 × 0.30 + 2 × 3.75 + 1 × 15.00 = 6 + 1.8 + 7.5 + 15 = 30.30 USD.
        var volume = MonthlyTokens.FromTotals(10_000_000m, 1_000_000m, cachedInputTokens: 6_000_000m, cacheWriteInputTokens: 2_000_000m);
        var budget = MonthlyProjection.Price(volume, PriceCatalog.BuiltIn.Get("claude-sonnet-4.5"));

        Assert.Equal(30.30m, budget.TotalCostUsd);
        Assert.Equal(7.5m, budget.CacheWriteInputCostUsd);
        Assert.Equal(2_000_000m, volume.UncachedInputTokens);
    }

    [Fact]
    public void MonthlyTokens_ReadsAndWritesAboveInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => MonthlyTokens.FromTotals(10m, 0m, cachedInputTokens: 6m, cacheWriteInputTokens: 5m));
    }

    private static JsonElement VendoredEntry(string key)
    {
        var path = Path.Combine(RepoRoot(), "src", "Bench.Core", "Pricing", "Data", "litellm-model-prices.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.GetProperty(key).Clone();
    }

    private static decimal? PerMillion(JsonElement entry, string field) =>
        entry.TryGetProperty(field, out var value)
            ? decimal.Parse(value.GetRawText(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture) * 1_000_000m
            : null;

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "scenarios", "prices.schema.json")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
