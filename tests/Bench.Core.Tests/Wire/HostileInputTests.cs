using System.Text;
using Bench.Core.Tests.TestSupport;
using Bench.Core.Wire;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bench.Core.Tests.Wire;

/// <summary>
/// The stream reader on hostile input: random bytes, recorded bodies cut and corrupted, invalid UTF-8, truncated and
/// deeply nested JSON, a 100 MB line. It must never throw, must say why a body is malformed, must read the same
/// whatever sizes the reads come in, and must keep memory bounded.
/// </summary>
public class HostileInputTests
{
    [Property(MaxTest = 300, Arbitrary = new[] { typeof(HostileBodies) })]
    public bool ReadAsync_AnyBody_NeverThrowsAndExplainsMalformed(HostileBody body)
    {
        var result = Read(new MemoryStream(body.Bytes));

        return (result.Malformed == result.MalformedReason is not null)
            && result.ContentChars + result.ReasoningChars <= StreamAccumulator.MaxTextChars
            && result.ToolCalls.Count <= StreamAccumulator.MaxToolCalls
            && result.Events >= 0;
    }

    /// <summary>Read sizes never change what is read. Reading stops at <c>[DONE]</c>, and the framing variants describe
    /// every byte received, so bytes after <c>[DONE]</c> that came in the same read as it (all of them, read whole) may
    /// add framing variants that smaller reads never receive: after a <c>[DONE]</c> the smaller reads' variants are a
    /// subset; without one both read the whole body and the variants are equal.</summary>
    [Property(MaxTest = 200, Arbitrary = new[] { typeof(HostileBodies) })]
    public bool ReadAsync_AnyBodyInAnyReadSizes_SameResultAsInOneRead(HostileBody body, int seed)
    {
        var whole = Read(new MemoryStream(body.Bytes));
        var pieces = Read(TrickleStream.RandomReads(body.Bytes, seed));

        var variants = whole.Done
            ? (pieces.Variants & ~whole.Variants) == StreamVariants.None
            : pieces.Variants == whole.Variants;
        return variants && Summary(whole, withVariants: false) == Summary(pieces, withVariants: false);
    }

    [Fact]
    public void ReadAsync_CrLfAfterDoneInTheSameRead_NotedOnlyWhenReceived()
    {
        // Found by the property above (FsCheck replay 3844474860099565857,2336541392173391501,46): a "\r\n" after
        // [DONE] is noted by a whole read, which received it, and not by one-byte reads, which stop at [DONE].
        var bytes = Encoding.UTF8.GetBytes("data: [DONE]\n\ndata: \"type\"\r\n\n");

        var whole = Read(new MemoryStream(bytes));
        var trickled = Read(new TrickleStream(bytes, synchronous: true));

        Assert.True(whole.Done);
        Assert.True(trickled.Done);
        Assert.Equal(Summary(whole, withVariants: false), Summary(trickled, withVariants: false));
        Assert.True(whole.Variants.HasFlag(StreamVariants.CrLfLineEndings));
        Assert.False(trickled.Variants.HasFlag(StreamVariants.CrLfLineEndings));
    }

    [Fact]
    public void ReadAsync_HundredMegabyteLine_CutAtCapNextEventsReadMemoryBounded()
    {
        const long LineBytes = 100L * 1024 * 1024;
        var head = """data: {"choices":[{"index":0,"delta":{"content":"""u8.ToArray();
        var tail = """
            "}}]}

            data: {"choices":[{"index":0,"delta":{"content":"after"},"finish_reason":"stop"}]}

            data: [DONE]


            """.Replace("\r\n", "\n", StringComparison.Ordinal);
        using var body = new GeneratedLineStream(head, (byte)'a', LineBytes, Encoding.UTF8.GetBytes(tail));

        // The body completes every read synchronously, so the whole reading runs on this thread.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = Read(body);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(result.Malformed);
        Assert.StartsWith("SSE line longer than 8 MiB: cut there", result.MalformedReason, StringComparison.Ordinal);
        Assert.Equal("after", result.Content);
        Assert.Equal("stop", result.FinishReason);
        Assert.True(result.Done);
        Assert.Equal(3, result.Events);

        // Buffering the line whole would take over 100 MB (200 MB as UTF-16); the cap keeps the parser's buffers near
        // twice 8 MiB.
        Assert.True(allocated < 64L * 1024 * 1024, $"allocated {allocated / (1024 * 1024)} MiB");
    }

    [Fact]
    public void ReadAsync_DeeplyNestedJson_MalformedAndGoesOn()
    {
        var nested = new string('[', 100_000) + new string(']', 100_000);
        var nestedContent = """{"choices":[{"index":0,"delta":{"content":""" + new string('[', 5000) + "}}]}";
        var result = Read(Body($"data: {nested}\n\ndata: {nestedContent}\n\n" + """
            data: {"choices":[{"index":0,"delta":{"content":"ok"}}]}

            data: [DONE]


            """));

        Assert.True(result.Malformed);
        Assert.StartsWith("event 1: ", result.MalformedReason, StringComparison.Ordinal);
        Assert.Equal("ok", result.Content);
        Assert.Equal(4, result.Events);
        Assert.True(result.Done);
    }

    [Fact]
    public void ReadAsync_InvalidUtf8AndLoneSurrogateEscape_MalformedOtherEventsKept()
    {
        var bytes = new List<byte>();
        bytes.AddRange("""data: {"choices":[{"index":0,"delta":{"content":"a"""u8.ToArray());
        bytes.AddRange([0xFF, 0xFE, 0xC3, 0x28]);
        bytes.AddRange("\"}}]}\n\n"u8.ToArray());
        bytes.AddRange("""data: {"choices":[{"index":0,"delta":{"content":"\ud800"}}]}"""u8.ToArray());
        bytes.AddRange("\n\n"u8.ToArray());
        bytes.AddRange("""data: {"choices":[{"index":0,"delta":{"content":"fine"}}]}"""u8.ToArray());
        bytes.AddRange("\n\ndata: [DONE]\n\n"u8.ToArray());

        var result = Read(new MemoryStream([.. bytes]));

        Assert.True(result.Malformed);
        Assert.Contains("not valid", result.MalformedReason, StringComparison.Ordinal);
        Assert.EndsWith("fine", result.Content, StringComparison.Ordinal);
        Assert.True(result.Done);
    }

    [Fact]
    public void ReadAsync_TruncatedRecordedBody_KeepsTextReadSoFar()
    {
        var bytes = File.ReadAllBytes(SharedFixtures.OpenAiChatStreams().Single(f => f.Contains("-05-", StringComparison.Ordinal)));
        var cut = Array.IndexOf(bytes, (byte)'M', bytes.Length / 2);

        var result = Read(new MemoryStream(bytes[..cut]));

        Assert.False(result.Done);
        Assert.StartsWith("The capital of", result.Content, StringComparison.Ordinal);
        Assert.Contains(StreamVariantNames.Of(result.Variants), n => n == "no_done");
    }

    private static StreamAccumulator Read(Stream body)
    {
        using (body)
        {
            var task = ChatStreamReader.ReadAsync(body);
            Assert.True(task.IsCompleted, "a body whose reads complete synchronously is read synchronously");
            return task.GetAwaiter().GetResult();
        }
    }

    private static MemoryStream Body(string text) => new(Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal)));

    private static string Summary(StreamAccumulator r, bool withVariants = true) => string.Join(
        "|",
        r.Events,
        r.Content,
        r.Reasoning,
        r.FinishReason,
        r.Done,
        r.Malformed,
        r.MalformedReason,
        r.Error,
        r.PromptTokens,
        r.CompletionTokens,
        r.TokenEventTimestamps.Count,
        string.Join(",", r.ToolCalls.Select(c => $"{c.Index}:{c.Name}:{c.Arguments}")),
        withVariants ? r.Variants : StreamVariants.None);

    /// <summary>A body of <c>head</c>, then <c>fill</c> repeated <c>count</c> times, then <c>tail</c>, generated as it
    /// is read (the 100 MB are never in memory).</summary>
    private sealed class GeneratedLineStream(byte[] head, byte fill, long count, byte[] tail) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => head.Length + count + tail.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var written = 0;
            while (written < buffer.Length && _position < Length)
            {
                var target = buffer[written..];
                int n;
                if (_position < head.Length)
                {
                    n = Math.Min(target.Length, head.Length - (int)_position);
                    head.AsSpan((int)_position, n).CopyTo(target);
                }
                else if (_position < head.Length + count)
                {
                    n = (int)Math.Min(target.Length, head.Length + count - _position);
                    target[..n].Fill(fill);
                }
                else
                {
                    var at = (int)(_position - head.Length - count);
                    n = Math.Min(target.Length, tail.Length - at);
                    tail.AsSpan(at, n).CopyTo(target);
                }

                written += n;
                _position += n;
            }

            return written;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>One generated body, printed shortly when a property fails.</summary>
public sealed record HostileBody(byte[] Bytes, string How)
{
    /// <inheritdoc/>
    public override string ToString() => $"{How} ({Bytes.Length} bytes): {Encoding.UTF8.GetString(Bytes.AsSpan(0, Math.Min(Bytes.Length, 300)))}";
}

/// <summary>FsCheck generators of hostile bodies: random bytes; recorded bodies cut, corrupted or spliced; and SSE
/// events whose payloads are JSON fragments, deep nesting, invalid UTF-8 and lone surrogates.</summary>
public static class HostileBodies
{
    private static readonly byte[][] s_recorded = [.. SharedFixtures.OpenAiChatStreams().Select(File.ReadAllBytes)];

    private static readonly string[] s_fragments =
    [
        "{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e309", "-0", "12345678901234567890", "\"choices\"", "\"delta\"",
        "\"content\"", "\"reasoning\"", "\"reasoning_content\"", "\"tool_calls\"", "\"index\"", "\"function\"", "\"arguments\"",
        "\"usage\"", "\"x_groq\"", "\"error\"", "\"finish_reason\"", "\"text\"", "\"type\"", "\"thinking\"", "\"\\ud800\"",
        "\"\\u0000\"", "\"é😀\"", "\"\\\"\"", "[DONE]", "\n", "\r", "\r\n", "data:", "data: ", "event: error", ": ping", " ",
    ];

    /// <summary>The generator FsCheck uses for <see cref="HostileBody"/>.</summary>
    public static Arbitrary<HostileBody> Body() => Arb.From(Gen.OneOf(RandomBytes(), MutatedRecording(), FragmentEvents()));

    private static Gen<HostileBody> RandomBytes() =>
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))
        select new HostileBody(bytes, "random bytes");

    private static Gen<HostileBody> MutatedRecording() =>
        from file in Gen.Choose(0, s_recorded.Length - 1)
        from cut in Gen.Choose(0, 100)
        from flips in Gen.ListOf(Gen.Two(Gen.Choose(0, int.MaxValue)))
        from spliceAt in Gen.Choose(0, int.MaxValue)
        from splice in Gen.Elements(s_fragments)
        select Mutate(s_recorded[file], cut, flips, spliceAt, splice);

    private static HostileBody Mutate(byte[] recording, int cutPercent, IEnumerable<(int, int)> flips, int spliceAt, string splice)
    {
        var length = (int)((long)recording.Length * cutPercent / 100);
        var bytes = new List<byte>(recording[..length]);
        foreach (var (at, value) in flips)
        {
            if (bytes.Count > 0)
            {
                bytes[at % bytes.Count] = (byte)value;
            }
        }

        bytes.InsertRange(bytes.Count == 0 ? 0 : spliceAt % bytes.Count, Encoding.UTF8.GetBytes(splice));
        return new HostileBody([.. bytes], $"recording {cutPercent}% long, {bytes.Count} bytes, spliced '{splice}'");
    }

    private static Gen<HostileBody> FragmentEvents() =>
        from events in Gen.ListOf(Payload())
        from done in Gen.Elements(true, false)
        select new HostileBody(
            [.. events.SelectMany(e => "data: "u8.ToArray().Concat(e).Concat("\n\n"u8.ToArray())).Concat(done ? "data: [DONE]\n\n"u8.ToArray() : [])],
            "fragment events");

    private static Gen<byte[]> Payload() => Gen.OneOf(
        Gen.ListOf(Gen.Elements(s_fragments)).Select(parts => Encoding.UTF8.GetBytes(string.Concat(parts))),
        Gen.Choose(1, 3000).Select(depth => Encoding.UTF8.GetBytes(string.Concat(
            """{"choices":[{"index":0,"delta":{"content":""", new string('[', depth), new string(']', depth), "}}]}"))),
        Gen.ArrayOf(Gen.Choose(0x80, 0xFF).Select(b => (byte)b)).Select(junk =>
            (byte[])[.. """{"choices":[{"index":0,"delta":{"reasoning":"x"""u8, .. junk, .. "\"}}]}"u8]),
        Gen.Elements(
            """{"choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}""",
            """{"choices":[{"index":0,"delta":{"content":[{"type":"thinking","thinking":[{"type":"text","text":"t"}]},{"type":"text","text":"c"}]}}]}""",
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":2147483647,"function":{"name":"f","arguments":"{"}}]}}]}""",
            """{"choices":[],"x_groq":{"usage":{"prompt_tokens":-1,"completion_tokens":99999999999}}}""",
            """{"error":{"code":500,"message":"x","type":"server_error"}}""",
            """{"choices":[{"index":0,"delta":{"content":"unterminated""").Select(Encoding.UTF8.GetBytes));
}
