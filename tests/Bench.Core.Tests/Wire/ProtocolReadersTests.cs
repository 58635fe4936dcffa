using System.Text;
using Bench.Core.Records;
using Bench.Core.Wire;

namespace Bench.Core.Tests.Wire;

/// <summary>
/// The Anthropic Messages, Responses API and Gemini readers on the shapes the recordings do not hold: non-streaming
/// bodies, tool calls, error events and error objects, blocked prompts, truncation, wrong types. The payloads follow
/// the providers' API references (docs.anthropic.com/en/api/messages, /en/docs/build-with-claude/streaming;
/// platform.openai.com/docs/api-reference/responses; ai.google.dev/api/generate-content).
/// </summary>
public class ProtocolReadersTests
{
    // ---- Anthropic Messages ----

    [Fact]
    public async Task AnthropicMessage_NonStreaming_TextThinkingToolUseAndCacheUsage()
    {
        const string Body = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"thinking","thinking":"Let me think.","signature":"sig"},
                        {"type":"text","text":"I'll check."},
                        {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris","days":2}}],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":10,"cache_creation_input_tokens":200,"cache_read_input_tokens":3000,"output_tokens":42}}
            """;

        var r = await ReadBodyAsync(WireProtocol.AnthropicMessages, Body);

        Assert.False(r.Malformed, r.MalformedReason);
        Assert.Equal("claude-sonnet-4-5", r.Model);
        Assert.Equal("I'll check.", r.Content);
        Assert.Equal("Let me think.", r.Reasoning);
        var call = Assert.Single(r.ToolCalls);
        Assert.Equal(("toolu_1", "get_weather", """{"city":"Paris","days":2}"""), (call.Id, call.Name, call.Arguments));
        Assert.Equal("tool_use", r.FinishReason);
        Assert.Equal(3210, r.PromptTokens);
        Assert.Equal(3000, r.CachedTokens);
        Assert.Equal(200, r.CacheWriteTokens);
        Assert.Equal(42, r.CompletionTokens);
        Assert.Equal(3252, r.TotalTokens);
    }

    [Fact]
    public async Task AnthropicMessage_NonStreamingErrorBody_Error()
    {
        var r = await ReadBodyAsync(WireProtocol.AnthropicMessages,
            """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""");

        Assert.False(r.Malformed);
        Assert.Equal(new ErrorInfo("overloaded_error", null, "Overloaded"), r.Error);
    }

    [Fact]
    public async Task AnthropicMessage_NotAMessage_Malformed()
    {
        var r = await ReadBodyAsync(WireProtocol.AnthropicMessages, """{"choices":[]}""");

        Assert.True(r.Malformed);
        Assert.Contains("Anthropic", r.MalformedReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n")]
    [InlineData("data: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n")]
    public async Task AnthropicStream_ErrorEventMidStream_ErrorAndNotDone(string errorEvent)
    {
        var r = await ReadStreamAsync(WireProtocol.AnthropicMessages, AnthropicStart + AnthropicText("Hel") + errorEvent);

        Assert.Equal("Hel", r.Content);
        Assert.Equal("overloaded_error", r.Error?.Type);
        Assert.Equal("Overloaded", r.Error?.Message);
        Assert.False(r.Done);
    }

    [Fact]
    public async Task AnthropicStream_ToolUseBlock_NameIdAndArgumentFragmentsByIndex()
    {
        var body = AnthropicStart
            + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"search\",\"input\":{}}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"q\\\":\"}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"x\\\"}\"}}\n\n"
            + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":9}}\n\n"
            + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

        var r = await ReadStreamAsync(WireProtocol.AnthropicMessages, body);

        var call = Assert.Single(r.ToolCalls);
        Assert.Equal(("toolu_9", "search", """{"q":"x"}"""), (call.Id, call.Name, call.Arguments));
        Assert.Equal("tool_use", r.FinishReason);
        Assert.True(r.Done);
        Assert.Equal(9, r.CompletionTokens);
        Assert.Equal(5 + 7 + 11, r.PromptTokens); // message_start's counts kept: message_delta did not repeat them
        Assert.Equal(7, r.CachedTokens);
        Assert.Equal(11, r.CacheWriteTokens);
        Assert.NotNull(r.FirstOutputTokenTimestamp);
    }

    [Fact]
    public async Task AnthropicStream_NoMessageStop_NotDone()
    {
        var r = await ReadStreamAsync(WireProtocol.AnthropicMessages, AnthropicStart + AnthropicText("Hi"));

        Assert.False(r.Done);
        Assert.True(r.Variants.HasFlag(StreamVariants.NoDone));
        Assert.Equal("Hi", r.Content);
    }

    [Fact]
    public async Task AnthropicStream_WrongTypes_MalformedNotThrown()
    {
        var r = await ReadStreamAsync(WireProtocol.AnthropicMessages, AnthropicStart
            + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":42}}\n\n");

        Assert.True(r.Malformed);
        Assert.Contains("delta.text is a number", r.MalformedReason, StringComparison.Ordinal);
    }

    // ---- Responses API ----

    [Fact]
    public async Task Response_NonStreaming_MessageReasoningFunctionCallAndUsage()
    {
        const string Body = """
            {"id":"resp_1","object":"response","status":"completed","model":"gpt-5","error":null,"incomplete_details":null,
             "output":[{"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Thinking about it."}]},
                       {"type":"message","id":"msg_1","role":"assistant","content":[{"type":"output_text","text":"Hello","annotations":[]},{"type":"output_text","text":" there"}]},
                       {"type":"function_call","id":"fc_1","call_id":"call_1","name":"lookup","arguments":"{\"id\":7}"}],
             "usage":{"input_tokens":100,"input_tokens_details":{"cached_tokens":64},"output_tokens":50,"output_tokens_details":{"reasoning_tokens":30},"total_tokens":150}}
            """;

        var r = await ReadBodyAsync(WireProtocol.OpenAiResponses, Body);

        Assert.False(r.Malformed, r.MalformedReason);
        Assert.Equal("gpt-5", r.Model);
        Assert.Equal("Hello there", r.Content);
        Assert.Equal("Thinking about it.", r.Reasoning);
        var call = Assert.Single(r.ToolCalls);
        Assert.Equal(("call_1", "lookup", """{"id":7}"""), (call.Id, call.Name, call.Arguments));
        Assert.Equal("completed", r.FinishReason);
        Assert.Equal((100, 64, 50, 30, 150), (r.PromptTokens, r.CachedTokens, r.CompletionTokens, r.ReasoningTokens, r.TotalTokens));
        Assert.Null(r.CacheWriteTokens);
    }

    [Fact]
    public async Task ResponseStream_Failed_ErrorAndDone()
    {
        var r = await ReadStreamAsync(WireProtocol.OpenAiResponses, ResponsesCreated
            + "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"The model failed.\"},\"usage\":null}}\n\n");

        Assert.True(r.Done);
        Assert.Equal("failed", r.FinishReason);
        Assert.Equal(new ErrorInfo(null, "server_error", "The model failed."), r.Error);
        Assert.False(r.HasUsage);
    }

    [Fact]
    public async Task ResponseStream_Incomplete_ReasonIsFinishReason()
    {
        var r = await ReadStreamAsync(WireProtocol.OpenAiResponses, ResponsesCreated
            + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"output_index\":0,\"content_index\":0,\"delta\":\"Cut\"}\n\n"
            + "event: response.incomplete\ndata: {\"type\":\"response.incomplete\",\"response\":{\"status\":\"incomplete\",\"incomplete_details\":{\"reason\":\"max_output_tokens\"},\"usage\":{\"input_tokens\":5,\"output_tokens\":16,\"total_tokens\":21}}}\n\n");

        Assert.True(r.Done);
        Assert.Equal("Cut", r.Content);
        Assert.Equal("max_output_tokens", r.FinishReason);
        Assert.Equal(16, r.CompletionTokens);
    }

    [Fact]
    public async Task ResponseStream_ErrorEvent_Error()
    {
        var r = await ReadStreamAsync(WireProtocol.OpenAiResponses, ResponsesCreated
            + "event: error\ndata: {\"type\":\"error\",\"code\":\"rate_limit_exceeded\",\"message\":\"Slow down.\",\"param\":null}\n\n");

        Assert.False(r.Done);
        Assert.Equal("rate_limit_exceeded", r.Error?.Code);
        Assert.Equal("Slow down.", r.Error?.Message);
    }

    [Fact]
    public async Task ResponseStream_FunctionCall_NameIdAndArgumentsByOutputIndex()
    {
        var r = await ReadStreamAsync(WireProtocol.OpenAiResponses, ResponsesCreated
            + "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"output_index\":1,\"item\":{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_A\",\"name\":\"f\",\"arguments\":\"\"}}\n\n"
            + "event: response.function_call_arguments.delta\ndata: {\"type\":\"response.function_call_arguments.delta\",\"item_id\":\"fc_1\",\"delta\":\"{\\\"a\\\"\",\"output_index\":1}\n\n"
            + "event: response.function_call_arguments.delta\ndata: {\"type\":\"response.function_call_arguments.delta\",\"item_id\":\"fc_1\",\"delta\":\":1}\",\"output_index\":1}\n\n"
            + "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"status\":\"completed\",\"output\":[{\"type\":\"function_call\",\"call_id\":\"call_A\",\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}]}}\n\n");

        var call = Assert.Single(r.ToolCalls);
        Assert.Equal(("call_A", "f", """{"a":1}"""), (call.Id, call.Name, call.Arguments)); // the terminal event's output is not read again
        Assert.True(r.Done);
        Assert.Equal("completed", r.FinishReason);
    }

    [Fact]
    public async Task ResponseStream_McpCall_NameAndArguments()
    {
        var r = await ReadStreamAsync(WireProtocol.OpenAiResponses, ResponsesCreated
            + "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"type\":\"mcp_call\",\"id\":\"mcp_1\",\"name\":\"roll\",\"server_label\":\"dice\",\"arguments\":\"\"}}\n\n"
            + "event: response.mcp_call_arguments.delta\ndata: {\"type\":\"response.mcp_call_arguments.delta\",\"output_index\":0,\"item_id\":\"mcp_1\",\"delta\":\"{}\"}\n\n");

        var call = Assert.Single(r.ToolCalls);
        Assert.Equal(("roll", "{}"), (call.Name, call.Arguments));
    }

    [Fact]
    public async Task ResponseStream_NoTerminalEvent_NotDone()
    {
        var r = await ReadStreamAsync(WireProtocol.OpenAiResponses, ResponsesCreated
            + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}\n\n");

        Assert.False(r.Done);
        Assert.Equal("Hi", r.Content);
        Assert.Equal("gpt-5", r.Model);
    }

    // ---- Gemini ----

    [Fact]
    public async Task Gemini_NonStreaming_TextThoughtFunctionCallAndUsage()
    {
        const string Body = """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Plan.","thought":true},{"text":"Answer."},
                                                                {"functionCall":{"name":"get_time","args":{"tz":"UTC"}}}]},
                            "finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":120,"cachedContentTokenCount":100,"candidatesTokenCount":9,"thoughtsTokenCount":4,"totalTokenCount":133},
             "modelVersion":"gemini-2.5-flash"}
            """;

        var r = await ReadBodyAsync(WireProtocol.Gemini, Body);

        Assert.False(r.Malformed, r.MalformedReason);
        Assert.Equal("Answer.", r.Content);
        Assert.Equal("Plan.", r.Reasoning);
        var call = Assert.Single(r.ToolCalls);
        Assert.Equal(("get_time", """{"tz":"UTC"}"""), (call.Name, call.Arguments));
        Assert.Equal("STOP", r.FinishReason);
        Assert.Equal((120, 100, 13, 4, 133), (r.PromptTokens, r.CachedTokens, r.CompletionTokens, r.ReasoningTokens, r.TotalTokens));
        Assert.Equal("gemini-2.5-flash", r.Model);
    }

    [Fact]
    public async Task Gemini_JsonArrayBody_EveryResponseFolded()
    {
        var r = await ReadBodyAsync(WireProtocol.Gemini, """
            [{"candidates":[{"content":{"parts":[{"text":"A"}]}}]},
             {"candidates":[{"content":{"parts":[{"text":"B"}]},"finishReason":"MAX_TOKENS"}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2,"totalTokenCount":5}}]
            """);

        Assert.Equal("AB", r.Content);
        Assert.Equal("MAX_TOKENS", r.FinishReason);
        Assert.Equal(2, r.CompletionTokens);
    }

    [Fact]
    public async Task GeminiStream_BlockedPrompt_ErrorWithReasonAndDone()
    {
        var r = await ReadStreamAsync(WireProtocol.Gemini,
            "data: {\"promptFeedback\":{\"blockReason\":\"SAFETY\",\"safetyRatings\":[]},\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8}}\n\n");

        Assert.Equal(GeminiChunkParser.PromptBlocked, r.Error?.Type);
        Assert.Equal("SAFETY", r.Error?.Code);
        Assert.True(r.Done);
        Assert.False(r.HasOutput);
    }

    [Fact]
    public async Task GeminiStream_ErrorObject_StatusCodeAndMessage()
    {
        var r = await ReadStreamAsync(WireProtocol.Gemini, GeminiText("Part", null)
            + "data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}\n\n");

        Assert.Equal(new ErrorInfo("UNAVAILABLE", "503", "The model is overloaded."), r.Error);
        Assert.True(r.ErrorCodeIsNumber);
        Assert.False(r.Done);
    }

    [Fact]
    public async Task GeminiStream_SafetyFinish_KeptAsSent()
    {
        var r = await ReadStreamAsync(WireProtocol.Gemini, GeminiText("Some", null) + GeminiText("", "SAFETY"));

        Assert.Equal("SAFETY", r.FinishReason);
        Assert.True(r.Done);
        Assert.Equal("Some", r.Content);
    }

    [Fact]
    public async Task GeminiStream_EndsWithoutFinishReason_NotDone()
    {
        var r = await ReadStreamAsync(WireProtocol.Gemini, GeminiText("Half", null));

        Assert.False(r.Done);
        Assert.True(r.Variants.HasFlag(StreamVariants.NoDone));
        Assert.NotNull(r.EndTimestamp);
    }

    [Fact]
    public async Task GeminiStream_FunctionCallParts_OneCallEach()
    {
        var r = await ReadStreamAsync(WireProtocol.Gemini,
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"a\",\"args\":{}}},{\"functionCall\":{\"id\":\"c2\",\"name\":\"b\",\"args\":{\"x\":[1,2]}}}]},\"finishReason\":\"STOP\"}]}\n\n");

        Assert.Equal(["a|{}", "b|{\"x\":[1,2]}"], r.ToolCalls.Select(c => $"{c.Name}|{c.Arguments}"));
        Assert.Equal("c2", r.ToolCalls[1].Id);
        Assert.NotNull(r.FirstOutputTokenTimestamp);
    }

    [Fact]
    public async Task GeminiStream_WrongTypes_MalformedNotThrown()
    {
        var r = await ReadStreamAsync(WireProtocol.Gemini, "data: {\"candidates\":{\"content\":1}}\n\ndata: [1,2]\n\n");

        Assert.True(r.Malformed);
        Assert.Contains("candidates is an object, expected an array", r.MalformedReason, StringComparison.Ordinal);
    }

    private const string AnthropicStart =
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[],\"usage\":{\"input_tokens\":5,\"cache_read_input_tokens\":7,\"cache_creation_input_tokens\":11,\"output_tokens\":1}}}\n\n"
        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";

    private const string ResponsesCreated =
        "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\",\"model\":\"gpt-5\",\"output\":[],\"usage\":null}}\n\n";

    private static string AnthropicText(string text) =>
        $"event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":\"{text}\"}}}}\n\n";

    private static string GeminiText(string text, string? finish) =>
        $"data: {{\"candidates\":[{{\"content\":{{\"parts\":[{{\"text\":\"{text}\"}}],\"role\":\"model\"}}{(finish is null ? "" : $",\"finishReason\":\"{finish}\"")}}}]}}\n\n";

    private static async Task<StreamAccumulator> ReadStreamAsync(WireProtocol protocol, string body)
    {
        var accumulator = new StreamAccumulator(protocol);
        await ChatStreamReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), accumulator);
        return accumulator;
    }

    private static async Task<StreamAccumulator> ReadBodyAsync(WireProtocol protocol, string body)
    {
        var accumulator = new StreamAccumulator(protocol);
        await ChatCompletionReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), accumulator);
        return accumulator;
    }
}
