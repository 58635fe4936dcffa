namespace Bench.Simulator.Generation;

/// <summary>
/// What the simulator will do for one request, drawn up front from the model's profile: the fault, the timing and the
/// answer length. Times are timestamps of the simulator's <see cref="TimeProvider"/> (<see cref="System.Diagnostics.Stopwatch"/>
/// ticks on the system clock) relative to the start of the request's
/// clock (its arrival, or when it got a slot under a capacity limit), so every event is scheduled against an absolute
/// deadline and no delay error accumulates.
/// </summary>
/// <param name="Fault">The injected fault, or <see cref="Fault.None"/>.</param>
/// <param name="TtftTicks">Start → first content token.</param>
/// <param name="TicksPerToken">Decode time per token after the first (jitter included).</param>
/// <param name="CompletionTokens">Tokens to generate: the natural length clipped to <c>max_tokens</c>.</param>
/// <param name="FinishReason"><c>length</c> when clipped, else <c>stop</c>.</param>
internal readonly record struct CompletionPlan(
    Fault Fault,
    long TtftTicks,
    double TicksPerToken,
    int CompletionTokens,
    string FinishReason)
{
    /// <summary>Streaming: tokens sent before the connection is aborted when <see cref="Fault"/> is
    /// <see cref="Fault.StreamInterrupted"/> (half the answer, rounded down).</summary>
    public int InterruptAfterTokens => CompletionTokens / 2;

    /// <summary>
    /// Streaming: when the content chunk that brings the total to <paramref name="tokensSoFar"/> is due. The first chunk
    /// (of <paramref name="firstChunkTokens"/> tokens) is due at TTFT; each later chunk one decode time per token it
    /// adds after the previous one, so with one token per chunk token <c>k</c> is due at
    /// <c>TTFT + (k − 1) / rate</c>.
    /// </summary>
    public long ChunkDeadline(long arrival, int tokensSoFar, int firstChunkTokens) =>
        arrival + TtftTicks + (long)((tokensSoFar - firstChunkTokens) * TicksPerToken);

    /// <summary>
    /// Non-streaming: when the whole answer is due. The model generates the same tokens at the same times in both modes,
    /// so the body is sent when the stream's last chunk would have been (<see cref="ChunkDeadline"/> of the last token,
    /// first chunk of <c>min(tokensPerChunk, n)</c> tokens): <c>TTFT + (n − 1) / rate</c> with one token per chunk.
    /// </summary>
    public long CompletionDeadline(long arrival, int tokensPerChunk) =>
        ChunkDeadline(arrival, CompletionTokens, Math.Min(tokensPerChunk, CompletionTokens));
}
