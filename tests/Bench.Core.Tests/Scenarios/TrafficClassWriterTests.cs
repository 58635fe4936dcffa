using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Scenarios;

/// <summary>run.json keeps the scenario's traffic classes (issue 18): <c>bench report</c> reads the scenario back from
/// run.json, so a share, a class volume or a batch turnaround dropped by <see cref="ScenarioWriter"/> would price no plan.</summary>
public sealed class TrafficClassWriterTests
{
    [Fact]
    public void ToJson_TrafficClassFields_SurviveTheRoundTrip()
    {
        const string json = """
            {
              "name": "t", "target": { "simulator": true }, "models": ["gpt-4.1"], "modes": ["streaming"],
              "workload": [{ "type": "iterations_for_constant", "copies": 1, "iterations": 1 }],
              "slos": [
                { "name": "interactive", "max_ms": { "ttft_ms": 500 }, "share": 30 },
                { "name": "background", "min_success_rate": 0.995, "share": 70, "max_turnaround_h": 24 }
              ]
            }
            """;
        var scenario = ScenarioLoader.Parse(json, "t.json");

        var again = ScenarioLoader.Parse(ScenarioWriter.ToJson(scenario).GetRawText(), "run.json");

        Assert.Equal([30m, 70m], again.Slos.Select(s => s.Share));
        Assert.Equal([null, 24.0], again.Slos.Select(s => s.MaxTurnaroundH));
    }

    [Fact]
    public void ToJson_ClassVolumes_SurviveTheRoundTrip()
    {
        const string json = """
            {
              "name": "t", "target": { "simulator": true }, "models": ["gpt-4.1"], "modes": ["streaming"],
              "workload": [{ "type": "iterations_for_constant", "copies": 1, "iterations": 1 }],
              "slos": [
                { "name": "a", "max_ms": { "e2e_ms": 900 }, "monthly_requests": 250000 },
                { "name": "b", "min_success_rate": 0.99, "monthly_requests": 4000000 }
              ]
            }
            """;

        var again = ScenarioLoader.Parse(ScenarioWriter.ToJson(ScenarioLoader.Parse(json, "t.json")).GetRawText(), "run.json");

        Assert.Equal([250_000m, 4_000_000m], again.Slos.Select(s => s.MonthlyRequests));
    }
}
