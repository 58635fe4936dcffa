using Bench.Core.Configuration;
using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Running;
using Bench.Harness.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Bench.Harness.Tests.Running;

/// <summary><c>bench run --shard I/N</c> and <c>--start-at</c> on the embedded simulator: three shards send the
/// unsharded run's requests, each folder's run.json says which shard it is, when it started and how its clock compares;
/// a sweep, a resumed shard and a start more than 24 h ahead are refused before anything is sent.</summary>
[Collection(WholeRuns.Name)]
public sealed class ShardRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-shard-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Scenario Tiny() => new()
    {
        Name = "shard-test",
        Target = new TargetSpec { Profiles = Path.Combine(RepoPaths.Root, "scenarios", "profiles") },
        Models = ["fixed-100ms"],
        Modes = [Mode.Streaming, Mode.NonStreaming],
        Request = new RequestShape { InputTokens = new LengthDistribution { Kind = DistributionKind.Uniform, Min = 5, Max = 300 }, MaxTokens = 8, TimeoutS = 30 },
        Workload =
        [
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 2, Warmup = true },
            new WorkloadStep { Kind = StepKind.IterationsForInject, Rate = 40, Iterations = 10 },
        ],
    };

    private Task<RunOutcome> RunAsync(string directory, PlanOverrides overrides, TextWriter? error = null) =>
        RunHarness.RunAsync(Plan.Create(Tiny(), overrides, "<test>"), null,
            new RunRequest { OutputDirectory = directory, Preflight = false, Overrides = overrides }, new StringWriter(), error ?? TextWriter.Null, CancellationToken.None);

    [Fact]
    public async Task ThreeShards_TogetherSendTheUnshardedRequests_EachSaysWhichItIs()
    {
        Assert.Equal(ExitCodes.Success, (await RunAsync(Path.Combine(_dir, "whole"), PlanOverrides.None)).ExitCode);
        var whole = RecordsReader.ReadAll(Path.Combine(_dir, "whole", ResultsDirectory.RecordsFile));
        var past = DateTimeOffset.UtcNow.AddSeconds(-3);
        var union = new List<RequestRecord>();
        for (var i = 1; i <= 3; i++)
        {
            var folder = Path.Combine(_dir, $"shard-{i}");
            Assert.Equal(ExitCodes.Success, (await RunAsync(folder, new PlanOverrides { Shard = new ShardSpec(i, 3), StartAt = past })).ExitCode);
            var records = RecordsReader.ReadAll(Path.Combine(folder, ResultsDirectory.RecordsFile));
            var shard = i;
            Assert.All(records, r => Assert.Equal(shard, r.Shard));
            union.AddRange(records);
            var run = ResultsDirectory.ReadRunInfo(folder)!;
            Assert.Equal(i, run.Shard!.Index);
            Assert.Equal(3, run.Shard.Count);
            Assert.Equal(past, run.Shard.StartAtUtc);
            Assert.True(run.Shard.StartLatenessMs >= 3000, $"lateness {run.Shard.StartLatenessMs} ms");
            Assert.Equal(0, run.Shard.ClockOffsetMs);
            Assert.Contains("same host clock", run.Shard.ClockNote, StringComparison.Ordinal);
        }

        // 2 cells × (2 warm-up + 10): ids 0..23 once each, with the unsharded run's phase, cell and drawn lengths.
        Assert.Equal(24, whole.Count);
        static object Key(RequestRecord r) => (r.Id, r.Phase, r.Model, r.Mode, r.IntendedPromptTokens, r.IntendedCompletionTokens);
        Assert.Equal(whole.Select(Key).Order(), union.Select(Key).Order());
        Assert.Equal(whole.Count(r => r.Outcome == Outcome.Success), union.Count(r => r.Outcome == Outcome.Success));
        Assert.Null(ResultsDirectory.ReadRunInfo(Path.Combine(_dir, "whole"))!.Shard);
    }

    [Fact]
    public async Task ShardWithASweep_IsRefusedNamingTheFlag()
    {
        var file = Path.Combine(RepoPaths.Root, "scenarios", "sweep.json");
        var e = Assert.Throws<ConfigException>(() => Plan.Create(ScenarioLoader.Load(file), new PlanOverrides { Shard = new ShardSpec(1, 2) }, file));
        Assert.Contains("--shard", e.Message, StringComparison.Ordinal);
        Assert.Contains("sweep", e.Message, StringComparison.Ordinal);
        var plan = Plan.Create(ScenarioLoader.Load(file), PlanOverrides.None, file);
        Assert.DoesNotContain("shard", plan.Description, StringComparison.Ordinal);
        var second = Plan.Create(Tiny(), new PlanOverrides { Shard = new ShardSpec(2, 3) }, "<test>");
        Assert.EndsWith("; shard 2/3", second.Description, StringComparison.Ordinal);
        // Its share of each step's count: warm-up 1 of 2 (k = 1), measured 3 of 10 (k = 1, 4, 7), so its cells are not partial.
        Assert.Equal(4, second.ExpectedRequestsPerCell);
        Assert.Equal(12, Plan.Create(Tiny(), PlanOverrides.None, "<test>").ExpectedRequestsPerCell);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task StartAtMoreThanADayAhead_IsRefusedBeforeAnythingIsSent()
    {
        var error = new StringWriter();
        var folder = Path.Combine(_dir, "far");
        var outcome = await RunAsync(folder, new PlanOverrides { Shard = new ShardSpec(1, 2), StartAt = DateTimeOffset.UtcNow.AddHours(25) }, error);
        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("--start-at", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, ResultsDirectory.RecordsFile)));
    }

    [Fact]
    public async Task ResumingAShard_IsRefused()
    {
        var folder = Path.Combine(_dir, "s2");
        Assert.Equal(ExitCodes.Success, (await RunAsync(folder, new PlanOverrides { Shard = new ShardSpec(2, 2) })).ExitCode);
        var error = new StringWriter();
        var outcome = await RunHarness.RunAsync(new RunRequest { ResumeDirectory = folder, Preflight = false }, new StringWriter(), error, CancellationToken.None);
        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("shard 2/2", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void StartAt_MoreThanADayAhead_IsRefused()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));

        Assert.Null(ShardStart.Refusal(time.GetUtcNow().AddHours(23), time));
        Assert.NotNull(ShardStart.Refusal(time.GetUtcNow().AddHours(24.5), time));
    }
}
