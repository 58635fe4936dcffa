using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Tests.Shared;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Core.Tests.Hostile;

/// <summary>
/// The keep-alive race (issue 10 §5): a server that closes the connection after each answer while advertising
/// <c>Connection: keep-alive</c>, as older llama.cpp servers do. A request that the pool puts on such a connection just
/// before the close arrives fails before any response byte; the server never received it, so it is retried once on a
/// fresh connection and every request succeeds. The server's counters prove each request was received exactly once.
/// </summary>
public class KeepAliveRaceTests
{
    private const string ApiKey = "sk-keepalive-race";

    /// <summary>A whole SSE answer, framed by Content-Length so the connection could be reused (and is not).</summary>
    private const string Stream =
        "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n" +
        "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]," +
        "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}\n\n" +
        "data: [DONE]\n\n";

    private const string Completion =
        "{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}]," +
        "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";

    [Theory]
    [InlineData(Mode.Streaming, false, 1)]
    [InlineData(Mode.Streaming, true, 1)]
    [InlineData(Mode.Streaming, false, 8)]
    [InlineData(Mode.NonStreaming, true, 8)]
    public async Task SendAsync_ServerClosesAfterEachAnswer_EveryRequestSucceeds(Mode mode, bool reset, int concurrency)
    {
        const int requests = 300;
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(200, exchange.IsStreaming ? "text/event-stream" : "application/json", exchange.IsStreaming ? Stream : Completion);
            if (reset)
            {
                exchange.Reset();
            }

            return false;
        });
        using var http = BenchHttpClient.Create();
        var client = new ChatClient(http, new Endpoint(server.BaseUrl, ApiKey), new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        var records = await SendAllAsync(client, mode, requests, concurrency);

        var failures = records.Where(r => r.Outcome != Outcome.Success).Select(r => $"{r.Outcome}: {r.Error?.Message}").ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} failed: {string.Join(" | ", failures.Distinct().Take(5))}");
        Assert.Equal(requests, server.RequestsReceived);
        // One connection per request; under concurrency the pool may open a spare one for a request that another
        // connection then served.
        Assert.InRange(server.ConnectionsAccepted, requests, requests + concurrency);
        Assert.All(records, r => Assert.NotNull(r.HeadersMs));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SendAsync_ReusedConnectionClosedBeforeAnyByte_SucceedsOnAFreshConnectionAndNotesTheRetry(bool reset)
    {
        // The race made deterministic: the first answer keeps the connection; the next request on that connection is
        // met with a close (FIN) or a reset before any byte; a request on a new connection is answered.
        var connections = new System.Collections.Concurrent.ConcurrentDictionary<Stream, int>();
        await using var server = HostileServer.Start(async exchange =>
        {
            if (connections.AddOrUpdate(exchange.Stream, 1, (_, n) => n + 1) > 1)
            {
                if (reset)
                {
                    exchange.Reset();
                }

                return false;
            }

            await exchange.RespondAsync(200, "text/event-stream", Stream);
            return true;
        });
        using var http = BenchHttpClient.Create();
        var client = new ChatClient(http, new Endpoint(server.BaseUrl, ApiKey), new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        var first = await client.SendAsync(Request(Mode.Streaming), new RequestContext(0));
        var second = await client.SendAsync(Request(Mode.Streaming), new RequestContext(1));

        Assert.Equal((Outcome.Success, false), (first.Outcome, first.ConnectionRetried));
        Assert.Equal((Outcome.Success, true), (second.Outcome, second.ConnectionRetried));
        Assert.Null(second.Error);
        // The second request reached the reused connection (and was dropped there), then its retry a new one.
        Assert.Equal(3, server.RequestsReceived);
        Assert.Equal(2, server.ConnectionsAccepted);
    }

    [Fact]
    public async Task SendAsync_ReusedConnectionResetThenFreshOneReset_ConnectionErrorAfterOneRetry()
    {
        // The first request is answered on a connection kept alive; every later request is reset before any response
        // byte, on whatever connection it arrives.
        var first = 1;
        await using var server = HostileServer.Start(async exchange =>
        {
            if (Interlocked.Exchange(ref first, 0) == 1)
            {
                await exchange.RespondAsync(200, "application/json", Completion);
                return true;
            }

            exchange.Reset();
            return false;
        });
        using var http = BenchHttpClient.Create();
        var client = new ChatClient(http, new Endpoint(server.BaseUrl, ApiKey), new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        var ok = await client.SendAsync(Request(Mode.NonStreaming), new RequestContext(0));
        var failed = await client.SendAsync(Request(Mode.NonStreaming), new RequestContext(1));

        Assert.Equal(Outcome.Success, ok.Outcome);
        Assert.False(ok.ConnectionRetried);
        Assert.Equal(Outcome.ConnectionError, failed.Outcome);
        Assert.True(failed.ConnectionRetried);
        Assert.Null(failed.HttpStatus);
        Assert.Null(failed.HeadersMs);
        Assert.Contains("reset", failed.Error?.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("retried once on a fresh connection", failed.Error?.Message, StringComparison.Ordinal);
        // Received: the first request, the failed one on the reused connection, its one retry on a fresh connection.
        Assert.Equal(3, server.RequestsReceived);
        Assert.Equal(2, server.ConnectionsAccepted);
    }

    [Fact]
    public async Task SendAsync_FreshConnectionReset_ConnectionErrorWithoutRetry()
    {
        await using var server = HostileServer.Start(exchange =>
        {
            exchange.Reset();
            return Task.FromResult(false);
        });
        using var http = BenchHttpClient.Create();
        var client = new ChatClient(http, new Endpoint(server.BaseUrl, ApiKey), new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        var record = await client.SendAsync(Request(Mode.Streaming), new RequestContext(0));

        Assert.Equal(Outcome.ConnectionError, record.Outcome);
        Assert.False(record.ConnectionRetried);
        Assert.Contains("reset", record.Error?.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, server.RequestsReceived);
        Assert.Equal(1, server.ConnectionsAccepted);
    }

    private static async Task<List<RequestRecord>> SendAllAsync(ChatClient client, Mode mode, int requests, int concurrency)
    {
        var next = -1;
        var records = new System.Collections.Concurrent.ConcurrentBag<RequestRecord>();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int id;
            while ((id = Interlocked.Increment(ref next)) < requests)
            {
                records.Add(await client.SendAsync(Request(mode), new RequestContext(id)));
            }
        })));
        return [.. records];
    }

    private static ChatRequest Request(Mode mode) => new("m", mode, [new ChatMessage("user", "hi")], 8);
}
