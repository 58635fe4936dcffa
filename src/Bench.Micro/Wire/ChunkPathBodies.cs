using System.Text;
using Bench.Core.Wire;

namespace Bench.Micro.Wire;

/// <summary>
/// Long SSE bodies of real event shapes, one per protocol: the recording with the most events in
/// <c>shared/fixtures/recorded-streams/&lt;protocol&gt;</c> (<see cref="ChunkCorpus.LoadEvents"/>) that streams no
/// tool call, with its middle
/// token-bearing event repeated until the body holds <see cref="Events"/> events, then the rest of the recording (usage,
/// finish, terminal event) as recorded. Written back as <c>event:</c> (when named) and <c>data:</c> lines with LF line
/// ends.
/// </summary>
internal static class ChunkPathBodies
{
    /// <summary>Events per body: 4,096, more than the longest recording (1,507 Chat Completions events).</summary>
    public const int Events = 4096;

    /// <summary>The recordings' folder for <paramref name="protocol"/>.</summary>
    public static string Folder(WireProtocol protocol) => protocol switch
    {
        WireProtocol.OpenAiResponses => "responses",
        WireProtocol.AnthropicMessages => "anthropic",
        WireProtocol.Gemini => "gemini",
        _ => "openai-chat",
    };

    /// <summary>Builds <paramref name="protocol"/>'s body and checks it reads as a whole, well-formed stream.</summary>
    /// <exception cref="InvalidOperationException">The body read malformed, unfinished or with another event count.</exception>
    public static Body Build(WireProtocol protocol)
    {
        var stream = ChunkCorpus.LoadEvents(Folder(protocol)).Where(s => !HasToolCalls(s, protocol)).MaxBy(s => s.Length)!;
        var tokenEvents = TokenBearing(stream, protocol);
        var middle = tokenEvents[tokenEvents.Count / 2];
        var events = new List<(string EventType, byte[] Data)>(Events);
        events.AddRange(stream[..(middle + 1)]);
        while (events.Count < Events - (stream.Length - middle - 1))
        {
            events.Add(stream[middle]);
        }

        events.AddRange(stream[(middle + 1)..]);
        var sse = new StringBuilder();
        foreach (var (eventType, data) in events)
        {
            if (eventType != "message")
            {
                sse.Append("event: ").Append(eventType).Append('\n');
            }

            sse.Append("data: ").Append(Encoding.UTF8.GetString(data)).Append("\n\n");
        }

        var body = new Body(protocol, Encoding.UTF8.GetBytes(sse.ToString()), TextPieces(events, protocol));
        var read = body.ReadAsync().GetAwaiter().GetResult();
        if (read.Malformed || !read.Done || read.Events != Events || read.ToolCalls.Count != 0)
        {
            throw new InvalidOperationException(
                $"The {WireProtocols.Name(protocol)} body read badly: {read.MalformedReason ?? (read.Done ? "" : "not done")}, {read.Events} events, {read.ToolCalls.Count} tool calls.");
        }

        return body;
    }

    /// <summary>Whether a recording streams tool calls (left out: their arguments are text kept elsewhere).</summary>
    private static bool HasToolCalls((string EventType, byte[] Data)[] stream, WireProtocol protocol)
    {
        var accumulator = new StreamAccumulator(protocol);
        foreach (var (eventType, data) in stream)
        {
            accumulator.OnEvent(eventType, data, 1);
        }

        return accumulator.ToolCalls.Count != 0;
    }

    /// <summary>Indexes of the token-bearing events of a stream (those the accumulator timed as tokens).</summary>
    private static List<int> TokenBearing((string EventType, byte[] Data)[] stream, WireProtocol protocol)
    {
        var accumulator = new StreamAccumulator(protocol);
        var indexes = new List<int>();
        for (var i = 0; i < stream.Length; i++)
        {
            var before = accumulator.TokenEventTimestamps.Count;
            accumulator.OnEvent(stream[i].EventType, stream[i].Data, i + 1);
            if (accumulator.TokenEventTimestamps.Count > before)
            {
                indexes.Add(i);
            }
        }

        return indexes;
    }

    /// <summary>Per event, the content and reasoning text the accumulator appended for it.</summary>
    private static (string Content, string Reasoning)[] TextPieces(List<(string EventType, byte[] Data)> events, WireProtocol protocol)
    {
        var accumulator = new StreamAccumulator(protocol);
        var pieces = new (string, string)[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var (content, reasoning) = (accumulator.ContentChars, accumulator.ReasoningChars);
            accumulator.OnEvent(events[i].EventType, events[i].Data, i + 1);
            pieces[i] = (accumulator.ContentBuilder.ToString(content, accumulator.ContentChars - content),
                accumulator.ReasoningBuilder.ToString(reasoning, accumulator.ReasoningChars - reasoning));
        }

        return pieces;
    }

    /// <summary>One protocol's body and the text its events carry.</summary>
    /// <param name="Protocol">How the body is read.</param>
    /// <param name="Bytes">The SSE body, UTF-8.</param>
    /// <param name="Pieces">Per event, the content and reasoning text kept for it (often empty).</param>
    internal sealed record Body(WireProtocol Protocol, byte[] Bytes, (string Content, string Reasoning)[] Pieces)
    {
        /// <summary>Reads the body through <see cref="ChatStreamReader"/> into a new accumulator, as the client does.</summary>
        public async Task<StreamAccumulator> ReadAsync()
        {
            using var stream = new MemoryStream(Bytes, writable: false);
            var accumulator = new StreamAccumulator(Protocol);
            await ChatStreamReader.ReadAsync(stream, accumulator, TimeProvider.System).ConfigureAwait(false);
            return accumulator;
        }

        /// <summary>Appends every event's text to two new builders, content and reasoning, as the accumulator keeps
        /// it; returns the characters kept.</summary>
        public int AppendText()
        {
            var content = new StringBuilder();
            var reasoning = new StringBuilder();
            foreach (var (c, r) in Pieces)
            {
                content.Append(c.AsSpan());
                reasoning.Append(r.AsSpan());
            }

            return content.Length + reasoning.Length;
        }
    }
}
