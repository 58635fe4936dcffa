using System.Text.Json;
using Bench.Cli.Tests.TestSupport;
using Bench.Harness;

namespace Bench.Cli.Tests.Commands;

public sealed class CostCommandTests
{
    private const string PriceCatalogSourceStart = "SEED-FIGURES.md (articles)";

    private static (int ExitCode, string Output, string Error) Run(params string[] args) => BenchCli.Run(["cost", .. args]);

    private static JsonElement RunJson(params string[] args)
    {
        var (exitCode, output, error) = Run([.. args, "--json"]);
        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        return document.RootElement.Clone();
    }

    [Fact]
    public void Cost_Gpt41TenMillionOutput_Is80Usd()
    {
        var json = RunJson("--model", "gpt-4.1", "--output-tokens", "10M");

        var budget = Assert.Single(json.GetProperty("budgets").EnumerateArray());
        Assert.Equal(80m, budget.GetProperty("total_usd").GetDecimal());
        Assert.Equal(80m, budget.GetProperty("lines")[0].GetProperty("output_cost_usd").GetDecimal());
        Assert.StartsWith(PriceCatalogSourceStart, budget.GetProperty("lines")[0].GetProperty("price_source").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Cost_DeepSeekAliasTenMillionOutput_Is4Point20Usd()
    {
        var json = RunJson("--model", "deepseek-chat", "--output-tokens", "10,000,000");

        var budget = json.GetProperty("budgets")[0];
        Assert.Equal(4.20m, budget.GetProperty("total_usd").GetDecimal());
        Assert.Equal("deepseek-v3.2", budget.GetProperty("lines")[0].GetProperty("price_model").GetString());
    }

    [Fact]
    public void Cost_MixHalfDeepSeekHalfGemini_Is14Point60Usd()
    {
        var json = RunJson("--mix", "deepseek-v3.2:non-streaming=50%,gemini-2.5-flash:streaming=50%", "--output-tokens", "10M");

        var budget = Assert.Single(json.GetProperty("budgets").EnumerateArray());
        Assert.Equal("mix", budget.GetProperty("kind").GetString());
        Assert.Equal(14.60m, budget.GetProperty("total_usd").GetDecimal());
        Assert.Equal([2.10m, 12.50m], budget.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("total_cost_usd").GetDecimal()));
    }

    [Fact]
    public void Cost_FxRates_ShowsAmountsAndRelaySaving()
    {
        var json = RunJson("--model", "gpt-4.1", "--output-tokens", "10M", "--fx", "CNY=7.3", "--fx", "CNY-relay=1.0");

        var budget = json.GetProperty("budgets")[0];
        Assert.Equal([584m, 80m], budget.GetProperty("amounts").EnumerateArray().Select(a => a.GetProperty("amount").GetDecimal()));
        var saving = budget.GetProperty("savings")[0];
        Assert.Equal(504m, saving.GetProperty("saved").GetDecimal());
        Assert.Equal(0.863m, Math.Round(saving.GetProperty("fraction").GetDecimal(), 3));
    }

    [Fact]
    public void Cost_Gpt41Batch_UsesBatchPrices()
    {
        var json = RunJson("--model", "gpt-4.1", "--output-tokens", "10M", "--batch");

        Assert.Equal(40m, json.GetProperty("budgets")[0].GetProperty("total_usd").GetDecimal());
    }

    [Fact]
    public void Cost_PerRequestMeans_MultipliesByRequests()
    {
        // 100k requests × (1,200 prompt with 300 cached, 250 completion) on gpt-4.1 = 180 + 15 + 200 = 395
        var json = RunJson("--model", "gpt-4.1", "--requests", "100k", "--input-tokens-per-request", "1,200",
            "--cached-tokens-per-request", "300", "--output-tokens-per-request", "250");

        Assert.Equal(395m, json.GetProperty("budgets")[0].GetProperty("total_usd").GetDecimal());
        Assert.Equal(100_000m, json.GetProperty("volume").GetProperty("requests_per_month").GetDecimal());
    }

    [Fact]
    public void Cost_TextOutput_ShowsTotals()
    {
        var (exitCode, output, error) = Run("--model", "gpt-4.1", "--output-tokens", "10M", "--fx", "CNY=7.3", "--fx", "CNY-relay=1.0");

        Assert.True(exitCode == 0, error);
        Assert.Contains("Total: USD 80.00 | CNY 584.00 | CNY-relay 80.00 per month", output, StringComparison.Ordinal);
        Assert.Contains("saves 86.3 %", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Cost_UnknownModel_ExitsTwoListingKnownModels()
    {
        var (exitCode, output, error) = Run("--model", "gpt-4.2", "--output-tokens", "1M", "--catalog", "builtin");

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Empty(output);
        Assert.Contains("Unknown model 'gpt-4.2'", error, StringComparison.Ordinal);
        Assert.Contains("claude-sonnet-4.5, claude-sonnet-4.6, deepseek-v3.2, gemini-2.0-flash, gemini-2.5-flash, gemini-2.5-pro, gpt-4.1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Cost_BatchWithoutBatchPrice_ExitsTwoUnlessFallbackAccepted()
    {
        var (exitCode, _, error) = Run("--model", "gemini-2.5-flash", "--output-tokens", "10M", "--batch");
        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("has no Batch API price", error, StringComparison.Ordinal);

        var json = RunJson("--model", "gemini-2.5-flash", "--output-tokens", "10M", "--batch", "--batch-fallback", "standard");
        var line = json.GetProperty("budgets")[0].GetProperty("lines")[0];
        Assert.Equal(25m, line.GetProperty("total_cost_usd").GetDecimal());
        Assert.True(line.GetProperty("standard_prices_used_for_batch").GetBoolean());
    }

    [Fact]
    public void Cost_BadSize_ExitsTwoWithReason()
    {
        var (exitCode, _, error) = Run("--model", "gpt-4.1", "--output-tokens", "10X");

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("--output-tokens: '10X' is not a token count", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Cost_MixNotSummingTo100_ExitsTwo()
    {
        var (exitCode, _, error) = Run("--mix", "gpt-4.1=30%,deepseek-v3.2=60%", "--output-tokens", "1M");

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("shares sum to 90 %, not 100 %", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Cost_NoVolume_ExitsTwo()
    {
        var (exitCode, _, error) = Run("--model", "gpt-4.1");

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("Give the monthly volume", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--models", "gpt-4.1,deepseek-chat")]
    [InlineData("--models", "gpt-4.1", "--models", "deepseek-chat")]
    [InlineData("--model", "gpt-4.1", "-m", "deepseek-chat")]
    public void Cost_ModelsCommaSeparatedOrRepeated_OneBudgetEach(params string[] models)
    {
        var json = RunJson([.. models, "--output-tokens", "10M"]);

        Assert.Equal([80m, 4.20m], json.GetProperty("budgets").EnumerateArray().Select(b => b.GetProperty("total_usd").GetDecimal()));
    }

    [Fact]
    public void Cost_TwoMixes_OneBudgetEach()
    {
        var json = RunJson("--mix", "deepseek-v3.2=50%,gemini-2.5-flash=50%", "--mix", "gpt-4.1=100%", "--output-tokens", "10M");

        Assert.Equal([14.60m, 80m], json.GetProperty("budgets").EnumerateArray().Select(b => b.GetProperty("total_usd").GetDecimal()));
        Assert.All(json.GetProperty("budgets").EnumerateArray(), b => Assert.Equal("mix", b.GetProperty("kind").GetString()));
    }

    [Fact]
    public void Cost_NothingToPrice_ExitsTwoNamingTheFlags()
    {
        var (exitCode, output, error) = Run("--output-tokens", "1M");

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Empty(output);
        Assert.Equal("bench cost: Give at least one --models or a --mix." + Environment.NewLine, error);
    }

    [Fact]
    public void Cost_UserPriceFile_OverridesBuiltIn()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bench-cost-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "models": [ { "model": "gpt-4.1", "input": 1.6, "output": 6.4, "source": "negotiated" } ] }""");
        try
        {
            // 10M output × 6.40 = 64
            var json = RunJson("--model", "gpt-4.1", "--output-tokens", "10M", "--prices", path);

            var line = json.GetProperty("budgets")[0].GetProperty("lines")[0];
            Assert.Equal(64m, line.GetProperty("total_cost_usd").GetDecimal());
            Assert.Equal("negotiated", line.GetProperty("price_source").GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
