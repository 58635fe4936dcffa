using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Tests.TestSupport;

namespace Bench.Harness.Tests.Running;

/// <summary><c>cell_requests</c> end to end on the embedded simulator: each cell sends what its entry says (a shared
/// prefix the simulator caches, drawn lengths it honours with <c>ignore_eos</c>), in a batch-api cell too; a cell no
/// entry names sends the scenario's classic request.</summary>
[Collection(WholeRuns.Name)]
public sealed class CellRequestRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-cell-requests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_EachCellSendsItsEntrysRequest_AndTheRestTheScenarios()
    {
        var fixedAt = LengthDistribution.FixedAt;
        var scenario = new Scenario
        {
            Name = "cell-requests",
            Target = new TargetSpec { Profiles = Path.Combine(RepoPaths.Root, "scenarios", "profiles") },
            Models = ["fixed-100ms"],
            Modes = [Mode.Streaming, Mode.NonStreaming, Mode.BatchApi],
            Request = new RequestShape { PromptTokens = 20, MaxTokens = 32, TimeoutS = 30 },
            CellRequests =
            [
                new CellRequestSpec
                {
                    Cells = ["*:streaming"],
                    Request = new CellRequestShape { SharedPrefix = new SharedPrefixSpec { Tokens = 1100 }, OutputTokens = fixedAt(12), IgnoreEos = true },
                },
                new CellRequestSpec { Cells = ["fixed-*:batch-api"], Request = new CellRequestShape { InputTokens = fixedAt(50), OutputTokens = fixedAt(7), IgnoreEos = true } },
            ],
            Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 6 }],
            Batch = new BatchSpec { PollIntervalS = 0.05, MaxPollIntervalS = 0.2 },
        };
        var output = new StringWriter();
        var error = new StringWriter();

        var result = await TestRuns.RunAsync(scenario, null, _dir, output, CancellationToken.None, error: error);

        Assert.True(result.ExitCode == 0, output + "\n" + error);
        var records = RecordsReader.ReadAll(Path.Combine(_dir, ResultsDirectory.RecordsFile));
        var streaming = records.Where(r => r.Mode == Mode.Streaming).OrderBy(r => r.Id).ToList();
        var whole = records.Where(r => r.Mode == Mode.NonStreaming).ToList();
        var lines = records.Where(r => r.Mode == Mode.BatchApi).ToList();
        Assert.Equal((6, 6, 6), (streaming.Count, whole.Count, lines.Count));
        Assert.All(records, r => Assert.Equal(Outcome.Success, r.Outcome));

        // Streaming: the prefix (one group), 12 answer tokens asked and given; after the first request the simulator's
        // prefix cache holds the prefix, so every later one reports cached prompt tokens.
        Assert.All(streaming, r => Assert.Equal((0, 12, 12), (r.PrefixGroup, r.IntendedCompletionTokens, r.CompletionTokens)));
        Assert.All(streaming, r => Assert.True(r.PromptTokens > 1100, $"{r.PromptTokens} prompt tokens"));
        Assert.All(streaming.Skip(1), r => Assert.True(r.CachedTokens >= 1024, $"request {r.Id}: {r.CachedTokens} cached"));

        // Batch-api: its own entry (picked by the batch-api mode, though the line is a non-streaming body).
        Assert.All(lines, r => Assert.Equal((50, 7, 7), (r.IntendedPromptTokens, r.IntendedCompletionTokens, r.CompletionTokens)));
        Assert.All(lines, r => Assert.Null(r.PrefixGroup));

        // Non-streaming: no entry names it, so the classic request: nothing intended, no prefix, 20 prompt tokens.
        Assert.All(whole, r => Assert.Equal((null, null, null), (r.IntendedPromptTokens, r.IntendedCompletionTokens, r.PrefixGroup)));
        Assert.All(whole, r => Assert.InRange(r.PromptTokens!.Value, 20, 40));
        Assert.Contains("; for *:streaming: prompt 20 tokens behind a shared prefix of 1100 tokens", output.ToString(), StringComparison.Ordinal);
    }
}
