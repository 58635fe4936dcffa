using System.Text;
using Bench.Core.Wire;

namespace Bench.Simulator.Replay;

/// <summary>
/// One recorded streaming body (a <c>.sse</c> file), parsed once when its profile is loaded: the bytes exactly as
/// recorded, split into event blocks, and grouped into the segments a replay writes at each token-bearing event's
/// deadline.
/// </summary>
/// <remarks>
/// <para>An event is token-bearing by the client's own definition (<see cref="StreamAccumulator"/>: a non-empty
/// content, reasoning, tool-call name or tool-call arguments delta), so the simulator's TTFT clock lands on the event
/// Bench measures as the first token. Its tokens are estimated from that text: <see cref="CharsPerToken"/> characters
/// a token, rounded, at least 1.</para>
/// <para>Segments: the prelude is every byte before the first token-bearing event (role chunk, keep-alive comments,
/// or nothing: some providers send no prelude); segment <c>k</c> runs from token-bearing event <c>k</c> to the next
/// one, so the events after a token-bearing event (empty deltas, comments, and after the last one the finish chunk,
/// the usage chunk, an error event, <c>[DONE]</c> or nothing) go out right after it. The segments concatenated are
/// the whole recording, byte for byte.</para>
/// </remarks>
internal sealed class RecordedStream
{
    /// <summary>Characters of content, reasoning or tool-call text per estimated token.</summary>
    public const int CharsPerToken = 4;

    private readonly int[] _tokenEventOffsets;
    private readonly int[] _cumulativeTokens;

    private RecordedStream(
        string file, byte[] body, RecordedEvent[] events, int[] tokenEventOffsets, int[] cumulativeTokens,
        string? finishReason, RecordedCompletion completion)
    {
        File = file;
        Body = body;
        Events = events;
        _tokenEventOffsets = tokenEventOffsets;
        _cumulativeTokens = cumulativeTokens;
        FinishReason = finishReason;
        Completion = completion;
    }

    /// <summary>Full path of the recording.</summary>
    public string File { get; }

    /// <summary>The recorded bytes.</summary>
    public byte[] Body { get; }

    /// <summary>The blocks of <see cref="Body"/>, in order; their byte ranges tile it.</summary>
    public IReadOnlyList<RecordedEvent> Events { get; }

    /// <summary>Bytes before the first token-bearing event (the whole body when there is none).</summary>
    public int PreludeLength => _tokenEventOffsets.Length > 0 ? _tokenEventOffsets[0] : Body.Length;

    /// <summary>Number of token-bearing events.</summary>
    public int TokenEvents => _tokenEventOffsets.Length;

    /// <summary>Estimated tokens up to and including each token-bearing event.</summary>
    public ReadOnlySpan<int> CumulativeTokens => _cumulativeTokens;

    /// <summary>Estimated tokens of the whole recording.</summary>
    public int Tokens => _cumulativeTokens.Length > 0 ? _cumulativeTokens[^1] : 0;

    /// <summary>The last finish reason recorded, if any.</summary>
    public string? FinishReason { get; }

    /// <summary>The non-streaming answer assembled from the recording.</summary>
    public RecordedCompletion Completion { get; }

    /// <summary>The prelude: what is sent as soon as the request is served.</summary>
    public ReadOnlyMemory<byte> Prelude => Body.AsMemory(0, PreludeLength);

    /// <summary>Token-bearing event <paramref name="index"/> and the non-token events that follow it.</summary>
    public ReadOnlyMemory<byte> Segment(int index)
    {
        var start = _tokenEventOffsets[index];
        var end = index + 1 < _tokenEventOffsets.Length ? _tokenEventOffsets[index + 1] : Body.Length;
        return Body.AsMemory(start, end - start);
    }

    /// <summary>Parses a recording (any bytes: malformed events are replayed as they are).</summary>
    /// <param name="file">Where it was read from, for messages.</param>
    /// <param name="body">Its bytes, kept (not copied).</param>
    public static RecordedStream Parse(string file, byte[] body)
    {
        var events = Split(body);
        var offsets = new List<int>();
        var cumulative = new List<int>();
        var tokens = 0;
        foreach (var e in events.Where(e => e.IsTokenBearing))
        {
            tokens += e.Tokens;
            offsets.Add(e.Offset);
            cumulative.Add(tokens);
        }

        using var whole = new MemoryStream(body, writable: false);
        var summary = ChatStreamReader.ReadAsync(whole).GetAwaiter().GetResult();
        var completion = RecordedCompletion.Build(body, events, summary);
        return new RecordedStream(
            file, body, events, [.. offsets], [.. cumulative], summary.FinishReason, completion);
    }

    /// <summary>
    /// Splits the body into blocks at blank lines (lines end with CR LF, LF or CR, as in the SSE specification); an
    /// unterminated rest becomes a last block that is not <see cref="RecordedEvent.Terminated"/>.
    /// </summary>
    private static RecordedEvent[] Split(byte[] body)
    {
        var events = new List<RecordedEvent>();
        var blockStart = 0;
        var position = 0;
        while (position < body.Length)
        {
            var end = body.AsSpan(position).IndexOfAny((byte)'\r', (byte)'\n');
            if (end < 0)
            {
                break;
            }

            end += position;
            var next = end + TerminatorLength(body, end);
            if (end == position)
            {
                events.Add(ReadBlock(body, blockStart, next - blockStart, terminated: true));
                blockStart = next;
            }

            position = next;
        }

        if (blockStart < body.Length)
        {
            events.Add(ReadBlock(body, blockStart, body.Length - blockStart, terminated: false));
        }

        return [.. events];
    }

    /// <summary>Reads the <c>event</c> and <c>data</c> fields of one block and estimates its tokens.</summary>
    private static RecordedEvent ReadBlock(byte[] body, int offset, int length, bool terminated)
    {
        string? type = null;
        StringBuilder? data = null;
        var block = body.AsSpan(offset, length);
        while (!block.IsEmpty)
        {
            var end = block.IndexOfAny((byte)'\r', (byte)'\n');
            var line = end < 0 ? block : block[..end];
            block = end < 0 ? [] : block[(end + TerminatorLength(block, end))..];
            if (line.IsEmpty || line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf((byte)':');
            var name = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? [] : line[(colon + 1)..];
            if (!value.IsEmpty && value[0] == ' ')
            {
                value = value[1..];
            }

            if (name.SequenceEqual("data"u8))
            {
                data = data is null ? new StringBuilder() : data.Append('\n');
                data.Append(Encoding.UTF8.GetString(value));
            }
            else if (name.SequenceEqual("event"u8))
            {
                type = Encoding.UTF8.GetString(value);
            }
        }

        var tokens = terminated && data is not null ? EstimateTokens(body, offset, length) : 0;
        return new RecordedEvent(offset, length, type, data?.ToString(), terminated, tokens);
    }

    /// <summary>Length of the line terminator at <paramref name="index"/>: 2 for CR LF, else 1.</summary>
    private static int TerminatorLength(ReadOnlySpan<byte> text, int index) =>
        text[index] == '\r' && index + 1 < text.Length && text[index + 1] == '\n' ? 2 : 1;

    /// <summary>Reads one event as the client would (<see cref="ChatStreamReader"/>) and estimates the tokens of its
    /// content, reasoning and tool-call text; 0 when it carries none.</summary>
    private static int EstimateTokens(byte[] body, int offset, int length)
    {
        using var stream = new MemoryStream(body, offset, length, writable: false);
        var accumulator = ChatStreamReader.ReadAsync(stream).GetAwaiter().GetResult();
        if (accumulator.TokenEventTimestamps.Count == 0)
        {
            return 0;
        }

        var chars = accumulator.ContentChars + accumulator.ReasoningChars;
        foreach (var call in accumulator.ToolCalls)
        {
            chars += (call.Name?.Length ?? 0) + call.Arguments.Length;
        }

        return Math.Max(1, (chars + (CharsPerToken / 2)) / CharsPerToken);
    }
}
