using Bench.Core.Faults;

namespace Bench.Simulator.Generation;

/// <summary>
/// What the simulator will do for one request, drawn up front from the model's profile: the timing and the answer
/// length, and, once the fault engine has drawn it, the fault that shapes the answer. Times are timestamps of the
/// simulator's <see cref="TimeProvider"/> (<see cref="System.Diagnostics.Stopwatch"/> ticks on the system clock)
/// relative to the start of the request's clock (its arrival, or when it got a slot under a capacity limit), so every
/// event is scheduled against an absolute deadline and no delay error accumulates.
/// </summary>
/// <param name="FaultDraw">The request's first uniform draw in [0, 1): the fault draw of its first attempt (see
/// <see cref="Faults.FaultEngine"/>).</param>
/// <param name="TtftTicks">Start → first content token.</param>
/// <param name="TicksPerToken">Decode time per token after the first (jitter included).</param>
/// <param name="CompletionTokens">Tokens to generate: the natural length clipped to <c>max_tokens</c>.</param>
/// <param name="FinishReason"><c>length</c> when clipped, else <c>stop</c>.</param>
internal readonly record struct CompletionPlan(
    double FaultDraw,
    long TtftTicks,
    double TicksPerToken,
    int CompletionTokens,
    string FinishReason)
{
    /// <summary>The fault injected into the answer (a body fault: see <see cref="Faults.FaultShaping"/>), or
    /// <see langword="null"/>.</summary>
    public FaultRule? Fault { get; init; }

    /// <summary>Every chunk that brings the total past this many tokens is due <see cref="PauseTicks"/> later (a stall,
    /// or a hang before the first token when 0); <see cref="int.MaxValue"/>: no pause.</summary>
    public int PauseAfterTokens { get; init; } = int.MaxValue;

    /// <summary>The pause after <see cref="PauseAfterTokens"/>, in timestamps.</summary>
    public long PauseTicks { get; init; }

    /// <summary>Mid-answer faults: the tokens sent before the fault strikes, <c>⌊n × at⌋</c> (half the answer, rounded
    /// down, by default).</summary>
    public int FaultAfterTokens => Fault is { } rule ? (int)Math.Floor(CompletionTokens * rule.At) : int.MaxValue;

    /// <summary>Whether <see cref="Fault"/> is of <paramref name="kind"/>.</summary>
    public bool Is(FaultKind kind) => Fault?.Kind == kind;

    /// <summary>
    /// Streaming: when the content chunk that brings the total to <paramref name="tokensSoFar"/> is due. The first chunk
    /// (of <paramref name="firstChunkTokens"/> tokens) is due at TTFT; each later chunk one decode time per token it
    /// adds after the previous one, so with one token per chunk token <c>k</c> is due at
    /// <c>TTFT + (k − 1) / rate</c>; chunks past <see cref="PauseAfterTokens"/> <see cref="PauseTicks"/> later.
    /// </summary>
    public long ChunkDeadline(long arrival, int tokensSoFar, int firstChunkTokens) =>
        arrival + TtftTicks + (long)((tokensSoFar - firstChunkTokens) * TicksPerToken)
        + (tokensSoFar > PauseAfterTokens ? PauseTicks : 0);

    /// <summary>
    /// Non-streaming: when the whole answer is due. The model generates the same tokens at the same times in both modes,
    /// so the body is sent when the stream's last chunk would have been (<see cref="ChunkDeadline"/> of the last token,
    /// first chunk of <c>min(tokensPerChunk, n)</c> tokens): <c>TTFT + (n − 1) / rate</c> with one token per chunk.
    /// </summary>
    public long CompletionDeadline(long arrival, int tokensPerChunk) =>
        ChunkDeadline(arrival, CompletionTokens, Math.Min(tokensPerChunk, CompletionTokens));
}
