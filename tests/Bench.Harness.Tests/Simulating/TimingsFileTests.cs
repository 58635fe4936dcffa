using Bench.Harness.SelfTest;
using Bench.Harness.Simulating;
using Bench.Simulator.Hosting;

namespace Bench.Harness.Tests.Simulating;

public sealed class TimingsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-timings-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task WrittenRecords_ReadBackEqual_ByTheTail_WholeLinesOnly()
    {
        var path = Path.Combine(_dir, "timings.jsonl");
        ServerTiming streamed = new("17", "m", true, 100, 110, 220, 330, 10, 200, "stop");
        ServerTiming plain = new(null, "n", false, 1, 2, null, 4, 0, 429, null);
        await using (var file = TimingsFile.Create(path))
        {
            file.Add(streamed);
            file.Add(plain);
        }

        // A line still being written (no newline yet) is left for the next read.
        await File.AppendAllTextAsync(path, """{"request_id":"18","mod""");
        var truth = new GroundTruth();
        var tail = new TimingsTail(path, truth);
        tail.Refresh();

        Assert.True(truth.TryGet(17, out var read));
        Assert.Equal(streamed, read);
        Assert.Equal(1, truth.Count);
        Assert.Equal(1, truth.WithoutId); // the record without a request id cannot be joined
        Assert.Equal(0, tail.Unreadable);

        await File.AppendAllTextAsync(path, "el\":\"m\",\"stream\":true,\"received_ticks\":1,\"started_ticks\":1,\"first_token_ticks\":null,\"last_byte_ticks\":2,\"completion_tokens\":0,\"status\":200}\nnot json\n");
        tail.Refresh();

        Assert.True(truth.TryGet(18, out var next));
        Assert.Null(next.FirstTokenTimestamp);
        Assert.Equal(1, tail.Unreadable);
    }
}
