using Bench.Core.Planning;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Prompts;

/// <summary>The prompt-source fields survive run.json (ScenarioWriter → reader), and a dataset path is made absolute
/// against the scenario file by the plan (or against the working directory for <c>--dataset</c>).</summary>
public sealed class PromptScenarioTests
{
    private const string Json = """
        { "models": ["m"], "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 1 } ],
          "request": {
            "input_tokens": { "type": "histogram", "bins": [ { "from": 10, "to": 20, "weight": 2 }, { "from": 100, "to": 200, "weight": 0.5 } ], "max": 150 },
            "output_tokens": { "type": "log_normal", "median": 200, "sigma": 0.7, "min": 5 },
            "ignore_eos": true,
            "shared_prefix": { "tokens": 1024, "fraction": 0.8, "groups": 4 },
            "dataset": { "path": "data/prompts.jsonl", "format": "messages" }
          } }
        """;

    [Fact]
    public void Writer_RoundTripsEverySourceField()
    {
        var scenario = ScenarioLoader.Parse(Json, "s.json");

        var again = ScenarioLoader.Parse(ScenarioWriter.ToJson(scenario).GetRawText(), "run.json");

        Assert.Equal(scenario.Request.InputTokens!.Kind, again.Request.InputTokens!.Kind);
        Assert.Equal(scenario.Request.InputTokens.Bins, again.Request.InputTokens.Bins);
        Assert.Equal(150, again.Request.InputTokens.Max);
        Assert.Equal(scenario.Request.OutputTokens!.Median, again.Request.OutputTokens!.Median);
        Assert.Equal(0.7, again.Request.OutputTokens.Sigma);
        Assert.Equal(5, again.Request.OutputTokens.Min);
        Assert.True(again.Request.IgnoreEos);
        Assert.Equal(scenario.Request.SharedPrefix, again.Request.SharedPrefix);
        Assert.Equal(scenario.Request.Dataset, again.Request.Dataset);
    }

    [Fact]
    public void Writer_ClassicScenario_WritesNoSourceField()
    {
        var scenario = ScenarioLoader.Parse("""{ "models": ["m"], "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 1 } ] }""", "s.json");

        var request = ScenarioWriter.ToJson(scenario).GetProperty("request");

        foreach (var field in new[] { "input_tokens", "output_tokens", "ignore_eos", "shared_prefix", "dataset" })
        {
            Assert.False(request.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public void Plan_ResolvesTheDatasetBesideTheScenario_AndTheFlagFromTheWorkingDirectory()
    {
        var scenarioFile = Path.Combine(Path.GetTempPath(), "bench-plan", "s.json");
        var scenario = ScenarioLoader.Parse(Json, scenarioFile);

        var plan = Plan.Create(scenario, PlanOverrides.None, scenarioFile);
        var flagged = Plan.Create(scenario, new PlanOverrides { Dataset = "mine.jsonl" }, scenarioFile);

        Assert.Equal(Path.Combine(Path.GetTempPath(), "bench-plan", "data", "prompts.jsonl"), plan.Scenario.Request.Dataset!.Path);
        Assert.Equal(Path.GetFullPath("mine.jsonl"), flagged.Scenario.Request.Dataset!.Path);
        Assert.Null(flagged.Scenario.Request.Dataset.Format);
    }
}
