using System.Text;
using Bench.Core.Configuration;
using Bench.Core.Pricing;

namespace Bench.Core.Tests.Pricing;

public sealed class UserPriceFileTests
{
    private static PriceCatalog Load(string json) =>
        PriceCatalog.LoadUserFile(new MemoryStream(Encoding.UTF8.GetBytes(json)), "prices.json");

    [Fact]
    public void LoadUserFile_ValidFile_ReadsEveryField()
    {
        var catalog = Load("""
            { "models": [
                { "model": "relay-deepseek", "aliases": ["deepseek-chat", "ds"], "input": 0.27, "cached_input": 0.07,
                  "output": 0.42, "batch_input": 0.135, "batch_output": 0.21, "source": "relay price page 2025-11" },
                { "model": "in-house", "input": 0, "output": 1.5, "cached_input": null }
            ] }
            """);

        var relay = catalog.Get("DS");
        Assert.Equal("relay-deepseek", relay.Model);
        Assert.Equal(0.27m, relay.UsdPerMillionInputTokens);
        Assert.Equal(0.07m, relay.UsdPerMillionCachedInputTokens);
        Assert.Equal(0.42m, relay.UsdPerMillionOutputTokens);
        Assert.Equal(0.135m, relay.UsdPerMillionBatchInputTokens);
        Assert.Equal(0.21m, relay.UsdPerMillionBatchOutputTokens);
        Assert.Equal("relay price page 2025-11", relay.Source);
        Assert.Same(relay, catalog.Get("deepseek-v3.2")); // well-known equivalent of the alias deepseek-chat
        var inHouse = catalog.Get("in-house");
        Assert.Null(inHouse.UsdPerMillionCachedInputTokens);
        Assert.Equal("user price file prices.json", inHouse.Source);
        Assert.Equal(["prices.json"], catalog.LayerNames);
    }

    [Fact]
    public void LoadUserFile_ManyProblems_ReportsAllWithFilePathAndReason()
    {
        var e = Assert.Throws<ConfigException>(() => Load("""
            { "models": [
                { "model": "a", "input": "0.27", "ouput": 0.42 },
                { "model": "", "input": -1, "output": 1, "batch_input": 0.5 },
                { "model": "c", "aliases": ["a", 3], "input": 1, "output": 2 },
                7
            ], "extra": true }
            """));

        // Document order; the three walkers' texts made one (unknown field, type error, "is required").
        Assert.Equal(
        [
            "prices.json: $.models[0].input: expected a number, found the string \"0.27\"",
            "prices.json: $.models[0].ouput: unknown field; known fields here: model, aliases, input, cached_input, cache_write_input, output, batch_input, batch_output, source",
            "prices.json: $.models[0].output: is required",
            "prices.json: $.models[1].model: must be a non-empty string",
            "prices.json: $.models[1].input: must be ≥ 0 (USD per 1M tokens)",
            "prices.json: $.models[1].batch_output: is required when the other batch price is given (batch prices come in pairs)",
            "prices.json: $.models[2].aliases[1]: expected a string, found the number 3",
            "prices.json: $.models[3]: expected an object, found the number 7",
            "prices.json: $.extra: unknown field; known fields here: models",
            "prices.json: $.models[2]: name or alias 'a' is already used by $.models[0]",
        ], e.Errors.Select(p => p.ToString()));
        Assert.Equal(
            $"prices.json: 10 errors:{Environment.NewLine}" + string.Join(Environment.NewLine, e.Errors.Select(p => $"  {p.Path}: {p.Reason}")),
            e.Message);
    }

    [Fact]
    public void LoadUserFile_DuplicateNameAcrossEntries_ReportsClash()
    {
        var e = Assert.Throws<ConfigException>(() => Load("""
            { "models": [
                { "model": "a", "aliases": ["x"], "input": 1, "output": 2 },
                { "model": "X", "input": 1, "output": 2 }
            ] }
            """));

        Assert.Equal("prices.json: $.models[1]: name or alias 'x' is already used by $.models[0]", Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void LoadUserFile_InvalidJson_ReportsLine()
    {
        var e = Assert.Throws<ConfigException>(() => Load("{ \"models\": [ { \"model\": \"a\", } ] "));

        var problem = Assert.Single(e.Errors);
        Assert.Equal("prices.json", problem.File);
        Assert.StartsWith("not valid JSON (line 1", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadUserFile_MissingFile_ReportsFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bench-missing-{Guid.NewGuid():N}.json");

        var e = Assert.Throws<ConfigException>(() => PriceCatalog.LoadUserFile(path));

        Assert.Equal(path, Assert.Single(e.Errors).File);
        Assert.StartsWith("cannot read the file:", e.Errors[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadUserFile_FromDisk_NamesLayerByPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bench-prices-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "models": [ { "model": "m", "input": 1.25, "output": 10 } ] }""");
        try
        {
            var catalog = PriceCatalog.LoadUserFile(path);

            Assert.Equal([path], catalog.LayerNames);
            Assert.Equal(1.25m, catalog.Get("m").UsdPerMillionInputTokens);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
