using System.Text;
using Bench.Core.Records;
using Bench.Core.Tests.TestSupport;
using Bench.Core.Wire;

namespace Bench.Core.Tests.Wire;

public class ChatStreamReaderTests
{
    /// <summary>Scripts written with <c>\n</c>; each test rewrites them with the line ending under test.</summary>
    private static readonly Dictionary<string, string> s_scripts = new()
    {
        ["content"] = """
            data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}

            data: {"choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{"content":" wörld"},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7,"prompt_tokens_details":{"cached_tokens":3},"completion_tokens_details":{"reasoning_tokens":0}}}

            data: [DONE]


            """,
        ["multiline-and-comments"] = """
            : keep-alive

            event: message
            data: {"choices":[{"index":0,
            data:  "delta":{"content":"A\nB"}}]}

            id: 7
            retry: 1000
            data: {"choices":[{"index":0,"delta":{"content":"C"},"finish_reason":"length"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}

            data: [DONE]


            """,
        ["reasoning-then-tools"] = """
            data: {"choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"Think"}}]}

            data: {"choices":[{"index":0,"delta":{"reasoning":"ing"}}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]}}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","function":{"name":"get_time","arguments":"{}"}}]}}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"function":{"arguments":"{\"city\":"},"index":0}]}}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}}]}

            data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}


            """,
        ["error-and-malformed"] = """
            data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}

            data: not json

            data: {"choices":[{"index":0,"delta":{"content":"!"}}]}

            event: error
            data: {"error":{"message":"overloaded","type":"server_error","code":"overloaded"}}


            """,
    };

    public static TheoryData<string, string, bool> Matrix()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var script in s_scripts.Keys)
        {
            foreach (var ending in new[] { "LF", "CRLF", "CR" })
            {
                data.Add(script, ending, false);
                data.Add(script, ending, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task ReadAsync_AnyLineEndingAndChunking_SameResult(string script, string lineEnding, bool trickle)
    {
        var text = s_scripts[script].Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", lineEnding switch
        {
            "LF" => "\n",
            "CRLF" => "\r\n",
            _ => "\r",
        }, StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text);
        using Stream body = trickle ? new TrickleStream(bytes) : new MemoryStream(bytes);

        var result = await ChatStreamReader.ReadAsync(body);

        switch (script)
        {
            case "content":
                Assert.Equal("Hello wörld", result.Content);
                Assert.Equal(11, result.ContentChars);
                Assert.Equal("stop", result.FinishReason);
                Assert.True(result.Done);
                Assert.Equal(6, result.Events);
                Assert.Equal(2, result.TokenEventTimestamps.Count);
                AssertUsage(result, 5, 2, 7, 3, 0);
                break;
            case "multiline-and-comments":
                Assert.Equal("A\nBC", result.Content);
                Assert.Equal("length", result.FinishReason);
                Assert.True(result.Done);
                Assert.Equal(3, result.Events);
                Assert.Equal(2, result.TokenEventTimestamps.Count);
                AssertUsage(result, 1, 2, 3, null, null);
                break;
            case "reasoning-then-tools":
                Assert.Equal("Thinking", result.Reasoning);
                Assert.Equal("", result.Content);
                Assert.Equal("tool_calls", result.FinishReason);
                Assert.False(result.Done);
                Assert.False(result.HasUsage);
                Assert.Equal(7, result.Events);
                Assert.Equal(6, result.TokenEventTimestamps.Count);
                Assert.Equal(result.TokenEventTimestamps[2], result.FirstOutputTokenTimestamp);
                Assert.Collection(
                    result.ToolCalls,
                    call => Assert.Equal((0, "call_a", "get_weather", """{"city":"Paris"}"""), (call.Index, call.Id, call.Name, call.Arguments)),
                    call => Assert.Equal((1, "call_b", "get_time", "{}"), (call.Index, call.Id, call.Name, call.Arguments)));
                break;
            case "error-and-malformed":
                Assert.Equal("Hi!", result.Content);
                Assert.True(result.Malformed);
                Assert.False(result.Done);
                Assert.Equal(4, result.Events);
                Assert.Equal(2, result.TokenEventTimestamps.Count);
                Assert.Equal(new ErrorInfo("server_error", "overloaded", "overloaded"), result.Error);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(script), script, null);
        }

        if (script != "error-and-malformed")
        {
            Assert.False(result.Malformed);
            Assert.Null(result.Error);
        }

        AssertTimesOrdered(result);
    }

    [Fact]
    public async Task ReadAsync_EmptyBody_NoEventsAndEnded()
    {
        using var body = new MemoryStream();

        var result = await ChatStreamReader.ReadAsync(body);

        Assert.Equal(0, result.Events);
        Assert.False(result.Done);
        Assert.Null(result.FirstByteTimestamp);
        Assert.NotNull(result.EndTimestamp);
    }

    [Fact]
    public async Task ReadAsync_IncompleteLastEvent_NotDispatched()
    {
        // WHATWG: an event is dispatched only at its blank line; a body that ends mid-event drops it.
        var bytes = """
            data: {"choices":[{"index":0,"delta":{"content":"kept"}}]}

            data: {"choices":[{"index":0,"delta":{"content":"lost"}}]}
            """u8.ToArray();
        using var body = new MemoryStream(bytes);

        var result = await ChatStreamReader.ReadAsync(body);

        Assert.Equal("kept", result.Content);
        Assert.Equal(1, result.Events);
        Assert.False(result.Malformed);
    }

    [Fact]
    public async Task ReadAsync_StopsAtDone_LeavesTheRestUnread()
    {
        var bytes = "data: [DONE]\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"late\"}}]}\n\n"u8.ToArray();
        using var body = new MemoryStream(bytes);

        var result = await ChatStreamReader.ReadAsync(body);

        Assert.True(result.Done);
        Assert.Equal("", result.Content);
        Assert.Equal(result.FirstByteTimestamp, result.EndTimestamp);
    }

    [Fact]
    public async Task ReadAsync_ErrorEventNotJson_KeepsRawText()
    {
        using var body = new MemoryStream("event: error\ndata: upstream went away\n\n"u8.ToArray());

        var result = await ChatStreamReader.ReadAsync(body);

        Assert.Equal(new ErrorInfo(null, null, "upstream went away"), result.Error);
        Assert.False(result.Malformed);
    }

    internal static void AssertUsage(StreamAccumulator result, int? prompt, int? completion, int? total, int? cached, int? reasoning)
    {
        Assert.True(result.HasUsage);
        Assert.Equal(prompt, result.PromptTokens);
        Assert.Equal(completion, result.CompletionTokens);
        Assert.Equal(total, result.TotalTokens);
        Assert.Equal(cached, result.CachedTokens);
        Assert.Equal(reasoning, result.ReasoningTokens);
    }

    private static void AssertTimesOrdered(StreamAccumulator result)
    {
        Assert.NotNull(result.FirstByteTimestamp);
        Assert.NotNull(result.EndTimestamp);
        var previous = result.FirstByteTimestamp!.Value;
        foreach (var t in result.TokenEventTimestamps)
        {
            Assert.True(t >= previous);
            previous = t;
        }

        Assert.True(result.EndTimestamp >= previous);
        if (result.TokenEventTimestamps.Count > 0)
        {
            Assert.Equal(result.TokenEventTimestamps[0], result.FirstTokenTimestamp);
            Assert.Equal(result.TokenEventTimestamps[^1], result.LastTokenTimestamp);
        }
    }
}
