using System.Text.Json;
using Bench.Core.Pricing;
using Bench.Report.Cost;

namespace Bench.Report.Tests.Cost;

/// <summary>The text and JSON of <c>bench cost</c> (moved from Bench.Core.Tests with the formatting).</summary>
public sealed class CostEstimateTextTests
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
    public void ToJson_Estimate_ExactAmountsCurrenciesAndSavings()
    {
        using var json = JsonDocument.Parse(CostEstimateJson.ToJson(TenMillionOutputOnGpt41AndDeepSeek()));
        var root = json.RootElement;
        var gpt = root.GetProperty("budgets")[0];
        var mix = root.GetProperty("budgets")[2];

        Assert.Equal(10_000_000m, root.GetProperty("volume").GetProperty("output_tokens").GetDecimal());
        Assert.Equal("80", gpt.GetProperty("total_usd").GetRawText());
        Assert.Equal("model", gpt.GetProperty("kind").GetString());
        Assert.Equal(584m, gpt.GetProperty("amounts")[0].GetProperty("amount").GetDecimal());
        Assert.Equal(80m, gpt.GetProperty("amounts")[1].GetProperty("amount").GetDecimal());
        Assert.Equal(504m, gpt.GetProperty("savings")[0].GetProperty("saved").GetDecimal());
        Assert.Equal("0.863013698630136986301369863", gpt.GetProperty("savings")[0].GetProperty("fraction").GetRawText()[..29]);
        var line = gpt.GetProperty("lines")[0];
        Assert.Equal("8", line.GetProperty("usd_per_million_output_tokens").GetRawText());
        Assert.Equal(80m, line.GetProperty("output_cost_usd").GetDecimal());
        Assert.StartsWith("SEED-FIGURES.md (articles)", line.GetProperty("price_source").GetString(), StringComparison.Ordinal);
        Assert.Equal("4.2", root.GetProperty("budgets")[1].GetProperty("total_usd").GetRawText());
        Assert.Equal("mix", mix.GetProperty("kind").GetString());
        Assert.Equal("14.6", mix.GetProperty("total_usd").GetRawText());
        Assert.Equal([2.1m, 12.5m], mix.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("total_cost_usd").GetDecimal()));
        Assert.Equal("CNY-relay", root.GetProperty("savings")[0].GetProperty("cheaper").GetString());
    }

    [Fact]
    public void Format_Estimate_ShowsTableTotalsSavingsAndSources()
    {
        var text = CostEstimateText.Format(TenMillionOutputOnGpt41AndDeepSeek());

        Assert.Contains("Monthly volume: 0 input tokens (0 cached), 10,000,000 output tokens.", text, StringComparison.Ordinal);
        Assert.Contains("  Total: USD 80.00 | CNY 584.00 | CNY-relay 80.00 per month", text, StringComparison.Ordinal);
        Assert.Contains("  Total: USD 4.20 | CNY 30.66 | CNY-relay 4.20 per month", text, StringComparison.Ordinal);
        Assert.Contains("  Total: USD 14.60 | CNY 106.58 | CNY-relay 14.60 per month", text, StringComparison.Ordinal);
        Assert.Contains(
            "  Paying at CNY-relay (1.0 CNY/USD) instead of CNY (7.3 CNY/USD) saves 86.3 %: CNY 504.00 per month",
            text,
            StringComparison.Ordinal);
        Assert.Contains("  Prices gpt-4.1 (standard): input 2.00, cached 0.50, output 8.00; source: SEED-FIGURES.md", text, StringComparison.Ordinal);
        Assert.Contains("Mix deepseek-v3.2=50% + gemini-2.5-flash=50%", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Note:", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("80", "80.00")]
    [InlineData("14.605", "14.61")]
    [InlineData("1234567.891", "1,234,567.89")]
    [InlineData("0.0042", "0.0042")]
    [InlineData("0.003864", "0.003864")]
    [InlineData("0.945", "0.95")]
    [InlineData("0.01", "0.01")]
    [InlineData("0.00000001", "0.00")]
    [InlineData("0", "0.00")]
    public void FormatMoney_Amount_RoundsForDisplayOnly(string amount, string expected)
    {
        Assert.Equal(expected, CostEstimateText.FormatMoney(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));
    }
    [Fact]
    public void FormatPercent_RelayVersusMarket_OneDecimal()
    {
        var saving = Assert.Single(FxRate.Savings([new FxRate("CNY", 7.3m), new FxRate("CNY-relay", 1.0m), new FxRate("EUR", 0.92m)]));

        Assert.Equal("86.3 %", CostEstimateText.FormatPercent(saving.Percent));
    }

    [Fact]
    public void Normalize_LiteLlmPrice_DropsTrailingZeros()
    {
        Assert.Equal("0.28", CostEstimateJson.Normalize(2.8e-07m * 1_000_000m).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static CostEstimate AnthropicWithCacheWrites() => CostEstimate.Compute(
        new CostEstimateRequest
        {
            // 10M input: 2M uncached, 6M read from the cache, 2M written to it; 1M output.
            Volume = MonthlyTokens.FromTotals(10_000_000m, 1_000_000m, cachedInputTokens: 6_000_000m, cacheWriteInputTokens: 2_000_000m),
            Models = ["claude-sonnet-4.5"],
        },
        PriceCatalog.BuiltIn);

    [Fact]
    public void ToJson_CacheWrites_PricedAtCacheWritePrice()
    {
        // claude-sonnet-4.5: 2 × 3.00 + 6 × 0.30 + 2 × 3.75 + 1 × 15.00 = 6 + 1.8 + 7.5 + 15 = 30.3 USD.
        using var json = JsonDocument.Parse(CostEstimateJson.ToJson(AnthropicWithCacheWrites()));
        var budget = json.RootElement.GetProperty("budgets")[0];
        var line = budget.GetProperty("lines")[0];

        Assert.Equal(30.3m, budget.GetProperty("total_usd").GetDecimal());
        Assert.Equal(7.5m, budget.GetProperty("cache_write_input_cost_usd").GetDecimal());
        Assert.Equal(2_000_000m, line.GetProperty("cache_write_input_tokens").GetDecimal());
        Assert.Equal(2_000_000m, line.GetProperty("uncached_input_tokens").GetDecimal());
        Assert.Equal(3.75m, line.GetProperty("usd_per_million_cache_write_input_tokens").GetDecimal());
        Assert.False(line.GetProperty("cache_write_priced_as_input").GetBoolean());
        Assert.Equal(2_000_000m, json.RootElement.GetProperty("volume").GetProperty("cache_write_input_tokens").GetDecimal());
    }

    [Fact]
    public void ToText_CacheWrites_ShowsCacheWriteColumnsAndPrice()
    {
        var text = CostEstimateText.Format(AnthropicWithCacheWrites());

        Assert.Contains("(6,000,000 cached, 2,000,000 cache writes)", text, StringComparison.Ordinal);
        Assert.Contains("cache write tok", text, StringComparison.Ordinal);
        Assert.Contains("cache write $", text, StringComparison.Ordinal);
        Assert.Contains("7.50", text, StringComparison.Ordinal);
        Assert.Contains(", cache write 3.75", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToText_NoCacheWrites_KeepsTheTableShape()
    {
        Assert.DoesNotContain("cache write", CostEstimateText.Format(TenMillionOutputOnGpt41AndDeepSeek()), StringComparison.Ordinal);
    }
}
