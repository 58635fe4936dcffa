using Bench.Core.Configuration;
using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Scenarios;

public sealed class BatchScenarioTests
{
    private static string Json(string target, string batch) => $$"""
        {
          "name": "b",
          "target": {{target}},
          "models": ["gpt-4.1"],
          "modes": ["streaming", "batch-api"],
          "workload": [ { "type": "iterations_for_constant", "copies": 2, "iterations": 8 } ],
          "batch": {{batch}}
        }
        """;

    [Fact]
    public void Parse_TimeScaleWithARealTarget_RefusedAtItsPath()
    {
        var error = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(Json("""{ "base_url": "https://api.openai.com/v1" }""", """{ "time_scale": 600 }"""), "b.json"));

        var problem = Assert.Single(error.Errors);
        Assert.Equal("$.batch.time_scale", problem.Path);
        Assert.Contains("only the embedded simulator's batch clock can run faster", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TimeScaleUnsetWithARealTarget_AcceptedAndTheSimulatorDefaultIs600()
    {
        var scenario = ScenarioLoader.Parse(Json("""{ "base_url": "https://api.openai.com/v1" }""", "{}"), "b.json");

        Assert.Null(scenario.Batch.TimeScale);
        Assert.Equal(600, scenario.Batch.EffectiveTimeScale);
    }

    [Fact]
    public void Create_BatchFlags_ReplaceTheScenariosBatchSection()
    {
        var scenario = ScenarioLoader.Parse(Json("""{ "simulator": true }""", """{ "poll_interval_s": 1, "max_poll_interval_s": 30 }"""), "b.json");

        var plan = Plan.Create(scenario, new PlanOverrides { BatchPollIntervalS = 90, BatchTimeoutS = 120, BatchOnTimeout = BatchTimeoutAction.Leave }, "b.json");

        Assert.Equal(90, plan.Scenario.Batch.PollIntervalS);
        Assert.Equal(90, plan.Scenario.Batch.MaxPollIntervalS); // raised to the first interval asked for
        Assert.Equal(120, plan.Scenario.Batch.TimeoutS);
        Assert.Equal(BatchTimeoutAction.Leave, plan.Scenario.Batch.OnTimeout);
        Assert.Equal([Mode.Streaming], plan.SynchronousCells.Select(c => c.Mode));
        Assert.Equal(8, plan.BatchLines);
    }
}
