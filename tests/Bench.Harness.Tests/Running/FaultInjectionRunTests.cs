using Bench.Core.Faults;
using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Running;
using Bench.Harness.Tests.TestSupport;
using Bench.Simulator.Hosting;

namespace Bench.Harness.Tests.Running;

/// <summary>The run pipeline's fault hooks: the embedded simulator is given the scenario's faults, rate limits and an
/// <c>OnInjected</c> that writes <c>injections.jsonl</c> line by line (kept when the run is cancelled); each cell starts
/// one fault epoch; run.json declares the faults and each cell's epoch; the report joins the injections to the records.
/// The simulator's fault engine is exercised by the simulator's tests; here the run's own callback is driven directly.</summary>
[Collection(WholeRuns.Name)]
public sealed class FaultInjectionRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-faults-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A window the run never reaches: the scenario declares a fault without any request meeting it, whatever the
    // simulator's engine does with it.
    private static readonly FaultRule Never = new() { Kind = FaultKind.ServerError, Status = 503, Rate = 0.5, FromS = 1000, ToS = 2000 };

    private static Scenario FixedDelay(WorkloadStep step, IReadOnlyList<FaultRule>? faults = null, RateLimitSpec? limits = null) => new()
    {
        Name = "faults-test",
        Target = new TargetSpec { Profiles = Path.Combine(RepoPaths.Root, "scenarios", "profiles") },
        Models = ["fixed-100ms"],
        Modes = [Mode.Streaming, Mode.NonStreaming],
        Request = new RequestShape { PromptTokens = 20, MaxTokens = 64, TimeoutS = 30 },
        Workload = [step],
        Faults = faults ?? [],
        RateLimits = limits,
    };

    private Task<RunOutcome> RunAsync(Scenario scenario, Action<SimulatorOptions> starting, CancellationToken cancellationToken) =>
        RunHarness.RunAsync(Plan.Create(scenario, PlanOverrides.None, "<test>"), null,
            new RunRequest { OutputDirectory = _dir, Preflight = false, SimulatorStarting = starting }, new StringWriter(), TextWriter.Null, cancellationToken);

    [Fact]
    public async Task Run_Simulator_GetsTheScenarioFaults_StartsOneEpochPerCell_AndRunJsonDeclaresThem()
    {
        var limits = new RateLimitSpec { Rpm = 100_000 };
        var scenario = FixedDelay(new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 2, Iterations = 4 }, [Never], limits);
        SimulatorOptions? seen = null;

        var result = await RunAsync(scenario, o => seen = o, CancellationToken.None);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.NotNull(seen);
        Assert.Equal([Never], seen.Faults);
        Assert.Same(limits, seen.RateLimits);
        Assert.NotNull(seen.OnInjected);
        Assert.True(File.Exists(Path.Combine(_dir, ResultsDirectory.InjectionsFile)));

        var run = ResultsDirectory.ReadRunInfo(_dir)!;
        var epochs = run.FaultEpochs!;
        Assert.Equal([Mode.Streaming, Mode.NonStreaming], epochs.Select(e => e.Mode));
        Assert.All(epochs, e => Assert.Equal("fixed-100ms", e.Model));
        Assert.Equal([1, 2], epochs.Select(e => e.Epoch)); // epoch 0 is the simulator's start; each cell begins the next
        var declared = Assert.Single(run.Faults!);
        Assert.Equal("fixed-100ms", declared.Model);
        Assert.Equivalent(Never, Assert.Single(declared.Rules)); // the fixed profile declares none
        Assert.Equal(100_000, declared.RateLimits!.Rpm);

        var report = await File.ReadAllTextAsync(Path.Combine(_dir, "report.md"));
        Assert.Contains("## Fault check: injected against recorded", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Cancelled_KeepsEveryInjectionLine_AndTheReportJoinsThemToTheRecords()
    {
        var scenario = FixedDelay(new WorkloadStep { Kind = StepKind.KeepConstant, Copies = 2, Duration = TimeSpan.FromSeconds(60) });
        SimulatorOptions? seen = null;
        using var cts = new CancellationTokenSource();

        var run = RunAsync(scenario, o => seen = o, cts.Token);
        await RecordsFile.WaitForLinesAsync(_dir, 2);
        // What the simulator's engine would report: a 500 on a request the fixed profile answered well (the first one
        // recorded) and a refused connection, through the very callback the run gave the simulator.
        var answered = RecordsReader.ReadAll(Path.Combine(_dir, ResultsDirectory.RecordsFile))[0];
        Assert.Equal((Outcome.Success, Mode.Streaming), (answered.Outcome, answered.Mode));
        var id = answered.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        seen!.OnInjected!(new InjectionRecord { Epoch = 1, AtMs = 3, RequestId = id, Attempt = 1, Model = "fixed-100ms", Stream = true, Kind = FaultKind.ServerError, Status = 500, Cause = "rule 0" });
        seen.OnInjected!(new InjectionRecord { Epoch = 1, AtMs = 4, Kind = FaultKind.ConnectionRefused, Cause = "rule 1" });

        // On disk before the run ends: a run killed now would keep both lines.
        var whileRunning = InjectionsReader.ReadAll(Path.Combine(_dir, ResultsDirectory.InjectionsFile));
        Assert.Equal(2, whileRunning.Count);

        await cts.CancelAsync();
        var result = await run;

        Assert.Equal(ExitCodes.Interrupted, result.ExitCode);
        var kept = InjectionsReader.ReadAll(Path.Combine(_dir, ResultsDirectory.InjectionsFile));
        Assert.Equal([FaultKind.ServerError, FaultKind.ConnectionRefused], kept.Select(i => i.Kind));
        var lines = await File.ReadAllLinesAsync(Path.Combine(_dir, ResultsDirectory.InjectionsFile));
        Assert.Equal($$"""{"epoch":1,"at_ms":3,"request_id":"{{id}}","attempt":1,"model":"fixed-100ms","stream":true,"kind":"server_error","status":500,"cause":"rule 0"}""", lines[0]);
        Assert.Equal(1, ResultsDirectory.ReadRunInfo(_dir)!.FaultEpochs![0].Epoch);

        var report = await File.ReadAllTextAsync(Path.Combine(_dir, "report.md"));
        Assert.Contains("The simulator injected 2 fault(s) (`injections.jsonl`). Each one with a request id is joined to Bench's record of that request and attempt: 0 of 1 were recorded as the outcome the fault must produce; 1 were not (listed below).", report, StringComparison.Ordinal);
        Assert.Contains($"- request {id}, attempt 1: `server_error` (streaming) must be `server_error`, recorded as `success`", report, StringComparison.Ordinal);
        Assert.Contains("1 connection(s) were refused before a request was read (connection_refused): they carry no request id, so they are counted apart (by the cell whose fault epoch they fell in: fixed-100ms · streaming 1).", report, StringComparison.Ordinal);
    }

    [Fact]
    public void FaultEpochObserver_BeginsOneEpochPerCell_BeforeTheCellIsAnnounced()
    {
        var calls = new List<string>();
        var next = 0;
        var observer = new FaultEpochObserver(new Recording(calls), () =>
        {
            calls.Add("epoch");
            return ++next;
        });

        observer.CellStarted(new Load.Running.Cell("m", Mode.Streaming, "none"));
        observer.CellFinished(new Load.Running.Cell("m", Mode.Streaming, "none"));
        observer.CellStarted(new Load.Running.Cell("m", Mode.Streaming, "retries"));

        Assert.Equal(["epoch", "started m · streaming · none", "finished", "epoch", "started m · streaming · retries"], calls);
        Assert.Equal([(1, "none"), (2, "retries")], observer.Epochs.Select(e => (e.Epoch, e.Policy!)));
    }

    [Fact]
    public void StartAfresh_Force_DeletesTheInjectionsFileWithTheRestOfBenchsFiles()
    {
        File.WriteAllText(Path.Combine(_dir, ResultsDirectory.RunFile), "{}");
        File.WriteAllText(Path.Combine(_dir, ResultsDirectory.InjectionsFile), "{}\n");
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "mine");

        var kept = ResultsFolder.StartAfresh(_dir);

        Assert.Equal(["notes.txt"], kept);
    }

    private sealed class Recording(List<string> calls) : Load.Running.ILoadObserver
    {
        public void CellStarted(Load.Running.Cell cell) => calls.Add($"started {cell}");

        public void RequestCompleted(Load.Running.Cell cell, RequestRecord record) => calls.Add("completed");

        public void CellFinished(Load.Running.Cell cell) => calls.Add("finished");
    }
}
