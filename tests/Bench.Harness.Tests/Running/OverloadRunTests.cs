using System.Runtime.CompilerServices;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Tests.TestSupport;

namespace Bench.Harness.Tests.Running;

/// <summary>An open run the client cannot keep, end to end: dropped arrivals are recorded and counted apart, the client's
/// own load is sampled into <c>client.csv</c> and <c>run.json</c>, and the report and the progress line say so.</summary>
public sealed class OverloadRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-overload-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string RepoRoot([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));

    [Fact]
    public async Task Run_OpenLoadAboveTheCap_DropsArrivals_SamplesTheClient_AndSaysSo()
    {
        // 20 arrivals per second, one in flight at most, each answer ≥ 100 ms: at least every other arrival finds the
        // slot taken and is dropped, whatever the machine's speed.
        var scenario = new Scenario
        {
            Name = "overload-test",
            Target = new TargetSpec { Profiles = Path.Combine(RepoRoot(), "scenarios", "profiles") },
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
}
