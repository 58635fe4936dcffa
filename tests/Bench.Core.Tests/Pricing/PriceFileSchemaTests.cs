using System.Text;
using Bench.Core.Configuration;
using Bench.Core.Pricing;
using Bench.Core.Tests.Configuration;
using NJsonSchema;

namespace Bench.Core.Tests.Pricing;

/// <summary><c>scenarios/prices.schema.json</c> accepts what <see cref="PriceCatalog.LoadUserFile(Stream, string)"/>
/// accepts and rejects what it rejects.</summary>
public class PriceFileSchemaTests
{
    private static Task<JsonSchema> Schema() => JsonSchema.FromJsonAsync(SchemaFilesTests.Schema("prices.schema.json"));

    private static PriceCatalog Load(string json) =>
        PriceCatalog.LoadUserFile(new MemoryStream(Encoding.UTF8.GetBytes(json)), "prices.json");

    [Fact]
    public async Task Schema_DocumentedExample_IsValidAndLoads()
    {
        // The example of LoadUserFile's documentation.
        const string json = """
            { "models": [ { "model": "deepseek-v3.2", "aliases": ["deepseek-chat"], "input": 0.27, "cached_input": null,
                            "output": 0.42, "batch_input": null, "batch_output": null, "source": "relay price page, 2025-11" } ] }
            """;

        Assert.Empty((await Schema()).Validate(json));
        Assert.Equal(0.42m, Load(json).Get("deepseek-chat").UsdPerMillionOutputTokens);
    }

    [Theory]
    [InlineData("""{ "models": [ { "model": "a", "input": 1, "ouput": 2 } ] }""")]
    [InlineData("""{ "models": [ { "model": "a", "input": -1, "output": 2 } ] }""")]
    [InlineData("""{ "models": [ { "model": "a", "input": 1, "output": 2, "batch_input": 0.5 } ] }""")]
    [InlineData("""{ "models": [ { "model": "", "input": 1, "output": 2 } ] }""")]
    [InlineData("""{ "prices": [] }""")]
    public async Task Schema_RejectsWhatTheLoaderRejects(string json)
    {
        Assert.NotEmpty((await Schema()).Validate(json));
        Assert.Throws<ConfigException>(() => Load(json));
    }
}
