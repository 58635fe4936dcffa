namespace Bench.Simulator.Profiles;

/// <summary>
/// How the simulator behaves for one model: the data of <c>scenarios/profiles/&lt;model&gt;.json</c>, read by
/// <see cref="ProfileLoader"/> (JSON names in snake_case are given on each property).
/// </summary>
/// <remarks>
/// A request's timeline: the arrival; the first content token after a TTFT drawn from
/// <see cref="TimeToFirstToken"/>; then the remaining tokens at <see cref="DecodeTokensPerSecond"/>, so a
/// non-streaming answer of <c>n</c> tokens ends at <c>TTFT + n / rate</c>. Profiles built in code are checked when the
/// simulator starts, with the same rules as files.
/// </remarks>
public sealed record ModelProfile
{
    /// <summary>Model id as requested in <c>model</c> and listed by <c>/v1/models</c>. JSON <c>model</c>.</summary>
    public required string Model { get; init; }

    /// <summary><c>owned_by</c> in <c>/v1/models</c>. JSON <c>owned_by</c>.</summary>
    public string OwnedBy { get; init; } = "bench-simulator";

    /// <summary>Time to first token (ms). JSON <c>ttft_ms</c>.</summary>
    public required TtftDistribution TimeToFirstToken { get; init; }

    /// <summary>Steady decode rate after the first token, in tokens per second (&gt; 0). JSON
    /// <c>decode_tokens_per_s</c>.</summary>
    public required double DecodeTokensPerSecond { get; init; }

    /// <summary>Natural answer length (tokens). JSON <c>output_tokens</c>.</summary>
    public required OutputLength OutputTokens { get; init; }

    /// <summary>Tokens per streamed content chunk (≥ 1). JSON <c>tokens_per_chunk</c>; default 1.</summary>
    public int TokensPerChunk { get; init; } = 1;

    /// <summary>
    /// Coefficient of variation (standard deviation / mean, ≥ 0) of a per-request factor on the decode time: each
    /// request's time per token is <c>1 / rate</c> times a log-normal draw with mean 1, so some requests decode slower
    /// than others (as on a shared server) while the mean E2E is unchanged. JSON <c>decode_jitter_cv</c>; default 0.
    /// </summary>
    public double DecodeJitterCv { get; init; }

    /// <summary>Fault probabilities per request. JSON <c>faults</c>; default none.</summary>
    public FaultRates Faults { get; init; } = FaultRates.None;

    /// <summary>Where the numbers come from (free text). JSON <c>source</c>.</summary>
    public string? Source { get; init; }
}
