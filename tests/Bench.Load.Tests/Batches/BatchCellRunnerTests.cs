using System.Collections.Concurrent;
using System.Text.Json;
using Bench.Core.Batches;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Load.Batches;
using Bench.Load.Running;
using Bench.Tests.Shared;

namespace Bench.Load.Tests.Batches;

public sealed class BatchCellRunnerTests : IDisposable
{
    private const string Key = "sk-canary-batch-0123456789";
    private readonly string _work = Directory.CreateTempSubdirectory("bench-batch-").FullName;
    private readonly HttpClient _http = BenchHttpClient.Create();

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    private sealed class Harness(BatchCellRunner runner, BatchJob job, List<BatchJob> changes)
    {
        public BatchCellRunner Runner { get; } = runner;

        public BatchJob Job { get; } = job;

        public List<BatchJob> Changes { get; } = changes;

        public ConcurrentQueue<RequestRecord> Records { get; } = new();

        public async Task<bool> RunAsync(CancellationToken cancellationToken = default)
        {
            await Runner.SubmitAsync(Job, cancellationToken);
            var collect = await Runner.WaitAsync(Job, cancellationToken);
            if (collect)
            {
                await Runner.CollectAsync(Job, Records.Enqueue, cancellationToken);
            }

            return collect;
        }
    }

    private sealed class Observer(List<BatchJob> changes) : IBatchObserver
    {
        public void Changed(BatchJob job) => changes.Add(job);
    }

    private Harness Create(Uri baseUrl, int lines = 4, TimeProvider? time = null, Func<BatchRunOptions, BatchRunOptions>? tune = null, long firstId = 100, TimeSpan? callTimeout = null)
    {
        var clock = new RunClock(time ?? TimeProvider.System);
        var endpoint = new Endpoint(baseUrl, Key);
        var chat = new ChatClient(_http, endpoint, clock);
        var executor = new ChatExecutor(chat, new RequestShape { PromptTokens = 20, MaxTokens = 16 }, seed: 7);
        var api = new BatchApiClient(_http, endpoint, clock.Timers, new BatchApiClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(5), CallTimeout = callTimeout ?? TimeSpan.FromSeconds(300) });
        var options = new BatchRunOptions
        {
            RunId = "run-1",
            WorkDirectory = _work,
            PollInterval = TimeSpan.FromMilliseconds(10),
            MaxPollInterval = TimeSpan.FromMilliseconds(40),
            Timeout = TimeSpan.FromMinutes(2),
            CancelWait = TimeSpan.FromSeconds(30),
        };
        var changes = new List<BatchJob>();
        var runner = new BatchCellRunner(api, chat, executor, clock, tune?.Invoke(options) ?? options, new Observer(changes));
        var job = new BatchJob(new BatchSubmission { Model = "gpt-4.1", Lines = lines, FirstId = firstId }, timeScale: 1);
        return new Harness(runner, job, changes);
    }

    [Fact]
    public async Task Run_CompletedOutputInReverseOrder_EveryLineJoinedByCustomId()
    {
        await using var api = FakeBatchApi.Start();
        var run = Create(api.BaseUrl);

        Assert.True(await run.RunAsync());

        var records = run.Records.OrderBy(r => r.Id).ToList();
        Assert.Equal([100L, 101, 102, 103], records.Select(r => r.Id));
        Assert.All(records, r =>
        {
            Assert.Equal(Outcome.Success, r.Outcome);
            Assert.Equal(Mode.BatchApi, r.Mode);
            Assert.Equal(Phases.Measure, r.Phase);
            Assert.Equal($"bench-{r.Id}", r.CustomId);
            Assert.Equal(run.Job.Record.BatchId, r.BatchId);
            Assert.Equal(run.Job.Record.SubmittedMs, r.SentMs);
            Assert.Equal(run.Job.Record.DownloadedMs, r.EndMs);
            Assert.Equal(11, r.PromptTokens);
            Assert.Equal(2, r.CompletionTokens);
            Assert.Equal(TokenSources.Usage, r.TokensSource);
            Assert.NotNull(r.TokenizerPromptTokens);
            Assert.Equal(200, r.HttpStatus);
            Assert.Null(r.FirstTokenMs);
        });
        var batch = run.Job.Record;
        Assert.Equal(BatchStatuses.Completed, batch.Status);
        Assert.Equal(BatchEndings.Ended, batch.Ending);
        Assert.Equal(4, batch.Lines);
        Assert.Equal((0, 0, 0), (batch.MissingLines, batch.DuplicateLines, batch.UnknownLines));
        Assert.Equal(1700000000, batch.CreatedAt);
        Assert.Equal(120, batch.TurnaroundS);
        Assert.True(batch.InputBytes > 0);
        Assert.True(run.Job.Submission.Collected);
        Assert.Equal(1, api.Count("POST /v1/files"));
        Assert.Equal(1, api.Count("POST /v1/batches"));

        // The input lines are the requests the other modes send: same prompt, max_tokens and seed, custom_id bench-{id}.
        var lines = api.LastUpload!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["bench-100", "bench-101", "bench-102", "bench-103"], lines.Select(l => l.GetProperty("custom_id").GetString()));
        Assert.All(lines, l => Assert.Equal("/v1/chat/completions", l.GetProperty("url").GetString()));
        Assert.All(lines, l => Assert.Equal("POST", l.GetProperty("method").GetString()));
        Assert.StartsWith("request 100 ", lines[0].GetProperty("body").GetProperty("messages")[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal(16, lines[0].GetProperty("body").GetProperty("max_tokens").GetInt32());
        Assert.False(lines[0].GetProperty("body").TryGetProperty("stream", out var stream) && stream.GetBoolean());
        Assert.Contains(api.Batches.Values, b => b["metadata"]!["bench_run"]!.GetValue<string>() == "run-1"
            && b["metadata"]!["bench_cell"]!.GetValue<string>() == "gpt-4.1 · batch-api");
    }

    [Fact]
    public async Task Run_LineFailuresExpiryMissingDuplicatesJunk_EachClassifiedAndCounted()
    {
        await using var api = FakeBatchApi.Start();
        api.FinalStatus = BatchStatuses.Expired;
        api.Answer = line =>
        {
            var id = line["custom_id"]!.GetValue<string>();
            return id switch
            {
                "bench-100" => (FakeBatchApi.Completion(id, "ok", 5, 1), false),
                "bench-101" => (FakeBatchApi.HttpError(id, 429, "rate_limit_exceeded", "too many"), true),
                "bench-102" => (FakeBatchApi.HttpError(id, 500, "server_error", "boom"), true),
                "bench-103" => (FakeBatchApi.HttpError(id, 400, "invalid_value", "bad max_tokens " + Key), true),
                "bench-104" => (FakeBatchApi.LineError(id, "batch_expired", "This request could not be executed before the completion window expired."), true),
                _ => null, // bench-105: in neither file
            };
        };
        api.ExtraOutputLines.Add(FakeBatchApi.Completion("bench-100", "again", 5, 1));
        api.ExtraOutputLines.Add(FakeBatchApi.Completion("bench-999", "stranger", 5, 1));
        api.ExtraOutputLines.Add("{not json");
        var run = Create(api.BaseUrl, lines: 6);

        Assert.True(await run.RunAsync());

        var byId = run.Records.ToDictionary(r => r.Id);
        Assert.Equal(6, byId.Count);
        Assert.Equal(Outcome.Success, byId[100].Outcome);
        Assert.Equal((Outcome.RateLimited, 429), (byId[101].Outcome, byId[101].HttpStatus));
        Assert.Equal(Outcome.ServerError, byId[102].Outcome);
        Assert.Equal(Outcome.ClientError, byId[103].Outcome);
        Assert.Equal("invalid_value", byId[103].Error!.Code);
        Assert.DoesNotContain("canary", byId[103].Error!.Message, StringComparison.Ordinal);
        Assert.Equal(Outcome.Expired, byId[104].Outcome);
        // Absent from both files of an expired batch (which lists its unrun lines as batch_expired): the provider's loss,
        // malformed, counted missing.
        Assert.Equal(Outcome.Malformed, byId[105].Outcome);
        var batch = run.Job.Record;
        Assert.Equal(BatchStatuses.Expired, batch.Status);
        Assert.Equal((1, 1, 2), (batch.MissingLines, batch.DuplicateLines, batch.UnknownLines));
    }

    [Fact]
    public async Task Run_CompletedBatchWithALineInNeitherFile_MalformedAndCountedMissing()
    {
        await using var api = FakeBatchApi.Start();
        api.Answer = line => line["custom_id"]!.GetValue<string>() == "bench-101" ? null : (FakeBatchApi.Completion(line["custom_id"]!.GetValue<string>(), "ok", 5, 1), false);
        var run = Create(api.BaseUrl, lines: 3);

        Assert.True(await run.RunAsync());

        var missing = run.Records.Single(r => r.Id == 101);
        Assert.Equal(Outcome.Malformed, missing.Outcome);
        Assert.Equal("missing from the batch's output and error files", missing.Error!.Message);
        Assert.Equal(1, run.Job.Record.MissingLines);
        Assert.Equal(2, run.Records.Count(r => r.Outcome == Outcome.Success));
    }

    [Fact]
    public async Task Run_BatchFailsValidation_NoLinesRunMessageNamesTheCause()
    {
        await using var api = FakeBatchApi.Start();
        api.FinalStatus = BatchStatuses.Failed;
        var run = Create(api.BaseUrl, lines: 3);

        Assert.True(await run.RunAsync());

        Assert.Equal(BatchStatuses.Failed, run.Job.Record.Status);
        Assert.StartsWith("batch failed validation: mismatched_model (line 2)", run.Job.Record.Message, StringComparison.Ordinal);
        Assert.Equal("mismatched_model", Assert.Single(run.Job.Record.Errors!).Code);
        // No output or error file, and none was due: every line is the batch's validation failure (the provider refused
        // the input), not a line the provider lost.
        Assert.All(run.Records, r => Assert.Equal((Outcome.ClientError, "mismatched_model"), (r.Outcome, r.Error!.Code)));
        Assert.All(run.Records, r => Assert.StartsWith("the batch failed validation: every line must use the same model", r.Error!.Message, StringComparison.Ordinal));
        Assert.Equal(0, run.Job.Record.MissingLines);
    }

    [Fact]
    public async Task Run_BatchRefusedForTheEnqueuedTokenLimit_LinesRateLimited()
    {
        await using var api = FakeBatchApi.Start();
        api.FinalStatus = BatchStatuses.Failed;
        api.FailedErrors = """[{"code":"token_limit_exceeded","message":"Enqueued token limit reached for gpt-4.1"}]""";
        var run = Create(api.BaseUrl, lines: 2);

        Assert.True(await run.RunAsync());

        Assert.All(run.Records, r => Assert.Equal((Outcome.RateLimited, "token_limit_exceeded"), (r.Outcome, r.Error!.Code)));
    }

    [Fact]
    public async Task Submit_ProviderWithoutBatchApi_NotSubmittedWithAClearMessage()
    {
        await using var api = FakeBatchApi.Start();
        api.NoBatchApi = true;
        var run = Create(api.BaseUrl);

        Assert.False(await run.RunAsync());

        Assert.Equal(BatchEndings.NotSubmitted, run.Job.Record.Ending);
        Assert.Contains($"this endpoint has no Batch API (404 on POST {api.BaseUrl}files)", run.Job.Record.Message, StringComparison.Ordinal);
        Assert.Null(run.Job.Record.BatchId);
        Assert.Empty(run.Records);
        Assert.Equal(0, api.Count("POST /v1/batches"));
    }

    [Fact]
    public async Task Wait_TimeoutWithCancel_CancelsReadsWhatRanUnrunLinesAreTimeouts()
    {
        await using var api = FakeBatchApi.Start();
        api.FinalStatus = null; // never ends by itself
        api.Answer = line => line["custom_id"]!.GetValue<string>() == "bench-100" ? (FakeBatchApi.Completion("bench-100", "ran", 3, 1), false) : null;
        var run = Create(api.BaseUrl, tune: o => o with { Timeout = TimeSpan.FromMilliseconds(200) });

        Assert.True(await run.RunAsync());

        Assert.Equal(1, api.Count("POST /v1/batches/"));
        Assert.Equal(BatchEndings.TimedOutCancelled, run.Job.Record.Ending);
        Assert.Equal(BatchStatuses.Cancelled, run.Job.Record.Status);
        var byId = run.Records.ToDictionary(r => r.Id);
        Assert.Equal(Outcome.Success, byId[100].Outcome);
        Assert.All(new long[] { 101, 102, 103 }, id =>
        {
            Assert.Equal(Outcome.Timeout, byId[id].Outcome);
            Assert.Equal("not run before the batch timeout; batch cancelled", byId[id].Error!.Message);
        });
    }

    [Fact]
    public async Task Wait_TimeoutWithLeave_LeftRunningNothingCollected()
    {
        await using var api = FakeBatchApi.Start();
        api.FinalStatus = null;
        var run = Create(api.BaseUrl, tune: o => o with { Timeout = TimeSpan.FromMilliseconds(100), OnTimeout = BatchTimeoutAction.Leave });

        Assert.False(await run.RunAsync());

        Assert.Equal(0, api.Count("POST /v1/batches/"));
        Assert.Equal(BatchEndings.TimedOutLeft, run.Job.Record.Ending);
        Assert.False(run.Job.Submission.Collected);
        Assert.NotNull(run.Job.Submission.BatchId);
        Assert.Empty(run.Records);
    }

    [Fact]
    public async Task Wait_Interrupted_BatchLeftRunningEndingInterrupted()
    {
        await using var api = FakeBatchApi.Start();
        api.FinalStatus = null;
        var run = Create(api.BaseUrl);
        using var stop = new CancellationTokenSource();
        await run.Runner.SubmitAsync(run.Job, stop.Token);

        var waiting = run.Runner.WaitAsync(run.Job, stop.Token);
        while (api.Polls < 2)
        {
            await Task.Delay(5);
        }

        await stop.CancelAsync();

        Assert.False(await waiting);
        Assert.Equal(BatchEndings.Interrupted, run.Job.Record.Ending);
        Assert.Equal(0, api.Count("POST /v1/batches/"));
    }

    [Fact]
    public async Task Submit_CreationAnswerLost_AdoptedByMetadataNeverCreatedTwice()
    {
        await using var api = FakeBatchApi.Start();
        api.LoseCreateAnswer = true;
        var run = Create(api.BaseUrl);

        await run.Runner.SubmitAsync(run.Job, CancellationToken.None);
        api.LoseCreateAnswer = false;
        Assert.True(await run.RunAsync());

        Assert.Equal(1, api.Count("POST /v1/files"));
        Assert.Equal(1, api.Count("POST /v1/batches"));
        Assert.Equal(api.Batches.Keys.Single(), run.Job.Record.BatchId);
        Assert.StartsWith("adopted: the creation's answer was lost", run.Job.Record.Message, StringComparison.Ordinal);
        Assert.Equal(4, run.Records.Count(r => r.Outcome == Outcome.Success));
    }

    [Fact]
    public async Task Submit_ResumedWithFileIdAndBatchListed_AdoptedNoUploadNoCreate()
    {
        await using var api = FakeBatchApi.Start();
        var first = Create(api.BaseUrl);
        await first.Runner.SubmitAsync(first.Job, CancellationToken.None);
        // The process died before run.json had the batch id: only the file id survived.
        var survived = new BatchSubmission { Model = "gpt-4.1", Lines = 4, FirstId = 100, InputFileId = first.Job.Submission.InputFileId };

        var second = Create(api.BaseUrl, tune: o => o with { Resuming = true });
        var run = new Harness(second.Runner, new BatchJob(survived, 1), second.Changes);
        Assert.True(await run.RunAsync());

        Assert.Equal(1, api.Count("POST /v1/files"));
        Assert.Equal(1, api.Count("POST /v1/batches"));
        Assert.Equal(first.Job.Record.BatchId, run.Job.Record.BatchId);
        Assert.Equal(4, run.Records.Count(r => r.Outcome == Outcome.Success));
    }

    [Fact]
    public async Task Submit_ResumedWithFileIdNoBatch_CreatedFromThatFileNoUpload()
    {
        await using var api = FakeBatchApi.Start();
        var api2 = new BatchApiClient(_http, new Endpoint(api.BaseUrl, Key), TimeProvider.System);
        var file = await api2.UploadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", Enumerable.Range(100, 4).Select(i =>
            "{\"custom_id\":\"bench-" + i + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{}}")) + "\n")), "x.jsonl", CancellationToken.None);
        var survived = new BatchSubmission { Model = "gpt-4.1", Lines = 4, FirstId = 100, InputFileId = file.Value!.Id };

        var second = Create(api.BaseUrl, tune: o => o with { Resuming = true });
        var run = new Harness(second.Runner, new BatchJob(survived, 1), second.Changes);
        Assert.True(await run.RunAsync());

        Assert.Equal(1, api.Count("POST /v1/files"));
        Assert.Equal(1, api.Count("POST /v1/batches"));
        Assert.Equal(file.Value.Id, api.Batches.Values.Single()["input_file_id"]!.GetValue<string>());
        Assert.Equal(4, run.Records.Count(r => r.Outcome == Outcome.Success));
    }

    [Fact]
    public async Task Wait_PollsRefusedWith429_CountedAndTheAskedWaitHonoured()
    {
        await using var api = FakeBatchApi.Start();
        api.PollsUntilDone = 6;
        api.PollOverride = n => n is 2 or 3 ? (429, """{"error":{"message":"slow","type":"requests"}}""", ["Retry-After: 0"]) : null;
        var run = Create(api.BaseUrl);

        Assert.True(await run.RunAsync());

        Assert.Equal(2, run.Job.Record.PollErrors);
        Assert.Equal(api.Polls, run.Job.Record.Polls);
        Assert.Equal(4, run.Records.Count);
    }

    [Fact]
    public async Task Wait_OnARunClock_PollGapsGrowByHalfUpToTheMaximumAndHonourRetryAfter()
    {
        await using var api = FakeBatchApi.Start();
        api.PollsUntilDone = 7;
        api.ProgressCounts = true; // lines complete between polls: progress, not a change of status, so the gaps still grow
        api.PollOverride = n => n == 5 ? (429, """{"error":{"message":"slow","type":"requests"}}""", ["Retry-After: 50"]) : null;
        var clock = new SteppingClock();
        // The calls' own deadline is a day, so a pending timer under an hour is a wait between polls.
        var run = Create(api.BaseUrl, time: clock, callTimeout: TimeSpan.FromDays(1), tune: o => o with
        {
            PollInterval = TimeSpan.FromSeconds(10),
            MaxPollInterval = TimeSpan.FromSeconds(30),
            Timeout = TimeSpan.FromHours(5),
        });
        await run.Runner.SubmitAsync(run.Job, CancellationToken.None);

        var waiting = run.Runner.WaitAsync(run.Job, CancellationToken.None);
        var gaps = new List<double>();
        for (var poll = 1; poll <= 7; poll++)
        {
            var next = poll;
            var until = DateTime.UtcNow.AddMinutes(1);
            TimeSpan gap = default;
            while (!waiting.IsCompleted && !(api.Polls == next && clock.PendingTimers == 1 && clock.NextDue is { } due && (gap = due - clock.GetUtcNow()) < TimeSpan.FromHours(1)))
            {
                Assert.True(DateTime.UtcNow < until, $"poll {next} never came");
                await Task.Delay(2);
            }

            if (waiting.IsCompleted)
            {
                break;
            }

            gaps.Add(gap.TotalSeconds);
            clock.Advance(gap);
        }

        Assert.True(await waiting);
        // 1: validating → in_progress (a change: the first interval); 2, 3: still in progress (×1.5, ×1.5) though more
        // lines completed each time; 4: capped at 30; 5: refused with Retry-After 50 (the client's retry waits what was
        // asked); then still in progress, 30.
        Assert.Equal([10, 15, 22.5, 30, 50, 30], gaps);
        Assert.Equal(1, run.Job.Record.PollErrors);
        Assert.Equal(BatchStatuses.Completed, run.Job.Record.Status);
    }
}
