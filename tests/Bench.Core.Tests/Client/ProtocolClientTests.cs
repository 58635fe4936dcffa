using System.Collections.Concurrent;
using System.Text.Json;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Core.Tests.TestSupport;
using Bench.Core.Wire;
using Bench.Tests.Shared;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Core.Tests.Client;

/// <summary>The client against a raw loopback server per protocol: what goes on the wire (path, query, headers, body
/// fields, model name) and how a recorded body or a protocol's error answer becomes a record. Outcomes of recorded
/// bodies are asserted for openai-chat only here: the other protocols' readers are another branch's (their recorded
/// bodies are read field by field in the Wire tests).</summary>
public class ProtocolClientTests
{
    private const string Key = "sk-proto-SECRET-0123456789";

    private static string Fixture(string folder, string file) =>
        File.ReadAllText(Path.Combine(SharedFixtures.Root, "recorded-streams", folder, file));

    /// <summary>A server that keeps each request and answers every one with <paramref name="answer"/>.</summary>
    private static HostileServer Capture(ConcurrentQueue<HostileExchange> seen, Func<HostileExchange, Task> answer) =>
        HostileServer.Start(async exchange =>
        {
            seen.Enqueue(exchange);
            await answer(exchange);
            return true;
        });

    private static string RequestLine(HostileExchange exchange) => exchange.Head.Split("\r\n")[0];

    private static string? Header(HostileExchange exchange, string name) =>
        exchange.Head.Split("\r\n").Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1].Trim()).FirstOrDefault();

    private static ChatRequest Request(Mode mode) => new("catalogue-model", mode, [new("system", "Be brief."), new("user", "hi")], 32);

    private static Dictionary<string, JsonElement> Fields(string json) => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    [Theory]
    [InlineData(WireProtocol.OpenAiChat, "POST /v1/chat/completions?api-version=2025-01-01 HTTP/1.1", "Authorization", "Bearer " + Key)]
    [InlineData(WireProtocol.OpenAiResponses, "POST /v1/responses?api-version=2025-01-01 HTTP/1.1", "Authorization", "Bearer " + Key)]
    [InlineData(WireProtocol.AnthropicMessages, "POST /v1/messages?api-version=2025-01-01 HTTP/1.1", "x-api-key", Key)]
    [InlineData(WireProtocol.Gemini, "POST /v1/models/target-model:streamGenerateContent?alt=sse&api-version=2025-01-01 HTTP/1.1", "x-goog-api-key", Key)]
    public async Task SendAsync_EachProtocol_RequestShapeOnTheWire(WireProtocol protocol, string requestLine, string authHeader, string authValue)
    {
        var seen = new ConcurrentQueue<HostileExchange>();
        await using var server = Capture(seen, e => e.RespondAsync(200, "text/event-stream", "data: [DONE]\n\n"));
        var endpoint = new Endpoint(server.BaseUrl, Key)
        {
            Protocol = protocol,
            Headers = new Dictionary<string, string> { ["X-Tenant"] = "bench" },
            QueryParameters = new Dictionary<string, string> { ["api-version"] = "2025-01-01" },
            BodyFields = Fields("""{"x_extra":{"on":true}}"""),
            ModelNames = new Dictionary<string, string> { ["catalogue-model"] = "target-model" },
        };
        var client = new ChatClient(BenchHttpClient.Create(), endpoint, new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        var record = await client.SendAsync(Request(Mode.Streaming), new RequestContext(1));

        var exchange = Assert.Single(seen);
        Assert.Equal(requestLine, RequestLine(exchange));
        Assert.Equal(authValue, Header(exchange, authHeader));
        Assert.Equal("bench", Header(exchange, "X-Tenant"));
        Assert.Equal("text/event-stream", Header(exchange, "Accept"));
        Assert.Equal(protocol == WireProtocol.AnthropicMessages ? "2023-06-01" : null, Header(exchange, "anthropic-version"));
        if (authHeader != "Authorization")
        {
            Assert.Null(Header(exchange, "Authorization"));
        }

        using var body = JsonDocument.Parse(exchange.Body);
        Assert.True(body.RootElement.GetProperty("x_extra").GetProperty("on").GetBoolean());
        if (protocol == WireProtocol.Gemini)
        {
            Assert.False(body.RootElement.TryGetProperty("model", out _));
            Assert.Equal(32, body.RootElement.GetProperty("generationConfig").GetProperty("maxOutputTokens").GetInt32());
        }
        else
        {
            Assert.Equal("target-model", body.RootElement.GetProperty("model").GetString());
            Assert.True(body.RootElement.GetProperty("stream").GetBoolean());
        }

        // The record keeps the catalogue's name, whatever the target calls it.
        Assert.Equal("catalogue-model", record.Model);
        Assert.Equal(200, record.HttpStatus);
    }

    [Fact]
    public async Task SendAsync_GeminiNonStreaming_GenerateContentPath()
    {
        var seen = new ConcurrentQueue<HostileExchange>();
        await using var server = Capture(seen, e => e.RespondAsync(200, "application/json", "{}"));
        var client = new ChatClient(BenchHttpClient.Create(), new Endpoint(server.BaseUrl, Key) { Protocol = WireProtocol.Gemini }, new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        await client.SendAsync(Request(Mode.NonStreaming) with { Model = "gemini-2.5-pro" }, new RequestContext(1));

        var exchange = Assert.Single(seen);
        Assert.Equal("POST /v1/models/gemini-2.5-pro:generateContent HTTP/1.1", RequestLine(exchange));
        Assert.Equal("application/json", Header(exchange, "Accept"));
    }

    [Fact]
    public async Task SendAsync_RecordedChatStream_SuccessWithItsUsage()
    {
        // Expected values read from the fixture with python's json module: finish_reason tool_calls, usage 53 + 15.
        var sse = Fixture("openai-chat", "openai-chat-38-gpt-4o-mini-2024-07-18.sse");
        var seen = new ConcurrentQueue<HostileExchange>();
        await using var server = Capture(seen, e => e.RespondAsync(200, "text/event-stream", sse));
        var client = new ChatClient(BenchHttpClient.Create(), new Endpoint(server.BaseUrl, Key), new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        var record = await client.SendAsync(Request(Mode.Streaming), new RequestContext(1));

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal("tool_calls", record.FinishReason);
        Assert.Equal((53, 15), (record.PromptTokens, record.CompletionTokens));
    }

    [Fact]
    public async Task SendAsync_KeylessTarget_NoAuthHeaderAndSuccess()
    {
        var sse = Fixture("openai-chat", "openai-chat-38-gpt-4o-mini-2024-07-18.sse");
        var seen = new ConcurrentQueue<HostileExchange>();
        await using var server = Capture(seen, e => e.RespondAsync(200, "text/event-stream", sse));
        var client = new ChatClient(BenchHttpClient.Create(), new Endpoint(server.BaseUrl), new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        var record = await client.SendAsync(Request(Mode.Streaming), new RequestContext(1));

        Assert.Equal(Outcome.Success, record.Outcome);
        var exchange = Assert.Single(seen);
        Assert.Null(Header(exchange, "Authorization"));
        Assert.Null(Header(exchange, "x-api-key"));
    }

    [Fact]
    public async Task SendAsync_HeaderAuthenticatedTarget_OwnHeaderNoBearerAndSuccess()
    {
        // Azure-style: the key in an 'api-key' header given as an extra header of a keyless target.
        var sse = Fixture("openai-chat", "openai-chat-38-gpt-4o-mini-2024-07-18.sse");
        var seen = new ConcurrentQueue<HostileExchange>();
        await using var server = Capture(seen, e => Header(e, "api-key") == "azure-SECRET"
            ? e.RespondAsync(200, "text/event-stream", sse)
            : e.RespondAsync(401, "application/json", """{"error":{"message":"no key","type":"invalid_request_error"}}"""));
        var endpoint = new Endpoint(server.BaseUrl) { Headers = new Dictionary<string, string> { ["api-key"] = "azure-SECRET" } };
        var client = new ChatClient(BenchHttpClient.Create(), endpoint, new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        var record = await client.SendAsync(Request(Mode.Streaming), new RequestContext(1));

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Null(Header(Assert.Single(seen), "Authorization"));
        Assert.DoesNotContain("azure-SECRET", JsonSerializer.Serialize(record), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Anthropic529Overloaded_ServerErrorWithCodeAndRateLimitHeaders()
    {
        const string body = """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""";
        await using var server = HostileServer.Start(async e =>
        {
            await e.RespondAsync(529, "application/json", body,
                "anthropic-ratelimit-requests-limit: 50", "anthropic-ratelimit-requests-remaining: 0",
                "anthropic-ratelimit-requests-reset: 2026-01-01T00:00:30Z", "Date: Thu, 01 Jan 2026 00:00:00 GMT", "retry-after: 7");
            return true;
        });
        var client = new ChatClient(BenchHttpClient.Create(), new Endpoint(server.BaseUrl, Key) { Protocol = WireProtocol.AnthropicMessages }, new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        var record = await client.SendAsync(Request(Mode.Streaming), new RequestContext(1));

        Assert.Equal(Outcome.ServerError, record.Outcome);
        Assert.Equal(529, record.HttpStatus);
        Assert.Equal(new ErrorInfo("overloaded_error", "overloaded_error", "Overloaded"), record.Error);
        Assert.Equal(50, record.RateLimit!.LimitRequests);
        Assert.Equal(0, record.RateLimit.RemainingRequests);
        Assert.Equal(30_000, record.RateLimit.ResetRequestsMs);
        Assert.Equal(7_000, record.RateLimit.RetryAfterMs);
    }

    [Fact]
    public async Task SendAsync_Gemini429ResourceExhausted_RateLimitedWithStatusAsType()
    {
        const string body = """{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}""";
        await using var server = HostileServer.Start(async e =>
        {
            await e.RespondAsync(429, "application/json", body);
            return true;
        });
        var client = new ChatClient(BenchHttpClient.Create(), new Endpoint(server.BaseUrl, Key) { Protocol = WireProtocol.Gemini }, new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        var record = await client.SendAsync(Request(Mode.NonStreaming), new RequestContext(1));

        Assert.Equal(Outcome.RateLimited, record.Outcome);
        Assert.Equal(new ErrorInfo("RESOURCE_EXHAUSTED", "429", "Resource has been exhausted (e.g. check quota)."), record.Error);
    }

    [Fact]
    public async Task SendAsync_KeyEchoedInAnthropicError_Masked()
    {
        var body = $$$"""{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key {{{Key}}}"}}""";
        await using var server = HostileServer.Start(async e =>
        {
            await e.RespondAsync(401, "application/json", body);
            return true;
        });
        var client = new ChatClient(BenchHttpClient.Create(), new Endpoint(server.BaseUrl, Key) { Protocol = WireProtocol.AnthropicMessages }, new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        var record = await client.SendAsync(Request(Mode.NonStreaming), new RequestContext(1));

        Assert.Equal(Outcome.ClientError, record.Outcome);
        Assert.Equal("authentication_error", record.Error!.Type);
        Assert.DoesNotContain("SECRET", JsonSerializer.Serialize(record), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EndpointWithDuplicateKeyHeader_ArgumentException()
    {
        var endpoint = new Endpoint(new Uri("http://127.0.0.1:1/v1/"), Key) { Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer other" } };
        Assert.Throws<ArgumentException>(() => new ChatClient(new HttpClient(), endpoint, new RunClock()));
    }

    [Fact]
    public void WriteBody_ModelMapAndBodyFields_AsSendAsyncSendsIt()
    {
        var endpoint = new Endpoint(new Uri("http://127.0.0.1:1/v1/"))
        {
            ModelNames = new Dictionary<string, string> { ["gpt-4.1"] = "openai/gpt-4.1" },
            BodyFields = Fields("""{"user":"bench"}"""),
        };
        var client = new ChatClient(new HttpClient(), endpoint, new RunClock(), new ChatClientOptions { UseMaxCompletionTokens = true });
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();

        client.WriteBody(buffer, new ChatRequest("gpt-4.1", Mode.NonStreaming, [new("user", "hi")], 8));

        Assert.Equal(
            """{"model":"openai/gpt-4.1","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":8,"stream":false,"user":"bench"}""",
            System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData(WireProtocol.OpenAiResponses)]
    [InlineData(WireProtocol.AnthropicMessages)]
    [InlineData(WireProtocol.Gemini)]
    public void BatchApiClient_NonChatEndpoint_Refused(WireProtocol protocol)
    {
        var endpoint = new Endpoint(new Uri("http://127.0.0.1:1/v1/"), Key) { Protocol = protocol };
        var ex = Assert.Throws<ArgumentException>(() => new Bench.Core.Batches.BatchApiClient(new HttpClient(), endpoint, TimeProvider.System));
        Assert.Contains(WireProtocols.Name(protocol), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_HeaderAuthenticatedTargetEchoedInError_HeaderValueMasked()
    {
        await using var server = HostileServer.Start(async e =>
        {
            await e.RespondAsync(401, "application/json", """{"error":{"message":"Access denied: key azure-header-SECRET-77 is invalid","type":"invalid_request_error"}}""");
            return true;
        });
        var endpoint = new Endpoint(server.BaseUrl) { Headers = new Dictionary<string, string> { ["api-key"] = "azure-header-SECRET-77" } };
        Assert.Equal("azure-header-SECRET-77", endpoint.MaskedSecret);
        Assert.Equal("k ***", new KeyMask(endpoint.MaskedSecret).Apply("k azure-header-SECRET-77"));
        var client = new ChatClient(BenchHttpClient.Create(), endpoint, new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        var record = await client.SendAsync(Request(Mode.NonStreaming), new RequestContext(1));

        Assert.Equal(Outcome.ClientError, record.Outcome);
        Assert.Contains(KeyMask.Redacted, record.Error!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", JsonSerializer.Serialize(record), StringComparison.Ordinal);
    }
}

/// <summary>Integration-time rules the protocol pieces meet only together: an empty answer that ends as every answer
/// does is empty whatever the protocol, and the seed of a body without a seed field travels as a header.</summary>
public class ProtocolIntegrationTests
{
    private const string Key = "sk-proto-SECRET-0123456789";

    [Theory]
    [InlineData(WireProtocol.AnthropicMessages, "text/event-stream",
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":0}}}\n\nevent: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":0}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")]
    [InlineData(WireProtocol.OpenAiResponses, "text/event-stream",
        "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"status\":\"completed\",\"output\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":0}}}\n\n")]
    [InlineData(WireProtocol.Gemini, "text/event-stream",
        "data: {\"candidates\":[{\"content\":{\"parts\":[],\"role\":\"model\"},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":5}}\n\n")]
    public async Task SendAsync_NoOutputAndTheOrdinaryEnd_IsEmptyResponse(WireProtocol protocol, string contentType, string body)
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(200, contentType, body);
            return true;
        });
        var client = new ChatClient(BenchHttpClient.Create(), new Endpoint(server.BaseUrl, Key) { Protocol = protocol }, new RunClock(),
            new ChatClientOptions { Tokenizer = "none" });

        var record = await client.SendAsync(new ChatRequest("m", Mode.Streaming, [new("user", "hi")], 16), new RequestContext(1));

        Assert.Equal(Outcome.EmptyResponse, record.Outcome);
        Assert.Contains("as every answer does", record.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WireProtocol.AnthropicMessages, "\"max_tokens\"")]
    [InlineData(WireProtocol.Gemini, "\"MAX_TOKENS\"")]
    public async Task SendAsync_NoOutputButAReasonThatExplainsIt_IsNotEmpty(WireProtocol protocol, string reason)
    {
        var body = protocol == WireProtocol.Gemini
            ? "data: {\"candidates\":[{\"content\":{\"parts\":[],\"role\":\"model\"},\"finishReason\":" + reason + "}]}\n\n"
            : "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":5}}}\n\nevent: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":" + reason + "},\"usage\":{\"output_tokens\":16}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(200, "text/event-stream", body);
            return true;
        });
        var client = new ChatClient(BenchHttpClient.Create(), new Endpoint(server.BaseUrl, Key) { Protocol = protocol }, new RunClock(),
            new ChatClientOptions { Tokenizer = "none" });

        var record = await client.SendAsync(new ChatRequest("m", Mode.Streaming, [new("user", "hi")], 16), new RequestContext(1));

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal(reason.Trim('"'), record.FinishReason);
    }

    [Theory]
    [InlineData(WireProtocol.OpenAiResponses, true)]
    [InlineData(WireProtocol.AnthropicMessages, true)]
    [InlineData(WireProtocol.OpenAiChat, false)]
    [InlineData(WireProtocol.Gemini, false)]
    public async Task SendAsync_SeedOfABodyWithoutASeedField_TravelsAsAHeader(WireProtocol protocol, bool header)
    {
        var seen = new ConcurrentQueue<HostileExchange>();
        await using var server = HostileServer.Start(async exchange =>
        {
            seen.Enqueue(exchange);
            await exchange.RespondAsync(500, "application/json", "{}");
            return true;
        });
        var client = new ChatClient(BenchHttpClient.Create(), new Endpoint(server.BaseUrl, Key) { Protocol = protocol }, new RunClock(),
            new ChatClientOptions { Tokenizer = "none" });

        await client.SendAsync(new ChatRequest("m", Mode.NonStreaming, [new("user", "hi")], 16, Seed: 4242), new RequestContext(1));

        var head = Assert.Single(seen).Head;
        Assert.Equal(header, head.Contains(ChatClient.SeedHeader + ": 4242", StringComparison.OrdinalIgnoreCase));
    }
}
