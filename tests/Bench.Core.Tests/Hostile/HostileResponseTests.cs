using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Tests.Shared;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Core.Tests.Hostile;

/// <summary>Outcomes that tell the truth (issue 10 §1): each misbehaviour served on a real socket by
/// <see cref="HostileServer"/>, and the record the client makes of it — outcome, status, and a message that says why.</summary>
public class HostileResponseTests
{
    private const string ApiKey = "sk-hostile-CANARY-7f3a9c1e5b2d4680";

    private const string EmptyMessage = "The response carried no content, reasoning or tool call and no finish reason";

    private const string Role = """{"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""";

    private const string Usage = """{"object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":0,"total_tokens":5}}""";

    private static string Content(string text, string finish = "null") =>
        """{"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":""" + JsonSerializer.Serialize(text) + """},"finish_reason":""" + finish + "}]}";

    // --- empty answers -------------------------------------------------------------------------------------------

    [Fact]
    public async Task Streaming_DoneAlone_EmptyResponse()
    {
        var record = await StreamAsync("data: [DONE]\n\n");

        AssertFailure(record, Outcome.EmptyResponse, 200, EmptyMessage);
        Assert.Contains("[DONE] alone", record.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_OnlyRoleAndUsageChunks_EmptyResponse()
    {
        var record = await StreamAsync($"data: {Role}\n\ndata: {Usage}\n\ndata: [DONE]\n\n");

        AssertFailure(record, Outcome.EmptyResponse, 200, EmptyMessage);
        Assert.Equal(3, record.Events);
    }

    [Fact]
    public async Task Streaming_EmptyBody_EmptyResponse()
    {
        var record = await StreamAsync("");

        AssertFailure(record, Outcome.EmptyResponse, 200, EmptyMessage);
    }

    [Fact]
    public async Task NonStreaming_NoChoices_EmptyResponse()
    {
        var record = await CompletionAsync(200, "application/json", """{"id":"x","object":"chat.completion","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":0,"total_tokens":5}}""");

        AssertFailure(record, Outcome.EmptyResponse, 200, EmptyMessage);
    }

    [Fact]
    public async Task NonStreaming_ChoiceWithoutContentOrFinishReason_EmptyResponse()
    {
        var record = await CompletionAsync(200, "application/json", """{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":null}]}""");

        AssertFailure(record, Outcome.EmptyResponse, 200, EmptyMessage);
    }

    [Theory]
    [InlineData("length")]
    [InlineData("content_filter")]
    public async Task Streaming_FinishReasonWithoutText_Success(string finishReason)
    {
        // Issue 10: "a success only if it carried output ... or a finish reason" — the server completed and billed it.
        var record = await StreamAsync($"data: {Role}\n\ndata: {Content("", $"\"{finishReason}\"")}\n\ndata: [DONE]\n\n");

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal(finishReason, record.FinishReason);
        Assert.Null(record.Error);
    }

    [Fact]
    public async Task NonStreaming_ToolCallWithoutContent_Success()
    {
        var record = await CompletionAsync(200, "application/json",
            """{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":null}]}""");

        Assert.Equal(Outcome.Success, record.Outcome);
    }

    // --- errors inside a 2xx body ---------------------------------------------------------------------------------

    [Fact]
    public async Task Streaming_ErrorObjectInDataAfterTokens_ProviderErrorWithTypeCodeMessage()
    {
        var record = await StreamAsync(
            $"data: {Content("Hel")}\n\n" + """data: {"error":{"message":"upstream overloaded","type":"server_error","code":"overloaded"}}""" + "\n\ndata: [DONE]\n\n");

        Assert.Equal(Outcome.ProviderError, record.Outcome);
        Assert.Equal(200, record.HttpStatus);
        Assert.Equal(new ErrorInfo("server_error", "overloaded", "upstream overloaded"), record.Error);
        Assert.Equal(3, record.ContentChars);
    }

    [Fact]
    public async Task Streaming_ErrorEventWithTextData_ProviderErrorKeepsTheText()
    {
        var record = await StreamAsync($"data: {Content("Hi")}\n\nevent: error\ndata: upstream went away\n\n");

        Assert.Equal(Outcome.ProviderError, record.Outcome);
        Assert.Equal(new ErrorInfo(null, null, "upstream went away"), record.Error);
    }

    [Fact]
    public async Task Streaming_ErrorEventWithoutData_ProviderError()
    {
        var record = await StreamAsync($"data: {Content("Hi", "\"stop\"")}\n\nevent: error\n\ndata: [DONE]\n\n");

        Assert.Equal(Outcome.ProviderError, record.Outcome);
        Assert.Contains("event: error", record.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_GroqErrorEvent_ProviderErrorWithTypeCodeMessage()
    {
        // As recorded from Groq (openai-chat-30-gpt-oss-120b.sse): tokens, then "event: error" with an OpenAI error object.
        var record = await StreamAsync(
            $"data: {Content("x")}\n\nevent: error\n" + """data: {"error":{"message":"Tool call validation failed","type":"invalid_request_error","code":"tool_use_failed"}}""" + "\n\n");

        Assert.Equal(Outcome.ProviderError, record.Outcome);
        Assert.Equal(new ErrorInfo("invalid_request_error", "tool_use_failed", "Tool call validation failed"), record.Error);
    }

    [Fact]
    public async Task Streaming_SseErrorField_ProviderError()
    {
        // Older llama.cpp: a non-standard "error:" field, then [DONE]; the WHATWG parser alone would ignore it.
        var record = await StreamAsync(
            $"data: {Content("Hel")}\n\n" + """error: {"code":500,"message":"failed to decode the batch","type":"server_error"}""" + "\n\ndata: [DONE]\n\n");

        Assert.Equal(Outcome.ProviderError, record.Outcome);
        Assert.Equal(new ErrorInfo("server_error", "500", "failed to decode the batch"), record.Error);
    }

    [Fact]
    public async Task Streaming_ErrorObjectThenConnectionReset_ProviderError()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.BeginEventStreamAsync();
            await exchange.WriteAsync($"data: {Content("Hi")}\n\n" + """data: {"error":{"message":"gone","code":502}}""" + "\n\n");
            exchange.Reset();
            return false;
        });

        var record = await SendAsync(server, Mode.Streaming);

        Assert.Equal(Outcome.ProviderError, record.Outcome);
        Assert.Equal(new ErrorInfo(null, "502", "gone"), record.Error);
    }

    [Fact]
    public async Task Streaming_JsonErrorBodyWith200_ProviderError()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(200, "application/json", """{"error":{"message":"model is loading","type":"unavailable","code":"loading"}}""");
            return true;
        });

        var record = await SendAsync(server, Mode.Streaming);

        Assert.Equal(Outcome.ProviderError, record.Outcome);
        Assert.Equal(new ErrorInfo("unavailable", "loading", "model is loading"), record.Error);
    }

    [Fact]
    public async Task NonStreaming_ErrorObjectWith200_ProviderError()
    {
        var record = await CompletionAsync(200, "application/json", """{"error":{"message":"Provider returned error","code":429,"metadata":{"raw":"x"}}}""");

        Assert.Equal(Outcome.ProviderError, record.Outcome);
        Assert.Equal(new ErrorInfo(null, "429", "Provider returned error"), record.Error);
    }

    // --- bodies that are not what was promised --------------------------------------------------------------------

    [Fact]
    public async Task Streaming_RandomBytes_Malformed()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0x01;
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.BeginEventStreamAsync();
            await exchange.WriteAsync(bytes);
            return false;
        });

        var record = await SendAsync(server, Mode.Streaming);

        AssertFailure(record, Outcome.Malformed, 200, "not Server-Sent Events: binary data");
    }

    [Fact]
    public async Task Streaming_RandomBytesThenReset_MalformedNotInterrupted()
    {
        var bytes = new byte[4096];
        new Random(11).NextBytes(bytes);
        bytes[0] = 0x02;
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.BeginEventStreamAsync();
            await exchange.WriteAsync(bytes);
            exchange.Reset();
            return false;
        });

        var record = await SendAsync(server, Mode.Streaming);

        Assert.Equal(Outcome.Malformed, record.Outcome);
        Assert.Equal(200, record.HttpStatus);
    }

    [Fact]
    public async Task Streaming_HtmlAsEventStream_Malformed()
    {
        var record = await StreamAsync("<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>checking your browser</body></html>");

        AssertFailure(record, Outcome.Malformed, 200, "not Server-Sent Events: HTML");
    }

    [Fact]
    public async Task Streaming_HtmlContentType_MalformedWithTitle()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(200, "text/html; charset=utf-8", "<html><head><title>Sign in - Corporate Proxy</title></head><body><form></form></body></html>");
            return true;
        });

        var record = await SendAsync(server, Mode.Streaming);

        AssertFailure(record, Outcome.Malformed, 200, "Content-Type text/html, not text/event-stream: HTML ('Sign in - Corporate Proxy')");
    }

    [Fact]
    public async Task Streaming_PlainTextContentType_Malformed()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(200, "text/plain", "hello");
            return true;
        });

        var record = await SendAsync(server, Mode.Streaming);

        AssertFailure(record, Outcome.Malformed, 200, "Content-Type text/plain, not text/event-stream: text");
    }

    [Theory]
    [InlineData(Mode.Streaming)]
    [InlineData(Mode.NonStreaming)]
    public async Task GzipWithContentEncoding_Malformed(Mode mode)
    {
        var gzip = Gzip(mode == Mode.Streaming ? $"data: {Content("Hi", "\"stop\"")}\n\ndata: [DONE]\n\n" : Completion("Hi"));
        await using var server = HostileServer.Start(async exchange =>
        {
            var type = mode == Mode.Streaming ? "text/event-stream" : "application/json";
            await exchange.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: {type}\r\nContent-Encoding: gzip\r\nContent-Length: {gzip.Length}\r\n\r\n");
            await exchange.WriteAsync(gzip);
            return true;
        });

        var record = await SendAsync(server, mode);

        AssertFailure(record, Outcome.Malformed, 200, "Content-Encoding: gzip");
    }

    [Theory]
    [InlineData(Mode.Streaming, "not Server-Sent Events: gzip-compressed bytes")]
    [InlineData(Mode.NonStreaming, "(gzip-compressed bytes)")]
    public async Task GzipWithoutContentEncoding_Malformed(Mode mode, string reason)
    {
        var gzip = Gzip(mode == Mode.Streaming ? $"data: {Content("Hi", "\"stop\"")}\n\ndata: [DONE]\n\n" : Completion("Hi"));
        await using var server = HostileServer.Start(async exchange =>
        {
            var type = mode == Mode.Streaming ? "text/event-stream" : "application/json";
            await exchange.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: {type}\r\nContent-Length: {gzip.Length}\r\n\r\n");
            await exchange.WriteAsync(gzip);
            return true;
        });

        var record = await SendAsync(server, mode);

        AssertFailure(record, Outcome.Malformed, 200, reason);
    }

    [Fact]
    public async Task NonStreaming_HtmlWith200_Malformed()
    {
        var record = await CompletionAsync(200, "text/html", "<html><body>Welcome to nginx!</body></html>");

        AssertFailure(record, Outcome.Malformed, 200, "not a chat.completion JSON object (HTML)");
    }

    // --- streams that started well and broke off -------------------------------------------------------------------

    [Fact]
    public async Task Streaming_ResetAfterTokens_StreamInterrupted()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.BeginEventStreamAsync();
            await exchange.WriteAsync($"data: {Role}\n\ndata: {Content("Hello")}\n\n");
            exchange.Reset();
            return false;
        });

        var record = await SendAsync(server, Mode.Streaming);

        Assert.Equal(Outcome.StreamInterrupted, record.Outcome);
        Assert.Equal(200, record.HttpStatus);
        Assert.Equal(5, record.ContentChars);
    }

    [Fact]
    public async Task Streaming_ClosedAfterTokensWithoutDoneOrFinish_StreamInterrupted()
    {
        var record = await StreamAsync($"data: {Role}\n\ndata: {Content("Hello")}\n\n");

        AssertFailure(record, Outcome.StreamInterrupted, 200, "without [DONE] or a finish reason");
    }

    [Fact]
    public async Task Streaming_OnlyKeepAliveCommentsThenClose_StreamInterruptedNotMalformed()
    {
        var record = await StreamAsync(": OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\n");

        AssertFailure(record, Outcome.StreamInterrupted, 200, "without [DONE] or a finish reason");
    }

    // --- error statuses keep a readable message --------------------------------------------------------------------

    [Fact]
    public async Task Status502Html_ServerErrorWithTitle()
    {
        var page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n"
            + string.Concat(Enumerable.Repeat("<!-- a padding comment to make the page long -->\r\n", 20)) + "</body>\r\n</html>\r\n";

        var record = await CompletionAsync(502, "text/html", page);

        Assert.Equal(Outcome.ServerError, record.Outcome);
        Assert.Equal(502, record.HttpStatus);
        Assert.Equal(new ErrorInfo(null, null, "502 Bad Gateway"), record.Error);
    }

    [Fact]
    public async Task Status503HtmlWithoutTitle_ServerErrorWithText()
    {
        var record = await CompletionAsync(503, "text/html", "<html><body><h1>Service  Unavailable</h1>\n<p>Try&nbsp;again &amp; later</p></body></html>");

        Assert.Equal(Outcome.ServerError, record.Outcome);
        Assert.Equal("Service Unavailable Try again & later", record.Error?.Message);
    }

    [Fact]
    public async Task Status429WithRetryAfter_RateLimitedWithTypeCodeMessage()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(429, "application/json",
                """{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}""", "Retry-After: 7");
            return true;
        });

        var record = await SendAsync(server, Mode.Streaming);

        Assert.Equal(Outcome.RateLimited, record.Outcome);
        Assert.Equal(429, record.HttpStatus);
        Assert.Equal(new ErrorInfo("requests", "rate_limit_exceeded", "Rate limit reached"), record.Error);
    }

    [Fact]
    public async Task Status400JsonErrorLongerThanItsCap_TypeCodeMessageReadFromItsStart()
    {
        // Groq's tool_use_failed carries the whole failed generation after the message: only the first 16 KiB are read.
        var body = """{"error":{"message":"Tool call validation failed","type":"invalid_request_error","code":"tool_use_failed","failed_generation":" """
            + new string('g', 100_000) + "\"}}";

        var record = await CompletionAsync(400, "application/json", body);

        Assert.Equal(Outcome.ClientError, record.Outcome);
        Assert.Equal(new ErrorInfo("invalid_request_error", "tool_use_failed", "Tool call validation failed"), record.Error);
    }

    [Fact]
    public async Task Status500BinaryBody_ServerErrorSaysWhatItIs()
    {
        var record = await CompletionAsync(500, "application/octet-stream", "\u0001\u0002\u0003binary");

        Assert.Equal(Outcome.ServerError, record.Outcome);
        Assert.StartsWith("binary data (", record.Error?.Message, StringComparison.Ordinal);
    }

    // --- the key, masked wherever a server echoes it ---------------------------------------------------------------

    [Fact]
    public async Task Status401EchoingTheKeyInEveryForm_NoSliceOfTheKeyKept()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            var message = $"Incorrect API key provided: {ApiKey.ToUpperInvariant()}. Did you mean {ApiKey[..9]}...{ApiKey[^4..]}? "
                + $"Your key ends in {ApiKey[^10..]}; it starts {ApiKey[..14]}";
            await exchange.RespondAsync(401, "application/json", JsonSerializer.Serialize(new { error = new { message, type = "invalid_request_error", code = ApiKey.ToLowerInvariant() } }));
            return true;
        });

        var record = await SendAsync(server, Mode.NonStreaming);

        Assert.Equal(Outcome.ClientError, record.Outcome);
        Assert.Equal("Incorrect API key provided: ***. Did you mean ***? Your key ends in ***; it starts ***", record.Error?.Message);
        Assert.Equal("***", record.Error?.Code);
        AssertNoSliceOfKey(JsonSerializer.Serialize(record));
    }

    [Fact]
    public async Task Streaming_ErrorEchoingTheKeyCutAtTheEnd_Masked()
    {
        // A provider cut its message in the middle of the key; Bench cuts long messages too.
        var message = new string('m', 480) + " key=" + ApiKey[..12];
        var record = await StreamAsync($"data: {Content("x")}\n\n" + "data: " + JsonSerializer.Serialize(new { error = new { message } }) + "\n\n");

        Assert.Equal(Outcome.ProviderError, record.Outcome);
        Assert.EndsWith(" key=***", record.Error?.Message, StringComparison.Ordinal);
        AssertNoSliceOfKey(JsonSerializer.Serialize(record));
    }

    private static void AssertNoSliceOfKey(string text)
    {
        for (var i = 0; i + 8 <= ApiKey.Length; i++)
        {
            Assert.DoesNotContain(ApiKey.Substring(i, 8), text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static void AssertFailure(RequestRecord record, Outcome outcome, int status, string messagePart)
    {
        Assert.Equal(outcome, record.Outcome);
        Assert.Equal(status, record.HttpStatus);
        Assert.NotNull(record.Error);
        Assert.Contains(messagePart, record.Error.Message, StringComparison.Ordinal);
    }

    private static string Completion(string content) =>
        """{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":""" + JsonSerializer.Serialize(content) + """},"finish_reason":"stop"}]}""";

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    /// <summary>A <c>text/event-stream</c> response whose body is <paramref name="body"/>, ended by closing the
    /// connection.</summary>
    private static async Task<RequestRecord> StreamAsync(string body)
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.BeginEventStreamAsync();
            if (body.Length > 0)
            {
                await exchange.WriteAsync(body);
            }

            return false;
        });
        return await SendAsync(server, Mode.Streaming);
    }

    private static async Task<RequestRecord> CompletionAsync(int status, string contentType, string body)
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(status, contentType, body);
            return true;
        });
        return await SendAsync(server, Mode.NonStreaming);
    }

    internal static async Task<RequestRecord> SendAsync(HostileServer server, Mode mode, ChatClientOptions? options = null)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var client = new ChatClient(http, new Endpoint(server.BaseUrl, ApiKey), new RunClock(TimeProvider.System),
            options ?? new ChatClientOptions { Tokenizer = "none" });
        return await client.SendAsync(new ChatRequest("m", mode, [new ChatMessage("user", "hi")], 16), new RequestContext(0));
    }
}
