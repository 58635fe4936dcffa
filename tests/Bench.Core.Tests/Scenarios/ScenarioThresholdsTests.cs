using Bench.Core.Configuration;
using Bench.Core.Planning;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Scenarios;

public sealed class ScenarioThresholdsTests
{
    private static string Json(string thresholds) => $$"""
        {
          "name": "t",
          "models": ["gpt-4.1", "llama3:8b"],
          "modes": ["streaming", "non-streaming"],
          "workload": [ { "type": "iterations_for_constant", "copies": 2, "iterations": 8 } ],
          "slos": [ { "name": "interactive", "max_ms": { "ttft_ms": 500 } } ],
          "thresholds": {{thresholds}}
        }
        """;

    [Fact]
    public void Parse_Thresholds_ReadsExpressionCellsAndAbortOnFail()
    {
        var scenario = ScenarioLoader.Parse(Json("""
            [ { "expression": "ttft_ms_p95<500" },
              { "expression": "goodput_rps_interactive >= 1", "cells": ["llama3:8b:streaming"], "abort_on_fail": true } ]
            """), "t.json");

        Assert.Equal(2, scenario.Thresholds.Count);
        Assert.False(scenario.Thresholds[0].AbortOnFail);
        Assert.Equal(["llama3:8b:streaming"], scenario.Thresholds[1].Cells);
        Assert.True(scenario.Thresholds[1].AbortOnFail);
        Assert.Equal("llama3:8b", scenario.Thresholds[1].ToThreshold().Cells.Single().Model);
    }

    [Fact]
    public void Parse_BadThresholds_EveryErrorAtItsPath()
    {
        var error = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(Json("""
            [ { "expression": "ttft_ms_p95<500" },
              { "expression": "ttft_ms_p96<500" },
              { "expression": "success_rate>0.9", "cells": ["gpt-4.1:streaming:"] },
              { "expression": "goodput_rps_batchy>1" },
              { "expression": "e2e_ms_p50<1", "abort": true },
              { "cells": ["*"] } ]
            """), "t.json"));

        var byPath = error.Errors.ToDictionary(e => e.Path, e => e.Reason);
        Assert.StartsWith("'ttft_ms_p96<500': unknown metric 'ttft_ms_p96'; nearest known:", byPath["$.thresholds[1].expression"], StringComparison.Ordinal);
        Assert.Equal("is required", byPath["$.thresholds[5].expression"]);
        Assert.Contains("the policy after the mode is empty", byPath["$.thresholds[2].cells[0]"], StringComparison.Ordinal);
        Assert.Contains("names SLO set 'batchy', which is not in $.slos (it declares interactive)", byPath["$.thresholds[3].expression"], StringComparison.Ordinal);
        Assert.True(byPath.ContainsKey("$.thresholds[4].abort"), string.Join("; ", error.Errors));
        Assert.Equal(5, error.Errors.Count);
    }

    [Fact]
    public void PlanCreate_ASelectorThatMatchesNoCell_IsBadInputAtItsPath()
    {
        var scenario = ScenarioLoader.Parse(Json("""[ { "expression": "e2e_ms_p95{gpt-4.1:batch-api}<500" }, { "expression": "e2e_ms_p95<500", "cells": ["*:streaming", "gpt-5*"] } ]"""), "t.json");

        var error = Assert.Throws<ConfigException>(() => Plan.Create(scenario, PlanOverrides.None, "t.json"));

        Assert.Equal(
            [
                new ConfigError("t.json", "$.thresholds[0].expression", "the cell selector 'gpt-4.1:batch-api' matches no cell of the plan (simulator · gpt-4.1 · streaming, simulator · gpt-4.1 · non-streaming, simulator · llama3:8b · streaming, simulator · llama3:8b · non-streaming)"),
                new ConfigError("t.json", "$.thresholds[1].cells[1]", "the cell selector 'gpt-5*' matches no cell of the plan (simulator · gpt-4.1 · streaming, simulator · gpt-4.1 · non-streaming, simulator · llama3:8b · streaming, simulator · llama3:8b · non-streaming)"),
            ],
            error.Errors);
    }

    [Fact]
    public void PlanCreate_ThresholdFlags_AreAddedAfterTheScenarios_AndCheckedUnderTheFlag()
    {
        var scenario = ScenarioLoader.Parse(Json("""[ { "expression": "ttft_ms_p95<500" } ]"""), "t.json");

        var plan = Plan.Create(scenario, new PlanOverrides { Thresholds = ["success_rate>=0.99", "e2e_ms_p99{*:non-streaming}<3000"] }, "t.json");
        Assert.Equal(["ttft_ms_p95<500", "success_rate>=0.99", "e2e_ms_p99{*:non-streaming}<3000"], plan.Scenario.Thresholds.Select(t => t.Expression));

        var bad = Assert.Throws<ConfigException>(() => Plan.Create(scenario, new PlanOverrides { Thresholds = ["success_rate=1", "slo_fast_met==1", "e2e_ms_p99{x:streaming}<1"] }, "t.json"));
        Assert.Equal(["--threshold"], bad.Errors.Select(e => e.Path).Distinct());
        Assert.All(bad.Errors, e => Assert.Equal(PlanOverrides.CommandLine, e.File));
        Assert.Contains("'=' is not an operator; use ==", bad.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Single(bad.Errors); // flag syntax is checked first, before the plan: the others wait for it to be fixed

        var slo = Assert.Throws<ConfigException>(() => Plan.Create(scenario, new PlanOverrides { Thresholds = ["slo_fast_met==1"] }, "t.json"));
        Assert.Contains("names SLO set 'fast', which the scenario does not declare (interactive)", Assert.Single(slo.Errors).Reason, StringComparison.Ordinal);

        var cell = Assert.Throws<ConfigException>(() => Plan.Create(scenario, new PlanOverrides { Thresholds = ["e2e_ms_p99{x:streaming}<1"] }, "t.json"));
        Assert.Equal(new ConfigError(PlanOverrides.CommandLine, "--threshold",
            "'e2e_ms_p99{x:streaming}<1': the cell selector 'x:streaming' matches no cell of the plan (simulator · gpt-4.1 · streaming, simulator · gpt-4.1 · non-streaming, simulator · llama3:8b · streaming, simulator · llama3:8b · non-streaming)"),
            Assert.Single(cell.Errors));
    }
}
