using Bench.Core.Configuration;
using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Planning;

/// <summary>A plan over several targets: cells target × model × mode, the same cell of every target side by side in
/// each replicate, and the flags that pick or replace targets.</summary>
public class PlanTargetsTests
{
    private const string File = "t.json";

    private static Scenario TwoTargets() => new()
    {
        Name = "relay",
        Targets = [new TargetSpec { Name = "direct" }, new TargetSpec { Name = "relay", AddedLatencyMs = 40 }],
        Models = ["a", "b"],
        Modes = [Mode.Streaming, Mode.NonStreaming],
        Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 2 }],
    };

    [Fact]
    public void Create_TwoTargets_CellsTargetInnermostAndTextTargetFirst()
    {
        var plan = Plan.Create(TwoTargets(), PlanOverrides.None, File);

        Assert.Equal(["direct", "relay"], plan.Targets);
        Assert.Equal(
            ["direct · a · streaming", "relay · a · streaming", "direct · a · non-streaming", "relay · a · non-streaming",
             "direct · b · streaming", "relay · b · streaming", "direct · b · non-streaming", "relay · b · non-streaming"],
            plan.Cells.Select(c => c.ToString()));
        Assert.StartsWith("relay — 8 cells (targets direct, relay × a, b × streaming, non-streaming); ", plan.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_Repeat2_TargetsInterleavedInsideEachReplicate()
    {
        var plan = Plan.Create(TwoTargets() with { Models = ["a"], Modes = [Mode.Streaming] }, new PlanOverrides { Repeat = 2 }, File);

        Assert.Equal(
            ["direct · a · streaming (replicate 1)", "relay · a · streaming (replicate 1)", "direct · a · streaming (replicate 2)", "relay · a · streaming (replicate 2)"],
            plan.SynchronousOrder.Select(p => p.ToString()));
    }

    [Fact]
    public void Create_TargetServesSomeModels_OnlyThoseCells()
    {
        var scenario = TwoTargets() with
        {
            Modes = [Mode.Streaming],
            Targets = [new TargetSpec { Name = "direct" }, new TargetSpec { Name = "relay", Models = ["b"] }],
        };

        var plan = Plan.Create(scenario, PlanOverrides.None, File);

        Assert.Equal(["direct · a · streaming", "direct · b · streaming", "relay · b · streaming"], plan.Cells.Select(c => c.ToString()));
    }

    [Fact]
    public void Create_TargetsFlag_KeepsOnlyThose()
    {
        var plan = Plan.Create(TwoTargets(), new PlanOverrides { Targets = ["relay"] }, File);

        Assert.Equal(["relay"], plan.Targets);
        Assert.All(plan.Cells, c => Assert.Equal("relay", c.Target));
    }

    [Fact]
    public void Create_TargetsFlagUnknownName_ErrorNamesTheTargets()
    {
        var e = Assert.Throws<ConfigException>(() => Plan.Create(TwoTargets(), new PlanOverrides { Targets = ["nope"] }, File));

        var error = Assert.Single(e.Errors);
        Assert.Equal("--targets", error.Path);
        Assert.Contains("direct, relay", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--base-url")]
    [InlineData("--api-key-file")]
    public void Create_SingleTargetFlagWithTargetsList_ErrorSaysEditOrPick(string flag)
    {
        var overrides = flag == "--base-url" ? new PlanOverrides { BaseUrl = new Uri("https://x.example/v1") } : new PlanOverrides { ApiKeyFile = "k" };

        var e = Assert.Throws<ConfigException>(() => Plan.Create(TwoTargets(), overrides, File));

        var error = Assert.Single(e.Errors);
        Assert.Equal(flag, error.Path);
        Assert.Contains("--targets", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_BaseUrlOnSingleTarget_ReplacesItAndNamesTheHost()
    {
        var scenario = TwoTargets() with { Targets = [] };

        var plan = Plan.Create(scenario, new PlanOverrides { BaseUrl = new Uri("https://api.openai.com/v1") }, File);

        Assert.Equal(["api.openai.com"], plan.Targets);
        Assert.Equal("api.openai.com · a · streaming", plan.Cells[0].ToString());
        Assert.DoesNotContain("targets", plan.Description, StringComparison.Ordinal);
    }
}
