using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Scenarios;

/// <summary>The traffic-class fields survive run.json: <c>bench run</c> writes the scenario with
/// <see cref="ScenarioWriter"/> and the report reads its classes back from there (<c>ReportBuilder.ScenarioOf</c>), so a
/// field the writer drops is a class the plan never sees (found by eng/budget-check: the default run's report said its
/// SLO sets give no share while scenarios/default.json gives 30 % and 70 %).</summary>
public sealed class TrafficClassRoundTripTests
{
    private const string Workload = """ "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 1 } ] """;

    [Fact]
    public void Shares_AndTurnaround_ReadBackFromRunJson()
    {
        var scenario = ScenarioLoader.Parse($$"""
            { "models": ["m"], {{Workload}}, "slos": [
              { "name": "interactive", "max_ms": { "ttft_ms": 500 }, "share": 30 },
              { "name": "background", "min_success_rate": 0.99, "share": 70, "max_turnaround_h": 24 } ] }
            """, "s.json");

        var again = ScenarioLoader.Parse(ScenarioWriter.ToJson(scenario).GetRawText(), "run.json");

        Assert.Equal(scenario.Slos.Select(s => (s.Name, s.Percentile, s.MinSuccessRate, s.MaxMs.Count, s.Share, s.MonthlyRequests, s.MaxTurnaroundH)),
            again.Slos.Select(s => (s.Name, s.Percentile, s.MinSuccessRate, s.MaxMs.Count, s.Share, s.MonthlyRequests, s.MaxTurnaroundH)));
        Assert.Equal([30m, 70m], again.Slos.Select(s => s.Share!.Value));
        Assert.Equal(24, again.Slos[1].MaxTurnaroundH);
    }

    [Fact]
    public void OwnVolumes_ReadBackFromRunJson()
    {
        var scenario = ScenarioLoader.Parse($$"""
            { "models": ["m"], {{Workload}}, "slos": [
              { "name": "a", "min_success_rate": 0.9, "monthly_requests": 250000 },
              { "name": "b", "min_success_rate": 0.9, "monthly_requests": 750000 } ] }
            """, "s.json");

        var again = ScenarioLoader.Parse(ScenarioWriter.ToJson(scenario).GetRawText(), "run.json");

        Assert.Equal([250_000m, 750_000m], again.Slos.Select(s => s.MonthlyRequests!.Value));
        Assert.All(again.Slos, s => Assert.Null(s.Share));
    }
}
