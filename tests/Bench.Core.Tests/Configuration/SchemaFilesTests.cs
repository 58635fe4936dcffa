using System.Runtime.CompilerServices;
using Bench.Core.Pricing;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Configuration;

/// <summary>The JSON Schema files of <c>scenarios/</c> describe exactly what <see cref="Bench.Core.Configuration.ConfigReader"/>
/// reads, so that they cannot drift from the model (the profile schema is checked in Bench.Simulator.Tests).</summary>
public class SchemaFilesTests
{
    internal static string Schema(string name, [CallerFilePath] string here = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "scenarios", name));

    [Fact]
    public void ScenarioSchema_MatchesTheScenarioModel() =>
        Assert.Empty(SchemaDrift.Compare(typeof(Scenario), Schema("scenario.schema.json")));

    [Fact]
    public void PricesSchema_MatchesThePriceFileModel() =>
        Assert.Empty(SchemaDrift.Compare(typeof(PriceFile), Schema("prices.schema.json")));

    [Fact]
    public void ScenarioSchema_SloThresholds_AreTheMetricsAnSloMayBound()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse(Schema("scenario.schema.json"))!;

        var metrics = schema["definitions"]!["slo"]!["properties"]!["max_ms"]!["properties"]!.AsObject().Select(p => p.Key);

        Assert.Equal(ScenarioLoader.SloMetrics.Order(StringComparer.Ordinal), metrics.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Compare_FieldOnOneSideOnlyOrTypeDisagreement_IsReported()
    {
        const string schema = """
            {
              "type": "object", "additionalProperties": false,
              "properties": {
                "name": { "type": "string" }, "seed": { "type": "number" }, "colour": { "type": "string" },
                "models": { "type": "array", "items": { "type": "string" } }, "modes": { "type": "array", "items": { "enum": ["streaming"] } },
                "target": { "type": "object" }, "request": { "type": "object", "additionalProperties": false, "properties": {} },
                "workload": { "type": "array", "items": { "type": "object" } }, "slos": { "type": "array" }
              }
            }
            """;

        var problems = SchemaDrift.Compare(typeof(Scenario), schema);

        Assert.Contains("$.description: read from Description but missing from the schema", problems);
        Assert.Contains("$.colour: in the schema but not a field of the model", problems);
        Assert.Contains("$.seed: the reader takes Integer, the schema Number", problems);
        Assert.Contains("$.modes[]: the reader takes non-streaming|streaming|batch-api, the schema streaming", problems);
        Assert.Contains("$.target: the schema must say additionalProperties: false (the reader rejects unknown fields)", problems);
        Assert.Contains("$.request.prompt_tokens: read from PromptTokens but missing from the schema", problems);
        Assert.Contains("$.slos: the schema does not say what the items are", problems);
    }
}
