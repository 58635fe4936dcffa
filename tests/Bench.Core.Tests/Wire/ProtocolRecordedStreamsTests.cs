using System.Security.Cryptography;
using System.Text;
using Bench.Core.Tests.TestSupport;
using Bench.Core.Wire;

namespace Bench.Core.Tests.Wire;

/// <summary>
/// Every recorded Anthropic Messages, Responses API and Gemini stream in <c>shared/fixtures/recorded-streams</c>, read
/// by the accumulator of its protocol and checked field by field against values an independent reader took from the
/// files (a Python script: split the SSE lines, <c>json.loads</c> each event, fold the documented fields). Long texts are
/// pinned by their UTF-16 length and the first 16 hex digits of the SHA-256 of their UTF-8 bytes.
/// </summary>
/// <remarks>
/// What the files hold: anthropic-05 a compaction block (not text) then text, cache reads in <c>message_start</c> that
/// <c>message_delta</c>'s cumulative usage replaces; 08 thinking then text (with a <c>signature_delta</c>); 15 two
/// <c>server_tool_use</c> web searches with <c>input_json_delta</c> arguments, search results and citations; 18 one
/// text delta. responses-06 web-search calls and 201 text deltas, cached input; 12 (DeepSeek) <c>reasoning_text</c>
/// deltas; 29 encrypted reasoning only. gemini-10 three text chunks; 11 <c>thought: true</c> parts then text.
/// </remarks>
public class ProtocolRecordedStreamsTests
{
    [Theory]
        [InlineData("anthropic/anthropic-05-claude-sonnet-4-6.sse", WireProtocol.AnthropicMessages, 12, "claude-sonnet-4-6", 9, "dec664452ed4c70c", 0, "e3b0c44298fc1c14", "", "end_turn", 181, 0, 0, 8, null, 189, 3)]
        [InlineData("anthropic/anthropic-08-claude-sonnet-4-20250514.sse", WireProtocol.AnthropicMessages, 118, "claude-sonnet-4-20250514", 1021, "1b0c432c3a48cc28", 202, "18c2c6e0236da2b1", "", "end_turn", 43, 0, 0, 282, null, 325, 108)]
        [InlineData("anthropic/anthropic-15-claude-sonnet-4-20250514.sse", WireProtocol.AnthropicMessages, 119, "claude-sonnet-4-20250514", 1792, "7f67a541a0aa61b3", 0, "e3b0c44298fc1c14", "srvtoolu_01NcU4XNwyxWK6a9tcJZ8wGY|web_search|{\"query\": \"top world news today\"};srvtoolu_01WiP3ZfXZXSykVQEL78XJ4T|web_search|{\"query\": \"breaking news headlines August 14 2025\"}", "end_turn", 31772, 0, 0, 644, null, 32416, 63)]
        [InlineData("anthropic/anthropic-18-claude-sonnet-4-5-20250929.sse", WireProtocol.AnthropicMessages, 7, "claude-sonnet-4-5-20250929", 1, "d4735e3a265e16ee", 0, "e3b0c44298fc1c14", "", "end_turn", 20, 0, 0, 5, null, 25, 1)]
        [InlineData("responses/responses-06-gpt-5-2025-08-07.sse", WireProtocol.OpenAiResponses, 264, "gpt-5-2025-08-07", 3633, "cdf8beca1570171e", 0, "e3b0c44298fc1c14", "", "completed", 33151, 4352, null, 3367, 2624, 36518, 201)]
        [InlineData("responses/responses-12-deepseek-v4-flash.sse", WireProtocol.OpenAiResponses, 27, "deepseek-v4-flash", 31, "a1b7eb2ee7a6aded", 33, "25594cd4fc9e5f2f", "", "completed", 90, 0, null, 15, 7, 105, 14)]
        [InlineData("responses/responses-29-gpt-5-2025-08-07.sse", WireProtocol.OpenAiResponses, 12, "gpt-5-2025-08-07", 6, "bdff8c417ab50e95", 0, "e3b0c44298fc1c14", "", "completed", 13, 0, 0, 59, 0, 72, 2)]
        [InlineData("gemini/gemini-10-gemini-2.0-flash-exp.sse", WireProtocol.Gemini, 3, "gemini-2.0-flash-exp", 32, "c9ba5557ea09feef", 0, "e3b0c44298fc1c14", "", "STOP", 13, null, null, 8, null, 21, 3)]
        [InlineData("gemini/gemini-11-gemini-2.5-pro.sse", WireProtocol.Gemini, 23, "gemini-2.5-pro", 1938, "8c4308d5109d741f", 1575, "1bf501f690cde7d3", "", "STOP", 34, null, null, 1256, 787, 1290, 23)]
    public async Task ReadAsync_RecordedStream_MatchesIndependentReading(
        string file, WireProtocol protocol, int events, string model, int contentChars, string contentHash, int reasoningChars,
        string reasoningHash, string toolCalls, string finishReason, int? prompt, int? cached, int? cacheWrite, int? completion,
        int? reasoningTokens, int? total, int tokenEvents)
    {
        await using var body = File.OpenRead(Path.Combine(SharedFixtures.Root, "recorded-streams", file));
        var actual = new StreamAccumulator(protocol);

        await ChatStreamReader.ReadAsync(body, actual);

        Assert.False(actual.Malformed, actual.MalformedReason);
        Assert.Null(actual.Error);
        Assert.True(actual.Done);
        Assert.True(actual.HasUsage);
        Assert.Equal(events, actual.Events);
        Assert.Equal(model, actual.Model);
        Assert.Equal(contentChars, actual.ContentChars);
        Assert.Equal(contentHash, Hash(actual.Content));
        Assert.Equal(reasoningChars, actual.ReasoningChars);
        Assert.Equal(reasoningHash, Hash(actual.Reasoning));
        Assert.Equal(toolCalls, string.Join(';', actual.ToolCalls.Select(c => $"{c.Id}|{c.Name}|{c.Arguments}")));
        Assert.Equal(finishReason, actual.FinishReason);
        Assert.Equal(prompt, actual.PromptTokens);
        Assert.Equal(cached, actual.CachedTokens);
        Assert.Equal(cacheWrite, actual.CacheWriteTokens);
        Assert.Equal(completion, actual.CompletionTokens);
        Assert.Equal(reasoningTokens, actual.ReasoningTokens);
        Assert.Equal(total, actual.TotalTokens);
        Assert.Equal(tokenEvents, actual.TokenEventTimestamps.Count);
        Assert.NotNull(actual.FirstTokenTimestamp);
        Assert.NotNull(actual.FirstOutputTokenTimestamp);
        Assert.NotNull(actual.EndTimestamp);
        Assert.True(actual.SawChoices);
    }

    [Theory]
    [InlineData("anthropic/anthropic-08-claude-sonnet-4-20250514.sse", WireProtocol.AnthropicMessages)]
    [InlineData("responses/responses-12-deepseek-v4-flash.sse", WireProtocol.OpenAiResponses)]
    [InlineData("gemini/gemini-11-gemini-2.5-pro.sse", WireProtocol.Gemini)]
    public async Task ReadAsync_ReasoningBeforeText_FirstOutputTokenAfterFirstToken(string file, WireProtocol protocol)
    {
        // Thinking / reasoning deltas count for the first token (TTFT), not for the first output token (TTFO): events
        // arrive one read apart, so the reasoning event's timestamp is earlier than the first text event's.
        var bytes = await File.ReadAllBytesAsync(Path.Combine(SharedFixtures.Root, "recorded-streams", file));
        var clock = new TickingTimeProvider();
        var actual = new StreamAccumulator(protocol);

        await ChatStreamReader.ReadAsync(new TrickleStream(bytes, synchronous: true), actual, clock);

        Assert.True(actual.FirstTokenTimestamp < actual.FirstOutputTokenTimestamp);
    }

    [Theory]
    [InlineData("anthropic/anthropic-18-claude-sonnet-4-5-20250929.sse", WireProtocol.AnthropicMessages, "message_stop")]
    [InlineData("responses/responses-29-gpt-5-2025-08-07.sse", WireProtocol.OpenAiResponses, "response.completed")]
    public async Task ReadAsync_BytesAfterTerminalEvent_NotRead(string file, WireProtocol protocol, string terminal)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(SharedFixtures.Root, "recorded-streams", file));
        Assert.Contains(terminal, text, StringComparison.Ordinal);
        var actual = new StreamAccumulator(protocol);

        await ChatStreamReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text + "data: {\"not\": \"read\"\n\ngarbage\n\n")), actual);

        Assert.True(actual.Done);
        Assert.False(actual.Malformed);
    }

    /// <summary>A clock whose every timestamp is one tick after the previous one: reads are told apart.</summary>
    private sealed class TickingTimeProvider : TimeProvider
    {
        private long _ticks;

        public override long GetTimestamp() => ++_ticks;
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
