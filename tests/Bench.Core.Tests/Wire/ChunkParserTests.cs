using System.Text;
using Bench.Core.Records;
using Bench.Core.Wire;

namespace Bench.Core.Tests.Wire;

public class ChunkParserTests
{
    [Theory]
    [InlineData("""{"choices":[{"delta":{"content":5}}]}""")]
    [InlineData("""{"choices":{"delta":{"content":"x"}}}""")]
    [InlineData("""{"choices":[{"delta":"x"}]}""")]
    [InlineData("""{"choices":[{"delta":{"tool_calls":{}}}]}""")]
    [InlineData("""{"choices":[{"delta":{"tool_calls":[{"function":{"arguments":{}}}]}}]}""")]
    [InlineData("""{"choices":[{"finish_reason":1}]}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""not json""")]
    [InlineData("")]
    [InlineData("""{"choices":[]} trailing""")]
    public void Parse_WrongShapeOrType_MarksMalformed(string json)
    {
        var accumulator = new StreamAccumulator();

        ChunkParser.Parse(Encoding.UTF8.GetBytes(json), accumulator);

        Assert.True(accumulator.Malformed);
    }

    [Fact]
    public void Parse_NullFields_AreAbsentNotMalformed()
    {
        var accumulator = new StreamAccumulator();

        ChunkParser.Parse("""{"choices":[{"delta":{"content":null,"reasoning":null,"tool_calls":null},"finish_reason":null}],"usage":null,"error":null}"""u8, accumulator);

        Assert.False(accumulator.Malformed);
        Assert.False(accumulator.HasUsage);
        Assert.Null(accumulator.Error);
        Assert.Null(accumulator.FinishReason);
    }

    [Fact]
    public void Parse_TruncatedJson_KeepsWhatWasReadAndMarksMalformed()
    {
        var accumulator = new StreamAccumulator();

        ChunkParser.Parse("""{"choices":[{"delta":{"content":"Hi"},"finish_rea"""u8, accumulator);

        Assert.True(accumulator.Malformed);
        Assert.Equal("Hi", accumulator.Content);
    }

    [Fact]
    public void Parse_InvalidUtf8InContent_MarksMalformed()
    {
        var accumulator = new StreamAccumulator();
        byte[] json = [.. """{"choices":[{"delta":{"content":"a"""u8, 0xC3, 0x28, .. "\"}}]}"u8];

        ChunkParser.Parse(json, accumulator);

        Assert.True(accumulator.Malformed);
    }

    [Fact]
    public void Parse_EscapedAndNonAsciiContent_Unescaped()
    {
        var accumulator = new StreamAccumulator();

        ChunkParser.Parse("""{"choices":[{"delta":{"content":"\"q\" \u00e9 \ud83d\ude00 ü\n"}}]}"""u8, accumulator);

        Assert.Equal("\"q\" é 😀 ü\n", accumulator.Content);
    }

    [Fact]
    public void Parse_LongContent_UsesPooledBufferAndKeepsEveryChar()
    {
        var accumulator = new StreamAccumulator();
        var text = new string('x', 5000) + "é";

        ChunkParser.Parse(Encoding.UTF8.GetBytes($$$"""{"choices":[{"delta":{"content":"{{{text}}}"}}]}"""), accumulator);

        Assert.Equal(text, accumulator.Content);
    }

    [Fact]
    public void Parse_ContentPartsArray_SplitsTextAndThinking()
    {
        // Mistral's Magistral streams thinking as nested text parts; "type" may come after "text".
        var accumulator = new StreamAccumulator();

        ChunkParser.Parse("""
            {"choices":[{"delta":{"content":[
              {"type":"thinking","thinking":[{"type":"text","text":"Let me "},{"type":"text","text":"see."}]},
              {"text":" Deep","type":"thinking"},
              {"type":"image_url","image_url":{"url":"http://x"}},
              {"type":"text","text":"Answer"},
              {"text":": 4"}
            ]}}]}
            """u8, accumulator);

        Assert.False(accumulator.Malformed);
        Assert.Equal("Let me see. Deep", accumulator.Reasoning);
        Assert.Equal("Answer: 4", accumulator.Content);
    }

    [Fact]
    public void Parse_ReasoningUnderBothNames_KeepsFirstOnly()
    {
        var accumulator = new StreamAccumulator();

        ChunkParser.Parse("""{"choices":[{"delta":{"reasoning_content":"why","reasoning":"why"}}]}"""u8, accumulator);

        Assert.Equal("why", accumulator.Reasoning);
    }

    [Fact]
    public void Parse_OnlyFirstChoiceRead()
    {
        var accumulator = new StreamAccumulator();

        ChunkParser.Parse("""{"choices":[{"delta":{"content":"a"}},{"delta":{"content":"b"},"finish_reason":"length"}]}"""u8, accumulator);

        Assert.Equal("a", accumulator.Content);
        Assert.Null(accumulator.FinishReason);
    }

    [Fact]
    public void Parse_UsageSnapshots_LatestWins()
    {
        var accumulator = new StreamAccumulator();

        ChunkParser.Parse("""{"usage":{"prompt_tokens":1,"completion_tokens":1,"completion_tokens_details":{"reasoning_tokens":1}}}"""u8, accumulator);
        ChunkParser.Parse("""{"usage":{"prompt_tokens":2,"completion_tokens":9,"total_tokens":11,"prompt_tokens_details":{"cached_tokens":2,"audio_tokens":0}}}"""u8, accumulator);

        ChatStreamReaderTests.AssertUsage(accumulator, 2, 9, 11, 2, null);
    }

    [Fact]
    public void OnEvent_TokenKinds_SetFirstTokenAndFirstOutputToken()
    {
        var accumulator = new StreamAccumulator();

        accumulator.OnEvent("message", """{"choices":[{"delta":{"role":"assistant","content":""}}]}"""u8, 10);
        accumulator.OnEvent("message", """{"choices":[{"delta":{"reasoning_content":"hm"}}]}"""u8, 20);
        accumulator.OnEvent("message", """{"choices":[{"delta":{"content":"A"}}]}"""u8, 30);
        accumulator.OnEvent("message", """{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"c","function":{"arguments":""}}]}}]}"""u8, 40);
        accumulator.OnEvent("message", """{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}}]}"""u8, 50);
        var done = accumulator.OnEvent("message", "[DONE]"u8, 60);

        Assert.True(done);
        Assert.Equal([20L, 30L, 50L], accumulator.TokenEventTimestamps);
        Assert.Equal(20, accumulator.FirstTokenTimestamp);
        Assert.Equal(30, accumulator.FirstOutputTokenTimestamp);
        Assert.Equal(50, accumulator.LastTokenTimestamp);
        Assert.Equal(60, accumulator.EndTimestamp);
        Assert.Equal(6, accumulator.Events);
    }

    [Fact]
    public void OnEvent_ContentChunks_AllocateOnlyTheAccumulatedText()
    {
        var chunk = """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" token"},"logprobs":null,"finish_reason":null}],"usage":null}"""u8.ToArray();
        var accumulator = new StreamAccumulator();
        accumulator.OnEvent("message", chunk, 1);
        const int Chunks = 10_000;

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Chunks; i++)
        {
            accumulator.OnEvent("message", chunk, i);
        }

        var perChunk = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Chunks;

        // Amortised growth of the text (6 chars = 12 bytes) and of the timestamp list (8 bytes), no strings or DOMs.
        Assert.InRange(perChunk, 0, 64);
        Assert.Equal((Chunks + 1) * 6, accumulator.ContentChars);
    }

    [Theory]
    [InlineData("""{"error":{"message":"m","type":"t","code":"c","param":null}}""", "t", "c", "m")]
    [InlineData("""{"error":{"code":500,"message":"boom","type":"server_error"}}""", "server_error", "500", "boom")]
    [InlineData("""{"message":"bare","type":"t"}""", "t", null, "bare")]
    [InlineData("""{"error":"just text"}""", null, null, "just text")]
    [InlineData("""{"detail":{"x":1},"error":{"message":"inner"},"message":"outer"}""", null, null, "inner")]
    public void TryReadError_OpenAiShapes_Read(string json, string? type, string? code, string? message) =>
        Assert.Equal(new ErrorInfo(type, code, message), ChunkParser.TryReadError(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("<html>Bad gateway</html>")]
    [InlineData("""{"choices":[]}""")]
    [InlineData("")]
    public void TryReadError_NotAnError_Null(string text) => Assert.Null(ChunkParser.TryReadError(Encoding.UTF8.GetBytes(text)));
}
