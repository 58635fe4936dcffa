using Bench.Harness.Running;
using Bench.Harness.Tests.TestSupport;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;

namespace Bench.Harness.Tests.Running;

[Collection(WholeRuns.Name)]
public sealed class RunHarnessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Scenario FixedDelay(params WorkloadStep[] steps) => new()
    {
        Name = "e2e-test",
        Target = new TargetSpec { Profiles = Path.Combine(RepoPaths.Root, "scenarios", "profiles") },
        Models = ["fixed-100ms"],
        Modes = [Mode.Streaming, Mode.NonStreaming],
        Request = new RequestShape { PromptTokens = 20, MaxTokens = 64, TimeoutS = 30 },
        Workload = [.. steps],
        Slos = [new SloSet { Name = "tight", MaxMs = new Dictionary<string, double> { ["ttft_ms"] = 150 }, Percentile = 90 }],
    };

    [Fact]
    public async Task Run_FixedDelayProfile_MeasuresTheDelay_AndWritesEveryFile()
    {
        var scenario = FixedDelay(
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 1, Warmup = true },
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 4, Iterations = 16 });
        var output = new StringWriter();

        var result = await TestRuns.RunAsync(scenario, null, _dir, output, CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        foreach (var file in new[] { "run.json", "records.jsonl", "summary.csv", "summary.json", "report.md" })
        {
            Assert.True(File.Exists(Path.Combine(_dir, file)), file);
        }

        var records = RecordsReader.ReadAll(Path.Combine(_dir, ResultsDirectory.RecordsFile));
        Assert.Equal(34, records.Count); // (1 warm-up + 16) × 2 modes
        Assert.All(records, r => Assert.Equal(Outcome.Success, r.Outcome));

        var aggregator = new RunAggregator();
        records.ForEach(aggregator.Add);
        var streaming = aggregator.Summarize().Single(s => s.Mode == Mode.Streaming);
        var whole = aggregator.Summarize().Single(s => s.Mode == Mode.NonStreaming);

        // The simulator writes the first token 100 ms after the request arrives: the client can only see it later,
        // and on loopback not much later. The upper bound is loose for a busy 2-core machine.
        var ttft = streaming.Get(Metric.Ttft)!;
        Assert.True(ttft.Min >= 99, $"TTFT min {ttft.Min} ms is before the simulator's 100 ms");
        Assert.InRange(ttft.P50, 100, 160);
        Assert.Equal(20, streaming.CompletionTokensMean);
        // The simulator counts the prompt as Bench does locally (issue 15): the family's tokenizer over "request {id}"
        // and the synthetic words (20 in all, one token each), plus the chat overhead (3 for the message, 1 for its
        // role, 3 priming the reply).
        Assert.All(records, r => Assert.Equal(r.TokenizerPromptTokens, r.PromptTokens));
        Assert.Equal(records.Where(r => r.Mode == Mode.Streaming).Average(r => r.TokenizerPromptTokens!.Value), streaming.PromptTokensMean!.Value, 9);
        Assert.InRange(streaming.PromptTokensMean!.Value, 20 + 7, 20 + 7 + 2);
        // 20 tokens at 200 tokens/s: TPOT 5 ms.
        Assert.InRange(streaming.Get(Metric.Tpot)!.P50, 4.5, 8);
        Assert.InRange(whole.Get(Metric.E2e)!.P50, 190, 260);
        Assert.Null(whole.Get(Metric.Ttft));

        Assert.Contains("Results: ", output.ToString(), StringComparison.Ordinal);
        var summary = File.ReadAllLines(Path.Combine(_dir, "summary.csv"));
        Assert.Equal(3, summary.Length); // header + 2 cells
        Assert.StartsWith("target,model,mode,", summary[0], StringComparison.Ordinal);
        Assert.StartsWith("fixed-100ms,streaming,,16,16,1,", summary[1].Split(',', 2)[1], StringComparison.Ordinal); // after the target column
        Assert.Contains("not priced", summary[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownModel_IsABadInputNotACrash()
    {
        var scenario = FixedDelay(new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 1 })
            with { Models = ["no-such-model"] };

        var result = await TestRuns.RunAsync(scenario, null, _dir, new StringWriter(), CancellationToken.None);

        Assert.Equal(2, result.ExitCode);
        Assert.Null(result.Directory);
    }

    [Fact]
    public async Task Run_MissingProfilesFolder_IsABadInputNotACrash()
    {
        var fixedDelay = FixedDelay(new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 1 });
        var scenario = fixedDelay with { Target = fixedDelay.Target with { Profiles = Path.Combine(_dir, "no-profiles") } };

        var result = await TestRuns.RunAsync(scenario, null, _dir, new StringWriter(), CancellationToken.None);

        Assert.Equal(new RunOutcome(ExitCodes.BadInput, null), result);
    }

    [Fact]
    public async Task Run_Cancelled_KeepsCompletedRecords_AndStillReports()
    {
        // Cancelled once records exist (a condition, not a fixed 2 s that a busy machine may spend starting up).
        var scenario = FixedDelay(new WorkloadStep { Kind = StepKind.KeepConstant, Copies = 2, Duration = TimeSpan.FromSeconds(60) });
        using var cts = new CancellationTokenSource();

        var run = TestRuns.RunAsync(scenario, null, _dir, new StringWriter(), cts.Token);
        await RecordsFile.WaitForLinesAsync(_dir, 2);
        await cts.CancelAsync();
        var result = await run;

        Assert.Equal(130, result.ExitCode);
        var records = RecordsReader.ReadAll(Path.Combine(_dir, ResultsDirectory.RecordsFile));
        Assert.True(records.Count >= 2, $"{records.Count} records");
        Assert.True(File.Exists(Path.Combine(_dir, "report.md")));
        var report = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("did not finish", report, StringComparison.Ordinal);
        Assert.Contains("Interrupted (cancelled)", report, StringComparison.Ordinal);
        var info = ResultsDirectory.ReadRunInfo(_dir)!;
        Assert.Equal(InterruptReasons.Cancelled, info.Interrupted);
        Assert.Null(info.EndedUtc);
        // Cancelled during the first cell (a minute long): it and the cell after it are partial.
        Assert.Equal(["simulator fixed-100ms streaming", "simulator fixed-100ms non-streaming"], info.PartialCells);
    }
}
