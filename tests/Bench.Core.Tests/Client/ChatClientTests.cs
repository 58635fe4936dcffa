using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Bench.Core.Client;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Tests.TestSupport;
using Bench.Tests.Shared;
using Microsoft.AspNetCore.Http;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Core.Tests.Client;

/// <summary>The client against a real Kestrel server on loopback, one scripted behaviour per model name. Timeouts and
/// cancellation run on a fake clock (<see cref="SteppingClock"/>) and are asserted exactly; the paced tests stay on the
/// real clock: they check how accurately the client times bytes that a real server sends after real delays.</summary>
[Collection(SteppingClock.Collection)]
public class ChatClientTests(ChatClientTests.ServerFixture server) : IClassFixture<ChatClientTests.ServerFixture>
{
    private const string ApiKey = "sk-test-SECRET-0123456789abcdef";

    // Loose upper bounds: a 2-core machine shared with builds has stalled a test for a second. The lower bounds and
    // the gaps between events are what tell the times apart.
    private const double Slack = 1500;

    // Lower bounds from send: .NET timers run on a coarse tick and may fire a few ms before the Stopwatch says.
    private const double TimerSlack = 5;

    // Lower bounds on a gap between two arrivals: the earlier event may also be read late when the client is starved.
    private const double GapSlack = 25;

    private const int FirstTokenDelayMs = 200;
    private const int SecondTokenDelayMs = 100;

    private static int s_nextId;

    [Fact]
    public async Task SendAsync_PacedStream_TimesEachTokenAfterItsDelay()
    {
        var record = await SendAsync("paced", Mode.Streaming);

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal(200, record.HttpStatus);
        Assert.Null(record.Error);
        Assert.Equal("stop", record.FinishReason);
        Assert.Equal((5, 2, TokenSources.Usage), (record.PromptTokens, record.CompletionTokens, record.TokensSource));
        Assert.Equal(5, record.Events);
        Assert.Equal("Hello world".Length, record.ContentChars);
        Assert.Equal(2, record.TokenEventsMs.Count);

        var ttft = RequestMetrics.TtftMs(record)!.Value;
        Assert.InRange(ttft, FirstTokenDelayMs - TimerSlack, FirstTokenDelayMs + Slack);
        Assert.InRange(RequestMetrics.TtfbMs(record)!.Value, 0, ttft);
        Assert.Equal(ttft, RequestMetrics.TtfoMs(record));
        var itl = Assert.Single(RequestMetrics.ItlMs(record));
        Assert.InRange(itl, SecondTokenDelayMs - GapSlack, SecondTokenDelayMs + Slack);
        Assert.Equal(itl, RequestMetrics.TpotMs(record)!.Value, 3);
        Assert.InRange(RequestMetrics.E2eMs(record), FirstTokenDelayMs + SecondTokenDelayMs - TimerSlack, FirstTokenDelayMs + SecondTokenDelayMs + Slack);
        Assert.Equal(record.TokenEventsMs[^1], record.LastTokenMs);
    }

    [Fact]
    public async Task SendAsync_ReasoningThenContent_FirstOutputTokenAfterFirstToken()
    {
        var record = await SendAsync("reasoning", Mode.Streaming);

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal(200, record.HttpStatus);
        Assert.Equal(("Thinking".Length, "Yes".Length), (record.ReasoningChars, record.ContentChars));
        Assert.Equal((3, 1), (record.ReasoningTokens, record.CompletionTokens - 2));
        Assert.InRange(record.FirstOutputTokenMs!.Value - record.FirstTokenMs!.Value, SecondTokenDelayMs - GapSlack, SecondTokenDelayMs + Slack);
    }

    [Fact]
    public async Task SendAsync_NonStreaming_EndOfBodyAndUsage()
    {
        var record = await SendAsync("json", Mode.NonStreaming);

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal(200, record.HttpStatus);
        Assert.Equal("stop", record.FinishReason);
        Assert.Equal((3, 2, 1, TokenSources.Usage), (record.PromptTokens, record.CompletionTokens, record.CachedTokens, record.TokensSource));
        Assert.Equal("Hi there".Length, record.ContentChars);
        Assert.Equal(0, record.Events);
        Assert.Empty(record.TokenEventsMs);
        Assert.Null(record.FirstTokenMs);
        Assert.InRange(RequestMetrics.E2eMs(record), FirstTokenDelayMs - TimerSlack, FirstTokenDelayMs + Slack);
        Assert.InRange(RequestMetrics.TtfbMs(record)!.Value, FirstTokenDelayMs - TimerSlack, RequestMetrics.E2eMs(record));
    }

    [Theory]
    [InlineData("rate-limited", 429, Outcome.RateLimited, "requests", "rate_limit_exceeded", "Rate limit reached for requests")]
    [InlineData("server-error", 500, Outcome.ServerError, "server_error", "500", "boom")]
    [InlineData("missing", 404, Outcome.ClientError, "invalid_request_error", "model_not_found", "The model `missing` does not exist")]
    // A proxy's HTML page: its text, not its markup.
    [InlineData("bad-gateway", 502, Outcome.ServerError, null, null, "502 Bad Gateway")]
    public async Task SendAsync_ErrorStatus_ClassifiedWithServerError(string model, int status, Outcome outcome, string? type, string? code, string message)
    {
        var record = await SendAsync(model, Mode.Streaming);

        Assert.Equal(outcome, record.Outcome);
        Assert.Equal(status, record.HttpStatus);
        Assert.Equal(new ErrorInfo(type, code, message), record.Error);
        Assert.Equal(TokenSources.None, record.TokensSource);
        Assert.Null(record.CompletionTokens);
        Assert.Empty(record.TokenEventsMs);
        Assert.NotNull(record.FirstByteMs);
        Assert.True(record.EndMs >= record.SentMs);
    }

    [Fact]
    public async Task SendAsync_LongErrorMessage_CutTo500Chars()
    {
        var record = await SendAsync("verbose-error", Mode.NonStreaming);

        Assert.Equal(Outcome.ClientError, record.Outcome);
        Assert.Equal(400, record.HttpStatus);
        Assert.Equal(new string('x', 500) + "…", record.Error?.Message);
    }

    [Fact]
    public async Task SendAsync_Unauthorized_KeyNeverInRecordOrMessage()
    {
        var context = NextContext();
        var record = await SendAsync("unauthorized", Mode.Streaming, context: context);

        Assert.Equal(Outcome.ClientError, record.Outcome);
        Assert.Equal(401, record.HttpStatus);
        Assert.Equal("invalid_api_key", record.Error?.Code);
        Assert.Equal("Incorrect API key provided: Bearer ***.", record.Error?.Message);

        // The key did go out, and the server did echo it back...
        Assert.Equal($"Bearer {ApiKey}", server.Server.Requests[context.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)].Headers["Authorization"]);

        // ...but nothing Bench keeps or prints carries it.
        Assert.DoesNotContain(ApiKey, JsonSerializer.Serialize(record), StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, new Endpoint(server.Server.BaseAddress, ApiKey).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, JsonSerializer.Serialize(new Endpoint(server.Server.BaseAddress, ApiKey)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ConnectionAbortedMidStream_StreamInterruptedKeepsTokens()
    {
        var record = await SendAsync("abort", Mode.Streaming);

        Assert.Equal(Outcome.StreamInterrupted, record.Outcome);
        Assert.Equal(200, record.HttpStatus);
        Assert.Equal(Names.Of(Outcome.StreamInterrupted), record.Error?.Type);
        Assert.Equal(2, record.TokenEventsMs.Count);
        Assert.Equal("Hello world".Length, record.ContentChars);
        // No usage arrived: what was received is counted locally (an interrupted stream is still billed).
        Assert.Equal(TokenSources.Tokenizer, record.TokensSource);
        Assert.Equal(2, record.TokenizerCompletionTokens);
        Assert.True(record.EndMs >= record.LastTokenMs);
    }

    [Fact]
    public async Task SendAsync_NoDoneNoFinishReason_StreamInterrupted()
    {
        var record = await SendAsync("no-done", Mode.Streaming);

        Assert.Equal(Outcome.StreamInterrupted, record.Outcome);
        Assert.Equal(200, record.HttpStatus);
        Assert.Equal("The stream ended without [DONE] or a finish reason.", record.Error?.Message);
        Assert.Equal(2, record.TokenEventsMs.Count);
        Assert.Null(record.FinishReason);
    }

    [Fact]
    public async Task SendAsync_NoDoneButFinishReason_Success()
    {
        var record = await SendAsync("no-done-finished", Mode.Streaming);

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal(200, record.HttpStatus);
        Assert.Null(record.Error);
        Assert.Equal("length", record.FinishReason);
        Assert.Equal((2, TokenSources.Usage), (record.CompletionTokens, record.TokensSource));
    }

    [Fact]
    public async Task SendAsync_ErrorEventMidStream_ProviderErrorWithServerError()
    {
        var record = await SendAsync("error-event", Mode.Streaming);

        Assert.Equal(Outcome.ProviderError, record.Outcome);
        Assert.Equal(200, record.HttpStatus);
        Assert.Equal(new ErrorInfo("invalid_request_error", "tool_use_failed", "Tool call validation failed"), record.Error);
        Assert.Single(record.TokenEventsMs);
        Assert.Equal(3, record.Events);
    }

    [Fact]
    public async Task SendAsync_ErrorObjectAfterTokens_ProviderErrorKeepsTypeCodeMessage()
    {
        var record = await SendAsync("error-object", Mode.Streaming);

        Assert.Equal(Outcome.ProviderError, record.Outcome);
        Assert.Equal(new ErrorInfo(null, "502", "Upstream provider went away"), record.Error);
        Assert.Equal(2, record.TokenEventsMs.Count);
        Assert.Equal("Hello".Length, record.ContentChars);
    }

    [Fact]
    public async Task SendAsync_ModelTokenizers_PerModelEncodingOrNone()
    {
        var byModel = new Dictionary<string, string> { ["no-done"] = "none", ["abort"] = "cl100k_base" };
        var client = new ChatClient(server.Http, new Endpoint(server.Server.BaseAddress, ApiKey), server.Clock,
            new ChatClientOptions { Tokenizer = "o200k_base", ModelTokenizers = byModel });

        var off = await client.SendAsync(Request("no-done", Mode.Streaming), NextContext());
        var named = await client.SendAsync(Request("abort", Mode.Streaming), NextContext());
        var fallback = await client.SendAsync(Request("no-done-finished", Mode.Streaming), NextContext());

        Assert.Equal((TokenSources.None, null, null), (off.TokensSource, off.TokenizerEncoding, off.TokenizerCompletionTokens));
        Assert.Equal((TokenSources.Tokenizer, "cl100k_base", 2), (named.TokensSource, named.TokenizerEncoding, named.TokenizerCompletionTokens));
        Assert.Equal((TokenSources.Usage, "o200k_base", 2, 2), (fallback.TokensSource, fallback.TokenizerEncoding, fallback.CompletionTokens, fallback.TokenizerCompletionTokens));
    }

    [Fact]
    public void Constructor_UnknownModelTokenizer_Throws() =>
        Assert.Throws<ArgumentException>(() => new ChatClient(server.Http, new Endpoint(server.Server.BaseAddress, ApiKey), server.Clock,
            new ChatClientOptions { ModelTokenizers = new Dictionary<string, string> { ["m"] = "gpt2" } }));

    [Fact]
    public async Task SendAsync_NonJsonBody_Malformed()
    {
        var record = await SendAsync("non-json", Mode.NonStreaming);

        Assert.Equal(Outcome.Malformed, record.Outcome);
        Assert.Equal(200, record.HttpStatus);
        Assert.Equal(Names.Of(Outcome.Malformed), record.Error?.Type);
        // A 2xx answer was produced (and billed): the prompt is counted locally; nothing was read as completion.
        Assert.Equal(TokenSources.Tokenizer, record.TokensSource);
        Assert.Equal(0, record.TokenizerCompletionTokens);
    }

    [Fact]
    public async Task SendAsync_NonJsonEvent_Malformed()
    {
        var record = await SendAsync("non-json-stream", Mode.Streaming);

        Assert.Equal(Outcome.Malformed, record.Outcome);
        Assert.Equal(200, record.HttpStatus);
        Assert.Equal(2, record.Events);
        Assert.Empty(record.TokenEventsMs);
    }

    [Fact]
    public async Task SendAsync_NoHeadersBeforeTimeout_TimeoutAtExactlyTheTimeout()
    {
        // On a fake clock the timeout fires when the clock reaches it, whatever the machine's load.
        var time = new SteppingClock();
        var record = await time.RunAsync(() => SendAsync("slow", Mode.Streaming, timeout: TimeSpan.FromMilliseconds(300), clock: new RunClock(time)));

        Assert.Equal(Outcome.Timeout, record.Outcome);
        Assert.Null(record.HttpStatus);
        Assert.Equal(Names.Of(Outcome.Timeout), record.Error?.Type);
        Assert.Equal("No complete response within 0.3 s.", record.Error?.Message);
        Assert.Null(record.FirstByteMs);
        Assert.Equal((0, 300), (record.SentMs, record.EndMs));
        Assert.Equal(300, RequestMetrics.E2eMs(record));
        Assert.Equal(TimeSpan.FromMilliseconds(300), time.Elapsed);
    }

    [Fact]
    public async Task SendAsync_StreamStallsPastTimeout_TimeoutKeepsFirstToken()
    {
        // The clock moves only once the first token's bytes have been read (the client has taken their timestamp: the
        // clock's origin, the send, then that read), so the token arrives at 0 ms and the stall ends at 300 ms.
        var time = new SteppingClock();
        var clock = new RunClock(time);
        var record = await time.RunAsync(
            () => SendAsync("slow-stream", Mode.Streaming, timeout: TimeSpan.FromMilliseconds(300), clock: clock),
            ready: () => time.TimestampsTaken >= 3);

        Assert.Equal(Outcome.Timeout, record.Outcome);
        Assert.Equal(200, record.HttpStatus);
        Assert.Equal(0, record.FirstByteMs);
        Assert.Equal([0.0], record.TokenEventsMs);
        Assert.Equal(300, RequestMetrics.E2eMs(record));
    }

    [Fact]
    public async Task SendAsync_CallerCancels_Throws()
    {
        var time = new SteppingClock();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100), time);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => time.RunAsync(
            () => SendAsync("slow", Mode.Streaming, cancellationToken: cancellation.Token, clock: new RunClock(time))));
        Assert.Equal(TimeSpan.FromMilliseconds(100), time.Elapsed);
    }

    [Fact]
    public async Task SendAsync_NothingListening_ConnectionError()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var client = new ChatClient(server.Http, new Endpoint(new Uri($"http://127.0.0.1:{port}/v1"), ApiKey), new RunClock());

        var record = await client.SendAsync(Request("paced", Mode.Streaming), NextContext());

        Assert.Equal(Outcome.ConnectionError, record.Outcome);
        Assert.Null(record.HttpStatus);
        Assert.Null(record.FirstByteMs);
        Assert.Equal(Names.Of(Outcome.ConnectionError), record.Error?.Type);
        Assert.DoesNotContain(ApiKey, JsonSerializer.Serialize(record), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Request_SendsHeadersBodyAndContext()
    {
        var context = new RequestContext(Interlocked.Increment(ref s_nextId) + 1_000_000, Phases.Warmup, IntendedMs: 12.5);
        var record = await SendAsync("paced", Mode.Streaming, context: context, useMaxCompletionTokens: true);

        var captured = server.Server.Requests[context.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        Assert.Equal("text/event-stream", captured.Headers["Accept"]);
        Assert.Equal("application/json", captured.Headers["Content-Type"]);
        Assert.Equal(32, captured.Body.GetProperty("max_completion_tokens").GetInt32());
        Assert.False(captured.Body.TryGetProperty("max_tokens", out _));
        Assert.True(captured.Body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal((context.Id, "paced", Mode.Streaming, Phases.Warmup, 12.5), (record.Id, record.Model, record.Mode, record.Phase, record.IntendedMs));
    }

    private static ChatRequest Request(string model, Mode mode) => new(model, mode, [new("user", "Say hello.")], 32, Seed: 1);

    private static RequestContext NextContext() => new(Interlocked.Increment(ref s_nextId));

    private Task<RequestRecord> SendAsync(
        string model,
        Mode mode,
        TimeSpan? timeout = null,
        RequestContext? context = null,
        bool useMaxCompletionTokens = false,
        CancellationToken cancellationToken = default,
        RunClock? clock = null)
    {
        var options = new ChatClientOptions { UseMaxCompletionTokens = useMaxCompletionTokens };
        if (timeout is { } value)
        {
            options.Timeout = value;
        }

        var client = new ChatClient(server.Http, new Endpoint(server.Server.BaseAddress, ApiKey), clock ?? server.Clock, options);
        return client.SendAsync(Request(model, mode), context ?? NextContext(), cancellationToken);
    }

    public sealed class ServerFixture : IAsyncLifetime
    {
        public ScriptedServer Server { get; private set; } = null!;

        public HttpClient Http { get; } = new() { Timeout = Timeout.InfiniteTimeSpan };

        public RunClock Clock { get; } = new();

        public async Task InitializeAsync()
        {
            Server = await ScriptedServer.StartAsync(Scripts());

            // Warm up: JIT, connection pool and Kestrel, so the first timed test measures the script, not start-up.
            var client = new ChatClient(Http, new Endpoint(Server.BaseAddress, ApiKey), Clock);
            await client.SendAsync(new ChatRequest("quick", Mode.Streaming, [new("user", "hi")], 8), new RequestContext(-1));
            await client.SendAsync(new ChatRequest("quick-json", Mode.NonStreaming, [new("user", "hi")], 8), new RequestContext(-2));
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            await Server.DisposeAsync();
        }

        private static Dictionary<string, Func<HttpContext, Task>> Scripts() => new()
        {
            ["quick"] = async context =>
            {
                await ScriptedServer.StartEventStreamAsync(context);
                await ScriptedServer.WriteEventAsync(context, Chunk("""{"content":"hi"}""", "\"stop\""));
                await ScriptedServer.WriteEventAsync(context, "[DONE]");
            },
            ["quick-json"] = context => ScriptedServer.WriteBodyAsync(context, 200, Completion),
            ["paced"] = async context =>
            {
                await ScriptedServer.StartEventStreamAsync(context);
                await ScriptedServer.WriteEventAsync(context, Chunk("""{"role":"assistant","content":""}"""));
                await Task.Delay(FirstTokenDelayMs);
                await ScriptedServer.WriteEventAsync(context, Chunk("""{"content":"Hello"}"""));
                await Task.Delay(SecondTokenDelayMs);
                await ScriptedServer.WriteEventAsync(context, Chunk("""{"content":" world"}""", "\"stop\""));
                await ScriptedServer.WriteEventAsync(context, """{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}""");
                await ScriptedServer.WriteEventAsync(context, "[DONE]");
            },
            ["reasoning"] = async context =>
            {
                await ScriptedServer.StartEventStreamAsync(context);
                await ScriptedServer.WriteEventAsync(context, Chunk("""{"role":"assistant","reasoning_content":"Think"}"""));
                await ScriptedServer.WriteEventAsync(context, Chunk("""{"reasoning_content":"ing"}"""));
                await Task.Delay(SecondTokenDelayMs);
                await ScriptedServer.WriteEventAsync(context, Chunk("""{"content":"Yes"}""", "\"stop\""));

                // llama.cpp style: usage on the last chunk, no separate usage chunk.
                await ScriptedServer.WriteEventAsync(context, """{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":4,"completion_tokens":3,"total_tokens":7,"completion_tokens_details":{"reasoning_tokens":3}}}""");
                await ScriptedServer.WriteEventAsync(context, "[DONE]");
            },
            ["json"] = async context =>
            {
                await Task.Delay(FirstTokenDelayMs);
                await ScriptedServer.WriteBodyAsync(context, 200, Completion);
            },
            ["rate-limited"] = context => ScriptedServer.WriteBodyAsync(context, 429, """{"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}}"""),
            ["server-error"] = context => ScriptedServer.WriteBodyAsync(context, 500, """{"error":{"code":500,"message":"boom","type":"server_error"}}"""),
            ["missing"] = context => ScriptedServer.WriteBodyAsync(context, 404, """{"error":{"message":"The model `missing` does not exist","type":"invalid_request_error","param":null,"code":"model_not_found"}}"""),
            ["bad-gateway"] = context => ScriptedServer.WriteBodyAsync(context, 502, "<html>502 Bad Gateway</html>", "text/html"),
            ["verbose-error"] = context => ScriptedServer.WriteBodyAsync(context, 400, "{\"error\":{\"message\":\"" + new string('x', 2000) + "\"}}"),
            ["unauthorized"] = context => ScriptedServer.WriteBodyAsync(
                context,
                401,
                JsonSerializer.Serialize(new { error = new { message = $"Incorrect API key provided: {context.Request.Headers.Authorization}.", type = "invalid_request_error", code = "invalid_api_key" } })),
            ["abort"] = async context =>
            {
                await ScriptedServer.StartEventStreamAsync(context);
                await ScriptedServer.WriteEventAsync(context, Chunk("""{"content":"Hello"}"""));
                await ScriptedServer.WriteEventAsync(context, Chunk("""{"content":" world"}"""));
                await Task.Delay(50);
                context.Abort();
            },
            ["no-done"] = async context =>
            {
                await ScriptedServer.StartEventStreamAsync(context);
                await ScriptedServer.WriteEventAsync(context, Chunk("""{"content":"Hello"}"""));
                await ScriptedServer.WriteEventAsync(context, Chunk("""{"content":" world"}"""));
            },
            ["no-done-finished"] = async context =>
            {
                await ScriptedServer.StartEventStreamAsync(context);
                await ScriptedServer.WriteEventAsync(context, Chunk("""{"content":"Hello"}"""));
                await ScriptedServer.WriteEventAsync(context, Chunk("""{"content":" world"}""", "\"length\""));
                await ScriptedServer.WriteEventAsync(context, """{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}""");
            },
            ["error-event"] = async context =>
            {
                await ScriptedServer.StartEventStreamAsync(context);
                await ScriptedServer.WriteEventAsync(context, Chunk("""{"role":"assistant","content":""}"""));
                await ScriptedServer.WriteEventAsync(context, Chunk("""{"reasoning":"We need to call"}"""));
                await ScriptedServer.WriteEventAsync(context, """{"error":{"message":"Tool call validation failed","type":"invalid_request_error","code":"tool_use_failed"}}""", "error");
            },
            ["error-object"] = async context =>
            {
                // OpenRouter: a chunk with a top-level error object (numeric code) and finish_reason "error", no [DONE].
                await ScriptedServer.StartEventStreamAsync(context);
                await ScriptedServer.WriteEventAsync(context, Chunk("""{"role":"assistant","content":"Hel"}"""));
                await ScriptedServer.WriteEventAsync(context, Chunk("""{"content":"lo"}"""));
                await ScriptedServer.WriteEventAsync(context, """{"object":"chat.completion.chunk","error":{"code":502,"message":"Upstream provider went away"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}""");
            },
            ["non-json"] = context => ScriptedServer.WriteBodyAsync(context, 200, "<html>oops</html>"),
            ["non-json-stream"] = async context =>
            {
                await ScriptedServer.StartEventStreamAsync(context);
                await ScriptedServer.WriteEventAsync(context, "oops");
                await ScriptedServer.WriteEventAsync(context, "[DONE]");
            },
            ["slow"] = context => Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted),
            ["slow-stream"] = async context =>
            {
                await ScriptedServer.StartEventStreamAsync(context);
                await ScriptedServer.WriteEventAsync(context, Chunk("""{"content":"Hello"}"""));
                await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            },
        };

        private const string Completion = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"json",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hi there"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5,"prompt_tokens_details":{"cached_tokens":1}}}
            """;

        private static string Chunk(string delta, string finishReason = "null") =>
            """{"object":"chat.completion.chunk","choices":[{"index":0,"delta":""" + delta + ""","finish_reason":""" + finishReason + "}]}";
    }
}
