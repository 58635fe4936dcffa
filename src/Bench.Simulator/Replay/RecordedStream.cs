using System.Text;
using System.Text.Json;
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
/// Bench measures as the first token. Each one's weight is the tokens estimated from that text
/// (<see cref="CharsPerToken"/> characters a token, rounded, at least 1: <see cref="RecordedEvent.Tokens"/>).</para>
/// <para>Tokens per event (<see cref="CumulativeTokens"/>): when the recording reports its completion tokens (its
/// <c>usage</c>, or Groq's <c>x_groq.usage</c>, as the client reads them), that count is shared out over the
/// token-bearing events, one each and the rest in proportion to their weights (in proportion only when there are
/// fewer tokens than events), so the re-timed stream takes exactly the decode time its own usage implies and the
/// client's TPOT and decode rate match the profile's; without usage the weights are the tokens.</para>
/// <para>Segments: the prelude is every byte before the first token-bearing event (role chunk, keep-alive comments,
/// or nothing: some providers send no prelude); segment <c>k</c> runs from token-bearing event <c>k</c> to the next
/// one, so the events after a token-bearing event (empty deltas, comments, and after the last one the finish chunk,
/// the usage chunk, an error event, <c>[DONE]</c> or nothing) go out right after it. The segments concatenated are
/// the whole recording, byte for byte.</para>
/// <para><see cref="WithoutUsageChunk"/> is the same recording without its usage-only chunks (<c>"choices": []</c>
/// with a <c>usage</c> object), for a request that did not ask for <c>stream_options.include_usage</c>: that chunk is
/// what the option adds in OpenAI's API. Usage a provider puts on a chunk that has a choice is part of its shape and
/// kept.</para>
/// </remarks>
internal sealed class RecordedStream
{
    /// <summary>Characters of content, reasoning or tool-call text per estimated token.</summary>
    public const int CharsPerToken = 4;

    private readonly RecordedEvent[] _events;
    private readonly int[] _tokenEventIndexes;
    private readonly int[] _tokenEventOffsets;
    private readonly int[] _cumulativeTokens;
    private readonly RecordedStream? _withoutUsageChunk;

    private RecordedStream(
        string file, byte[] body, RecordedEvent[] events, int[] cumulativeTokens, string? finishReason,
        RecordedCompletion completion, RecordedStream? withoutUsageChunk)
    {
        File = file;
        Body = body;
        _events = events;
        _tokenEventIndexes = [.. Enumerable.Range(0, events.Length).Where(i => events[i].IsTokenBearing)];
        _tokenEventOffsets = [.. _tokenEventIndexes.Select(i => events[i].Offset)];
        _cumulativeTokens = cumulativeTokens;
        FinishReason = finishReason;
        Completion = completion;
        _withoutUsageChunk = withoutUsageChunk;
    }

    /// <summary>Full path of the recording.</summary>
    public string File { get; }

    /// <summary>The recorded bytes.</summary>
    public byte[] Body { get; }

    /// <summary>The blocks of <see cref="Body"/>, in order; their byte ranges tile it.</summary>
    public IReadOnlyList<RecordedEvent> Events => _events;

    /// <summary>The <see cref="Events"/> of the prelude (none when the first event carries a token).</summary>
    public Range PreludeEvents => 0..(_tokenEventIndexes.Length > 0 ? _tokenEventIndexes[0] : _events.Length);

    /// <summary>Bytes before the first token-bearing event (the whole body when there is none).</summary>
    public int PreludeLength => _tokenEventOffsets.Length > 0 ? _tokenEventOffsets[0] : Body.Length;

    /// <summary>Number of token-bearing events.</summary>
    public int TokenEvents => _tokenEventOffsets.Length;

    /// <summary>Tokens up to and including each token-bearing event: the recorded completion tokens shared out, or the
    /// estimates when none were recorded (see the remarks).</summary>
    public ReadOnlySpan<int> CumulativeTokens => _cumulativeTokens;

    /// <summary>Tokens of the whole recording: its recorded completion tokens when it has any token-bearing event and
    /// reports them, else the estimate.</summary>
    public int Tokens => _cumulativeTokens.Length > 0 ? _cumulativeTokens[^1] : 0;

    /// <summary>The last finish reason recorded, if any.</summary>
    public string? FinishReason { get; }

    /// <summary>The non-streaming answer assembled from the recording.</summary>
    public RecordedCompletion Completion { get; }

    /// <summary>This recording without its usage-only chunks (itself when it has none): what a streaming request that
    /// did not ask for <c>stream_options.include_usage</c> gets. Same token-bearing events, tokens and
    /// completion.</summary>
    public RecordedStream WithoutUsageChunk => _withoutUsageChunk ?? this;

    /// <summary>The prelude: what is sent as soon as the request is served.</summary>
    public ReadOnlyMemory<byte> Prelude => Body.AsMemory(0, PreludeLength);

    /// <summary>Token-bearing event <paramref name="index"/> and the non-token events that follow it.</summary>
    public ReadOnlyMemory<byte> Segment(int index)
    {
        var start = _tokenEventOffsets[index];
        var end = index + 1 < _tokenEventOffsets.Length ? _tokenEventOffsets[index + 1] : Body.Length;
        return Body.AsMemory(start, end - start);
    }

    /// <summary>The <see cref="Events"/> of segment <paramref name="index"/>: token-bearing event
    /// <paramref name="index"/> and the non-token events that follow it.</summary>
    public Range SegmentEvents(int index) =>
        _tokenEventIndexes[index]..(index + 1 < _tokenEventIndexes.Length ? _tokenEventIndexes[index + 1] : _events.Length);

    /// <summary>The bytes of event <paramref name="index"/> of <see cref="Events"/>.</summary>
    public ReadOnlyMemory<byte> EventBytes(int index) => Body.AsMemory(_events[index].Offset, _events[index].Length);

    /// <summary>Parses a recording (any bytes: malformed events are replayed as they are).</summary>
    /// <param name="file">Where it was read from, for messages.</param>
    /// <param name="body">Its bytes, kept (not copied).</param>
    public static RecordedStream Parse(string file, byte[] body)
    {
        var events = Split(body);
        using var whole = new MemoryStream(body, writable: false);
        var summary = ChatStreamReader.ReadAsync(whole).GetAwaiter().GetResult();
        var weights = events.Where(e => e.IsTokenBearing).Select(e => e.Tokens).ToArray();
        var cumulative = ShareOut(weights, summary.CompletionTokens);
        var completion = RecordedCompletion.Build(body, events, summary);

        RecordedStream? withoutUsageChunk = null;
        if (events.Any(IsUsageOnlyChunk))
        {
            var stripped = new List<byte>(body.Length);
            foreach (var e in events.Where(e => !IsUsageOnlyChunk(e)))
            {
                stripped.AddRange(body.AsSpan(e.Offset, e.Length));
            }

            byte[] strippedBody = [.. stripped];
            var strippedEvents = Split(strippedBody);
            if (strippedEvents.Count(e => e.IsTokenBearing) == weights.Length)
            {
                withoutUsageChunk = new RecordedStream(
                    file, strippedBody, strippedEvents, cumulative, summary.FinishReason, completion, null);
            }
        }

        return new RecordedStream(
            file, body, events, cumulative, summary.FinishReason, completion, withoutUsageChunk);
    }

    /// <summary>
    /// Tokens up to and including each token-bearing event. Without a recorded count (or with none to share out) the
    /// weights themselves; with <paramref name="recordedTokens"/> at least the number of events, one token each and
    /// the rest in proportion to the cumulative weights; with fewer, all of them in proportion (so some events add
    /// none). Rounded half up; the last entry is always the recorded count.
    /// </summary>
    /// <param name="weights">Each token-bearing event's estimated tokens (at least 1 each).</param>
    /// <param name="recordedTokens">The recording's completion tokens, if it reports them.</param>
    internal static int[] ShareOut(IReadOnlyList<int> weights, int? recordedTokens)
    {
        var count = weights.Count;
        var cumulative = new int[count];
        long total = weights.Sum();
        long sum = 0;
        for (var k = 0; k < count; k++)
        {
            sum += weights[k];
            cumulative[k] = recordedTokens is not { } recorded || recorded <= 0
                ? (int)sum
                : recorded >= count
                    ? k + 1 + Proportion(recorded - count, sum, total)
                    : Proportion(recorded, sum, total);
        }

        return cumulative;
    }

    /// <summary><c>round(tokens × part / whole)</c>, halves up, in integers.</summary>
    private static int Proportion(long tokens, long part, long whole) =>
        (int)(((2 * tokens * part) + whole) / (2 * whole));

    /// <summary>Whether an event is a usage-only chunk: a JSON object with <c>"choices": []</c> and a <c>usage</c>
    /// object, as <c>stream_options.include_usage</c> adds at the end of an OpenAI stream.</summary>
    private static bool IsUsageOnlyChunk(RecordedEvent e)
    {
        if (!e.Terminated || e.Type is not null || e.Data is not { } data
            || !data.Contains("\"usage\"", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(data);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("choices", out var choices)
                && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() == 0
                && root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
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
