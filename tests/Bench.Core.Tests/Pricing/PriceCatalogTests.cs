using System.Text;
using Bench.Core.Pricing;

namespace Bench.Core.Tests.Pricing;

public sealed class PriceCatalogTests
{
    [Theory]
    [InlineData("deepseek-v3.2", "0.27", "0.42")]
    [InlineData("gemini-2.5-flash", "0.15", "2.50")]
    [InlineData("gpt-4.1", "2.00", "8.00")]
    [InlineData("claude-sonnet-4.5", "3.00", "15.00")]
    public void BuiltIn_SeedModel_HasArticlePrices(string model, string input, string output)
    {
        Assert.True(PriceCatalog.BuiltIn.TryGet(model, out var price));

        Assert.Equal(model, price.Model);
        Assert.Equal(decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture), price.UsdPerMillionInputTokens);
        Assert.Equal(decimal.Parse(output, System.Globalization.CultureInfo.InvariantCulture), price.UsdPerMillionOutputTokens);
        Assert.Contains("SEED-FIGURES.md (articles)", price.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void BuiltIn_Gpt41_HasLiteLlmCachedAndBatchPricesAndSaysSo()
    {
        var price = PriceCatalog.BuiltIn.Get("gpt-4.1");

        Assert.Equal(0.50m, price.UsdPerMillionCachedInputTokens);
        Assert.Equal(1.00m, price.UsdPerMillionBatchInputTokens);
        Assert.Equal(4.00m, price.UsdPerMillionBatchOutputTokens);
        Assert.Contains("LiteLLM catalogue", price.Source, StringComparison.Ordinal);
        Assert.Contains("cached input 0.50 and Batch API input 1.00/output 4.00", price.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deepseek-v3.2")]
    [InlineData("gemini-2.5-flash")]
    public void BuiltIn_NonOpenAiModel_HasNoCachedOrBatchPrice(string model)
    {
        var price = PriceCatalog.BuiltIn.Get(model);

        Assert.Null(price.UsdPerMillionCachedInputTokens);
        Assert.False(price.HasBatchPrices);
        Assert.Contains("no cached or Batch API price", price.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void BuiltIn_ClaudeSonnet45_HasCacheReadAndWriteButNoBatchPrice()
    {
        // Since issue 14 the articles' 3.00/15.00 are completed with LiteLLM's (Anthropic's) cache prices, as gpt-4.1's are.
        var price = PriceCatalog.BuiltIn.Get("claude-sonnet-4.5");

        Assert.Equal(0.30m, price.UsdPerMillionCachedInputTokens);
        Assert.Equal(3.75m, price.UsdPerMillionCacheWriteInputTokens);
        Assert.False(price.HasBatchPrices);
        Assert.Contains("no Batch API price", price.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void BuiltIn_Gpt41CachedAndBatch_MatchVendoredLiteLlm()
    {
        var builtIn = PriceCatalog.BuiltIn.Get("gpt-4.1");
        var liteLlm = PriceCatalog.LiteLlm.Get("gpt-4.1");

        Assert.Equal(liteLlm.UsdPerMillionInputTokens, builtIn.UsdPerMillionInputTokens);
        Assert.Equal(liteLlm.UsdPerMillionOutputTokens, builtIn.UsdPerMillionOutputTokens);
        Assert.Equal(liteLlm.UsdPerMillionCachedInputTokens, builtIn.UsdPerMillionCachedInputTokens);
        Assert.Equal(liteLlm.UsdPerMillionBatchInputTokens, builtIn.UsdPerMillionBatchInputTokens);
        Assert.Equal(liteLlm.UsdPerMillionBatchOutputTokens, builtIn.UsdPerMillionBatchOutputTokens);
    }

    [Theory]
    [InlineData("deepseek-chat", "deepseek-v3.2")]
    [InlineData("DeepSeek-Chat", "deepseek-v3.2")]
    [InlineData("claude-sonnet-4-5", "claude-sonnet-4.5")]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4.5")]
    [InlineData("gemini/gemini-2.5-flash", "gemini-2.5-flash")]
    [InlineData("openai/gpt-4.1", "gpt-4.1")]
    [InlineData("openrouter/openai/GPT-4.1", "gpt-4.1")]
    [InlineData("anthropic/claude-sonnet-4-5", "claude-sonnet-4.5")]
    [InlineData("deepseek/deepseek-chat", "deepseek-v3.2")]
    [InlineData("  gpt-4.1 ", "gpt-4.1")]
    public void TryGet_AliasOrPrefixedName_FindsCanonicalEntry(string requested, string expected)
    {
        Assert.True(PriceCatalog.BuiltIn.TryGet(requested, out var price));
        Assert.Equal(expected, price.Model);
    }

    [Fact]
    public void TryGet_UnknownModel_ReturnsFalseAndNoPrice()
    {
        Assert.False(PriceCatalog.BuiltIn.TryGet("gpt-4.2", out var price));
        Assert.Null(price);
    }

    [Fact]
    public void Get_UnknownModel_ThrowsListingKnownModelsAndClosest()
    {
        var e = Assert.Throws<UnknownModelException>(() => PriceCatalog.BuiltIn.Get("gpt-4.2"));

        Assert.Equal("gpt-4.2", e.Model);
        Assert.Contains("Unknown model 'gpt-4.2'", e.Message, StringComparison.Ordinal);
        Assert.Contains("never at zero", e.Message, StringComparison.Ordinal);
        Assert.Contains("Closest known models: gpt-4.1.", e.Message, StringComparison.Ordinal);
        Assert.Contains(
            "Known models in built-in (SEED-FIGURES.md) (12): claude-haiku-4.5, claude-opus-4, claude-opus-4.1, claude-opus-4.5, "
            + "claude-opus-4.6, claude-sonnet-4.5, claude-sonnet-4.6, deepseek-v3.2, gemini-2.0-flash, gemini-2.5-flash, "
            + "gemini-2.5-pro, gpt-4.1.",
            e.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Default_ModelOnlyInLiteLlm_FallsBackToLiteLlm()
    {
        var price = PriceCatalog.Default.Get("gpt-4o-mini");

        Assert.Equal("gpt-4o-mini", price.Model);
        Assert.StartsWith("LiteLLM model_prices_and_context_window.json (vendored, commit f9ff14734f6203c490573cb1e2ae8fdac7a52a41)", price.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_ModelInBoth_BuiltInWins()
    {
        Assert.Equal(0.27m, PriceCatalog.Default.Get("deepseek-chat").UsdPerMillionInputTokens);
        Assert.Equal(0.15m, PriceCatalog.Default.Get("gemini-2.5-flash").UsdPerMillionInputTokens);
        Assert.Equal("claude-sonnet-4.5", PriceCatalog.Default.Get("claude-sonnet-4-5-20250929").Model);
    }

    [Fact]
    public void LiteLlm_VendoredCatalogue_ConvertsPerTokenToPerMillionExactly()
    {
        var deepseek = PriceCatalog.LiteLlm.Get("deepseek-chat");
        var gemini = PriceCatalog.LiteLlm.Get("gemini-2.5-flash");
        var claude = PriceCatalog.LiteLlm.Get("claude-sonnet-4-5");

        Assert.Equal(0.28m, deepseek.UsdPerMillionInputTokens);
        Assert.Equal(0.028m, deepseek.UsdPerMillionCachedInputTokens);
        Assert.Equal(0.42m, deepseek.UsdPerMillionOutputTokens);
        Assert.Equal(0.30m, gemini.UsdPerMillionInputTokens);
        Assert.Equal(2.50m, gemini.UsdPerMillionOutputTokens);
        Assert.Equal(3.00m, claude.UsdPerMillionInputTokens);
        Assert.Equal(0.30m, claude.UsdPerMillionCachedInputTokens);
        Assert.Equal(15.00m, claude.UsdPerMillionOutputTokens);
        Assert.Equal("LiteLLM model_prices_and_context_window.json (vendored, commit f9ff14734f6203c490573cb1e2ae8fdac7a52a41): key 'deepseek-chat'", deepseek.Source);
    }

    [Fact]
    public void LiteLlm_ByEquivalentName_FindsVendorKey()
    {
        Assert.Equal("deepseek-chat", PriceCatalog.LiteLlm.Get("deepseek-v3.2").Model);
        Assert.Equal("claude-sonnet-4-5", PriceCatalog.LiteLlm.Get("claude-sonnet-4.5").Model);
    }

    [Fact]
    public void LiteLlm_VendoredCatalogue_SkipsEntriesWithoutOrWithZeroPrices()
    {
        // 218 entries: 3 lack input or output prices (gpt-image-1, gpt-image-1-mini, gpt-realtime-whisper) and
        // 3 are priced 0/0 (LiteLLM's "unknown" placeholder): 212 remain.
        Assert.Equal(212, PriceCatalog.LiteLlm.Models.Count);
        Assert.False(PriceCatalog.LiteLlm.TryGet("gpt-image-1", out _));
        Assert.False(PriceCatalog.LiteLlm.TryGet("deepseek-v3-2-251201", out _));
        Assert.False(PriceCatalog.LiteLlm.TryGet("gemini-flash-experimental", out _));
    }

    [Fact]
    public void LoadLiteLlm_ExponentNumbers_ParsedAsExactDecimals()
    {
        const string json = """
            {
              "m1": { "input_cost_per_token": 2.8e-07, "output_cost_per_token": 4.2E-7, "cache_read_input_token_cost": 2.8e-08,
                      "input_cost_per_token_batches": 1.4e-07, "output_cost_per_token_batches": 2.1e-07 },
              "m2": { "input_cost_per_token": 3.3333333333333335e-05, "output_cost_per_token": 0.000015, "input_cost_per_token_batches": 1e-06 },
              "no-output": { "input_cost_per_token": 1e-06 },
              "free-placeholder": { "input_cost_per_token": 0.0, "output_cost_per_token": 0 },
              "not-an-entry": "text"
            }
            """;

        var catalog = PriceCatalog.LoadLiteLlm(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test.json");

        var m1 = catalog.Get("m1");
        Assert.Equal("0.28", (m1.UsdPerMillionInputTokens / 1.0000000000000000000000000000m).ToString(System.Globalization.CultureInfo.InvariantCulture)); // trailing zeros dropped
        Assert.Equal(0.42m, m1.UsdPerMillionOutputTokens);
        Assert.Equal(0.028m, m1.UsdPerMillionCachedInputTokens);
        Assert.Equal(0.14m, m1.UsdPerMillionBatchInputTokens);
        Assert.Equal(0.21m, m1.UsdPerMillionBatchOutputTokens);
        var m2 = catalog.Get("m2");
        Assert.Equal(33.333333333333335m, m2.UsdPerMillionInputTokens);
        Assert.Equal(15m, m2.UsdPerMillionOutputTokens);
        Assert.False(m2.HasBatchPrices); // only one batch price given: no batch tier
        Assert.Equal(["m1", "m2"], catalog.Models.Select(m => m.Model));
        Assert.Equal("test.json: key 'm1'", m1.Source);
    }

    [Fact]
    public void LoadLiteLlm_FromPath_NamesFileInSource()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bench-litellm-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "gpt-4.1": { "input_cost_per_token": 2e-06, "output_cost_per_token": 8e-06 } }""");
        try
        {
            var price = PriceCatalog.LoadLiteLlm(path).Get("openai/gpt-4.1");

            Assert.Equal(2m, price.UsdPerMillionInputTokens);
            Assert.Equal(8m, price.UsdPerMillionOutputTokens);
            Assert.Equal($"LiteLLM model_prices_and_context_window.json ({path}): key 'gpt-4.1'", price.Source);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadLiteLlm_StreamWithoutName_UsesDefaultSourceName()
    {
        var json = """{ "m": { "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06 } }""";

        var price = PriceCatalog.LoadLiteLlm(new MemoryStream(Encoding.UTF8.GetBytes(json))).Get("m");

        Assert.Equal("LiteLLM model_prices_and_context_window.json: key 'm'", price.Source);
    }

    [Fact]
    public void Merge_UserThenBuiltInThenLiteLlm_UserWinsEvenThroughAlias()
    {
        var user = PriceCatalog.Create("prices.json",
            [new ModelPrice("deepseek-chat", 0.20m, 0.02m, 0.40m, null, null, "relay price page")]);

        var catalog = PriceCatalog.Merge(user, PriceCatalog.BuiltIn, PriceCatalog.LiteLlm);

        Assert.Equal(0.20m, catalog.Get("deepseek-v3.2").UsdPerMillionInputTokens);
        Assert.Equal(0.20m, catalog.Get("deepseek-chat").UsdPerMillionInputTokens);
        Assert.Equal(2.00m, catalog.Get("gpt-4.1").UsdPerMillionInputTokens);
        Assert.Equal("gpt-4o-mini", catalog.Get("gpt-4o-mini").Model);
        Assert.Equal(["prices.json", PriceCatalog.BuiltInName, "LiteLLM model_prices_and_context_window.json (vendored, commit f9ff14734f6203c490573cb1e2ae8fdac7a52a41)"], catalog.LayerNames);
    }

    [Fact]
    public void WithOverrides_OverrideEntry_ShadowsWholeEntryNotSingleFields()
    {
        var user = PriceCatalog.Create("prices.json", [new ModelPrice("gpt-4.1", 1.50m, null, 6.00m, null, null, "negotiated")]);

        var catalog = PriceCatalog.BuiltIn.WithOverrides(user);
        var price = catalog.Get("gpt-4.1");

        Assert.Equal(1.50m, price.UsdPerMillionInputTokens);
        Assert.Null(price.UsdPerMillionCachedInputTokens);
        Assert.False(price.HasBatchPrices);
        Assert.Single(catalog.Models, m => m.Model == "gpt-4.1");
        Assert.Equal(PriceCatalog.BuiltIn.Models.Count, catalog.Models.Count);
    }

    [Fact]
    public void Create_TwoEntriesSharingAnAlias_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => PriceCatalog.Create("x",
        [
            new ModelPrice("a", 1m, null, 2m, null, null, "s", ["shared"]),
            new ModelPrice("b", 1m, null, 2m, null, null, "s", ["SHARED"]),
        ]));

        Assert.Contains("'shared' (b) is already the name or alias of 'a'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelPrice_NegativeAndUnpairedBatch_ThrowsListingAll()
    {
        var e = Assert.Throws<ArgumentException>(() => new ModelPrice("m", -1m, null, 2m, 1m, null, "s"));

        Assert.Equal(
            "Invalid price for model 'm': usdPerMillionInputTokens must not be negative (got -1); batch input and batch output prices must be given together.",
            e.Message);
    }
}
