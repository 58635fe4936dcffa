using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness;
using Bench.Harness.Tests.TestSupport;

namespace Bench.Harness.Tests.Running;

/// <summary>An open run the client cannot keep, end to end: dropped arrivals are recorded and counted apart, the client's
/// own load is sampled into <c>client.csv</c> and <c>run.json</c>, and the report and the progress line say so.</summary>
public sealed class OverloadRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-overload-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_OpenLoadAboveTheCap_DropsArrivals_SamplesTheClient_AndSaysSo()
    {
        // 20 arrivals per second, one in flight at most, each answer ≥ 100 ms: at least every other arrival finds the
        // slot taken and is dropped, whatever the machine's speed.
        var scenario = new Scenario
        {
            Name = "overload-test",
            Target = new TargetSpec { Profiles = Path.Combine(RepoPaths.Root, "scenarios", "profiles") },
            Models = ["fixed-100ms"],
            Modes = [Mode.NonStreaming],
            Request = new RequestShape { PromptTokens = 20, MaxTokens = 16, TimeoutS = 30 },
            Workload = [new WorkloadStep { Kind = StepKind.Inject, Rate = 20, Duration = TimeSpan.FromSeconds(1), MaxConcurrency = 1 }],
        };
        var output = new StringWriter();

        var result = await TestRuns.RunAsync(scenario, null, _dir, output, CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        var records = RecordsReader.ReadAll(Path.Combine(_dir, ResultsDirectory.RecordsFile));
        var dropped = records.Where(r => r.Outcome == Outcome.Dropped).ToList();
        Assert.InRange(dropped.Count, 10, 19);
        Assert.Equal(20, records.Count);
        Assert.All(dropped, r => Assert.Equal("in-flight cap of 1 reached", r.Error!.Message));
        Assert.All(records.Where(r => r.Outcome != Outcome.Dropped), r => Assert.Equal(Outcome.Success, r.Outcome));

        var run = ResultsDirectory.ReadRunInfo(_dir)!;
        Assert.NotNull(run.Client);
        Assert.Equal(dropped.Count, run.Client!.Dropped);
        Assert.InRange(run.Client.InFlightMax, 0, 1); // never more than the cap
        Assert.True(run.Client.Samples > 0, "a run of a second is sampled every 250 ms");
        var csv = File.ReadAllLines(Path.Combine(_dir, ResultsDirectory.ClientFile));
        Assert.Equal("time_ms,scheduler_lag_ms,cpu_share,thread_pool_queue,thread_pool_threads,in_flight,dropped", csv[0]);
        Assert.Equal(run.Client.Samples, csv.Length - 1);

        var report = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("The client machine, not the endpoint, limited these figures.", report, StringComparison.Ordinal);
        Assert.Contains($"**Dropped arrivals**: {dropped.Count} open arrivals were never sent", report, StringComparison.Ordinal);
        Assert.Contains($"{dropped.Count} dropped", output.ToString(), StringComparison.Ordinal); // the progress line
    }

    [Fact]
    public async Task Run_CancelledWithRequestsInFlight_RecordsThemAsCancelled_OutsideTheStatistics()
    {
        // Four workers that send their next request the moment the last one ends: at the cancellation, requests are in
        // flight (the gap between two requests of a worker is a few µs against their 100+ ms).
        var scenario = new Scenario
        {
            Name = "cancel-test",
            Target = new TargetSpec { Profiles = Path.Combine(RepoPaths.Root, "scenarios", "profiles") },
            Models = ["fixed-100ms"],
            Modes = [Mode.Streaming],
            Request = new RequestShape { PromptTokens = 20, MaxTokens = 16, TimeoutS = 30 },
            Workload = [new WorkloadStep { Kind = StepKind.KeepConstant, Copies = 4, Duration = TimeSpan.FromMinutes(5) }],
        };
        using var cts = new CancellationTokenSource();
        var recordsFile = Path.Combine(_dir, ResultsDirectory.RecordsFile);

        var run = TestRuns.RunAsync(scenario, null, _dir, new StringWriter(), cts.Token);
        while (!run.IsCompleted && !(File.Exists(recordsFile) && new FileInfo(recordsFile).Length > 0))
        {
            await Task.Delay(10); // waits for a condition (the first record on disk), not a deadline
        }

        await cts.CancelAsync();
        var result = await run;

        Assert.Equal(ExitCodes.Interrupted, result.ExitCode);
        var records = RecordsReader.ReadAll(recordsFile);
        var cancelled = records.Where(r => r.Outcome == Outcome.Cancelled).ToList();
        Assert.InRange(cancelled.Count, 1, 4);
        Assert.All(cancelled, r =>
        {
            Assert.Null(r.HttpStatus);
            Assert.True(r.EndMs >= r.SentMs);
            Assert.Equal(Phases.Measure, r.Phase);
        });
        var lastCancelledMs = cancelled.Max(r => r.EndMs);
        Assert.All(records, r => Assert.True(r.SentMs <= lastCancelledMs, "nothing is sent after the cancellation"));
        Assert.Equal(records.Count, records.Select(r => r.Id).Distinct().Count());
        var summary = File.ReadAllLines(Path.Combine(_dir, "summary.csv"));
        var requests = records.Count(r => r.Outcome != Outcome.Cancelled);
        Assert.StartsWith($"fixed-100ms,streaming,,{requests},", summary[1].Split(',', 2)[1], StringComparison.Ordinal); // cancelled ones are not requests
        Assert.NotNull(ResultsDirectory.ReadRunInfo(_dir)!.Client);
    }
}
