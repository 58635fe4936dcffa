using System.Globalization;
using System.Text;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Tests.Shared;

namespace Bench.Core.Tests.Hostile;

/// <summary>Tests that measure the process's allocations: they run alone, so that no other test's allocations count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasuringCollection
{
    public const string Name = "allocation-measuring";
}

/// <summary>
/// Bounded memory (issue 10 §2): a server sends a 300 MB body — a non-streaming JSON answer, an error body, a single SSE
/// line — and the client ends the request at its cap, allocating far less than the body, and drops the rest unread
/// (the server's writes stop long before 300 MB, because the client closed the connection).
/// </summary>
/// <remarks>The bound is measured with <see cref="GC.GetTotalAllocatedBytes(bool)"/> around the request (every thread of
/// the process: the server's writes are counted too, and they are small), in a collection that runs alone. Before this
/// change a 300 MB body cost about 3 GiB.</remarks>
[Collection(AllocationMeasuringCollection.Name)]
public class HugeBodyTests
{
    private const long BodyBytes = 300L * 1000 * 1000;

    // Well under the body: the client's buffers at their caps (16 MiB body, doubled as it grows; 8 MiB event in the
    // SSE parser's line and data buffers), HttpClient's own, and the test server's.
    private const long AllocationBoundBytes = 100L * 1024 * 1024;

    [Fact]
    public async Task NonStreaming300MBJsonBody_MalformedAtTheCap_AllocatesFarLess()
    {
        var prefix = """{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":" """;
        var (record, allocated, written) = await MeasureAsync(
            Mode.NonStreaming,
            $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {BodyBytes.ToString(CultureInfo.InvariantCulture)}\r\n\r\n{prefix}");

        Assert.Equal(Outcome.Malformed, record.Outcome);
        Assert.Equal(200, record.HttpStatus);
        Assert.Equal("The body exceeded the 16 MiB cap (max_response_bytes): the rest was dropped unread.", record.Error?.Message);
        AssertBounded(allocated, written);
    }

    [Fact]
    public async Task Error300MBBody_ServerErrorWithItsStart_AllocatesFarLess()
    {
        var (record, allocated, written) = await MeasureAsync(
            Mode.NonStreaming,
            $"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: {BodyBytes.ToString(CultureInfo.InvariantCulture)}\r\n\r\nupstream exploded: ");

        Assert.Equal(Outcome.ServerError, record.Outcome);
        Assert.Equal(500, record.HttpStatus);
        Assert.StartsWith("upstream exploded: aaaa", record.Error?.Message, StringComparison.Ordinal);
        Assert.Equal(501, record.Error?.Message?.Length);
        AssertBounded(allocated, written);
    }

    [Fact]
    public async Task Streaming300MBSingleSseLine_MalformedAtTheCap_AllocatesFarLess()
    {
        var (record, allocated, written) = await MeasureAsync(
            Mode.Streaming,
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: keep-alive\r\n\r\n"
            + """data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":" """);

        Assert.Equal(Outcome.Malformed, record.Outcome);
        Assert.Equal(200, record.HttpStatus);
        Assert.Contains("SSE line longer than 8 MiB (max_event_bytes): the rest of the body was dropped unread", record.Error?.Message, StringComparison.Ordinal);
        AssertBounded(allocated, written);
    }

    [Fact]
    public async Task NonStreamingBodyOverAConfiguredCap_MalformedNamingThatCap()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(200, "application/json", """{"object":"chat.completion","choices":[{"index":0,"message":{"content":" """ + new string('a', 5000) + "\"},\"finish_reason\":\"stop\"}]}");
            return true;
        });

        var record = await HostileResponseTests.SendAsync(server, Mode.NonStreaming, new ChatClientOptions { Tokenizer = "none", MaxResponseBytes = 4096 });

        Assert.Equal(Outcome.Malformed, record.Outcome);
        Assert.Contains("exceeded the 4 KiB cap", record.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamingEventOverAConfiguredCap_MalformedNamingThatCap()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.BeginEventStreamAsync();
            await exchange.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + new string('a', 10_000) + "\"}}]}\n\ndata: [DONE]\n\n");
            return false;
        });

        var record = await HostileResponseTests.SendAsync(server, Mode.Streaming, new ChatClientOptions { Tokenizer = "none", MaxEventBytes = 4096 });

        Assert.Equal(Outcome.Malformed, record.Outcome);
        Assert.Equal("SSE line longer than 4 KiB (max_event_bytes): the rest of the body was dropped unread.", record.Error?.Message);
    }

    [Fact]
    public void Constructor_CapOutOfRange_Throws()
    {
        using var http = new HttpClient();
        var endpoint = new Bench.Core.Client.Endpoint(new Uri("http://127.0.0.1:9/v1/"), "k");

        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatClient(http, endpoint, new RunClock(), new ChatClientOptions { MaxResponseBytes = 1023 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatClient(http, endpoint, new RunClock(), new ChatClientOptions { MaxEventBytes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatClient(http, endpoint, new RunClock(), new ChatClientOptions { MaxErrorBodyBytes = int.MaxValue }));
    }

    private static void AssertBounded(long allocated, long written)
    {
        Assert.True(allocated < AllocationBoundBytes, $"the client allocated {allocated / (1024 * 1024)} MiB for a {BodyBytes / 1_000_000} MB body");

        // The rest was dropped, not drained: the server could not write the whole body.
        Assert.True(written < BodyBytes / 2, $"the server wrote {written / 1_000_000} MB of {BodyBytes / 1_000_000} MB");
    }

    /// <summary>Serves <paramref name="head"/> then 'a's up to <see cref="BodyBytes"/> (from one reused 64 KiB chunk)
    /// and measures the process's allocations over one request.</summary>
    private static async Task<(RequestRecord Record, long Allocated, long Written)> MeasureAsync(Mode mode, string head)
    {
        long written = 0;
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var chunk = new byte[64 * 1024];
        chunk.AsSpan().Fill((byte)'a');
        await using var server = HostileServer.Start(async exchange =>
        {
            try
            {
                var headBytes = Encoding.UTF8.GetBytes(head);
                await exchange.WriteAsync(headBytes);
                var sent = (long)headBytes.Length - head.IndexOf("\r\n\r\n", StringComparison.Ordinal) - 4;
                while (sent < BodyBytes)
                {
                    var n = (int)Math.Min(chunk.Length, BodyBytes - sent);
                    await exchange.Stream.WriteAsync(chunk.AsMemory(0, n), exchange.Stopping);
                    sent += n;
                    Interlocked.Exchange(ref written, sent);
                }
            }
            finally
            {
                stopped.TrySetResult();
            }

            return false;
        });

        // No warm-up: the first request also pays for growing the pooled buffers to their caps, and is still bounded.
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var record = await HostileResponseTests.SendAsync(server, mode);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        // The server's write fails once the client has closed the connection.
        await stopped.Task;
        return (record, allocated, Interlocked.Read(ref written));
    }
}
