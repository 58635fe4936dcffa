using Bench.Core.Configuration;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Scenarios;

/// <summary>Fractions are checked as fractions: <c>[Range(0, 1)]</c> on a double compares the value converted to an
/// int (1.4 → 1 passes, 0.5 → 0 fails an exclusive minimum), so every fraction field takes double bounds.</summary>
public sealed class ScenarioFractionTests
{
    private static string Scenario(string extra) =>
        $$"""{ "models": ["m"], "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 1 } ], {{extra}} }""";

    [Theory]
    [InlineData("""
        "faults": [ { "kind": "stall", "rate": 1.4 } ]
        """, "$.faults[0].rate: must be a probability between 0 and 1")]
    [InlineData("""
        "faults": [ { "kind": "stall", "at": 1.3 } ]
        """, "$.faults[0].at: must be a fraction of the answer between 0 and 1")]
    [InlineData("""
        "slos": [ { "name": "s", "min_success_rate": 1.2 } ]
        """, "$.slos[0].min_success_rate: must be between 0 and 1")]
    [InlineData("""
        "resilience": [ { "name": "b", "circuit_breaker": { "failure_ratio": 1.5 } } ]
        """, "$.resilience[0].circuit_breaker.failure_ratio: must be in (0, 1]")]
    public void Parse_FractionAboveOne_IsRefused(string extra, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(Scenario(extra), "s.json"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FractionsInside_AreAccepted()
    {
        var scenario = ScenarioLoader.Parse(Scenario("""
            "faults": [ { "kind": "stall", "rate": 0.5, "at": 0.25 } ],
            "slos": [ { "name": "s", "min_success_rate": 0.995 } ],
            "resilience": [ { "name": "b", "circuit_breaker": { "failure_ratio": 0.5 } } ]
            """), "s.json");

        Assert.Equal(0.5, scenario.Resilience[0].CircuitBreaker!.FailureRatio);
        Assert.Equal(0.25, scenario.Faults[0].At);
    }
}
