using System.Net.ServerSentEvents;

namespace Bench.Core.Wire;

/// <summary>
/// Reads a streaming body (<c>text/event-stream</c>) with <see cref="SseParser"/> into a
/// <see cref="StreamAccumulator"/>, timing every event as its bytes come off the stream. The accumulator's
/// <see cref="StreamAccumulator.Protocol"/> says how each event is read (Chat Completions chunks, Responses API events,
/// Anthropic Messages events, Gemini <c>GenerateContentResponse</c> chunks).
/// </summary>
/// <remarks>
/// <para>Reading stops at the protocol's terminal event (<c>data: [DONE]</c>; <c>response.completed</c>,
/// <c>response.incomplete</c>, <c>response.failed</c>; <c>message_stop</c>) or at the end of the body (Gemini's end).
/// Chat Completions events other than <c>error</c> are parsed as <c>chat.completion.chunk</c> JSON; <c>event: error</c> (with or without data) and the non-standard <c>error:</c>
/// field set <see cref="StreamAccumulator.Error"/>. Bad payloads set <see cref="StreamAccumulator.Malformed"/> rather
/// than throwing, and reading goes on.</para>
/// <para>Memory per stream is bounded: an SSE event (and so a line) is cut at 8 MiB
/// (<see cref="ResponseCaps.DefaultMaxEventBytes"/>) — .NET 10's <c>SseParser</c> has no cap of its own and would
/// buffer an endless line whole — the cut is reported as <see cref="StreamAccumulator.MalformedReason"/> (<c>SSE line
/// longer than 8 MiB…</c>) and the following events are still read (what <c>bench inspect</c> wants). The benchmark
/// client asks instead to stop at the first cut (<see cref="StreamAccumulator.ExceededCap"/>), with its own cap, and
/// drops the rest of the body unread.</para>
/// </remarks>
public static class ChatStreamReader
{
    /// <summary>Reads <paramref name="body"/> to <c>[DONE]</c> or its end into a new accumulator.</summary>
    /// <param name="body">The response body; not disposed.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>What the stream said and when.</returns>
    /// <exception cref="IOException">The connection broke mid-stream.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<StreamAccumulator> ReadAsync(Stream body, CancellationToken cancellationToken = default)
    {
        var accumulator = new StreamAccumulator();
        await ReadAsync(body, accumulator, cancellationToken).ConfigureAwait(false);
        return accumulator;
    }

    /// <summary>Reads <paramref name="body"/> to <c>[DONE]</c> or its end into <paramref name="accumulator"/>, which
    /// keeps what arrived (text, first-byte and token times) even when this throws.</summary>
    /// <param name="body">The response body; not disposed.</param>
    /// <param name="accumulator">A fresh accumulator.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <exception cref="IOException">The connection broke mid-stream.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task ReadAsync(Stream body, StreamAccumulator accumulator, CancellationToken cancellationToken = default) =>
        ReadAsync(body, accumulator, TimeProvider.System, cancellationToken);

    /// <summary>Reads <paramref name="body"/> to <c>[DONE]</c> or its end into <paramref name="accumulator"/>, timing
    /// events with <paramref name="timeProvider"/>'s timestamps (the run clock's provider, so the times convert with
    /// <see cref="Records.RunClock.ToMs"/>); the accumulator keeps what arrived even when this throws.</summary>
    /// <param name="body">The response body; not disposed.</param>
    /// <param name="accumulator">A fresh accumulator.</param>
    /// <param name="timeProvider">Where the arrival timestamps come from.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <exception cref="IOException">The connection broke mid-stream.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task ReadAsync(Stream body, StreamAccumulator accumulator, TimeProvider timeProvider, CancellationToken cancellationToken = default) =>
        ReadAsync(body, accumulator, timeProvider, ResponseCaps.DefaultMaxEventBytes, endAtCap: false, cancellationToken);

    /// <summary>As <see cref="ReadAsync(Stream, StreamAccumulator, TimeProvider, CancellationToken)"/>, with the cap on
    /// one SSE event (and line) in bytes; with <paramref name="endAtCap"/> the reading stops at the first cut (the
    /// accumulator is malformed, the rest of the body is left unread for the caller to drop) instead of going on with
    /// the next event.</summary>
    internal static async Task ReadAsync(Stream body, StreamAccumulator accumulator, TimeProvider timeProvider, int maxEventBytes, bool endAtCap, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(accumulator);
        ArgumentNullException.ThrowIfNull(timeProvider);

        var timed = new TimestampingStream(body, timeProvider);
        var bounded = new BoundedSseStream(timed, accumulator, maxEventBytes, endAtCap);

        // The parser calls back when an event's terminating blank line has been read, so the latest read is the one
        // that delivered the event. Its type comes back from the bounded stream, which took the "event:" lines out.
        var parser = SseParser.Create(bounded, (eventType, data) => accumulator.OnEvent(bounded.EventType(eventType), data, timed.LastReadTimestamp));
        try
        {
            await foreach (var item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
            {
                if (item.Data)
                {
                    return;
                }
            }

            // WHATWG: "If the file ends in the middle of an event, before the final empty line, the incomplete event is
            // not dispatched." The response ended with the body.
            accumulator.EndTimestamp = bounded.EndedAtCap ? timed.LastReadTimestamp : timed.EndOfStreamTimestamp;
            if (!bounded.EndedAtCap)
            {
                accumulator.OnEndOfBody();
            }
        }
        catch (InvalidDataException ex)
        {
            // Runtimes whose SseParser caps lines itself (64 MiB in later sources) never get here: BoundedSseStream cuts
            // first. Kept so that a parser that does reject the stream ends the reading cleanly.
            accumulator.MarkMalformed($"the SSE parser rejected the stream: {ex.Message}");
            accumulator.EndTimestamp = timeProvider.GetTimestamp();
        }
        finally
        {
            if (timed.FirstReadTimestamp != 0)
            {
                accumulator.FirstByteTimestamp = timed.FirstReadTimestamp;
            }
        }
    }
}
