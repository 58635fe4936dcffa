using System.Text;
using System.Text.Json;
using Bench.Core.Records;
using Bench.Core.Tests.TestSupport;
using Bench.Core.Wire;

namespace Bench.Core.Tests.Wire;

/// <summary>
/// Every recorded OpenAI-format stream in <c>shared/fixtures/recorded-streams/openai-chat</c>, read by the fast reader
/// and, independently, by a naive one (split lines, <see cref="JsonDocument"/> per event); the two must agree. A few
/// values read off the files by hand pin the naive reader too.
/// </summary>
/// <remarks>
/// What the files hold: content only (05, 25, 37, 39); tool calls (01: two parallel calls, 03: one long call, 38);
/// reasoning under <c>reasoning_content</c> (26, deepseek-reasoner), under <c>reasoning</c> (28 groq, 30 gpt-oss, 44
/// openrouter, which also sends <c>reasoning_details</c>); 43 (openrouter o3) has only encrypted reasoning details;
/// usage as a separate <c>choices: []</c> chunk (01, 03, 05, 25, 37, 38, 39), on the final content chunk (26), on a
/// chunk after the finish reason (43, 44), or only inside groq's <c>x_groq</c> extension (28, read as usage);
/// 30 ends with <c>event: error</c> (tool_use_failed) and no <c>[DONE]</c>; 37 has a trailing moderation chunk;
/// 43 and 44 carry <c>: OPENROUTER PROCESSING</c> comments.
/// </remarks>
public class RecordedStreamsTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var path in SharedFixtures.OpenAiChatStreams())
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Fact]
    public void Files_AllTwelveRecordings_Present() => Assert.Equal(12, SharedFixtures.OpenAiChatStreams().Count);

    [Theory]
    [MemberData(nameof(Files))]
    public async Task ReadAsync_RecordedStream_MatchesNaiveReading(string file)
    {
        var path = Path.Combine(SharedFixtures.Root, "recorded-streams", "openai-chat", file);
        var expected = NaiveRead(File.ReadAllText(path));
        await using var body = File.OpenRead(path);

        var actual = await ChatStreamReader.ReadAsync(body);

        Assert.False(actual.Malformed);
        Assert.Equal(expected.Content.ToString(), actual.Content);
        Assert.Equal(expected.Reasoning.ToString(), actual.Reasoning);
        Assert.Equal(expected.FinishReason, actual.FinishReason);
        Assert.Equal(expected.Done, actual.Done);
        Assert.Equal(expected.Events, actual.Events);
        Assert.Equal(expected.TokenEvents, actual.TokenEventTimestamps.Count);
        Assert.Equal(expected.Error, actual.Error);
        Assert.Equal(expected.Usage is not null, actual.HasUsage);
        if (expected.Usage is { } usage)
        {
            Assert.Equal(Count(usage, "prompt_tokens"), actual.PromptTokens);
            Assert.Equal(Count(usage, "completion_tokens"), actual.CompletionTokens);
            Assert.Equal(Count(usage, "total_tokens"), actual.TotalTokens);
            Assert.Equal(Count(usage, "prompt_tokens_details", "cached_tokens"), actual.CachedTokens);
            Assert.Equal(Count(usage, "completion_tokens_details", "reasoning_tokens"), actual.ReasoningTokens);
        }

        Assert.Equal(expected.ToolCalls.Count, actual.ToolCalls.Count);
        foreach (var call in actual.ToolCalls)
        {
            var (id, name, arguments) = expected.ToolCalls[call.Index];
            Assert.Equal(id, call.Id);
            Assert.Equal(name, call.Name);
            Assert.Equal(arguments.ToString(), call.Arguments);
        }
    }

    [Fact]
    public async Task ReadAsync_ParallelToolCalls01_TwoCallsAndSeparateUsageChunk()
    {
        var result = await ReadFixtureAsync("openai-chat-01-gpt-4o-2024-08-06.sse");

        Assert.Equal("tool_calls", result.FinishReason);
        Assert.Collection(
            result.ToolCalls,
            call => Assert.Equal(("call_3rqTYrA6H21AYUaRGP4F66oq", "get_country", "{}"), (call.Id, call.Name, call.Arguments)),
            call => Assert.Equal(("call_Xw9XMKBJU48kAAd78WgIswDx", "get_product_name", "{}"), (call.Id, call.Name, call.Arguments)));
        ChatStreamReaderTests.AssertUsage(result, 364, 40, 404, 0, 0);
        Assert.True(result.Done);
        Assert.Equal(8, result.Events);
    }

    [Fact]
    public async Task ReadAsync_Content05_TextAndUsage()
    {
        var result = await ReadFixtureAsync("openai-chat-05-gpt-4o-2024-08-06.sse");

        Assert.Equal("The capital of Mexico is Mexico City.", result.Content);
        Assert.Equal("stop", result.FinishReason);
        ChatStreamReaderTests.AssertUsage(result, 14, 8, 22, 0, 0);
        Assert.Equal(8, result.TokenEventTimestamps.Count);
    }

    [Fact]
    public async Task ReadAsync_ToolArguments38_Reassembled()
    {
        var result = await ReadFixtureAsync("openai-chat-38-gpt-4o-mini-2024-07-18.sse");

        var call = Assert.Single(result.ToolCalls);
        Assert.Equal(("call_ZR5UUuTt3pf61kjwAJIYdVMj", "get_capital", """{"country":"UK"}"""), (call.Id, call.Name, call.Arguments));
        ChatStreamReaderTests.AssertUsage(result, 53, 15, 68, 0, 0);
    }

    [Fact]
    public async Task ReadAsync_DeepseekReasoner26_ReasoningBeforeOutputAndUsageOnLastChunk()
    {
        var result = await ReadFixtureAsync("openai-chat-26-deepseek-reasoner.sse");

        Assert.StartsWith("Hmm,", result.Reasoning, StringComparison.Ordinal);
        Assert.EndsWith(" you today?", result.Content, StringComparison.Ordinal);
        Assert.Equal("stop", result.FinishReason);
        ChatStreamReaderTests.AssertUsage(result, 6, 212, 218, 0, 198);
        Assert.True(result.FirstTokenTimestamp <= result.FirstOutputTokenTimestamp);
    }

    [Fact]
    public async Task ReadAsync_Groq28_UsageOnlyInExtension_ReadFromXGroq()
    {
        var result = await ReadFixtureAsync("openai-chat-28-deepseek-r1-distill-llama-70b.sse");

        Assert.True(result.HasUsage);
        Assert.Equal(573, result.PromptTokens);
        Assert.Equal(1509, result.CompletionTokens);
        Assert.Equal(2082, result.TotalTokens);
        Assert.StartsWith("Alright, so I", result.Reasoning, StringComparison.Ordinal);
        Assert.EndsWith(" optional chocolate coating.", result.Content, StringComparison.Ordinal);
        Assert.Equal("stop", result.FinishReason);
    }

    [Fact]
    public async Task ReadAsync_ToolUseFailed30_ErrorEventWithoutDone()
    {
        var result = await ReadFixtureAsync("openai-chat-30-gpt-oss-120b.sse");

        Assert.Equal("invalid_request_error", result.Error?.Type);
        Assert.Equal("tool_use_failed", result.Error?.Code);
        Assert.StartsWith("Tool call validation failed", result.Error?.Message, StringComparison.Ordinal);
        Assert.False(result.Done);
        Assert.Null(result.FinishReason);
        Assert.Equal("", result.Content);
        Assert.StartsWith("We need to call", result.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_OpenRouterClaude44_FinishReasonKeptAfterLaterNullAndReasoningTokens()
    {
        var result = await ReadFixtureAsync("openai-chat-44-claude-sonnet-4.5.sse");

        Assert.Equal("This is a simple arithmetic question. 2+2 equals 4.", result.Reasoning);
        Assert.Equal("2 + 2 = 4", result.Content);
        Assert.Equal("stop", result.FinishReason);
        ChatStreamReaderTests.AssertUsage(result, 43, 36, 79, 0, 13);
    }

    private static async Task<StreamAccumulator> ReadFixtureAsync(string file)
    {
        await using var body = File.OpenRead(Path.Combine(SharedFixtures.Root, "recorded-streams", "openai-chat", file));
        return await ChatStreamReader.ReadAsync(body);
    }

    private static int? Count(JsonElement usage, params string[] path)
    {
        var element = usage;
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.Number ? element.GetInt32() : null;
    }

    /// <summary>The slow, obvious reading: these files use <c>\n</c>, one <c>data:</c> line per event.</summary>
    private static Naive NaiveRead(string text)
    {
        var result = new Naive();
        string eventType = "message";
        string? data = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > 0)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    eventType = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = line["data: ".Length..];
                }

                continue;
            }

            if (data is null)
            {
                continue;
            }

            result.Events++;
            if (data == "[DONE]")
            {
                result.Done = true;
                break;
            }

            using (var document = JsonDocument.Parse(data))
            {
                var root = document.RootElement;
                if (eventType == "error")
                {
                    var error = root.GetProperty("error");
                    result.Error = new ErrorInfo(error.GetProperty("type").GetString(), error.GetProperty("code").GetString(), error.GetProperty("message").GetString());
                }
                else
                {
                    NaiveChunk(root, result);
                }
            }

            eventType = "message";
            data = null;
        }

        return result;
    }

    private static void NaiveChunk(JsonElement root, Naive result)
    {
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            result.Usage = usage.Clone();
        }
        else if (root.TryGetProperty("x_groq", out var groq) && groq.ValueKind == JsonValueKind.Object
                 && groq.TryGetProperty("usage", out var groqUsage) && groqUsage.ValueKind == JsonValueKind.Object)
        {
            result.Usage = groqUsage.Clone(); // groq sends usage only under its extension key
        }

        if (!root.TryGetProperty("choices", out var choices) || choices.GetArrayLength() == 0)
        {
            return;
        }

        var choice = choices[0];
        if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
        {
            result.FinishReason = finish.GetString();
        }

        var delta = choice.GetProperty("delta");
        var tokens = false;
        if (delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString()!.Length > 0)
        {
            result.Content.Append(content.GetString());
            tokens = true;
        }

        foreach (var name in new[] { "reasoning_content", "reasoning" })
        {
            if (delta.TryGetProperty(name, out var reasoning) && reasoning.ValueKind == JsonValueKind.String)
            {
                result.Reasoning.Append(reasoning.GetString());
                tokens |= reasoning.GetString()!.Length > 0;
                break;
            }
        }

        if (delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                var index = call.GetProperty("index").GetInt32();
                if (!result.ToolCalls.TryGetValue(index, out var entry))
                {
                    entry = (null, null, new StringBuilder());
                }

                if (call.TryGetProperty("id", out var id))
                {
                    entry.Id = id.GetString();
                }

                if (call.TryGetProperty("function", out var function))
                {
                    if (function.TryGetProperty("name", out var name) && name.GetString() is { Length: > 0 } nameText)
                    {
                        entry.Name = nameText;
                        tokens = true;
                    }

                    if (function.TryGetProperty("arguments", out var arguments) && arguments.GetString() is { Length: > 0 } argumentsText)
                    {
                        entry.Arguments.Append(argumentsText);
                        tokens = true;
                    }
                }

                result.ToolCalls[index] = entry;
            }
        }

        if (tokens)
        {
            result.TokenEvents++;
        }
    }

    private sealed class Naive
    {
        public StringBuilder Content { get; } = new();

        public StringBuilder Reasoning { get; } = new();

        public Dictionary<int, (string? Id, string? Name, StringBuilder Arguments)> ToolCalls { get; } = [];

        public string? FinishReason { get; set; }

        public JsonElement? Usage { get; set; }

        public ErrorInfo? Error { get; set; }

        public bool Done { get; set; }

        public int Events { get; set; }

        public int TokenEvents { get; set; }
    }
}
