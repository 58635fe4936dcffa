using Bench.Core.Configuration;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Scenarios;

/// <summary><c>target.tokenizer</c>: one encoding for every model, or one per model.</summary>
public class ScenarioTokenizerTests
{
    private static Scenario Parse(string tokenizer) => ScenarioLoader.Parse(
        $$"""{ "target": { "simulator": true, "tokenizer": {{tokenizer}} }, "models": ["gpt-4o", "llama"], "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 1 } ] }""",
        "t.json");

    [Fact]
    public void Parse_String_AppliesToEveryModel() =>
        Assert.Equal(new Dictionary<string, string> { ["*"] = "cl100k_base" }, Parse("\"cl100k_base\"").Target.Tokenizers);

    [Fact]
    public void Parse_Object_PerModelAutoLeftToFamily() =>
        Assert.Equal(
            new Dictionary<string, string> { ["llama"] = "none", ["*"] = "o200k_base" },
            Parse("""{ "llama": "none", "gpt-4o": "auto", "*": "o200k_base" }""").Target.Tokenizers);

    [Fact]
    public void Parse_Absent_Empty() =>
        Assert.Empty(ScenarioLoader.Parse("""{ "models": ["m"], "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 1 } ] }""", "t.json").Target.Tokenizers);

    [Theory]
    [InlineData("\"p50k_base\"", "$.target.tokenizer")]
    [InlineData("""{ "llama": "gpt2" }""", "$.target.tokenizer.llama")]
    [InlineData("42", "$.target.tokenizer")]
    public void Parse_Unknown_ErrorAtPath(string tokenizer, string path)
    {
        var e = Assert.Throws<ConfigException>(() => Parse(tokenizer));

        Assert.Equal(path, Assert.Single(e.Errors).Path);
    }

    [Theory]
    [InlineData("\"cl100k_base\"")]
    [InlineData("""{ "llama": "none", "*": "o200k_base" }""")]
    public void Writer_RoundTrips(string tokenizer)
    {
        var original = Parse(tokenizer);

        var again = ScenarioLoader.Parse(ScenarioWriter.ToJson(original).GetRawText(), "again.json");

        Assert.Equal(original.Target.Tokenizers, again.Target.Tokenizers);
    }
}
