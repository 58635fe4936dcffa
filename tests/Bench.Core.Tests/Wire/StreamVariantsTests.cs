using System.Text;
using Bench.Core.Records;
using Bench.Core.Tests.TestSupport;
using Bench.Core.Wire;

namespace Bench.Core.Tests.Wire;

/// <summary>
/// The vendor variants of the Chat Completions stream: which ones each recorded body shows, and what the reader makes
/// of every variant, on the recorded bodies where one has it and on bodies written in a provider's documented shape
/// where none does (Mistral's content arrays, keep-alives without a space, a body cut before <c>[DONE]</c>).
/// </summary>
public class StreamVariantsTests
{
    /// <summary>The variants each recording shows (checked by hand against the files).</summary>
    public static TheoryData<string, string[]> RecordedVariants() => new()
    {
        { "openai-chat-01-gpt-4o-2024-08-06.sse", ["usage_separate_chunk"] },
        { "openai-chat-03-gpt-4o-2024-08-06.sse", ["usage_separate_chunk", "no_role_prelude"] },
        { "openai-chat-05-gpt-4o-2024-08-06.sse", ["usage_separate_chunk"] },
        { "openai-chat-25-Llama-3.3-70B-Instruct.sse", ["usage_separate_chunk"] },
        { "openai-chat-26-deepseek-reasoner.sse", ["reasoning_content", "usage_on_final_chunk"] },
        { "openai-chat-28-deepseek-r1-distill-llama-70b.sse", ["reasoning", "usage_on_final_chunk", "usage_vendor_key:x_groq"] },
        { "openai-chat-30-gpt-oss-120b.sse", ["reasoning", "no_usage", "error_event", "no_done"] },
        { "openai-chat-37-gpt-5-2025-08-07.sse", ["usage_separate_chunk"] },
        { "openai-chat-38-gpt-4o-mini-2024-07-18.sse", ["usage_separate_chunk", "no_role_prelude"] },
        { "openai-chat-39-gpt-4o-mini-2024-07-18.sse", ["usage_separate_chunk"] },
        { "openai-chat-43-o3.sse", ["usage_on_final_chunk", "comments"] },
        { "openai-chat-44-claude-sonnet-4.5.sse", ["reasoning", "usage_on_final_chunk", "empty_deltas", "comments"] },
    };

    [Theory]
    [MemberData(nameof(RecordedVariants))]
    public async Task ReadAsync_RecordedStream_NamesItsVariants(string file, string[] expected)
    {
        var result = await ReadFixtureAsync(file);

        Assert.Equal(expected, StreamVariantNames.Of(result.Variants, result.UsageVendorKey));
    }

    [Theory]
    [InlineData("openai-chat-26-deepseek-reasoner.sse")]
    [InlineData("openai-chat-28-deepseek-r1-distill-llama-70b.sse")]
    [InlineData("openai-chat-44-claude-sonnet-4.5.sse")]
    public async Task ReadAsync_RecordedReasoning_FirstTokenIsReasoningFirstOutputIsFirstContentEvent(string file)
    {
        var result = await ReadFixtureAsync(file);
        var events = SplitEvents(File.ReadAllText(FixturePath(file)));
        var tokenEvents = events.Where(e => HasToken(e)).ToList();
        var firstContent = tokenEvents.FindIndex(e => HasText(e, "\"content\":\""));

        Assert.True(HasText(tokenEvents[0], "\"reasoning"), "the first token event is reasoning");
        Assert.True(firstContent > 0);
        Assert.True(result.ReasoningChars > 0);
        Assert.Equal(result.TokenEventTimestamps[0], result.FirstTokenTimestamp);
        Assert.Equal(result.TokenEventTimestamps[firstContent], result.FirstOutputTokenTimestamp);
    }

    [Fact]
    public async Task ReadAsync_DeepseekReasoner26_SeveralTokensPerChunk_UsageCountsTokensNotEvents()
    {
        var result = await ReadFixtureAsync("openai-chat-26-deepseek-reasoner.sse");

        // deepseek-reasoner: 212 completion tokens in 209 token-bearing events; text is joined, not counted by event.
        Assert.Equal(212, result.CompletionTokens);
        Assert.Equal(209, result.TokenEventTimestamps.Count);
    }

    [Fact]
    public async Task ReadAsync_MagistralThinkingPartsThenStringContent_ReasoningThenContent()
    {
        // The shape of a recorded magistral-medium-latest stream (pydantic-ai's cassette
        // test_mistral_model_thinking_part_iter, shortened): thinking arrives as content arrays whose thinking chunk
        // holds text chunks, then the answer as plain strings; usage rides on the finish chunk.
        var result = await ReadAsync("""
            data: {"id":"a","object":"chat.completion.chunk","created":1766420335,"model":"magistral-medium-latest","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

            data: {"id":"a","object":"chat.completion.chunk","created":1766420335,"model":"magistral-medium-latest","choices":[{"index":0,"delta":{"content":""},"finish_reason":null}]}

            data: {"id":"a","object":"chat.completion.chunk","created":1766420335,"model":"magistral-medium-latest","choices":[{"index":0,"delta":{"content":[{"type":"thinking","thinking":[{"type":"text","text":"Okay"}]}]},"finish_reason":null}]}

            data: {"id":"a","object":"chat.completion.chunk","created":1766420335,"model":"magistral-medium-latest","choices":[{"index":0,"delta":{"content":[{"type":"thinking","thinking":[{"type":"text","text":", the user"}]}]},"finish_reason":null}]}

            data: {"id":"a","object":"chat.completion.chunk","created":1766420335,"model":"magistral-medium-latest","choices":[{"index":0,"delta":{"content":"Look"},"finish_reason":null}]}

            data: {"id":"a","object":"chat.completion.chunk","created":1766420335,"model":"magistral-medium-latest","choices":[{"index":0,"delta":{"content":" both ways.\n"},"finish_reason":null}]}

            data: {"id":"a","object":"chat.completion.chunk","created":1766420335,"model":"magistral-medium-latest","choices":[{"index":0,"delta":{"content":""},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"total_tokens":285,"completion_tokens":275}}

            data: [DONE]


            """);

        Assert.Equal("Okay, the user", result.Reasoning);
        Assert.Equal("Look both ways.\n", result.Content);
        Assert.Equal(4, result.TokenEventTimestamps.Count);
        Assert.Equal(result.TokenEventTimestamps[0], result.FirstTokenTimestamp);
        Assert.Equal(result.TokenEventTimestamps[2], result.FirstOutputTokenTimestamp);
        Assert.Equal(["content_parts", "thinking_parts", "usage_on_final_chunk"], Names(result));
        ChatStreamReaderTests.AssertUsage(result, 10, 275, 285, null, null);
    }

    [Fact]
    public async Task ReadAsync_TextPartsAndThinkingParts_SplitInOneDelta()
    {
        var result = await ReadAsync("""
            data: {"choices":[{"index":0,"delta":{"content":[{"type":"thinking","thinking":[{"type":"text","text":"Two plus "},{"type":"text","text":"two."}]},{"type":"text","text":"It is "},{"type":"text","text":"4."}]}}]}

            data: [DONE]


            """);

        Assert.Equal(("Two plus two.", "It is 4."), (result.Reasoning, result.Content));
        Assert.Single(result.TokenEventTimestamps);
        Assert.Equal(result.FirstTokenTimestamp, result.FirstOutputTokenTimestamp);
    }

    [Fact]
    public async Task ReadAsync_ThinkingPartWithStringThinking_IsReasoning()
    {
        var result = await ReadAsync("""
            data: {"choices":[{"index":0,"delta":{"content":[{"type":"thinking","thinking":"hmm"},{"type":"text","text":"ok"}]}}]}

            data: [DONE]


            """);

        Assert.Equal(("hmm", "ok"), (result.Reasoning, result.Content));
    }

    [Fact]
    public async Task ReadAsync_NoSpaceAfterDataCommentsKeepAlivesNoFinishReasonNoDone_AllTextReadAndFlagged()
    {
        var result = await ReadAsync("""
            : keep-alive

            data:{"choices":[{"index":0,"delta":{"content":"One two three"}}]}

            :

            data:{"choices":[{"index":0,"delta":{"content":""}}]}

            data:{"choices":[{"index":0,"delta":{"content":" four"}}]}


            """);

        Assert.Equal("One two three four", result.Content);
        Assert.Null(result.FinishReason);
        Assert.False(result.Done);
        Assert.False(result.Malformed);
        Assert.Equal(3, result.Events);
        Assert.Equal(2, result.TokenEventTimestamps.Count);
        Assert.Equal(
            ["no_usage", "no_role_prelude", "empty_deltas", "comments", "no_space_after_data", "no_done"],
            Names(result));
    }

    [Fact]
    public async Task ReadAsync_ErrorObjectAfterTokens_KeptWithNumericCode()
    {
        // OpenRouter's mid-stream error: a chunk with a top-level error object and finish_reason "error".
        var result = await ReadAsync("""
            data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}

            data: {"choices":[{"index":0,"delta":{"content":"lo"}}]}

            data: {"id":"x","object":"chat.completion.chunk","error":{"code":502,"message":"Upstream provider went away"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}


            """);

        Assert.Equal("Hello", result.Content);
        Assert.Equal(new ErrorInfo(null, "502", "Upstream provider went away"), result.Error);
        Assert.True(result.ErrorCodeIsNumber);
        Assert.Equal("error", result.FinishReason);
        Assert.Contains("error_object", Names(result));
    }

    [Fact]
    public async Task ReadAsync_ErrorEventWithStringCode_CodeNotNumeric()
    {
        var result = await ReadFixtureAsync("openai-chat-30-gpt-oss-120b.sse");

        Assert.Equal("tool_use_failed", result.Error?.Code);
        Assert.False(result.ErrorCodeIsNumber);
    }

    [Fact]
    public async Task ReadAsync_StandardUsageAfterVendorUsage_StandardWins()
    {
        var result = await ReadAsync("""
            data: {"choices":[{"index":0,"delta":{"content":"a"}}],"x_groq":{"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}}

            data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}

            data: {"choices":[],"x_groq":{"usage":{"prompt_tokens":9,"completion_tokens":9,"total_tokens":18}}}

            data: [DONE]


            """);

        ChatStreamReaderTests.AssertUsage(result, 3, 4, 7, null, null);
        Assert.Null(result.UsageVendorKey);
        Assert.DoesNotContain(Names(result), n => n.StartsWith("usage_vendor_key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_ByteOrderMarkAndCrLf_Read()
    {
        var body = "\uFEFFdata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}\r\n\r\ndata: [DONE]\r\n\r\n";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(body));

        var result = await ChatStreamReader.ReadAsync(stream);

        Assert.Equal(("x", "stop", true), (result.Content, result.FinishReason, result.Done));
        Assert.Contains("crlf_line_endings", Names(result));
    }

    private static IReadOnlyList<string> Names(StreamAccumulator result) => StreamVariantNames.Of(result.Variants, result.UsageVendorKey);

    private static async Task<StreamAccumulator> ReadAsync(string body)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(body.Replace("\r\n", "\n", StringComparison.Ordinal)));
        return await ChatStreamReader.ReadAsync(stream);
    }

    private static string FixturePath(string file) => Path.Combine(SharedFixtures.Root, "recorded-streams", "openai-chat", file);

    private static async Task<StreamAccumulator> ReadFixtureAsync(string file)
    {
        await using var body = File.OpenRead(FixturePath(file));
        return await ChatStreamReader.ReadAsync(body);
    }

    /// <summary>The <c>data:</c> payloads of a file whose events are one <c>data:</c> line each.</summary>
    private static List<string> SplitEvents(string text) =>
        [.. text.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].TrimStart())];

    private static bool HasToken(string payload) =>
        HasText(payload, "\"content\":\"") || HasText(payload, "\"reasoning_content\":\"") || HasText(payload, "\"reasoning\":\"");

    /// <summary>Whether <paramref name="payload"/> holds <paramref name="key"/> followed by a non-empty string.</summary>
    private static bool HasText(string payload, string key)
    {
        var at = payload.IndexOf(key, StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        if (!key.EndsWith('"'))
        {
            return true;
        }

        return at + key.Length < payload.Length && payload[at + key.Length] != '"';
    }
}
