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
}
