using System.Text;
using Bench.Core.Tests.TestSupport;
using Bench.Core.Wire;

namespace Bench.Core.Tests.Wire;

public class ChatCompletionReaderTests
{
    private const string Completion = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m",
         "choices":[{"index":0,"message":{"role":"assistant","content":"It is sunny.","reasoning_content":"Check weather.",
           "tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}},
                         {"id":"call_2","type":"function","function":{"name":"time","arguments":"{}"}}]},
           "logprobs":null,"finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":20,"completion_tokens":12,"total_tokens":32,"prompt_tokens_details":{"cached_tokens":8},
                  "completion_tokens_details":{"reasoning_tokens":4}}}
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadAsync_Completion_ReadsMessageToolCallsAndUsage(bool trickle)
    {
        var bytes = Encoding.UTF8.GetBytes(Completion);
        using Stream body = trickle ? new TrickleStream(bytes) : new MemoryStream(bytes);

        var result = await ChatCompletionReader.ReadAsync(body);

        Assert.False(result.Malformed);
        Assert.Equal("It is sunny.", result.Content);
        Assert.Equal("Check weather.", result.Reasoning);
        Assert.Equal("tool_calls", result.FinishReason);
        Assert.Collection(
            result.ToolCalls,
            call => Assert.Equal((0, "call_1", "weather", """{"city":"Oslo"}"""), (call.Index, call.Id, call.Name, call.Arguments)),
            call => Assert.Equal((1, "call_2", "time", "{}"), (call.Index, call.Id, call.Name, call.Arguments)));
        ChatStreamReaderTests.AssertUsage(result, 20, 12, 32, 8, 4);
        Assert.Equal(0, result.Events);
        Assert.Empty(result.TokenEventTimestamps);
        Assert.True(result.FirstByteTimestamp <= result.EndTimestamp);
    }

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("""{"id":"x","object":"chat.completion"}""")]
    [InlineData("""{"choices":[{"message":{"content":"cut""")]
    public async Task ReadAsync_NotACompletion_Malformed(string text)
    {
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var result = await ChatCompletionReader.ReadAsync(body);

        Assert.True(result.Malformed);
    }

    [Fact]
    public async Task ReadAsync_ErrorObjectWithStatus200_MalformedWithError()
    {
        using var body = new MemoryStream("""{"error":{"message":"upstream failed","type":"upstream_error","code":"502"}}"""u8.ToArray());

        var result = await ChatCompletionReader.ReadAsync(body);

        Assert.True(result.Malformed);
        Assert.Equal("upstream failed", result.Error?.Message);
    }
}
