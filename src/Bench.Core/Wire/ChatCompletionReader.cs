namespace Bench.Core.Wire;

/// <summary>
/// Reads a non-streaming body — a <c>chat.completion</c>, a Responses <c>response</c>, an Anthropic <c>message</c> or a
/// Gemini <c>GenerateContentResponse</c> (or a JSON array of them), as the accumulator's
/// <see cref="StreamAccumulator.Protocol"/> says — into a
/// <see cref="StreamAccumulator"/>: the whole body is read through a timing stream into a pooled buffer (first byte,
/// end of body), then parsed once with <see cref="System.Text.Json.Utf8JsonReader"/>. The body is capped
/// (<see cref="ResponseCaps.DefaultMaxResponseBytes"/>, 16 MiB, unless told otherwise): past the cap it is malformed and
/// the rest is left unread.
/// </summary>
/// <remarks>
/// The content, reasoning and tool calls come from <c>choices[0].message</c>; no token times are recorded (a
/// non-streaming response has no first token distinct from its end). A body that is not JSON or has no
/// <c>choices</c> array sets <see cref="StreamAccumulator.Malformed"/>; an <c>error</c> object sets
/// <see cref="StreamAccumulator.Error"/>.
/// </remarks>
public static class ChatCompletionReader
{
    /// <summary>Reads <paramref name="body"/> to its end into a new accumulator.</summary>
    /// <param name="body">The response body; not disposed.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>What the body said and when it arrived.</returns>
    /// <exception cref="IOException">The connection broke before the end of the body.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<StreamAccumulator> ReadAsync(Stream body, CancellationToken cancellationToken = default)
    {
        var accumulator = new StreamAccumulator();
        await ReadAsync(body, accumulator, cancellationToken).ConfigureAwait(false);
        return accumulator;
    }

    /// <summary>Reads <paramref name="body"/> to its end into <paramref name="accumulator"/>, which keeps the
    /// first-byte time even when this throws.</summary>
    /// <param name="body">The response body; not disposed.</param>
    /// <param name="accumulator">A fresh accumulator.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <exception cref="IOException">The connection broke before the end of the body.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task ReadAsync(Stream body, StreamAccumulator accumulator, CancellationToken cancellationToken = default) =>
        ReadAsync(body, accumulator, TimeProvider.System, cancellationToken);

    /// <summary>Reads <paramref name="body"/> to its end into <paramref name="accumulator"/>, timing it with
    /// <paramref name="timeProvider"/>'s timestamps (the run clock's provider); the accumulator keeps the first-byte
    /// time even when this throws.</summary>
    /// <param name="body">The response body; not disposed.</param>
    /// <param name="accumulator">A fresh accumulator.</param>
    /// <param name="timeProvider">Where the first-byte and end timestamps come from.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <exception cref="IOException">The connection broke before the end of the body.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task ReadAsync(Stream body, StreamAccumulator accumulator, TimeProvider timeProvider, CancellationToken cancellationToken = default) =>
        ReadAsync(body, accumulator, timeProvider, ResponseCaps.DefaultMaxResponseBytes, cancellationToken);

    /// <summary>As <see cref="ReadAsync(Stream, StreamAccumulator, TimeProvider, CancellationToken)"/>, reading at most
    /// <paramref name="maxBytes"/>: a longer body marks <paramref name="accumulator"/> malformed (<c>the body exceeded
    /// the 16 MiB cap…</c>), is not parsed, and the rest of it is left unread (dispose the response to drop it).</summary>
    /// <param name="body">The response body; not disposed.</param>
    /// <param name="accumulator">A fresh accumulator.</param>
    /// <param name="timeProvider">Where the first-byte and end timestamps come from.</param>
    /// <param name="maxBytes">The cap on the body, in bytes (<see cref="ResponseCaps.DefaultMaxResponseBytes"/>).</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is less than 1.</exception>
    /// <exception cref="IOException">The connection broke before the end of the body.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task ReadAsync(Stream body, StreamAccumulator accumulator, TimeProvider timeProvider, int maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(accumulator);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);

        using var buffer = new PooledBufferWriter();
        var ended = await ReadBodyAsync(body, accumulator, buffer, timeProvider, maxBytes, cancellationToken).ConfigureAwait(false);
        accumulator.NoteBodyHead(buffer.WrittenSpan);
        if (ended)
        {
            accumulator.OnCompletion(buffer.WrittenSpan);
        }
        else
        {
            accumulator.ExceededCap = true;
            accumulator.MarkMalformed($"the body exceeded the {ResponseCaps.Format(maxBytes)} cap (max_response_bytes): the rest was dropped unread");
        }
    }

    /// <summary>Reads a body into <paramref name="buffer"/>, at most <paramref name="maxBytes"/> of it, noting its first
    /// byte and its end (timestamps of <paramref name="timeProvider"/>) in <paramref name="accumulator"/>. Returns
    /// whether the body ended within the cap; when it did not, the end is the last read and the rest is unread.</summary>
    internal static async Task<bool> ReadBodyAsync(Stream body, StreamAccumulator accumulator, PooledBufferWriter buffer, TimeProvider timeProvider, int maxBytes, CancellationToken cancellationToken)
    {
        var timed = new TimestampingStream(body, timeProvider);
        try
        {
            var ended = await buffer.ReadToEndAsync(timed, maxBytes, cancellationToken).ConfigureAwait(false);
            accumulator.EndTimestamp = ended ? timed.EndOfStreamTimestamp : timed.LastReadTimestamp;
            return ended;
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
