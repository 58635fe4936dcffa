namespace Bench.Simulator.Hosting;

/// <summary>
/// The simulator's ground truth for one chat completion request, passed to <see cref="SimulatorOptions.OnCompleted"/>
/// exactly once per request for a served model (completed, faulted, interrupted, or abandoned by the client), after
/// its response has ended; requests rejected before a model is chosen (401, 400, 404) are not reported.
/// </summary>
/// <remarks>
/// Timestamps are those of <see cref="SimulatorOptions.TimeProvider"/>: on the default system clock
/// <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> ticks, and the simulator runs in the client's process, so
/// they are directly comparable with the client's own timestamps. Every "flushed" timestamp is taken
/// just before the flush that hands the bytes to Kestrel, so a client can never observe the bytes earlier than it
/// says: the client's time minus the server's is the transport and client overhead, never negative. A client ties a
/// report to its request with the <c>X-Bench-Request-Id</c> header (<see cref="RequestId"/>).
/// </remarks>
/// <param name="RequestId">The request's <c>X-Bench-Request-Id</c> header, if it had one.</param>
/// <param name="Model">The requested model.</param>
/// <param name="Stream">Whether the request streamed.</param>
/// <param name="ReceivedTimestamp">When the request reached the endpoint (before its body was read).</param>
/// <param name="StartedTimestamp">When the request's clock started, which TTFT and decode deadlines count from:
/// <paramref name="ReceivedTimestamp"/>, or, when the model's capacity limit made it wait, when it got a slot (the
/// wait is <c>StartedTimestamp − ReceivedTimestamp</c>).</param>
/// <param name="FirstTokenTimestamp">Just before the flush of the first token-bearing chunk; <see langword="null"/>
/// for non-streaming responses and for streams that sent no token.</param>
/// <param name="LastByteTimestamp">Just before the flush of the last bytes (or, for an interrupted stream, when the
/// connection was aborted; for a client that went away, when that was noticed).</param>
/// <param name="CompletionTokens">Completion tokens actually sent; for a replay profile, the tokens of the
/// token-bearing events sent: the recording's <c>usage</c> completion tokens once all are sent, shared out over its
/// events (or about 4 characters a token when it reports none).</param>
/// <param name="StatusCode">HTTP status sent: 200, 429/500 for an injected fault, or a replayed error's status
/// (non-streaming replay of a recording that ends in an error); 200 also when the client went away before anything
/// was sent (e.g. while waiting for a slot).</param>
/// <param name="FinishReason">The finish reason sent (<c>stop</c> or <c>length</c>, or a replay's recorded one);
/// <see langword="null"/> for a fault, an interrupted stream, a client that went away, or a recording without
/// one.</param>
public readonly record struct ServerTiming(
    string? RequestId,
    string Model,
    bool Stream,
    long ReceivedTimestamp,
    long StartedTimestamp,
    long? FirstTokenTimestamp,
    long LastByteTimestamp,
    int CompletionTokens,
    int StatusCode,
    string? FinishReason);
