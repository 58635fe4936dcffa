using System.Net.ServerSentEvents;
using System.Text;
using Bench.Core.Tests.TestSupport;
using Bench.Core.Wire;

namespace Bench.Core.Tests.Wire;

/// <summary>
/// <see cref="BoundedSseStream"/> takes <c>event:</c> lines out of the bytes and hands their types back by
/// <see cref="BoundedSseStream.EventType"/>: the events the parser then dispatches, with those types, must be exactly
/// the events the parser dispatches on the untouched body, whatever the lines, line ends and read sizes.
/// </summary>
public class EventTypeElisionTests
{
    private static readonly string[] Lines =
    [
        "event: content_block_delta", "event:content_block_delta", "event: response.output_text.delta", "event: error",
        "event: message", "event: ", "event:", "event", "event:  two spaces", "event: x-unknown-1", "event: x-unknown-2",
        "event: ünïcödé", "event: " + new string('n', 256), "event: " + new string('n', 257), "event:" + new string('n', 256),
        "event: " + new string('l', 600),
        "data: {\"type\":\"content_block_delta\"}", "data:{}", "data:", "data", "data: [DONE]", "data: event: inside",
        ": keep-alive", "id: 7", "retry: 100", "error: {\"message\":\"boom\"}", "eventx: y", "even", "ev", "e", "events",
        "", "", "",
    ];

    private static readonly string[] Ends = ["\n", "\r\n", "\r"];

    [Fact]
    public void RandomBodies_SameEventsAsTheParserOnTheUntouchedBody()
    {
        var random = new Random(20261201);
        for (var body = 0; body < 3000; body++)
        {
            var bytes = RandomBody(random);
            // An event type over 256 bytes is the one deliberate difference (see BoundedSseStream's remarks).
            var expected = Long(ParseUntouched(bytes));
            var got = Long(ParseBounded(TrickleStream.RandomReads(bytes, body), async: false));
            Assert.True(expected.SequenceEqual(got), $"body {Escape(bytes)}: expected {string.Join(" | ", expected)}, got {string.Join(" | ", got)}");
            Assert.Equal(expected, Long(ParseBounded(new TrickleStream(bytes, () => random.Next(1, 9)), async: true)));
            Assert.Equal(expected, Long(ParseTiny(bytes, random)));
        }
    }

    [Theory]
    [InlineData("anthropic")]
    [InlineData("responses")]
    [InlineData("openai-chat")]
    [InlineData("gemini")]
    public void RecordedStreams_SameEventsAsTheParserOnTheUntouchedBody(string folder)
    {
        var files = Directory.GetFiles(Path.Combine(SharedFixtures.Root, "recorded-streams", folder), "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            var expected = ParseUntouched(bytes);
            Assert.Equal(expected, ParseBounded(new MemoryStream(bytes), async: true));
            Assert.Equal(expected, ParseBounded(TrickleStream.RandomReads(bytes, 7), async: false));
        }
    }

    [Fact]
    public void NamedEvents_TheParserSeesNoEventLines()
    {
        var bytes = "event: content_block_delta\ndata: {\"a\":1}\n\nevent: message_stop\r\ndata: {}\r\n\r\n"u8.ToArray();
        var bounded = new BoundedSseStream(new MemoryStream(bytes), new StreamAccumulator());
        var passed = new MemoryStream();
        bounded.CopyTo(passed);

        Assert.Equal("data: {\"a\":1}\n\ndata: {}\r\n\r\n", Encoding.UTF8.GetString(passed.ToArray()));
        Assert.Same("content_block_delta", bounded.EventType(SseParser.EventTypeDefault));
        Assert.Same("message_stop", bounded.EventType(SseParser.EventTypeDefault));
    }

    [Fact]
    public void ByteOrderMark_EventLinesPassAndTheParserNamesThem()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. "event: ping\ndata: {}\n\n"u8];

        Assert.Equal(ParseUntouched(bytes), ParseBounded(new MemoryStream(bytes), async: false));
        Assert.Equal([("ping", "{}")], ParseBounded(new MemoryStream(bytes), async: false));
    }

    [Fact]
    public void LongEventType_ReportedAsTheSentinel()
    {
        var bytes = Encoding.UTF8.GetBytes($"event: {new string('x', 300)}\ndata: {{}}\n\n");

        Assert.Equal([(BoundedSseStream.LongEventType, "{}")], ParseBounded(new MemoryStream(bytes), async: false));
    }

    [Fact]
    public void CutEvent_TypesBeforeTheCutStayExact_AndNothingThrows()
    {
        var bytes = Encoding.UTF8.GetBytes(
            "event: content_block_start\ndata: {}\n\nevent: content_block_delta\ndata: " + new string('z', 200) + "\n\nevent: ping\ndata: {}\n\n");
        var accumulator = new StreamAccumulator();
        var bounded = new BoundedSseStream(TrickleStream.RandomReads(bytes, 3), accumulator, maxEventBytes: 100);
        var events = SseParser.Create(bounded, (type, data) => (bounded.EventType(type), Encoding.UTF8.GetString(data)))
            .Enumerate().Select(item => item.Data).ToList();

        Assert.True(accumulator.Malformed);
        Assert.Equal(3, events.Count);
        Assert.Equal(("content_block_start", "{}"), events[0]);
        Assert.Equal("ping", events[2].Item1);
    }

    private static string Escape(byte[] bytes) =>
        Encoding.UTF8.GetString(bytes).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static List<(string Type, string Data)> Long(List<(string Type, string Data)> events) =>
        [.. events.Select(e => (Encoding.UTF8.GetByteCount(e.Type) > BoundedSseStream.MaxEventTypeBytes ? BoundedSseStream.LongEventType : e.Type, e.Data))];

    private static byte[] RandomBody(Random random)
    {
        var text = new StringBuilder();
        if (random.Next(10) == 0)
        {
            text.Append('\uFEFF');
        }

        var count = random.Next(0, 40);
        for (var i = 0; i < count; i++)
        {
            text.Append(Lines[random.Next(Lines.Length)]).Append(Ends[random.Next(Ends.Length)]);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static List<(string Type, string Data)> ParseUntouched(byte[] bytes) =>
        [.. SseParser.Create(new MemoryStream(bytes), static (type, data) => (type, Encoding.UTF8.GetString(data)))
            .Enumerate().Select(item => item.Data)];

    private static List<(string Type, string Data)> ParseBounded(Stream body, bool async)
    {
        var bounded = new BoundedSseStream(body, new StreamAccumulator());
        var parser = SseParser.Create(bounded, (type, data) => (bounded.EventType(type), Encoding.UTF8.GetString(data)));
        if (!async)
        {
            return [.. parser.Enumerate().Select(item => item.Data)];
        }

        return Collect(parser).GetAwaiter().GetResult();

        static async Task<List<(string, string)>> Collect(SseParser<(string, string)> parser)
        {
            var events = new List<(string, string)>();
            await foreach (var item in parser.EnumerateAsync())
            {
                events.Add(item.Data);
            }

            return events;
        }
    }

    /// <summary>Reads the stream in buffers of 1 to 7 bytes (its own small buffer's path), then parses what passed.</summary>
    private static List<(string Type, string Data)> ParseTiny(byte[] bytes, Random random)
    {
        var bounded = new BoundedSseStream(TrickleStream.RandomReads(bytes, random.Next()), new StreamAccumulator());
        var passed = new MemoryStream();
        var buffer = new byte[7];
        int read;
        while ((read = bounded.Read(buffer.AsSpan(0, random.Next(1, 8)))) > 0)
        {
            passed.Write(buffer, 0, read);
        }

        return [.. SseParser.Create(new MemoryStream(passed.ToArray()), (type, data) => (bounded.EventType(type), Encoding.UTF8.GetString(data)))
            .Enumerate().Select(item => item.Data)];
    }
}
