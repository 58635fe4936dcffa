using Bench.Simulator.Replay;

namespace Bench.Simulator.Profiles;

/// <summary>
/// How the simulator behaves for one model: the data of <c>scenarios/profiles/&lt;model&gt;.json</c>, read by
/// <see cref="ProfileLoader"/> (JSON names in snake_case are given on each property).
/// </summary>
/// <remarks>
/// A request's timeline: the arrival (or, under <see cref="Capacity"/>, the moment it gets a slot); the first content
/// token after a TTFT drawn from <see cref="TimeToFirstToken"/>; then the remaining tokens at
/// <see cref="DecodeTokensPerSecond"/>, so with one token per chunk the last of <c>n</c> tokens is due at
/// <c>TTFT + (n − 1) / rate</c>. A model generates the same tokens at the same times whether the client streams or
/// not, so a non-streaming answer is sent when its last token would have been streamed, at the same
/// <c>TTFT + (n − 1) / rate</c>. Profiles built in code are checked when the simulator starts, with the same rules as
/// files.
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

    /// <summary>Natural answer length (tokens). JSON <c>output_tokens</c>; required unless <see cref="Replay"/> is
    /// set (a replay's length is the recording's), and then not allowed in a file.</summary>
    public OutputLength OutputTokens { get; init; }

    /// <summary>Tokens per streamed content chunk (≥ 1). JSON <c>tokens_per_chunk</c>; default 1; not allowed in a
    /// replay profile's file (the recording decides).</summary>
    public int TokensPerChunk { get; init; } = 1;

    /// <summary>
    /// Coefficient of variation (standard deviation / mean, ≥ 0) of a per-request factor on the decode time: each
    /// request's time per token is <c>1 / rate</c> times a log-normal draw with mean 1, so some requests decode slower
    /// than others (as on a shared server) while the mean E2E is unchanged. JSON <c>decode_jitter_cv</c>; default 0.
    /// </summary>
    public double DecodeJitterCv { get; init; }

    /// <summary>Fault probabilities per request. JSON <c>faults</c>; default none.</summary>
    public FaultRates Faults { get; init; } = FaultRates.None;

    /// <summary>How many requests are served at once; <see langword="null"/> (the default) for no limit. JSON
    /// <c>capacity</c>.</summary>
    public CapacityLimit? Capacity { get; init; }

    /// <summary>Recorded streams served instead of generated text, re-timed by this profile's TTFT, decode rate,
    /// jitter and faults; <see langword="null"/> (the default) to generate. JSON <c>replay</c>, e.g.
    /// <c>{ "folder": "../replay/openai-chat", "pick": "round_robin" }</c>, read with <see cref="ReplaySet.Load"/>
    /// (the folder relative to the profile file).</summary>
    public ReplaySet? Replay { get; init; }

    /// <summary>Where the numbers come from (free text). JSON <c>source</c>.</summary>
    public string? Source { get; init; }
}
