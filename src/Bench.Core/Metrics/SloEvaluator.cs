using Bench.Core.Records;
using Bench.Core.Scenarios;

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
public sealed record SloResult(string Name, long GoodRequests, double GoodFraction, double GoodputRps, bool Met, string? Why);
