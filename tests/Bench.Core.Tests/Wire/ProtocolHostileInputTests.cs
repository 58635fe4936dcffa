using System.Text;
using Bench.Core.Tests.TestSupport;
using Bench.Core.Wire;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bench.Core.Tests.Wire;

/// <summary>
/// The Responses API, Anthropic Messages and Gemini readers on hostile input: random bytes, recorded bodies of each
/// protocol cut, corrupted and spliced with the protocol's own keywords, fed to the streaming and the non-streaming
/// reader alike. They must never throw, must say why a body is malformed, and must keep their caps.
/// </summary>
public class ProtocolHostileInputTests
{
    private static readonly WireProtocol[] s_protocols = [WireProtocol.OpenAiResponses, WireProtocol.AnthropicMessages, WireProtocol.Gemini];

    [Property(MaxTest = 300, Arbitrary = new[] { typeof(ProtocolHostileBodies) })]
    public bool ReadAsync_AnyBodyAnyProtocol_NeverThrowsAndExplainsMalformed(ProtocolHostileBody body)
    {
        var streamed = Read(body.Protocol, body.Bytes, streaming: true);
        var whole = Read(body.Protocol, body.Bytes, streaming: false);

        return Sound(streamed) && Sound(whole);
    }

    [Property(MaxTest = 100, Arbitrary = new[] { typeof(ProtocolHostileBodies) })]
    public bool ReadAsync_AnyBodyInAnyReadSizes_SameTextAsInOneRead(ProtocolHostileBody body, int seed)
    {
        var whole = Read(body.Protocol, new MemoryStream(body.Bytes));
        var pieces = Read(body.Protocol, TrickleStream.RandomReads(body.Bytes, seed));

        return whole.Content == pieces.Content && whole.Reasoning == pieces.Reasoning && whole.Done == pieces.Done
            && whole.Events == pieces.Events && whole.FinishReason == pieces.FinishReason && whole.Malformed == pieces.Malformed;
    }

    [Theory]
    [InlineData(WireProtocol.OpenAiResponses, "{\"type\":\"response.output_text.delta\",\"delta\":\"")]
    [InlineData(WireProtocol.AnthropicMessages, "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"")]
    [InlineData(WireProtocol.Gemini, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"")]
    public async Task ReadAsync_HugeDeltaOverEventCap_MalformedAndStopped(WireProtocol protocol, string prefix)
    {
        var body = "data: " + prefix + new string('x', 64 * 1024) + "\"}\n\ndata: " + prefix + "after\"}\n\n";
        var accumulator = new StreamAccumulator(protocol);

        await ChatStreamReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), accumulator, TimeProvider.System,
            maxEventBytes: 16 * 1024, endAtCap: true, CancellationToken.None);

        Assert.True(accumulator.Malformed);
        Assert.True(accumulator.ExceededCap);
        Assert.DoesNotContain("after", accumulator.Content, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WireProtocol.OpenAiResponses)]
    [InlineData(WireProtocol.AnthropicMessages)]
    [InlineData(WireProtocol.Gemini)]
    public async Task ReadAsync_NonStreamingBodyOverCap_MalformedNotParsed(WireProtocol protocol)
    {
        var accumulator = new StreamAccumulator(protocol);

        await ChatCompletionReader.ReadAsync(new MemoryStream(new byte[4096]), accumulator, TimeProvider.System, maxBytes: 1024);

        Assert.True(accumulator.ExceededCap);
        Assert.Contains("cap", accumulator.MalformedReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WireProtocol.OpenAiResponses)]
    [InlineData(WireProtocol.AnthropicMessages)]
    [InlineData(WireProtocol.Gemini)]
    public async Task ReadAsync_DeeplyNestedPayload_MalformedNotThrown(WireProtocol protocol)
    {
        var nested = new string('[', 5000) + new string(']', 5000);
        var body = $"data: {{\"type\":\"x\",\"candidates\":{nested}}}\n\n";
        var accumulator = new StreamAccumulator(protocol);

        await ChatStreamReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), accumulator);

        Assert.True(accumulator.Malformed);
        Assert.NotNull(accumulator.MalformedReason);
    }

    private static bool Sound(StreamAccumulator r) =>
        (r.Malformed == r.MalformedReason is not null)
        && r.ContentChars + r.ReasoningChars <= StreamAccumulator.MaxTextChars
        && r.ToolCalls.Count <= StreamAccumulator.MaxToolCalls
        && r.Events >= 0;

    private static StreamAccumulator Read(WireProtocol protocol, byte[] bytes, bool streaming)
    {
        if (streaming)
        {
            return Read(protocol, new MemoryStream(bytes));
        }

        var accumulator = new StreamAccumulator(protocol);
        var task = ChatCompletionReader.ReadAsync(new MemoryStream(bytes), accumulator);
        task.GetAwaiter().GetResult();
        return accumulator;
    }

    private static StreamAccumulator Read(WireProtocol protocol, Stream body)
    {
        using (body)
        {
            var accumulator = new StreamAccumulator(protocol);
            var task = ChatStreamReader.ReadAsync(body, accumulator);
            Assert.True(task.IsCompleted, "a body whose reads complete synchronously is read synchronously");
            task.GetAwaiter().GetResult();
            return accumulator;
        }
    }

    /// <summary>FsCheck's generator of <see cref="ProtocolHostileBody"/>.</summary>
    public static class ProtocolHostileBodies
    {
        private static readonly (WireProtocol Protocol, byte[] Bytes)[] s_recorded =
        [
            .. Recordings("responses", WireProtocol.OpenAiResponses),
            .. Recordings("anthropic", WireProtocol.AnthropicMessages),
            .. Recordings("gemini", WireProtocol.Gemini),
        ];

        private static readonly string[] s_fragments =
        [
            "{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e309", "-0", "12345678901234567890", "\"type\"",
            "\"message_start\"", "\"content_block_start\"", "\"content_block_delta\"", "\"message_delta\"", "\"message_stop\"",
            "\"text_delta\"", "\"thinking_delta\"", "\"input_json_delta\"", "\"partial_json\"", "\"index\"", "\"tool_use\"",
            "\"response.output_text.delta\"", "\"response.completed\"", "\"response.failed\"", "\"response.output_item.added\"",
            "\"function_call\"", "\"output_index\"", "\"delta\"", "\"response\"", "\"usage\"", "\"input_tokens\"",
            "\"candidates\"", "\"parts\"", "\"text\"", "\"thought\"", "\"functionCall\"", "\"args\"", "\"usageMetadata\"",
            "\"finishReason\"", "\"promptFeedback\"", "\"blockReason\"", "\"error\"", "\"\\ud800\"", "\"é😀\"", "\n", "\r\n",
            "data:", "data: ", "event: error", "event: message_stop", ": ping", " ",
        ];

        public static Arbitrary<ProtocolHostileBody> Body() => Arb.From(
            from protocol in Gen.Elements(s_protocols)
            from body in Gen.OneOf(RandomBytes(), MutatedRecording(), FragmentEvents())
            select new ProtocolHostileBody(protocol, body.Bytes, body.Description));

        private static IEnumerable<(WireProtocol, byte[])> Recordings(string folder, WireProtocol protocol) =>
            Directory.GetFiles(Path.Combine(SharedFixtures.Root, "recorded-streams", folder), "*.sse")
                .Order(StringComparer.Ordinal)
                .Select(path => (protocol, File.ReadAllBytes(path)));

        private static Gen<(byte[] Bytes, string Description)> RandomBytes() =>
            from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))
            select (bytes, "random bytes");

        private static Gen<(byte[] Bytes, string Description)> MutatedRecording() =>
            from file in Gen.Choose(0, s_recorded.Length - 1)
            from cut in Gen.Choose(0, 100)
            from flips in Gen.ListOf(Gen.Two(Gen.Choose(0, int.MaxValue)))
            from spliceAt in Gen.Choose(0, int.MaxValue)
            from splice in Gen.Elements(s_fragments)
            select Mutate(s_recorded[file].Bytes, cut, flips, spliceAt, splice);

        private static (byte[], string) Mutate(byte[] recording, int cutPercent, IEnumerable<(int, int)> flips, int spliceAt, string splice)
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
            return ([.. bytes], $"recording {cutPercent}% long, spliced '{splice}'");
        }

        private static Gen<(byte[] Bytes, string Description)> FragmentEvents() =>
            from events in Gen.ListOf(Gen.ListOf(Gen.Elements(s_fragments)).Select(parts => string.Concat(parts)))
            select (Encoding.UTF8.GetBytes(string.Concat(events.Select(e => "data: " + e + "\n\n"))), "fragment events");
    }
}

/// <summary>A hostile body and the protocol it is read as.</summary>
public sealed record ProtocolHostileBody(WireProtocol Protocol, byte[] Bytes, string Description)
{
    public override string ToString() => $"{WireProtocols.Name(Protocol)}: {Description} ({Bytes.Length} bytes)";
}
