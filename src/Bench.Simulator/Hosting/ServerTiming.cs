namespace Bench.Simulator.Hosting;

/// <summary>
/// The simulator's ground truth for one chat completion request, passed to <see cref="SimulatorOptions.OnCompleted"/>
/// when its response has ended. Timestamps are <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> ticks; the
/// simulator runs in the client's process, so they are directly comparable with the client's own timestamps. Each
/// "flushed" timestamp is taken just before the flush that sends the bytes, so a client can never observe the event
/// earlier than it says.
/// </summary>
/// <param name="RequestId">The request's <c>X-Bench-Request-Id</c> header, if it had one.</param>
/// <param name="Model">The requested model.</param>
/// <param name="Stream">Whether the request streamed.</param>
/// <param name="ReceivedTimestamp">When the request reached the endpoint (before its body was read).</param>
/// <param name="FirstTokenTimestamp">When the first content chunk was flushed; <see langword="null"/> for
/// non-streaming responses and for streams that sent no content.</param>
/// <param name="LastByteTimestamp">When the last byte was flushed (or, for an interrupted stream, when the connection
/// was aborted).</param>
/// <param name="CompletionTokens">Completion tokens actually sent.</param>
/// <param name="StatusCode">HTTP status sent: 200, or 429/500 for an injected fault.</param>
/// <param name="FinishReason">The finish reason sent (<c>stop</c> or <c>length</c>); <see langword="null"/> for a fault,
/// an interrupted stream or a client that went away.</param>
public readonly record struct ServerTiming(
    string? RequestId,
    string Model,
    bool Stream,
    long ReceivedTimestamp,
    long? FirstTokenTimestamp,
    long LastByteTimestamp,
    int CompletionTokens,
    int StatusCode,
    string? FinishReason);
