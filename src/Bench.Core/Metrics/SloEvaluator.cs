using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Core.Statistics;

namespace Bench.Core.Metrics;

/// <summary>
/// Judges requests against an <see cref="SloSet"/>. A request is <i>good</i> when it succeeded and every threshold
/// holds for it (goodput as in DistServe: requests/s that succeeded and met every SLO; errors count against it).
/// A request's value is read with <see cref="Metric.SloValue"/>, where the non-streaming first-token rule lives; a threshold on a metric that is undefined for a request
/// (TPOT of a one-token or non-streaming answer) is not violated by it. A batch-api line has no latency at all, so it
/// is never good under a set with a latency limit (<see cref="Metric.HasRequestLatency"/>).
/// </summary>
public static class SloEvaluator
{
    /// <summary>True when <paramref name="r"/> succeeded and meets every threshold of <paramref name="slo"/>.</summary>
    public static bool IsGood(RequestRecord r, SloSet slo)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(slo);
        if (r.Outcome != Outcome.Success)
        {
            return false;
        }

        if (slo.MaxMs.Count > 0 && !Metric.HasRequestLatency(r.Mode))
        {
            // A batch line has no latency to hold a limit to (Metric.HasRequestLatency): it is not good, never
            // vacuously good.
            return false;
        }

        foreach (var (metric, limit) in slo.MaxMs)
        {
            if (Value(r, metric) is { } value && value > limit)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The confidence of every "the sample shows" statement: one-sided 95 %.</summary>
    public const double Confidence = 0.95;

    /// <summary>
    /// Whether a cell's sample <i>shows</i> it meets <paramref name="slo"/>, not only whether its point estimate does.
    /// Each condition of the set — the good fraction reaching <see cref="SloSet.Percentile"/> (when the set has
    /// latency limits) and the success rate reaching <see cref="SloSet.MinSuccessRate"/> — is judged with one-sided
    /// exact (Clopper–Pearson) bounds at <see cref="Confidence"/> (<see cref="ProportionBound"/>): the set is
    /// <see cref="SloEvidence.Shown"/> when every condition's lower bound reaches its target,
    /// <see cref="SloEvidence.NotMet"/> when some condition's upper bound falls short of its target (clearly failing),
    /// else <see cref="SloEvidence.Inconclusive"/> (the point estimate meets it but the sample is too small to show it,
    /// or it misses within noise). 64 of 64 good requests show ≥ 95.4 %, so a 95 % target is shown and a 99.5 % one
    /// is inconclusive until 598 failure-free requests.
    /// </summary>
    /// <param name="slo">The set.</param>
    /// <param name="good">Requests that succeeded and met every threshold.</param>
    /// <param name="successes">Successful requests.</param>
    /// <param name="attempted">Attempted requests (the denominator of both fractions).</param>
    /// <param name="latencyJudgeable">False for a batch-api cell under a set with latency limits (no line has a
    /// latency of its own): then the set is not met.</param>
    public static SloEvidence Evidence(SloSet slo, long good, long successes, long attempted, bool latencyJudgeable = true)
    {
        ArgumentNullException.ThrowIfNull(slo);
        if (attempted <= 0 || (slo.MaxMs.Count > 0 && !latencyJudgeable))
        {
            return SloEvidence.NotMet;
        }

        var shown = true;
        var notMet = false;
        void Condition(long count, double target)
        {
            shown &= ProportionBound.Lower(count, attempted, Confidence) >= target;
            notMet |= ProportionBound.Upper(count, attempted, Confidence) < target;
        }

        if (slo.MaxMs.Count > 0)
        {
            Condition(good, slo.Percentile / 100);
        }

        if (slo.MinSuccessRate is { } min)
        {
            Condition(successes, min);
        }

        return notMet ? SloEvidence.NotMet : shown ? SloEvidence.Shown : SloEvidence.Inconclusive;
    }

    /// <summary>A request's value of an SLO metric id (see <see cref="Metric.SloEligible"/>), as judged for SLOs
    /// (<see cref="Metric.SloValue"/>: the non-streaming first-token rule applies).</summary>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is not an SLO metric.</exception>
    public static double? Value(RequestRecord r, string metric) =>
        Metric.SloValue(r, Metric.Find(metric) is { SloEligible: true } descriptor
            ? descriptor
            : throw new ArgumentException($"'{metric}' is not an SLO metric.", nameof(metric)));
}

/// <summary>How one cell did against one SLO set.</summary>
/// <param name="Name">The SLO set's name.</param>
/// <param name="GoodRequests">Requests that succeeded and met every threshold.</param>
/// <param name="GoodFraction">Good / attempted, 0..1.</param>
/// <param name="GoodputRps"><c>goodput_rps</c>: good requests / measured duration.</param>
/// <param name="Met">True when the good fraction reaches the set's percentile and the success rate its minimum.</param>
/// <param name="Why">When not met: which condition failed, with the measured figure; else null.</param>
public sealed record SloResult(string Name, long GoodRequests, double GoodFraction, double GoodputRps, bool Met, string? Why)
{
    /// <summary>Whether the sample shows the set is met (<see cref="SloEvaluator.Evidence"/>), beyond the point verdict
    /// <see cref="Met"/>.</summary>
    public SloEvidence Evidence { get; init; } = SloEvidence.Inconclusive;

    /// <summary>Requests attempted in the cell: the sample size behind <see cref="GoodFraction"/>.</summary>
    public long Attempted { get; init; }

    /// <summary>The one-sided 95 % exact lower bound of the good fraction, 0..1 (<see cref="ProportionBound.Lower"/>);
    /// 0 without requests.</summary>
    public double GoodFractionLower { get; init; }
}

/// <summary>What a cell's sample shows about an SLO set (<see cref="SloEvaluator.Evidence"/>).</summary>
public enum SloEvidence
{
    /// <summary>The point estimate meets the set but the sample cannot show it, or it misses within noise.</summary>
    Inconclusive,

    /// <summary>Every condition's one-sided 95 % lower bound reaches its target.</summary>
    Shown,

    /// <summary>Some condition's one-sided 95 % upper bound falls short of its target: clearly failing.</summary>
    NotMet,
}
