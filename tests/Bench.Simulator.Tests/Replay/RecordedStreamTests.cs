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
