using Bench.Core.Configuration;
using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Planning;

/// <summary><c>repeat</c> and <c>--repeat N</c>: the plan's replicates and the order they run in.</summary>
public sealed class PlanReplicatesTests
{
    private const string File = "scenario.json";

    private static Scenario TwoByTwo() => new()
    {
        Name = "two",
        Models = ["a", "b"],
        Modes = [Mode.Streaming, Mode.NonStreaming],
        Workload =
        [
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 1, Warmup = true },
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 2, Iterations = 4 },
        ],
    };

    [Fact]
    public void Create_Repeat3_EveryCellOfReplicateRBeforeAnyOfReplicateRPlus1()
    {
        var plan = Plan.Create(TwoByTwo(), new PlanOverrides { Repeat = 3 }, File);

        PlanCell aS = new("a", Mode.Streaming, Target: "simulator"), aN = new("a", Mode.NonStreaming, Target: "simulator"), bS = new("b", Mode.Streaming, Target: "simulator"), bN = new("b", Mode.NonStreaming, Target: "simulator");
        Assert.Equal(3, plan.Repeat);
        Assert.Equal(
            [new(aS, 1), new(aN, 1), new(bS, 1), new(bN, 1),
             new(aS, 2), new(aN, 2), new(bS, 2), new(bN, 2),
             new(aS, 3), new(aN, 3), new(bS, 3), new(bN, 3)],
            plan.SynchronousOrder);
        // Each replicate runs a plain run's steps and counts: warm-up included.
        Assert.Equal(5, plan.ExpectedRequestsPerCell);
        Assert.Equal(2, plan.Steps.Count);
        Assert.EndsWith("; 3 replicates, interleaved by cell", plan.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NoRepeat_OrderIsTheCellsWithoutReplicateAndDescriptionUnchanged()
    {
        var plain = Plan.Create(TwoByTwo(), PlanOverrides.None, File);
        var one = Plan.Create(TwoByTwo(), new PlanOverrides { Repeat = 1 }, File);

        Assert.Equal(1, plain.Repeat);
        Assert.Equal(plain.SynchronousCells.Select(c => new PlannedCell(c, null)), plain.SynchronousOrder);
        Assert.Equal(plain.SynchronousOrder, one.SynchronousOrder);
        Assert.Equal(plain.Description, one.Description);
        Assert.DoesNotContain("replicate", plain.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ScenarioRepeat_IsUsedAndTheFlagWins()
    {
        Assert.Equal(4, Plan.Create(TwoByTwo() with { Repeat = 4 }, PlanOverrides.None, File).Repeat);
        Assert.Equal(2, Plan.Create(TwoByTwo() with { Repeat = 4 }, new PlanOverrides { Repeat = 2 }, File).Repeat);
    }

    [Fact]
    public void Create_BatchApiCell_IsNotRepeatedAndTheDescriptionSaysSo()
    {
        var plan = Plan.Create(TwoByTwo() with { Models = ["a"], Modes = [Mode.Streaming, Mode.BatchApi] }, new PlanOverrides { Repeat = 2 }, File);

        Assert.Equal([new(new PlanCell("a", Mode.Streaming, Target: "simulator"), 1), new(new PlanCell("a", Mode.Streaming, Target: "simulator"), 2)], plan.SynchronousOrder);
        Assert.Equal([new PlanCell("a", Mode.BatchApi, Target: "simulator")], plan.BatchCells);
        Assert.Contains("2 replicates, interleaved by cell (batch-api cells run once, in replicate 1)", plan.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public void Create_RepeatOutOfBounds_NamesTheFlag(int repeat)
    {
        var e = Assert.Throws<ConfigException>(() => Plan.Create(TwoByTwo(), new PlanOverrides { Repeat = repeat }, File));

        Assert.Equal([new ConfigError("<command line>", "--repeat",
            $"must be between 1 and 1,000 replicates (each reruns every cell; replicate statistics settle within tens) (got {repeat})")], e.Errors);
    }

    [Fact]
    public void Parse_RepeatZeroInAFile_NamesItsPath()
    {
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Parse(
            """{ "models": ["a"], "repeat": 0, "workload": [{ "type": "iterations_for_constant", "copies": 1, "iterations": 1 }] }""", File));

        var error = Assert.Single(e.Errors);
        Assert.Equal((File, "$.repeat"), (error.File, error.Path));
        Assert.StartsWith("must be between 1 and 1,000 replicates", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_RepeatWrittenOnlyWhenNotOne_AndReadBack()
    {
        Assert.False(ScenarioWriter.ToJson(TwoByTwo()).TryGetProperty("repeat", out _));
        var json = ScenarioWriter.ToJson(TwoByTwo() with { Repeat = 5 });

        Assert.Equal(5, json.GetProperty("repeat").GetInt32());
        Assert.Equal(5, ScenarioLoader.Parse(json.GetRawText(), File).Repeat);
    }
}
