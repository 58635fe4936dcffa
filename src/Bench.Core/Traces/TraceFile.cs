using Bench.Core.Client;

namespace Bench.Core.Traces;

/// <summary>The formats a trace file may be in.</summary>
public enum TraceFormat
{
    /// <summary>Bench's JSONL: <c>{"timestamp": ms, "input_length": n | "prompt": text | "messages": [...],
    /// "output_length": m, "session_id"?: s, "hash_ids"?: [...]}</c>.</summary>
    Bench,

    /// <summary>Mooncake's JSONL (kvcache-ai/Mooncake, <c>FAST25-release/traces</c>, the FAST'25 paper "Mooncake: Trading
    /// More Storage for Less Computation"): <c>{"timestamp": ms, "input_length": n, "output_length": m, "hash_ids":
    /// [...]}</c>, where each hash id names one block of <see cref="TraceLine.BlockTokens"/> (512) prompt tokens, remapped
    /// so that equal ids mean an equal block (and, hashed with the blocks before it, an equal prefix).</summary>
    Mooncake,
}

/// <summary>One request of a trace (one non-blank line of the file).</summary>
/// <param name="Index">Its place among the trace's requests, from 0 (blank lines not counted): the records'
/// <c>source_index</c>.</param>
/// <param name="LineNumber">Its line in the file, from 1 (named in errors).</param>
/// <param name="TimestampMs">When it arrived, in milliseconds from any origin (the replay starts at the first line's).</param>
/// <param name="InputLength">Prompt tokens meant (bench: <c>input_length</c>; Mooncake: always), or null when the line
/// gives the prompt's text.</param>
/// <param name="Prompt">The prompt's text (bench <c>prompt</c>), sent as one user message.</param>
/// <param name="Messages">The conversation to send (bench <c>messages</c>).</param>
/// <param name="OutputLength">Answer tokens meant: sent as <c>max_tokens</c>.</param>
/// <param name="SessionId">The conversation it belongs to (bench <c>session_id</c>, a string or a number), or null.</param>
/// <param name="HashIds">Mooncake's block hash ids, or null.</param>
public sealed record TraceLine(
    long Index,
    int LineNumber,
    double TimestampMs,
    int? InputLength,
    string? Prompt,
    IReadOnlyList<ChatMessage>? Messages,
    int OutputLength,
    string? SessionId,
    IReadOnlyList<long>? HashIds)
{
    /// <summary>Tokens per hash-id block in Mooncake's traces: 512 (the FAST'25 release's README and data: a line's
    /// <c>hash_ids</c> count is ⌈input_length ÷ 512⌉, the last block partial).</summary>
    public const int BlockTokens = 512;
}

/// <summary>A trace loaded whole before anything is sent (<see cref="TraceReader.Load"/>), its lines in time order.</summary>
/// <param name="Path">The file read (as given: absolute when the scenario's path was resolved).</param>
/// <param name="Format">The format read: given, else Mooncake when every line is a Mooncake line.</param>
/// <param name="Lines">Its requests, in file order (which is time order: the reader refuses a timestamp before the
/// previous line's).</param>
public sealed record TraceFile(string Path, TraceFormat Format, IReadOnlyList<TraceLine> Lines)
{
    /// <summary>The first line's timestamp (0 for an empty trace): offset 0 of the replay.</summary>
    public double FirstTimestampMs => Lines.Count == 0 ? 0 : Lines[0].TimestampMs;

    /// <summary>From the first line's timestamp to the last's, in ms (at speed-up 1).</summary>
    public double SpanMs => Lines.Count == 0 ? 0 : Lines[^1].TimestampMs - Lines[0].TimestampMs;

    /// <summary>When <paramref name="line"/> is sent, in ms after the step's start: (timestamp − first timestamp) ÷
    /// <paramref name="speedup"/>.</summary>
    public double OffsetMs(TraceLine line, double speedup)
    {
        ArgumentNullException.ThrowIfNull(line);
        return (line.TimestampMs - FirstTimestampMs) / speedup;
    }
}
