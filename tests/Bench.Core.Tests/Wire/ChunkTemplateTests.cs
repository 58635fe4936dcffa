using System.Text;
using Bench.Core.Tests.TestSupport;
using Bench.Core.Wire;
using Microsoft.Extensions.Time.Testing;

namespace Bench.Core.Tests.Wire;

/// <summary>
/// The Chat Completions template fast path (<c>StreamAccumulator.TryTemplateChunk</c>) against the full parse: every
/// stream is read twice, templates on and off, and everything the accumulator says must be the same. Streams: the
/// recorded ones, a simulator-shaped one, and that one with single chunks broken in every way that touches the
/// fast path's preconditions (escapes, quotes, control bytes, invalid UTF-8, other fields changing), plus random
/// byte edits.
/// </summary>
public class ChunkTemplateTests
{
    private const string Head = """{"id":"chatcmpl-sim0001","object":"chat.completion.chunk","created":1796118872,"model":"m","choices":[{"index":0,"delta":{"content":""" + "\"";
    private const string Tail = "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}";

    public static TheoryData<string> RecordedFiles()
    {
        var data = new TheoryData<string>();
        foreach (var path in SharedFixtures.OpenAiChatStreams())
        {
            data.Add(path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RecordedFiles))]
    public async Task RecordedStream_SameAsTheFullParse(string path)
    {
        var body = await File.ReadAllBytesAsync(path);

        await AssertSameAsync(body);
    }

    [Fact]
    public async Task SimulatorShapedStream_TakesTheFastPathForEveryContentChunkAfterTheFirst()
    {
        var body = Stream(Enumerable.Range(0, 50).Select(i => Chunk($" word{i}")));

        var (fast, _) = await AssertSameAsync(body);

        // Role chunk, then 50 content chunks: the first is learned from, the other 49 take the fast path.
        Assert.Equal(49, fast.TemplateChunks);
        Assert.Equal(string.Concat(Enumerable.Range(0, 50).Select(i => $" word{i}")), fast.Content);
        Assert.Equal(50, fast.TokenEventTimestamps.Count);
    }

    [Theory]
    [InlineData("reasoning_content")]
    [InlineData("reasoning")]
    public async Task ReasoningStream_TakesTheFastPath_ThenContent(string field)
    {
        var reasoning = Enumerable.Range(0, 20).Select(i => Chunk($" think{i}").Replace("\"content\":", $"\"{field}\":", StringComparison.Ordinal));
        var body = Stream(reasoning.Concat(Enumerable.Range(0, 20).Select(i => Chunk($" say{i}"))));

        var (fast, _) = await AssertSameAsync(body);

        // The first reasoning chunk adds the variant naming its field (not learned from); the first content chunk after
        // the reasoning is learned from anew.
        Assert.Equal(18 + 19, fast.TemplateChunks);
        Assert.Equal(string.Concat(Enumerable.Range(0, 20).Select(i => $" think{i}")), fast.Reasoning);
    }

    [Theory]
    [InlineData("""say \"hi\" """)]
    [InlineData("""back\\slash""")]
    [InlineData("""line\nbreak""")]
    [InlineData("""caf\u00e9""")]
    [InlineData("""\ud83d\ude00""")]
    [InlineData("""\ud83d lone""")]
    [InlineData("café ✓ 😀")]
    [InlineData("")]
    [InlineData("""unescaped " quote""")]
    [InlineData("tab\there")]
    [InlineData("\u0001control")]
    public async Task OneChunkWithAnUnusualValue_SameAsTheFullParse(string value)
    {
        var chunks = Enumerable.Range(0, 10).Select(i => Chunk($" w{i}")).ToList();
        chunks.Insert(5, Chunk(value));

        await AssertSameAsync(Stream(chunks));
    }

    [Fact]
    public async Task InvalidUtf8InAValue_SameAsTheFullParse()
    {
        var chunks = Enumerable.Range(0, 6).Select(i => Encoding.UTF8.GetBytes(Chunk($" w{i}"))).ToList();
        var bad = Encoding.UTF8.GetBytes(Chunk("ab")).ToList();
        bad.InsertRange(Head.Length + 1, new byte[] { 0xC3, 0x28 });
        chunks.Insert(3, [.. bad]);

        var (fast, _) = await AssertSameAsync(StreamBytes(chunks));

        Assert.True(fast.Malformed);
    }

    [Theory]
    [InlineData("""{"id":"chatcmpl-sim0001","object":"chat.completion.chunk","created":1796118872,"model":"m","choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":"stop"}],"usage":null}""")]
    [InlineData("""{"id":"chatcmpl-sim0001","object":"chat.completion.chunk","created":1796118872,"model":"m","choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}""")]
    [InlineData("""{"id":"chatcmpl-sim0001","object":"chat.completion.chunk","created":1796118872,"model":"other","choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}],"usage":null}""")]
    [InlineData("""{"id":"chatcmpl-sim0001","object":"chat.completion.chunk","created":1796118872,"model":"m","choices":[{"index":0,"delta":{"content":"x","reasoning_content":"y"},"logprobs":null,"finish_reason":null}],"usage":null}""")]
    [InlineData("""{"id":"chatcmpl-sim0001","object":"chat.completion.chunk","created":1796118872,"model":"m","choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}],"usage":null,"error":{"message":"boom"}}""")]
    [InlineData("""{"id":"chatcmpl-sim0001","object":"chat.completion.chunk","created":1796118872,"model":"m","choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}],"usage":null}  """)]
    [InlineData("""{"id":"chatcmpl-sim0001","object":"chat.completion.chunk","created":1796118872,"model":"m","choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}],"usage":null}}""")]
    [InlineData("""{"id":"chatcmpl-sim0001","object":"chat.completion.chunk","created":1796118872,"model":"m","choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}],"usage":null""")]
    [InlineData("""{"id":"chatcmpl-sim0001","object":"chat.completion.chunk","created":1796118872,"model":"m","choices":[{"index":0,"delta":{"content":"x","tool_calls":[{"index":0,"id":"c1","function":{"name":"f","arguments":"{}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}""")]
    public async Task OneChunkWithAnotherFieldChanged_SameAsTheFullParse(string odd)
    {
        var chunks = Enumerable.Range(0, 10).Select(i => Chunk($" w{i}")).ToList();
        chunks.Insert(5, odd);

        await AssertSameAsync(Stream(chunks));
    }

    [Fact]
    public async Task RandomByteEdits_SameAsTheFullParse()
    {
        var random = new Random(17);
        var alphabet = "\"\\\n\r\t {}[]:,abc0é😀\u0001"u8.ToArray().Concat(new byte[] { 0x80, 0xC3, 0xFF, 0x00 }).ToArray();
        for (var trial = 0; trial < 300; trial++)
        {
            var chunks = Enumerable.Range(0, 8).Select(i => Encoding.UTF8.GetBytes(Chunk($" w{i}"))).ToList();
            for (var edit = 0; edit < 1 + random.Next(3); edit++)
            {
                var which = 2 + random.Next(chunks.Count - 2);
                var bytes = chunks[which].ToList();
                // Mostly near the content value, sometimes anywhere.
                var at = random.Next(4) == 0 ? random.Next(bytes.Count) : Head.Length + random.Next(6);
                at = Math.Min(at, bytes.Count);
                switch (random.Next(3))
                {
                    case 0:
                        bytes.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    case 1 when at < bytes.Count:
                        bytes.RemoveAt(at);
                        break;
                    default:
                        if (at < bytes.Count)
                        {
                            bytes[at] = alphabet[random.Next(alphabet.Length)];
                        }

                        break;
                }

                // An edit that made a line break would split the event: keep SSE framing out of this test.
                chunks[which] = [.. bytes.Where(b => b is not ((byte)'\n' or (byte)'\r'))];
            }

            await AssertSameAsync(StreamBytes(chunks), $"trial {trial}");
        }
    }

    private static string Chunk(string contentJsonText) => Head + contentJsonText + Tail;

    private static byte[] Stream(IEnumerable<string> chunks) => StreamBytes(chunks.Select(Encoding.UTF8.GetBytes));

    private static byte[] StreamBytes(IEnumerable<byte[]> chunks)
    {
        var body = new List<byte>();
        body.AddRange("""data: {"id":"chatcmpl-sim0001","object":"chat.completion.chunk","created":1796118872,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}"""u8.ToArray());
        body.AddRange("\n\n"u8.ToArray());
        foreach (var chunk in chunks)
        {
            body.AddRange("data: "u8.ToArray());
            body.AddRange(chunk);
            body.AddRange("\n\n"u8.ToArray());
        }

        body.AddRange("data: [DONE]\n\n"u8.ToArray());
        return [.. body];
    }

    private static async Task<(StreamAccumulator Fast, StreamAccumulator Full)> AssertSameAsync(byte[] body, string? because = null)
    {
        var fast = new StreamAccumulator();
        var full = new StreamAccumulator { UseChunkTemplates = false };
        var time = new FakeTimeProvider();
        await ChatStreamReader.ReadAsync(new MemoryStream(body), fast, time);
        await ChatStreamReader.ReadAsync(new MemoryStream(body), full, time);

        Assert.Equal(Describe(full), Describe(fast));
        Assert.Equal(0, full.TemplateChunks);
        _ = because;
        return (fast, full);
    }

    /// <summary>Everything the accumulator says, as text.</summary>
    private static string Describe(StreamAccumulator a) => string.Join('\n',
        $"content={a.Content}",
        $"reasoning={a.Reasoning}",
        $"tools={string.Join(';', a.ToolCalls.Select(c => $"{c.Index}|{c.Id}|{c.Name}|{c.Arguments}"))}",
        $"finish={a.FinishReason}",
        $"usage={a.HasUsage}|{a.UsageVendorKey}|{a.PromptTokens}|{a.CompletionTokens}|{a.TotalTokens}|{a.CachedTokens}|{a.ReasoningTokens}|{a.CacheWriteTokens}|{a.UsageIssue}",
        $"error={a.Error}|{a.ErrorCodeIsNumber}",
        $"done={a.Done} malformed={a.Malformed} reason={a.MalformedReason} cap={a.ExceededCap}",
        $"model={a.Model} variants={a.Variants} events={a.Events} choices={a.SawChoices} output={a.HasOutput}",
        $"times={a.FirstTokenTimestamp}|{a.FirstOutputTokenTimestamp}|{a.LastTokenTimestamp}|{a.EndTimestamp}|{a.TokenEventTimestamps.Count}");
}
