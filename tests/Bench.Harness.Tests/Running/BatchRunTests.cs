using Bench.Core.Batches;
using Bench.Core.Client;
using Bench.Core.Planning;
using Bench.Harness.Running;
using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Tests.TestSupport;
using Bench.Tests.Shared;

namespace Bench.Harness.Tests.Running;

[Collection(WholeRuns.Name)]
public sealed class BatchRunTests : IDisposable
{
    private const string KeyVariable = "BENCH_TEST_BATCH_KEY";
    private const string Key = "sk-canary-batchrun-9f8e7d6c5b4a";
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-batch-run-").FullName;

    public BatchRunTests() => Environment.SetEnvironmentVariable(KeyVariable, Key);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Scenario Scenario(IReadOnlyList<Mode> modes, int iterations = 8) => new()
    {
        Name = "batch-test",
        Target = new TargetSpec { Profiles = Path.Combine(RepoPaths.Root, "scenarios", "profiles") },
        Models = ["fixed-100ms"],
        Modes = [.. modes],
        Request = new RequestShape { PromptTokens = 20, MaxTokens = 32, TimeoutS = 30 },
        Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 2, Iterations = iterations }],
        Batch = new BatchSpec { PollIntervalS = 0.05, MaxPollIntervalS = 0.2 },
    };

    [Fact]
    public async Task Run_SimulatorWithBatchApi_BatchFirstIdsThenSynchronousEveryLineJoined()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var result = await TestRuns.RunAsync(Scenario([Mode.Streaming, Mode.BatchApi]), null, _dir, output, CancellationToken.None, error: error);

        Assert.True(result.ExitCode == 0, output + "\n" + error);
        var records = RecordsReader.ReadAll(Path.Combine(_dir, ResultsDirectory.RecordsFile));
        var lines = records.Where(r => r.Mode == Mode.BatchApi).OrderBy(r => r.Id).ToList();
        var streaming = records.Where(r => r.Mode == Mode.Streaming).ToList();
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), lines.Select(r => r.Id));
        Assert.All(streaming, r => Assert.InRange(r.Id, 8, 15));
        Assert.All(lines, r =>
        {
            Assert.Equal(Outcome.Success, r.Outcome);
            Assert.Equal($"bench-{r.Id}", r.CustomId);
            Assert.NotNull(r.BatchId);
            Assert.Equal(20, r.CompletionTokens);
        });

        var batch = Assert.Single(BatchesFile.ReadAll(_dir).Batches);
        Assert.Equal(BatchStatuses.Completed, batch.Status);
        Assert.Equal(BatchEndings.Ended, batch.Ending);
        Assert.Equal(8, batch.Lines);
        Assert.Equal(BatchSpec.DefaultTimeScale, batch.TimeScale);
        Assert.Equal(lines[0].BatchId, batch.BatchId);
        Assert.True(batch.Polls >= 1);
        Assert.Equal(8, batch.RequestCounts!.Completed);

        var run = ResultsDirectory.ReadRunInfo(_dir)!;
        var submission = Assert.Single(run.Batches!);
        Assert.Equal((batch.BatchId, batch.InputFileId, true, 0L), (submission.BatchId, submission.InputFileId, submission.Collected, submission.FirstId!.Value));
        Assert.Contains($"fixed-100ms · batch-api: batch {batch.BatchId} submitted (8 lines)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_EndpointWithoutBatchApi_FailedCellNamesTheCauseNoCrash()
    {
        await using var api = FakeBatchApi.Start();
        api.NoBatchApi = true;
        var scenario = Scenario([Mode.BatchApi]) with { Target = new TargetSpec { BaseUrl = api.BaseUrl, ApiKeyEnv = KeyVariable } };
        var output = new StringWriter();
        var error = new StringWriter();

        var result = await TestRuns.RunAsync(scenario, null, _dir, output, CancellationToken.None, error: error);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"fixed-100ms batch-api: 0/8 succeeded — upload refused: this endpoint has no Batch API (404 on POST {api.BaseUrl}files)",
            error.ToString(), StringComparison.Ordinal);
        var batch = Assert.Single(BatchesFile.ReadAll(_dir).Batches);
        Assert.Equal(BatchEndings.NotSubmitted, batch.Ending);
        foreach (var file in Directory.GetFiles(_dir, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("canary", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("canary", error.ToString() + output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RealEndpointBatchFailsValidation_ExitOneWithTheValidationErrorKeyNowhere()
    {
        await using var api = FakeBatchApi.Start();
        api.FinalStatus = BatchStatuses.Failed;
        api.FailedErrors = """[{"code":"mismatched_model","message":"echo sk-canary-batchrun-9f8e7d6c5b4a","line":1}]""";
        var scenario = Scenario([Mode.BatchApi], iterations: 2) with { Target = new TargetSpec { BaseUrl = api.BaseUrl, ApiKeyEnv = KeyVariable } };
        var output = new StringWriter();
        var error = new StringWriter();

        var result = await TestRuns.RunAsync(scenario, null, _dir, output, CancellationToken.None, error: error);

        Assert.Equal(1, result.ExitCode);
        Assert.True(error.ToString().Contains("fixed-100ms batch-api: 0/2 succeeded — batch failed validation: mismatched_model (line 1)", StringComparison.Ordinal), error.ToString());
        var batch = Assert.Single(BatchesFile.ReadAll(_dir).Batches);
        Assert.Equal(1, batch.TimeScale);
        Assert.Equal(1, api.Count("POST /v1/batches"));
        foreach (var file in Directory.GetFiles(_dir, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("canary", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("canary", error.ToString() + output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_InterruptedWhileWaiting_BatchLeftRunningExit130RunJsonHasItsId()
    {
        await using var api = FakeBatchApi.Start();
        api.FinalStatus = null; // never ends
        var scenario = Scenario([Mode.BatchApi], iterations: 2) with { Target = new TargetSpec { BaseUrl = api.BaseUrl, ApiKeyEnv = KeyVariable } };
        var output = new StringWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();

        var running = TestRuns.RunAsync(scenario, null, _dir, output, stop.Token, error: error);
        await WaitUntilAsync(() => api.Polls >= 2, running);
        await stop.CancelAsync();
        var result = await running;

        Assert.Equal(130, result.ExitCode);
        var batch = Assert.Single(BatchesFile.ReadAll(_dir).Batches);
        Assert.Equal(BatchEndings.Interrupted, batch.Ending);
        var run = ResultsDirectory.ReadRunInfo(_dir)!;
        Assert.Equal(batch.BatchId, Assert.Single(run.Batches!).BatchId);
        Assert.False(run.Batches![0].Collected);
        Assert.Contains($"left running (interrupted, last seen in_progress) — not a failure; collect it with: bench run --resume", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, api.Count("POST /v1/batches/"));
    }

    [Fact]
    public async Task Resume_InterruptedAfterTheBatchWasCreated_CollectedWithOneUploadAndOneCreate()
    {
        var profiles = ProfileLoader.LoadDirectory(Path.Combine(RepoPaths.Root, "scenarios", "profiles"));
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Profiles = profiles, ApiKey = Key, BatchTimeScale = 1 }, CancellationToken.None);
        // A long synchronous cell (200 requests one at a time, about 40 s) keeps the first process busy after the batch
        // is created, so the interrupt lands before it could collect the batch however late this thread sees run.json.
        var scenario = Scenario([Mode.Streaming, Mode.BatchApi], iterations: 200) with
        {
            Target = new TargetSpec { BaseUrl = simulator.BaseUrl, ApiKeyEnv = KeyVariable },
            Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 200 }],
            Batch = new BatchSpec { PollIntervalS = 0.05, MaxPollIntervalS = 0.2, Lines = 8 },
        };
        using var stop = new CancellationTokenSource();
        var first = TestRuns.RunAsync(scenario, null, _dir, TextWriter.Null, stop.Token);
        // Stop as soon as run.json names the batch.
        await WaitUntilAsync(() => ReadBatchId() is not null, first);
        await stop.CancelAsync();
        Assert.Equal(130, (await first).ExitCode);
        var batchId = ReadBatchId();

        var output = new StringWriter();
        var error = new StringWriter();
        var resumed = await RunHarness.RunAsync(new RunRequest
        {
            ResumeDirectory = _dir,
            Preflight = false,
            Overrides = new PlanOverrides { ApiKeyEnv = KeyVariable },
        }, output, error, CancellationToken.None);

        Assert.True(resumed.ExitCode == 0, output + "\n" + error);
        using var http = BenchHttpClient.Create();
        var api = new BatchApiClient(http, new Endpoint(simulator.BaseUrl, Key), TimeProvider.System);
        var listed = await api.ListAsync(null, 100, CancellationToken.None);
        Assert.Equal(batchId, Assert.Single(listed.Value!.Data).Id);
        using var files = new HttpRequestMessage(HttpMethod.Get, new Uri(simulator.BaseUrl, "files?purpose=batch"));
        files.Headers.Authorization = new("Bearer", Key);
        using var filesAnswer = await http.SendAsync(files);
        using var filesJson = System.Text.Json.JsonDocument.Parse(await filesAnswer.Content.ReadAsStringAsync());
        Assert.Equal(1, filesJson.RootElement.GetProperty("data").GetArrayLength());

        var records = RecordsReader.ReadAll(Path.Combine(_dir, ResultsDirectory.RecordsFile));
        Assert.Equal(records.Count, records.Select(r => r.Id).Distinct().Count());
        var lines = records.Where(r => r.Mode == Mode.BatchApi).ToList();
        Assert.Equal(8, lines.Count);
        Assert.All(lines, r => Assert.Equal((Outcome.Success, batchId), (r.Outcome, r.BatchId)));
        var run = ResultsDirectory.ReadRunInfo(_dir)!;
        Assert.True(run.Batches![0].Collected);
        Assert.Null(run.Interrupted);
        // A synchronous cell the interrupt cut short is not rerun and stays partial; one it never started runs whole.
        var streamed = records.Count(r => r.Mode == Mode.Streaming);
        Assert.Equal(streamed < 200 ? ["127.0.0.1 fixed-100ms streaming"] : null, run.PartialCells);
        // The resumed process's record of the job replaced the interrupted one's: one line per job.
        Assert.Single(File.ReadAllLines(Path.Combine(_dir, ResultsDirectory.BatchesFile)));
        Assert.Equal(BatchEndings.Ended, Assert.Single(BatchesFile.ReadAll(_dir).Batches).Ending);
        Assert.True(File.Exists(Path.Combine(_dir, "report.md")));
        foreach (var file in Directory.GetFiles(_dir, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("canary", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Resume_EmbeddedSimulatorBatchLost_SaidClearlyNothingResubmittedNoCrash()
    {
        using var stop = new CancellationTokenSource();
        var scenario = Scenario([Mode.Streaming, Mode.BatchApi]) with
        {
            Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 200 }],
            Batch = new BatchSpec { PollIntervalS = 0.05, MaxPollIntervalS = 0.2, TimeScale = 1, Lines = 8 },
        };
        var first = TestRuns.RunAsync(scenario, null, _dir, TextWriter.Null, stop.Token);
        await WaitUntilAsync(() => ReadBatchId() is not null, first);
        await stop.CancelAsync();
        Assert.Equal(130, (await first).ExitCode);

        var output = new StringWriter();
        var error = new StringWriter();
        var resumed = await RunHarness.RunAsync(new RunRequest { ResumeDirectory = _dir, Preflight = false }, output, error, CancellationToken.None);

        Assert.Equal(1, resumed.ExitCode);
        Assert.Contains("lived in the embedded simulator of the process that started this run", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(BatchEndings.PollFailed, BatchesFile.ReadAll(_dir).Batches[^1].Ending);
        Assert.DoesNotContain(RecordsReader.ReadAll(Path.Combine(_dir, ResultsDirectory.RecordsFile)), r => r.Mode == Mode.BatchApi);
    }

    [Fact]
    public async Task Resume_NotAResultsFolder_BadInput()
    {
        var error = new StringWriter();

        var result = await RunHarness.RunAsync(new RunRequest { ResumeDirectory = _dir }, TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--resume: not a Bench results folder", error.ToString(), StringComparison.Ordinal);
    }

    private string? ReadBatchId()
    {
        try
        {
            return File.Exists(Path.Combine(_dir, ResultsDirectory.RunFile)) ? ResultsDirectory.ReadRunInfo(_dir)?.Batches?.FirstOrDefault()?.BatchId : null;
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            return null; // being rewritten
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Task running)
    {
        var until = DateTime.UtcNow.AddMinutes(2);
        while (!condition())
        {
            Assert.False(running.IsCompleted, "the run ended before the condition held");
            Assert.True(DateTime.UtcNow < until, "the condition never held");
            await Task.Delay(10);
        }
    }
}
