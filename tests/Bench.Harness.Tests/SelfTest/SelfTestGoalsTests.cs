using Bench.Harness.SelfTest;

namespace Bench.Harness.Tests.SelfTest;

public sealed class SelfTestGoalsTests
{
    private static CeilingStep Step(string client, int concurrency, double eventsPerS, double cpuUsPerEvent) => new()
    {
        Client = client,
        Mode = "streaming",
        Concurrency = concurrency,
        EventsPerS = eventsPerS,
        ClientCpuUsPerEvent = cpuUsPerEvent,
    };

    private static SelfTestResult Result(CeilingResult? ceiling, WrkResult? wrk) => new()
    {
        RunId = "r",
        CommandLine = "bench selftest",
        Versions = [],
        Machine = [],
        Ceiling = ceiling,
        Wrk = wrk,
    };

    [Fact]
    public void Evaluate_BenchPeakAndSdkRatioAndWrkShare_ReadFromTheRightSteps()
    {
        var ceiling = new CeilingResult
        {
            Model = SelfTestProfiles.FastModel,
            Steps =
            [
                Step(ClientCeiling.BenchClient, 256, 400_000, 1.40),
                Step(ClientCeiling.BenchClient, 512, 600_000, 0.90),
                Step(ClientCeiling.BenchClient, 1024, 580_000, 0.80),
                Step(ClientCeiling.SdkClient, 256, 300_000, 4.00),
                Step(ClientCeiling.SdkClient, 512, 280_000, 3.00),
            ],
        };
        var wrk = new WrkResult { Ran = true, Connections = 64, RequestsPerS = 40_000, Bench = new CeilingStep { Client = "bench", Mode = "non-streaming", RequestsPerS = 26_000 } };

        var goals = SelfTestGoals.Evaluate(Result(ceiling, wrk));

        Assert.Equal(3, goals.Count);
        // Bench's peak is the step with the most events/s (512), not the cheapest one (1024).
        Assert.True(goals[0].Met);
        Assert.Contains("0.90 µs at concurrency 512", goals[0].Measured, StringComparison.Ordinal);
        // The SDK ratio at the highest concurrency both measured (512): 3.00 / 0.90 = 3.3×.
        Assert.True(goals[1].Met);
        Assert.Contains("3.3× fewer", goals[1].Measured, StringComparison.Ordinal);
        // 26,000 / 40,000 = 65 %.
        Assert.True(goals[2].Met);
        Assert.Contains("65 %", goals[2].Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_GoalsMissed_SaySo()
    {
        var ceiling = new CeilingResult
        {
            Model = SelfTestProfiles.FastModel,
            Steps = [Step(ClientCeiling.BenchClient, 512, 500_000, 1.60), Step(ClientCeiling.SdkClient, 512, 200_000, 4.00)],
        };
        var wrk = new WrkResult { Ran = true, Connections = 64, RequestsPerS = 40_000, Bench = new CeilingStep { Client = "bench", Mode = "non-streaming", RequestsPerS = 20_000 } };

        var goals = SelfTestGoals.Evaluate(Result(ceiling, wrk));

        Assert.All(goals, g => Assert.False(g.Met, g.Name));
    }

    [Fact]
    public void Evaluate_NothingMeasured_NoClaim()
    {
        var goals = SelfTestGoals.Evaluate(Result(
            new CeilingResult { Model = SelfTestProfiles.FastModel, SkippedReason = "no child" },
            new WrkResult { Ran = false, SkippedReason = "wrk not installed" }));

        var wrk = Assert.Single(goals);
        Assert.Null(wrk.Met);
        Assert.Contains("wrk not installed", wrk.Measured, StringComparison.Ordinal);
    }
}
