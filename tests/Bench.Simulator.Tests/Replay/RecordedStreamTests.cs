using System.Text;
using System.Text.Json;
using Bench.Core.Wire;
using Bench.Simulator.Replay;
using static Bench.Simulator.Tests.Replay.Recordings;

namespace Bench.Simulator.Tests.Replay;

public class RecordedStreamTests
{
    public static TheoryData<string> ShippedRecordings => [.. Directory.GetFiles(TestPaths.ReplayOpenAiChat, "*.sse")];

    [Fact]
    public void Parse_EventsCommentsAndErrors_KeepsTypeDataAndTilesTheBody()
    {
        var text = ": keep-alive\n\n" + Role + Content("Hello") + "event: error\ndata: {\"error\":{\"message\":\"boom\"}}\n\n";

        var recording = Parse(text);

        Assert.Equal(
            [(null, null, 0), (null, Role[6..^2], 0), (null, Content("Hello")[6..^2], 1), ("error", "{\"error\":{\"message\":\"boom\"}}", 0)],
            recording.Events.Select(e => (e.Type, e.Data, e.Tokens)));
        Assert.Equal(text, Concat(recording.Events.Select(e => Slice(recording, e.Offset, e.Length))));
        Assert.All(recording.Events, e => Assert.True(e.Terminated));
    }

    [Fact]
    public void Parse_CrLfAndCrLineEnds_SplitAsTheSseSpecificationSays()
    {
        var recording = Parse("data: {\"a\":1}\r\ndata: {\"b\":2}\r\n\r\n: c\r\rdata: [DONE]\r\n\r\n");

        Assert.Equal(
            ["{\"a\":1}\n{\"b\":2}", null, "[DONE]"], recording.Events.Select(e => e.Data));
        Assert.Equal([0, 32, 37], recording.Events.Select(e => e.Offset));
    }

    [Fact]
    public void Parse_UnterminatedTail_IsKeptButNeverTokenBearing()
    {
        var text = Role + Content("never dispatched")[..^2];

        var recording = Parse(text);

        var tail = recording.Events[^1];
        Assert.False(tail.Terminated);
        Assert.False(tail.IsTokenBearing);
        Assert.Equal(0, recording.TokenEvents);
        Assert.Equal(text.Length, recording.PreludeLength);
    }

    [Theory]
    [InlineData("a", 1)]
    [InlineData("abcd", 1)]
    [InlineData("abcdef", 2)]
    [InlineData("abcdefghij", 3)]
    public void Parse_ContentDelta_EstimatesAboutFourCharactersAToken(string content, int tokens) =>
        Assert.Equal(tokens, Parse(Content(content)).Events[0].Tokens);

    [Fact]
    public void Parse_ReasoningAndToolCallDeltas_AreTokenBearing()
    {
        var recording = Parse(
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"thinking\"}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"t\",\"function\":{\"name\":\"get\",\"arguments\":\"{\\\"x\\\":1}\"}}]}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"}}]}\n\n");

        // "thinking": 8 characters; "get" + {"x":1}: 10 characters.
        Assert.Equal([2, 3, 0], recording.Events.Select(e => e.Tokens));
        Assert.Equal([2, 5], recording.CumulativeTokens.ToArray());
    }

    [Fact]
    public void Segments_PreludeThenEachTokenEventWithTheEventsAfterIt()
    {
        var recording = Parse(Paced);

        Assert.Equal(Role, Encoding.UTF8.GetString(recording.Prelude.Span));
        Assert.Equal(
            [Content("abcd"), Content("abcdefgh"), Content("wxyz") + Finish + Usage + Done],
            Enumerable.Range(0, recording.TokenEvents).Select(k => Encoding.UTF8.GetString(recording.Segment(k).Span)));
        Assert.Equal([1, 3, 4], recording.CumulativeTokens.ToArray());
        Assert.Equal("stop", recording.FinishReason);
    }

    [Theory]
    [MemberData(nameof(ShippedRecordings))]
    public async Task Parse_ShippedRecording_SegmentsAreTheBodyAndTokenEventsAreTheClients(string file)
    {
        var body = await File.ReadAllBytesAsync(file);

        var recording = RecordedStream.Parse(file, body);

        var segments = new List<byte>(recording.Prelude.ToArray());
        for (var k = 0; k < recording.TokenEvents; k++)
        {
            segments.AddRange(recording.Segment(k).ToArray());
        }

        Assert.Equal(body, segments);
        using var stream = new MemoryStream(body);
        var client = await ChatStreamReader.ReadAsync(stream);
        Assert.Equal(client.TokenEventTimestamps.Count, recording.TokenEvents);
        Assert.InRange(recording.TokenEvents, 1, int.MaxValue);
        Assert.Equal(client.FinishReason, recording.FinishReason);
        Assert.Equal(client.CompletionTokens ?? recording.Events.Sum(e => e.Tokens), recording.Tokens);
    }

    [Theory]
    [InlineData(new[] { 1, 2, 1 }, null, new[] { 1, 3, 4 })]
    [InlineData(new[] { 1, 2, 1 }, 0, new[] { 1, 3, 4 })]
    [InlineData(new[] { 1, 2, 1 }, 3, new[] { 1, 2, 3 })]
    [InlineData(new[] { 1, 2, 1 }, 10, new[] { 3, 7, 10 })] // 1 each, the other 7 as 1/4, 3/4, 4/4: 2, 5, 7
    [InlineData(new[] { 5 }, 11, new[] { 11 })]
    [InlineData(new[] { 1, 1, 1, 1 }, 2, new[] { 1, 1, 2, 2 })] // fewer tokens than events: 0.5, 1, 1.5, 2, halves up
    [InlineData(new int[0], 7, new int[0])]
    public void ShareOut_RecordedTokens_OneEachThenInProportionEndingAtTheRecordedCount(
        int[] weights, int? recorded, int[] expected) =>
        Assert.Equal(expected, RecordedStream.ShareOut(weights, recorded));

    [Fact]
    public void Parse_RecordedUsage_SharesItsCompletionTokensOutOverTheTokenEvents()
    {
        var usage = Usage.Replace("\"completion_tokens\":4", "\"completion_tokens\":10", StringComparison.Ordinal);

        var recording = Parse(Role + Content("abcd") + Content("abcdefgh") + Content("wxyz") + Finish + usage + Done);

        Assert.Equal([1, 2, 1], recording.Events.Where(e => e.IsTokenBearing).Select(e => e.Tokens));
        Assert.Equal([3, 7, 10], recording.CumulativeTokens.ToArray());
        Assert.Equal(10, recording.Tokens);
    }

    [Fact]
    public void WithoutUsageChunk_RecordingWithAUsageOnlyChunk_IsTheSameStreamWithoutIt()
    {
        var recording = Parse(Paced);

        var stripped = recording.WithoutUsageChunk;

        Assert.Equal(
            Role + Content("abcd") + Content("abcdefgh") + Content("wxyz") + Finish + Done,
            Encoding.UTF8.GetString(stripped.Body));
        Assert.Equal(Role, Encoding.UTF8.GetString(stripped.Prelude.Span));
        Assert.Equal(Content("wxyz") + Finish + Done, Encoding.UTF8.GetString(stripped.Segment(2).Span));
        Assert.Equal(recording.CumulativeTokens.ToArray(), stripped.CumulativeTokens.ToArray());
        Assert.Same(recording.Completion, stripped.Completion);
        Assert.Equal(recording.FinishReason, stripped.FinishReason);
        Assert.Same(stripped, stripped.WithoutUsageChunk);
    }

    [Theory]
    [InlineData("openai-chat-05-gpt-4o-2024-08-06.sse", true)]
    [InlineData("openai-chat-25-Llama-3.3-70B-Instruct.sse", true)]
    [InlineData("openai-chat-37-gpt-5-2025-08-07.sse", true)] // the moderation chunk after it stays
    [InlineData("openai-chat-38-gpt-4o-mini-2024-07-18.sse", true)]
    [InlineData("openai-chat-26-deepseek-reasoner.sse", false)] // usage on the finish chunk
    [InlineData("openai-chat-44-claude-sonnet-4.5.sse", false)] // usage on a chunk that still has a choice
    [InlineData("openai-chat-30-gpt-oss-120b.sse", false)] // an error, no usage
    public async Task WithoutUsageChunk_ShippedRecording_DropsOnlyTheChoicesEmptyUsageChunk(string name, bool hasOne)
    {
        var recording = Shipped(name);

        var stripped = recording.WithoutUsageChunk;

        var usageChunks = recording.Events
            .Where(e => e.Data is { } data && data.Contains("\"choices\":[],\"usage\":{", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(hasOne ? 1 : 0, usageChunks.Count);
        var expected = recording.Body.ToList();
        expected.RemoveRange(usageChunks.Sum(e => e.Offset), usageChunks.Sum(e => e.Length));
        Assert.Equal(expected, stripped.Body);
        using var stream = new MemoryStream(stripped.Body);
        var client = await ChatStreamReader.ReadAsync(stream);
        Assert.Equal(recording.TokenEvents, client.TokenEventTimestamps.Count);
        Assert.Equal(recording.FinishReason, client.FinishReason);
    }

    [Fact]
    public void Parse_ShippedRecordingWithoutRolePrelude_HasAnEmptyPrelude()
    {
        var recording = Shipped("openai-chat-38-gpt-4o-mini-2024-07-18.sse");

        Assert.Equal(0, recording.PreludeLength);
    }

    [Fact]
    public void Parse_ShippedRecordingWithKeepAlives_KeepsThemInThePreludeAndBetweenEvents()
    {
        var recording = Shipped("openai-chat-44-claude-sonnet-4.5.sse");

        var comments = recording.Events.Where(e => e.Data is null).ToList();
        Assert.NotEmpty(comments);
        Assert.All(comments, e => Assert.StartsWith(": OPENROUTER PROCESSING", Slice(recording, e.Offset, e.Length), StringComparison.Ordinal));
        Assert.StartsWith(": OPENROUTER PROCESSING\n\n", Encoding.UTF8.GetString(recording.Prelude.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Completion_OpenAiRecording_IsAChatCompletionWithTheRecordedContentAndUsage()
    {
        var recording = Shipped("openai-chat-05-gpt-4o-2024-08-06.sse");

        var answer = recording.Completion;

        Assert.Equal((200, recording.TokenEvents), (answer.StatusCode, answer.TokenEventsBefore));
        var json = JsonDocument.Parse(answer.Body).RootElement;
        Assert.Equal("chatcmpl-C2P2HtMJhPkWjQ2adKerkdVilXmRL", json.GetProperty("id").GetString());
        Assert.Equal("chat.completion", json.GetProperty("object").GetString());
        Assert.Equal(1754688929, json.GetProperty("created").GetInt64());
        var choice = json.GetProperty("choices")[0];
        Assert.Equal("The capital of Mexico is Mexico City.", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(8, json.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(0, json.GetProperty("usage").GetProperty("completion_tokens_details").GetProperty("rejected_prediction_tokens").GetInt32());
    }

    [Fact]
    public void Completion_ToolCallRecording_HasNullContentAndTheAssembledToolCall()
    {
        var message = JsonDocument.Parse(Shipped("openai-chat-38-gpt-4o-mini-2024-07-18.sse").Completion.Body)
            .RootElement.GetProperty("choices")[0].GetProperty("message");

        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        var call = Assert.Single(message.GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("call_ZR5UUuTt3pf61kjwAJIYdVMj", call.GetProperty("id").GetString());
        Assert.Equal("get_capital", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("{\"country\":\"UK\"}", call.GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public void Completion_ReasoningRecording_HasReasoningContent()
    {
        var message = JsonDocument.Parse(Shipped("openai-chat-26-deepseek-reasoner.sse").Completion.Body)
            .RootElement.GetProperty("choices")[0].GetProperty("message");

        Assert.StartsWith("Hmm,", message.GetProperty("reasoning_content").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(message.GetProperty("content").GetString()));
    }

    [Fact]
    public void Completion_ErrorEventRecording_IsTheRecordedErrorWithItsStatus()
    {
        var recording = Shipped("openai-chat-30-gpt-oss-120b.sse");

        var answer = recording.Completion;

        Assert.Equal(400, answer.StatusCode);
        Assert.Equal(recording.Events.Single(e => e.Type == "error").Data, Encoding.UTF8.GetString(answer.Body));
        Assert.Equal(recording.TokenEvents, answer.TokenEventsBefore);
    }

    [Fact]
    public void Completion_NonJsonErrorAfterOneToken_IsWrappedAs500AfterThatToken()
    {
        var recording = Parse(Role + Content("abcd") + "event: error\ndata: upstream went away\n\n" + Content("late"));

        var answer = recording.Completion;

        Assert.Equal((500, 1), (answer.StatusCode, answer.TokenEventsBefore));
        var error = JsonDocument.Parse(answer.Body).RootElement.GetProperty("error");
        Assert.Equal("upstream went away", error.GetProperty("message").GetString());
    }

    private static RecordedStream Parse(string text) => RecordedStream.Parse("test.sse", Encoding.UTF8.GetBytes(text));

    private static RecordedStream Shipped(string name)
    {
        var file = Path.Combine(TestPaths.ReplayOpenAiChat, name);
        return RecordedStream.Parse(file, File.ReadAllBytes(file));
    }

    private static string Slice(RecordedStream recording, int offset, int length) =>
        Encoding.UTF8.GetString(recording.Body, offset, length);

    private static string Concat(IEnumerable<string> parts) => string.Concat(parts);
}
