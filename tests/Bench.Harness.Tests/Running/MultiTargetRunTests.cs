using System.Runtime.CompilerServices;
using System.Text.Json;
using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Harness.Running;
using Bench.Harness.Tests.TestSupport;

namespace Bench.Harness.Tests.Running;

/// <summary><c>bench run</c> over several targets: two embedded simulators (one behind an added delay, one keyless) in
/// one run, and the scenario and flag errors that stop a run before anything is sent.</summary>
[Collection(WholeRuns.Name)]
public sealed class MultiTargetRunTests : IDisposable
{
    private const string Workload = """ "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 8 } ] """;

    private readonly string _dir = Directory.CreateTempSubdirectory("bench-targets-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Profiles([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "scenarios", "profiles"));

    private string Write(string json)
    {
        var path = Path.Combine(_dir, "s.json");
        File.WriteAllText(path, json);
        return path;
    }

    private string TwoSimulators() => Write($$"""
        {
          "name": "relay-vs-direct",
          "targets": [
            { "name": "direct", "simulator": true, "profiles": {{JsonSerializer.Serialize(Profiles())}} },
            { "name": "relay", "simulator": true, "profiles": {{JsonSerializer.Serialize(Profiles())}}, "added_latency_ms": 40, "keyless": true }
          ],
          "models": ["fixed-100ms"],
          "modes": ["streaming", "non-streaming"],
          "request": { "prompt_tokens": 20, "max_tokens": 16, "timeout_s": 30 },
          {{Workload}}
        }
        """);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    [Fact]
    public async Task Run_TwoSimulatorTargetsOneDelayed_RecordsCarryBoth_DelayedOneLaterByAboutTheDelay()
    {
        var results = Path.Combine(_dir, "out");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var outcome = await RunHarness.RunAsync(new RunRequest { ScenarioPath = TwoSimulators(), OutputDirectory = results }, output, error, CancellationToken.None);

        Assert.True(outcome.ExitCode == ExitCodes.Success, error.ToString());
        var records = RecordsReader.ReadAll(Path.Combine(results, ResultsDirectory.RecordsFile));
        Assert.All(records, r => Assert.Equal(Outcome.Success, r.Outcome)); // the keyless relay was answered too
        Assert.Equal(
            new[] { ("direct", Mode.Streaming), ("direct", Mode.NonStreaming), ("relay", Mode.Streaming), ("relay", Mode.NonStreaming) }.Order(),
            records.GroupBy(r => (r.Target, r.Mode)).Select(g => (g.Key.Target!, g.Key.Mode)).Order());
        Assert.All(records.GroupBy(r => (r.Target, r.Mode)), g => Assert.Equal(8, g.Count()));

        // The added delay comes before the response starts: TTFT and E2E both carry it. Task.Delay waits at least the
        // delay, so the difference of medians is at least about 40 ms; the upper bound only leaves room for a busy machine.
        double Ttft(string target) => Median(records.Where(r => r.Target == target && r.Mode == Mode.Streaming).Select(r => r.FirstTokenMs!.Value - r.SentMs));
        double E2e(string target, Mode mode) => Median(records.Where(r => r.Target == target && r.Mode == mode).Select(r => r.EndMs - r.SentMs));
        Assert.InRange(Ttft("relay") - Ttft("direct"), 30, 250);
        Assert.InRange(E2e("relay", Mode.NonStreaming) - E2e("direct", Mode.NonStreaming), 30, 250);

        var run = ResultsDirectory.ReadRunInfo(results)!;
        Assert.Equal(["direct", "relay"], run.Targets!.Select(t => t.Name));
        Assert.Equal(40, run.Targets![1].AddedLatencyMs);
        Assert.True(run.Targets[1].Keyless);
        Assert.All(run.Targets, t => Assert.Equal("embedded simulator", t.BaseUrl));
        Assert.Contains("targets direct (embedded simulator), relay (embedded simulator, +40 ms)", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "targets": [ { "name": "a" }, { "name": "a" } ], "models": ["fixed-100ms"], WORKLOAD }""", "$.targets[1].name")]
    [InlineData("""{ "target": { "simulator": true }, "targets": [ { "name": "a" } ], "models": ["fixed-100ms"], WORKLOAD }""", "not both")]
    [InlineData("""{ "targets": [ { "name": "a", "base_url": "http://127.0.0.1:9/v1", "protocol": "anthropic-messages", "keyless": true } ], "models": ["fixed-100ms"], "modes": ["batch-api"], WORKLOAD }""", "$.targets[0].protocol")]
    public async Task Run_InvalidTargets_BadInputBeforeAnythingIsSent(string json, string expected)
    {
        var results = Path.Combine(_dir, "bad");
        using var error = new StringWriter();

        var outcome = await RunHarness.RunAsync(new RunRequest { ScenarioPath = Write(json.Replace("WORKLOAD", Workload, StringComparison.Ordinal)), OutputDirectory = results },
            TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(results));
    }

    [Fact]
    public async Task Run_BaseUrlWithATargetsList_BadInputSayingToEditOrPick()
    {
        using var error = new StringWriter();

        var outcome = await RunHarness.RunAsync(new RunRequest
        {
            ScenarioPath = TwoSimulators(),
            OutputDirectory = Path.Combine(_dir, "bad"),
            Overrides = new PlanOverrides { BaseUrl = new Uri("http://127.0.0.1:9/v1") },
        }, TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("--targets", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TargetsFlag_RunsOnlyThatTarget()
    {
        var results = Path.Combine(_dir, "one");
        using var error = new StringWriter();

        var outcome = await RunHarness.RunAsync(new RunRequest
        {
            ScenarioPath = TwoSimulators(),
            OutputDirectory = results,
            Overrides = new PlanOverrides { Targets = ["relay"], Modes = [Mode.NonStreaming], Requests = 2 },
        }, TextWriter.Null, error, CancellationToken.None);

        Assert.True(outcome.ExitCode == ExitCodes.Success, error.ToString());
        Assert.All(RecordsReader.ReadAll(Path.Combine(results, ResultsDirectory.RecordsFile)), r => Assert.Equal("relay", r.Target));
    }
}
