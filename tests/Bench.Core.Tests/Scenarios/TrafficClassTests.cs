using Bench.Core.Configuration;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Scenarios;

/// <summary>SLO sets as traffic classes (issue 18): <c>share</c>, <c>monthly_requests</c>, <c>max_turnaround_h</c> and
/// the rules across sets.</summary>
public sealed class TrafficClassTests
{
    private static string Scenario(string slos) =>
        $$"""{ "models": ["m"], "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 1 } ], "slos": [ {{slos}} ] }""";

    private static string Refused(string slos) => Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(Scenario(slos), "s.json")).Message;

    [Fact]
    public void Shares_AddingTo100_WithATurnaround_AreRead()
    {
        var scenario = ScenarioLoader.Parse(Scenario("""
            { "name": "interactive", "max_ms": { "ttft_ms": 500 }, "share": 30 },
            { "name": "background", "min_success_rate": 0.99, "share": 70, "max_turnaround_h": 24 }
            """), "s.json");

        Assert.Equal([30m, 70m], scenario.Slos.Select(s => s.Share!.Value));
        Assert.Equal(24, scenario.Slos[1].MaxTurnaroundH);
        Assert.Null(scenario.Slos[0].MaxTurnaroundH);
    }

    [Fact]
    public void Writer_KeepsTheClassFields_SoRunJsonRebuildsThePlan()
    {
        var original = ScenarioLoader.Parse(Scenario("""
            { "name": "a", "min_success_rate": 0.9, "monthly_requests": 250000, "max_turnaround_h": 24 },
            { "name": "b", "min_success_rate": 0.9, "monthly_requests": 750000 }
            """), "s.json");

        var again = ScenarioLoader.Parse(ScenarioWriter.ToJson(original).GetRawText(), "run.json");

        Assert.Equal([250_000m, 750_000m], again.Slos.Select(s => s.MonthlyRequests!.Value));
        Assert.Equal(24, again.Slos[0].MaxTurnaroundH);
        var shares = ScenarioLoader.Parse(ScenarioWriter.ToJson(ScenarioLoader.Parse(Scenario("""
            { "name": "a", "min_success_rate": 0.9, "share": 30 }, { "name": "b", "min_success_rate": 0.9, "share": 70 }
            """), "s.json")).GetRawText(), "run.json");
        Assert.Equal([30m, 70m], shares.Slos.Select(s => s.Share!.Value));
    }

    [Fact]
    public void OwnVolumes_OnEverySet_AreRead()
    {
        var scenario = ScenarioLoader.Parse(Scenario("""
            { "name": "a", "min_success_rate": 0.9, "monthly_requests": 250000 },
            { "name": "b", "min_success_rate": 0.9, "monthly_requests": 750000 }
            """), "s.json");

        Assert.Equal([250_000m, 750_000m], scenario.Slos.Select(s => s.MonthlyRequests!.Value));
    }

    [Fact]
    public void OnlyATurnaround_IsAThreshold()
    {
        var scenario = ScenarioLoader.Parse(Scenario("""{ "name": "overnight", "max_turnaround_h": 12 }"""), "s.json");

        Assert.Equal(12, Assert.Single(scenario.Slos).MaxTurnaroundH);
    }

    [Theory]
    [InlineData("""{ "name": "a", "min_success_rate": 0.9, "share": 30 }, { "name": "b", "min_success_rate": 0.9, "share": 60 }""",
        "the SLO sets' shares add up to 90 %; they must add up to 100 %")]
    [InlineData("""{ "name": "a", "min_success_rate": 0.9, "share": 30 }, { "name": "b", "min_success_rate": 0.9 }""",
        "1 of 2 SLO sets give a share; give a share to every set (b lack one) or to none")]
    [InlineData("""{ "name": "a", "min_success_rate": 0.9, "monthly_requests": 10 }, { "name": "b", "min_success_rate": 0.9 }""",
        "1 of 2 SLO sets give monthly_requests")]
    [InlineData("""{ "name": "a", "min_success_rate": 0.9, "share": 100, "monthly_requests": 10 }""",
        "give either share (percent of --monthly-requests) or monthly_requests, not both")]
    [InlineData("""{ "name": "a", "min_success_rate": 0.9 }, { "name": "a", "min_success_rate": 0.5 }""",
        "the SLO set name 'a' is used twice")]
    [InlineData("""{ "name": "a", "min_success_rate": 0.9, "share": 0 }""", "share: must be a percentage in (0, 100]")]
    [InlineData("""{ "name": "a", "min_success_rate": 0.9, "share": 120 }""", "share: must be a percentage in (0, 100]")]
    [InlineData("""{ "name": "a", "min_success_rate": 0.9, "monthly_requests": 0 }""", "monthly_requests: must be greater than 0")]
    [InlineData("""{ "name": "a", "max_turnaround_h": 0 }""", "max_turnaround_h: must be hours in (0, 8760]")]
    [InlineData("""{ "name": "a", "max_turnaround_h": 9000 }""", "max_turnaround_h: must be hours in (0, 8760]")]
    [InlineData("""{ "name": "a" }""", "needs at least one threshold")]
    public void Refused_WithTheReason(string slos, string expected)
    {
        Assert.Contains(expected, Refused(slos), StringComparison.Ordinal);
    }
}
