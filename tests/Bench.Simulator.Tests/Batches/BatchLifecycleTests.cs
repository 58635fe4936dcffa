using System.Net.Http.Json;
using System.Text.Json;
using Bench.Core.Batches;

namespace Bench.Simulator.Tests.Batches;

/// <summary>A batch through every status on a fake clock: exact timestamps and request counts.</summary>
public class BatchLifecycleTests
{
    [Fact]
    public async Task Batch_OnFakeClock_GoesThroughEveryStatusAtItsPlannedTime()
    {
        // Queue 10 s, one line a second, finalize 5 s: in progress at 10, lines at 11, 12, 13, finalizing at 13,
        // completed at 18.
        await using var api = await BatchApi.StartAsync();
        var created = await api.SubmitAsync(BatchApi.Lines(3));
        var id = created.GetProperty("id").GetString()!;
        var t0 = BatchApi.EpochS;

        Assert.Equal(BatchStatuses.Validating, created.Status());
        Assert.Equal(t0, created.Time("created_at"));
        Assert.Equal(t0 + 86_400, created.Time("expires_at"));
        Assert.Equal((0, 0, 0), created.Counts());
        Assert.Equal("24h", created.GetProperty("completion_window").GetString());
        Assert.StartsWith("batch_", id);

        api.Advance(9.5);
        Assert.Equal(BatchStatuses.Validating, (await api.GetAsync(id)).Status());

        api.Advance(1); // 10.5
        var running = await api.GetAsync(id);
        Assert.Equal(BatchStatuses.InProgress, running.Status());
        Assert.Equal(t0 + 10, running.Time("in_progress_at"));
        Assert.Equal((3, 0, 0), running.Counts());

        api.Advance(1); // 11.5
        Assert.Equal((3, 1, 0), (await api.GetAsync(id)).Counts());

        api.Advance(2); // 13.5
        var finalizing = await api.GetAsync(id);
        Assert.Equal(BatchStatuses.Finalizing, finalizing.Status());
        Assert.Equal(t0 + 13, finalizing.Time("finalizing_at"));
        Assert.Equal((3, 3, 0), finalizing.Counts());
        Assert.Null(finalizing.Time("completed_at"));

        api.Advance(5); // 18.5
        var completed = await api.GetAsync(id);
        Assert.Equal(BatchStatuses.Completed, completed.Status());
        Assert.Equal(t0 + 18, completed.Time("completed_at"));
        Assert.Equal("fast", completed.GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.Undefined, completed.Field("error_file_id").ValueKind);

        var output = await api.LinesOfAsync(completed.GetProperty("output_file_id"));
        Assert.Equal(["line-0", "line-1", "line-2"], output.Select(l => l.GetProperty("custom_id").GetString()).Order());
        foreach (var line in output)
        {
            Assert.StartsWith("batch_req_", line.GetProperty("id").GetString());
            Assert.Equal(JsonValueKind.Null, line.GetProperty("error").ValueKind);
            var response = line.GetProperty("response");
            Assert.Equal(200, response.GetProperty("status_code").GetInt32());
            var body = response.GetProperty("body");
            Assert.Equal("chat.completion", body.GetProperty("object").GetString());
            Assert.Equal(12, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        }
    }

    [Fact]
    public async Task Batch_PastItsWindow_ExpiresWithPartialOutputAndExpiredLines()
    {
        // One line every 6,000 s after a 10 s queue: by the 24 h window (86,400 s) 14 of 20 lines have run.
        await using var api = await BatchApi.StartAsync(profiles: BatchApi.Profile(linesPerMinute: 0.01));
        var id = (await api.SubmitAsync(BatchApi.Lines(20))).GetProperty("id").GetString()!;
        var t0 = BatchApi.EpochS;

        api.Advance(86_399.5);
        var running = await api.GetAsync(id);
        Assert.Equal(BatchStatuses.InProgress, running.Status());
        Assert.Equal((20, 14, 0), running.Counts());

        api.Advance(1);
        var expired = await api.GetAsync(id);
        Assert.Equal(BatchStatuses.Expired, expired.Status());
        Assert.Equal(t0 + 86_400, expired.Time("expired_at"));
        Assert.Equal(t0 + 86_400, expired.Time("expires_at"));
        Assert.Null(expired.Time("finalizing_at"));
        Assert.Null(expired.Time("completed_at"));
        Assert.Equal((20, 14, 6), expired.Counts());

        var output = await api.LinesOfAsync(expired.GetProperty("output_file_id"));
        var errors = await api.LinesOfAsync(expired.GetProperty("error_file_id"));
        Assert.Equal(14, output.Count);
        Assert.Equal(6, errors.Count);
        foreach (var line in errors)
        {
            Assert.Equal(JsonValueKind.Null, line.GetProperty("response").ValueKind);
            Assert.Equal("batch_expired", line.GetProperty("error").GetProperty("code").GetString());
        }

        Assert.Equal(
            Enumerable.Range(0, 20).Select(i => $"line-{i}").Order(),
            output.Concat(errors).Select(l => l.GetProperty("custom_id").GetString()).Order());
    }

    [Fact]
    public async Task Batch_CancelledInProgress_KeepsWhatRanAndNeverRunsTheRest()
    {
        await using var api = await BatchApi.StartAsync();
        var id = (await api.SubmitAsync(BatchApi.Lines(10))).GetProperty("id").GetString()!;
        var t0 = BatchApi.EpochS;

        api.Advance(13.5); // three lines done
        var cancelling = await api.CancelAsync(id);
        Assert.Equal(BatchStatuses.Cancelling, cancelling.Status());
        Assert.Equal(t0 + 13, cancelling.Time("cancelling_at"));
        Assert.Equal(t0 + 10, cancelling.Time("in_progress_at"));
        Assert.Equal((10, 3, 0), cancelling.Counts());

        api.Advance(4); // 17.5: still cancelling (finalize 5 s), no further line runs
        var still = await api.GetAsync(id);
        Assert.Equal(BatchStatuses.Cancelling, still.Status());
        Assert.Equal((10, 3, 0), still.Counts());
        Assert.Equal(BatchStatuses.Cancelling, (await api.CancelAsync(id)).Status()); // asking again changes nothing

        api.Advance(1); // 18.5
        var cancelled = await api.GetAsync(id);
        Assert.Equal(BatchStatuses.Cancelled, cancelled.Status());
        Assert.Equal(t0 + 18, cancelled.Time("cancelled_at"));
        Assert.Equal((10, 3, 0), cancelled.Counts());
        Assert.Equal(3, (await api.LinesOfAsync(cancelled.GetProperty("output_file_id"))).Count);
        Assert.Equal(JsonValueKind.Undefined, cancelled.Field("error_file_id").ValueKind);

        api.Advance(100);
        Assert.Equal(BatchStatuses.Cancelled, (await api.GetAsync(id)).Status());
    }

    [Fact]
    public async Task Batch_CancelledWhileValidating_RunsNothingAndWritesNoFiles()
    {
        await using var api = await BatchApi.StartAsync();
        var id = (await api.SubmitAsync(BatchApi.Lines(3))).GetProperty("id").GetString()!;

        api.Advance(2);
        Assert.Equal(BatchStatuses.Cancelling, (await api.CancelAsync(id)).Status());
        api.Advance(60);
        var cancelled = await api.GetAsync(id);

        Assert.Equal(BatchStatuses.Cancelled, cancelled.Status());
        Assert.Null(cancelled.Time("in_progress_at"));
        Assert.Equal((0, 0, 0), cancelled.Counts());
        Assert.Equal(JsonValueKind.Undefined, cancelled.Field("output_file_id").ValueKind);
        Assert.Equal(JsonValueKind.Undefined, cancelled.Field("error_file_id").ValueKind);
    }

    [Fact]
    public async Task Cancel_CompletedBatch_IsRefusedAndNotFoundIs404()
    {
        await using var api = await BatchApi.StartAsync();
        var id = (await api.SubmitAsync(BatchApi.Lines(1))).GetProperty("id").GetString()!;
        api.Advance(100);

        using var refused = await api.Client.PostAsync($"batches/{id}/cancel", null);
        using var missing = await api.Client.PostAsync("batches/batch_nope/cancel", null);

        Assert.Equal(409, (int)refused.StatusCode);
        Assert.Contains("'completed'", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Equal(BatchStatuses.Completed, (await api.GetAsync(id)).Status());
    }

    [Fact]
    public async Task Batch_WithFailingLines_ShufflesOutputAndListsEveryCustomIdOnce()
    {
        await using var api = await BatchApi.StartAsync(profiles: BatchApi.Profile(failureRate: 0.2, linesPerMinute: 6000));
        var id = (await api.SubmitAsync(BatchApi.Lines(60))).GetProperty("id").GetString()!;

        api.Advance(100);
        var completed = await api.GetAsync(id);
        var output = await api.LinesOfAsync(completed.GetProperty("output_file_id"));
        var errors = await api.LinesOfAsync(completed.GetProperty("error_file_id"));

        Assert.Equal(BatchStatuses.Completed, completed.Status());
        Assert.Equal((60, output.Count, errors.Count), completed.Counts());
        Assert.InRange(errors.Count, 1, 30);
        var outputIds = output.Select(l => l.GetProperty("custom_id").GetString()!).ToList();
        Assert.NotEqual(outputIds.OrderBy(c => int.Parse(c["line-".Length..], System.Globalization.CultureInfo.InvariantCulture)), outputIds);
        Assert.Equal(
            Enumerable.Range(0, 60).Select(i => $"line-{i}").Order(),
            outputIds.Concat(errors.Select(l => l.GetProperty("custom_id").GetString()!)).Order());
        foreach (var line in errors)
        {
            Assert.Equal(500, line.GetProperty("response").GetProperty("status_code").GetInt32());
            Assert.Equal("server_error", line.GetProperty("response").GetProperty("body").GetProperty("error").GetProperty("type").GetString());
            Assert.Equal(JsonValueKind.Null, line.GetProperty("error").ValueKind);
        }

        Assert.Equal(60, output.Concat(errors).Select(l => l.GetProperty("id").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Batch_EveryLineFails_HasNoOutputFile()
    {
        await using var api = await BatchApi.StartAsync(profiles: BatchApi.Profile(failureRate: 1));
        var id = (await api.SubmitAsync(BatchApi.Lines(2))).GetProperty("id").GetString()!;
        api.Advance(100);

        var completed = await api.GetAsync(id);

        Assert.Equal((2, 0, 2), completed.Counts());
        Assert.Equal(JsonValueKind.Undefined, completed.Field("output_file_id").ValueKind);
        Assert.Equal(2, (await api.LinesOfAsync(completed.GetProperty("error_file_id"))).Count);
    }

    [Fact]
    public async Task Batch_TimeScale_RunsTheBatchClockFaster()
    {
        // 600 simulated seconds per real second: a 10 s queue passes in 1/60 s of the provider's time.
        await using var api = await BatchApi.StartAsync(o => o.BatchTimeScale = 600);
        var id = (await api.SubmitAsync(BatchApi.Lines(2))).GetProperty("id").GetString()!;

        api.Clock.Advance(TimeSpan.FromSeconds(10.0 / 600 * 0.9));
        Assert.Equal(BatchStatuses.Validating, (await api.GetAsync(id)).Status());
        api.Clock.Advance(TimeSpan.FromSeconds(1));
        var completed = await api.GetAsync(id);

        Assert.Equal(BatchStatuses.Completed, completed.Status());
        Assert.Equal(BatchApi.EpochS + 10 + 2 + 5, completed.Time("completed_at"));
    }

    [Fact]
    public async Task Batch_OnTheSystemClock_CompletesInScaledRealTimeWithOrderedTimestamps()
    {
        // The embedded run's setting: the system clock, time scale 600 (a 10 s queue, 3 lines and 5 s of finalizing
        // take 18 simulated seconds, 30 ms of real time). Polls until the batch ends; statuses never go backwards.
        await using var host = await Bench.Simulator.Hosting.SimulatorHost.StartAsync(
            new Bench.Simulator.Hosting.SimulatorOptions { Profiles = [BatchApi.Profile()], BatchTimeScale = 600 });
        using var client = TestSimulator.CreateClient(host);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("batch"), "purpose" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(BatchApi.Lines(3))), "file", "in.jsonl" },
        };
        var file = await BatchApi.OkAsync(await client.PostAsync("files", form));
        var batch = await BatchApi.OkAsync(await client.PostAsJsonAsync("batches", new { input_file_id = file.GetProperty("id").GetString(), endpoint = "/v1/chat/completions", completion_window = "24h" }));
        var id = batch.GetProperty("id").GetString()!;
        string[] order = [BatchStatuses.Validating, BatchStatuses.InProgress, BatchStatuses.Finalizing, BatchStatuses.Completed];
        var last = 0;
        JsonElement now = batch;
        await Eventually.UntilAsync(
            () =>
            {
                now = BatchApi.OkAsync(client.GetAsync($"batches/{id}").GetAwaiter().GetResult()).GetAwaiter().GetResult();
                var index = Array.IndexOf(order, now.Status());
                Assert.True(index >= last, $"{now.Status()} after {order[last]}");
                last = index;
                return now.Status() == BatchStatuses.Completed;
            },
            "the batch to complete");

        var created = now.Time("created_at")!.Value;
        Assert.Equal(created + 10, now.Time("in_progress_at"));
        Assert.Equal(created + 86_400, now.Time("expires_at"));
        Assert.InRange(now.Time("finalizing_at")!.Value, created + 12, created + 13);
        Assert.InRange(now.Time("completed_at")!.Value, now.Time("finalizing_at")!.Value + 4, now.Time("finalizing_at")!.Value + 5);
        Assert.Equal((3, 3, 0), now.Counts());
    }

    [Fact]
    public async Task Batch_SameSeed_SameTurnaroundFailuresAndAnswers()
    {
        var first = await RunAsync(seed: 7);
        var again = await RunAsync(seed: 7);
        var other = await RunAsync(seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first.InProgressAt, other.InProgressAt);

        static async Task<(long? InProgressAt, long? CompletedAt, string Output, string Errors)> RunAsync(int seed)
        {
            var profile = BatchApi.Profile(failureRate: 0.3, linesPerMinute: 6000) with
            {
                Batch = BatchApi.Profile(failureRate: 0.3, linesPerMinute: 6000).Batch! with { QueueDelayS = new(600, 3600) },
            };
            await using var api = await BatchApi.StartAsync(o => o.Seed = seed, profile);
            var id = (await api.SubmitAsync(BatchApi.Lines(30))).GetProperty("id").GetString()!;
            api.Advance(86_400);
            var batch = await api.GetAsync(id);
            return (batch.Time("in_progress_at"), batch.Time("completed_at"),
                await api.ContentAsync(batch.GetProperty("output_file_id").GetString()!),
                await api.ContentAsync(batch.GetProperty("error_file_id").GetString()!));
        }
    }

    [Fact]
    public async Task BatchLine_WithSeed_GetsTheSynchronousAnswerForThatSeed()
    {
        // The same profile on both (random TTFT, length and jitter: the draws before the text depend on it).
        await using var api = await BatchApi.StartAsync(profiles: TestSimulator.Varied() with { Batch = BatchApi.Profile().Batch });
        await using var live = await Bench.Simulator.Hosting.SimulatorHost.StartAsync(new Bench.Simulator.Hosting.SimulatorOptions { Profiles = [TestSimulator.Varied()] });
        using var liveClient = TestSimulator.CreateClient(live);
        var id = (await api.SubmitAsync(BatchApi.Line("a", "varied", seed: 5) + "\n")).GetProperty("id").GetString()!;
        api.Advance(100);
        var line = Assert.Single(await api.LinesOfAsync((await api.GetAsync(id)).GetProperty("output_file_id")));

        using var response = await liveClient.PostAsJsonAsync("chat/completions", new Dictionary<string, object?>
        {
            ["model"] = "varied",
            ["messages"] = new[] { new { role = "user", content = "prompt of a" } },
            ["max_tokens"] = 50,
            ["seed"] = 5,
        });
        var sync = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        var batchBody = line.GetProperty("response").GetProperty("body");
        Assert.Equal(Content(sync), Content(batchBody));
        Assert.Equal(sync.GetProperty("usage").GetRawText(), batchBody.GetProperty("usage").GetRawText());

        static string Content(JsonElement completion) =>
            completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    [Fact]
    public async Task ListBatches_Paginates_NewestFirst()
    {
        await using var api = await BatchApi.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await api.SubmitAsync(BatchApi.Lines(1))).GetProperty("id").GetString()!);
        }

        ids.Reverse();
        var page1 = await BatchApi.OkAsync(await api.Client.GetAsync("batches?limit=2"));
        var page2 = await BatchApi.OkAsync(await api.Client.GetAsync($"batches?limit=2&after={page1.GetProperty("last_id").GetString()}"));
        var page3 = await BatchApi.OkAsync(await api.Client.GetAsync($"batches?limit=2&after={page2.GetProperty("last_id").GetString()}"));
        var all = await BatchApi.OkAsync(await api.Client.GetAsync("batches"));

        Assert.Equal(ids[..2], Ids(page1));
        Assert.True(page1.GetProperty("has_more").GetBoolean());
        Assert.Equal(ids[0], page1.GetProperty("first_id").GetString());
        Assert.Equal(ids[2..4], Ids(page2));
        Assert.Equal(ids[4..], Ids(page3));
        Assert.False(page3.GetProperty("has_more").GetBoolean());
        Assert.Equal(ids, Ids(all));
        Assert.Equal("list", all.GetProperty("object").GetString());
        foreach (var limit in (string[])["0", "101", "x"])
        {
            using var bad = await api.Client.GetAsync($"batches?limit={limit}");
            Assert.Equal(400, (int)bad.StatusCode);
        }

        static List<string> Ids(JsonElement page) => [.. page.GetProperty("data").EnumerateArray().Select(b => b.GetProperty("id").GetString()!)];
    }
}
