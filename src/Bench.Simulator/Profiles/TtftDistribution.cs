namespace Bench.Simulator.Profiles;

/// <summary>
/// Time to first token of a profile, in milliseconds from the request's arrival: a log-normal fitted to a mean and a
/// p95 (<c>"ttft_ms": { "mean": 487, "p95": 890 }</c>, see <see cref="LogNormal.FitMeanAndP95"/>), or a fixed delay
/// (<c>"ttft_ms": { "fixed": 100 }</c>) for accuracy tests.
/// </summary>
/// <param name="MeanMs">Mean TTFT in ms; the exact delay when <paramref name="P95Ms"/> is <see langword="null"/>.</param>
/// <param name="P95Ms">95th percentile in ms, or <see langword="null"/> for a fixed delay.</param>
public sealed record TtftDistribution(double MeanMs, double? P95Ms)
{
    /// <summary>A fixed delay of <paramref name="ms"/> milliseconds.</summary>
    public static TtftDistribution Fixed(double ms) => new(ms, null);

    /// <summary>Whether every request waits exactly <see cref="MeanMs"/>.</summary>
    public bool IsFixed => P95Ms is null;
}
