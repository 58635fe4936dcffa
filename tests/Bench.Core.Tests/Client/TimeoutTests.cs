using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Tests.Shared;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Core.Tests.Client;

/// <summary>
/// The first-byte and idle timeouts and the headers' arrival time (issue 10 §5, §6), against real sockets on a fake
/// clock: the client's timers are the fake clock's, so a timeout fires when the test moves time, and the socket read it
/// cancels ends at once, without any real waiting. Each test waits for a condition (the server received the request,
/// so the connect timer is gone; the client armed its read's idle timer) before it moves time, never for a fixed
/// while.
/// </summary>
[Collection(SteppingClock.Collection)]
public class TimeoutTests
{
    private const string ApiKey = "sk-timeouts";

    private const string Completion =
        "{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}]," +
        "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";

    private const string Events =
        "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";

    [Fact]
    public async Task SendAsync_HeadersThenSilence_IdleTimeoutFires()
    {
        var clock = new SteppingClock();
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.BeginEventStreamAsync();
            await exchange.HangAsync();
            return false;
        });
        var client = Client(server, clock, idle: TimeSpan.FromSeconds(5));

        var sending = client.SendAsync(Request(Mode.Streaming), new RequestContext(0));
        // Overall timer and the body read's idle timer: the headers have arrived and the client waits for bytes.
        await WaitUntilAsync(() => server.RequestsReceived == 1 && clock.PendingTimers == 2, sending);
        clock.Advance(TimeSpan.FromSeconds(5));
        var record = await sending;

        Assert.Equal(Outcome.Timeout, record.Outcome);
        Assert.Equal("No response byte for 5 s (idle timeout).", record.Error?.Message);
        Assert.Equal(200, record.HttpStatus);
        Assert.Equal(0, record.HeadersMs);
        Assert.Null(record.FirstByteMs);
        Assert.Equal(5000, record.EndMs);
    }

    [Fact]
    public async Task SendAsync_HeadersThenSilence_FirstByteTimeoutFires()
    {
        var clock = new SteppingClock();
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.BeginEventStreamAsync();
            await exchange.HangAsync();
            return false;
        });
        var client = Client(server, clock, firstByte: TimeSpan.FromSeconds(5), idle: TimeSpan.FromSeconds(30));

        var sending = client.SendAsync(Request(Mode.Streaming), new RequestContext(0));
        // Overall, first-byte and (once the body is being read) idle timers.
        await WaitUntilAsync(() => server.RequestsReceived == 1 && clock.PendingTimers == 3, sending);
        clock.Advance(TimeSpan.FromSeconds(5));
        var record = await sending;

        Assert.Equal(Outcome.Timeout, record.Outcome);
        Assert.Equal("No first byte within 5 s (first-byte timeout).", record.Error?.Message);
        Assert.Equal(200, record.HttpStatus);
        Assert.Equal(0, record.HeadersMs);
        Assert.Equal(5000, record.EndMs);
    }

    [Fact]
    public async Task SendAsync_HangBeforeHeaders_FirstByteTimeoutFires()
    {
        var clock = new SteppingClock();
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.HangAsync();
            return false;
        });
        var client = Client(server, clock, firstByte: TimeSpan.FromSeconds(5));

        var sending = client.SendAsync(Request(Mode.NonStreaming), new RequestContext(0));
        await WaitUntilAsync(() => server.RequestsReceived == 1, sending);
        clock.Advance(TimeSpan.FromSeconds(5));
        var record = await sending;

        Assert.Equal(Outcome.Timeout, record.Outcome);
        Assert.Equal("No first byte within 5 s (first-byte timeout).", record.Error?.Message);
        Assert.Null(record.HttpStatus);
        Assert.Null(record.HeadersMs);
        Assert.Equal(5000, record.EndMs);
    }

    [Fact]
    public async Task SendAsync_HangBeforeHeadersWithoutFirstByteTimeout_OverallTimeoutFires()
    {
        var clock = new SteppingClock();
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.HangAsync();
            return false;
        });
        var client = Client(server, clock, idle: TimeSpan.FromSeconds(1));

        var sending = client.SendAsync(Request(Mode.Streaming), new RequestContext(0));
        await WaitUntilAsync(() => server.RequestsReceived == 1, sending);
        clock.Advance(TimeSpan.FromSeconds(120));
        var record = await sending;

        // The idle timeout bounds reads of a body; before the headers only the overall timeout runs.
        Assert.Equal(Outcome.Timeout, record.Outcome);
        Assert.Equal("No complete response within 120 s.", record.Error?.Message);
        Assert.Equal(120_000, record.EndMs);
    }

    [Fact]
    public async Task SendAsync_EventsWithinTheIdleTimeout_Succeeds()
    {
        var clock = new SteppingClock();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: {Events.Length}\r\n\r\n");
            await release.Task.WaitAsync(exchange.Stopping);
            await exchange.WriteAsync(Events);
            return true;
        });
        var client = Client(server, clock, firstByte: TimeSpan.FromSeconds(5), idle: TimeSpan.FromSeconds(5));

        var sending = client.SendAsync(Request(Mode.Streaming), new RequestContext(0));
        await WaitUntilAsync(() => server.RequestsReceived == 1 && clock.PendingTimers == 3, sending);
        clock.Advance(TimeSpan.FromSeconds(4.999));
        release.SetResult();
        var record = await sending;

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal(4999, record.FirstByteMs);
    }

    [Theory]
    [InlineData(Mode.NonStreaming)]
    [InlineData(Mode.Streaming)]
    public async Task SendAsync_HeadersThenBodyAfterAWait_HeadersMsBeforeFirstByteMsByTheWait(Mode mode)
    {
        var clock = new SteppingClock();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = HostileServer.Start(async exchange =>
        {
            var body = exchange.IsStreaming ? Events : Completion;
            var type = exchange.IsStreaming ? "text/event-stream" : "application/json";
            await exchange.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: {type}\r\nContent-Length: {body.Length}\r\n\r\n");
            await release.Task.WaitAsync(exchange.Stopping);
            await exchange.WriteAsync(body);
            return true;
        });
        // A long idle timeout only to see when the client reads the body (its timer is armed then).
        var client = Client(server, clock, idle: TimeSpan.FromSeconds(60));

        var sending = client.SendAsync(Request(mode), new RequestContext(0));
        await WaitUntilAsync(() => server.RequestsReceived == 1 && clock.PendingTimers == 2, sending);
        clock.Advance(TimeSpan.FromMilliseconds(40));
        release.SetResult();
        var record = await sending;

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal(0, record.SentMs);
        Assert.Equal(0, record.HeadersMs);
        Assert.Equal(40, record.FirstByteMs);
        Assert.Equal(40, record.EndMs);
    }

    [Fact]
    public async Task SendAsync_RealClock_HeadersMsBetweenSentAndFirstByte()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Completion.Length}\r\n\r\n");
            // Never early: .NET's timers run on a coarse tick and a plain 50 ms delay can end after 49.98 ms (seen once
            // in five suite runs), which would fail the bound below for the server's timer, not the client's clock.
            await Task.Delay(TimeSpan.FromMilliseconds(50), new NeverEarlyTimeProvider(TimeProvider.System), exchange.Stopping);
            await exchange.WriteAsync(Completion);
            return true;
        });
        using var http = BenchHttpClient.Create();
        var client = new ChatClient(http, new Endpoint(server.BaseUrl, ApiKey), new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        var record = await client.SendAsync(Request(Mode.NonStreaming), new RequestContext(0));

        // Real time: only a lower bound on the server's wait (the headers' own time may be taken late on a busy machine).
        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.InRange(record.HeadersMs!.Value, record.SentMs, record.FirstByteMs!.Value);
        Assert.True(record.FirstByteMs - record.SentMs >= 50, $"sent {record.SentMs} ms, first byte {record.FirstByteMs} ms");
    }

    [Fact]
    public async Task SendAsync_ConnectNeverCompletes_ConnectTimeoutIsConnectionError()
    {
        using var listener = new FullListener();
        await listener.FillAsync();
        var clock = new SteppingClock();
        using var http = BenchHttpClient.Create(new ConnectionOptions { TimeProvider = clock, ConnectTimeout = TimeSpan.FromSeconds(10) });
        var client = new ChatClient(http, new Endpoint(listener.BaseUrl), new RunClock(clock));

        var sending = client.SendAsync(Request(Mode.Streaming), new RequestContext(0));
        // The request's overall timer and the connect timer.
        await WaitUntilAsync(() => clock.PendingTimers == 2, sending);
        clock.Advance(TimeSpan.FromSeconds(10));
        var record = await sending;

        Assert.Equal(Outcome.ConnectionError, record.Outcome);
        Assert.Equal($"No connection within 10 s (connect timeout) ({listener.BaseUrl.Authority})", record.Error?.Message);
        Assert.Null(record.HttpStatus);
        Assert.Equal(10_000, record.EndMs);
    }

    [Fact]
    public async Task SendAsync_FirstByteTimeoutWhileConnecting_TimeoutSaysTheRequestWasNeverSent()
    {
        using var listener = new FullListener();
        await listener.FillAsync();
        var clock = new SteppingClock();
        using var http = BenchHttpClient.Create(new ConnectionOptions { TimeProvider = clock, ConnectTimeout = TimeSpan.FromSeconds(10) });
        var client = new ChatClient(http, new Endpoint(listener.BaseUrl), new RunClock(clock), new ChatClientOptions { FirstByteTimeout = TimeSpan.FromSeconds(3) });

        var sending = client.SendAsync(Request(Mode.Streaming), new RequestContext(0));
        // Overall, first-byte and connect timers.
        await WaitUntilAsync(() => clock.PendingTimers == 3, sending);
        clock.Advance(TimeSpan.FromSeconds(3));
        var record = await sending;

        Assert.Equal(Outcome.Timeout, record.Outcome);
        Assert.Equal("No first byte within 3 s (first-byte timeout). The request was never sent: no connection was ready.", record.Error?.Message);
        Assert.Equal(3000, record.EndMs);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(2_147_484.0)]
    public void Constructor_FirstByteOrIdleTimeoutOutOfRange_Throws(double seconds)
    {
        using var http = new HttpClient();
        var endpoint = new Endpoint(new Uri("http://127.0.0.1:1/v1"));

        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatClient(http, endpoint, new RunClock(), new ChatClientOptions { FirstByteTimeout = TimeSpan.FromSeconds(seconds) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatClient(http, endpoint, new RunClock(), new ChatClientOptions { IdleTimeout = TimeSpan.FromSeconds(seconds) }));
    }

    private static ChatClient Client(HostileServer server, SteppingClock clock, TimeSpan? firstByte = null, TimeSpan? idle = null)
    {
        // Not disposed: the client lives as long as the test, and its connections close with the server.
        var http = BenchHttpClient.Create(new ConnectionOptions { TimeProvider = clock });
        return new ChatClient(http, new Endpoint(server.BaseUrl, ApiKey), new RunClock(clock), new ChatClientOptions
        {
            FirstByteTimeout = firstByte,
            IdleTimeout = idle,
            Tokenizer = "none",
        });
    }

    private static ChatRequest Request(Mode mode) => new("m", mode, [new ChatMessage("user", "hi")], 8);

    /// <summary>Waits (real time, yielding) until <paramref name="condition"/> holds; fails early if the request ended
    /// first, and after a minute as a guard against a hung test (not a deadline of the behaviour).</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, Task<RequestRecord> sending)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (sending.IsCompleted)
            {
                var record = await sending;
                Assert.Fail($"The request ended before the condition held: {record.Outcome} {record.Error?.Message}");
            }

            Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(1), "condition never held");
            await Task.Yield();
        }
    }

    /// <summary>A listener that never accepts, its accept queue filled (Linux holds backlog + 1 connections, then drops
    /// SYNs), so a client's connect waits for an answer that never comes.</summary>
    private sealed class FullListener : IDisposable
    {
        private readonly Socket _listener = new(SocketType.Stream, ProtocolType.Tcp);
        private readonly List<Socket> _fillers = [];

        public FullListener()
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(1);
        }

        public Uri BaseUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}/v1");

        public async Task FillAsync()
        {
            for (var i = 0; i < 2; i++)
            {
                var filler = new Socket(SocketType.Stream, ProtocolType.Tcp);
                _fillers.Add(filler);
                await filler.ConnectAsync((IPEndPoint)_listener.LocalEndPoint!);
            }
        }

        public void Dispose()
        {
            _fillers.ForEach(f => f.Dispose());
            _listener.Dispose();
        }
    }
}
