using System.Diagnostics;
using System.Net.ServerSentEvents;

namespace Bench.Core.Wire;

/// <summary>
/// Reads a streaming Chat Completions body (<c>text/event-stream</c>) with <see cref="SseParser"/> into a
/// <see cref="StreamAccumulator"/>, timing every event as its bytes come off the stream.
/// </summary>
/// <remarks>
/// Reading stops at <c>data: [DONE]</c> or at the end of the body. Events other than <c>error</c> are parsed as
/// <c>chat.completion.chunk</c> JSON; <c>event: error</c> sets <see cref="StreamAccumulator.Error"/>. Bad payloads and
/// over-long lines set <see cref="StreamAccumulator.Malformed"/> rather than throwing.
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
    public static async Task ReadAsync(Stream body, StreamAccumulator accumulator, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(accumulator);

        var timed = new TimestampingStream(body);

        // The parser calls back when an event's terminating blank line has been read, so the latest read is the one
        // that delivered the event.
        var parser = SseParser.Create(timed, (eventType, data) => accumulator.OnEvent(eventType, data, timed.LastReadTimestamp));
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
            accumulator.EndTimestamp = timed.EndOfStreamTimestamp;
        }
        catch (InvalidDataException)
        {
            // SseParser's cap on a line's or an event's length.
            accumulator.Malformed = true;
            accumulator.EndTimestamp = Stopwatch.GetTimestamp();
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
