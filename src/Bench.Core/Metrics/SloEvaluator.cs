using Bench.Core.Records;
using Bench.Core.Scenarios;

namespace Bench.Core.Metrics;

/// <summary>
/// Judges requests against an <see cref="SloSet"/>. A request is <i>good</i> when it succeeded and every threshold
/// holds for it (goodput as in DistServe: requests/s that succeeded and met every SLO; errors count against it).
/// For a non-streaming response the first token reaches the user with the whole body, so <c>ttft_ms</c> and
/// <c>ttfo_ms</c> thresholds are checked against its E2E; a threshold on a metric that is undefined for a request
/// (TPOT of a one-token or non-streaming answer) is not violated by it.
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

        foreach (var (metric, limit) in slo.MaxMs)
        {
            if (Value(r, metric) is { } value && value > limit)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A request's value of an SLO metric id (see <see cref="ScenarioLoader.SloMetrics"/>), as judged for SLOs.</summary>
    public static double? Value(RequestRecord r, string metric) => metric switch
    {
        "ttfb_ms" => RequestMetrics.TtfbMs(r),
        "ttft_ms" => r.Mode == Mode.Streaming ? RequestMetrics.TtftMs(r) : RequestMetrics.E2eMs(r),
        "ttfo_ms" => r.Mode == Mode.Streaming ? RequestMetrics.TtfoMs(r) : RequestMetrics.E2eMs(r),
        "tpot_ms" => RequestMetrics.TpotMs(r),
        "e2e_ms" => RequestMetrics.E2eMs(r),
        "response_ms" => RequestMetrics.ResponseMs(r) ?? RequestMetrics.E2eMs(r),
        _ => throw new ArgumentException($"'{metric}' is not an SLO metric.", nameof(metric)),
    };
}

/// <summary>How one cell did against one SLO set.</summary>
/// <param name="Name">The SLO set's name.</param>
/// <param name="GoodRequests">Requests that succeeded and met every threshold.</param>
/// <param name="GoodFraction">Good / attempted, 0..1.</param>
/// <param name="GoodputRps"><c>goodput_rps</c>: good requests / measured duration.</param>
/// <param name="Met">True when the good fraction reaches the set's percentile and the success rate its minimum.</param>
/// <param name="Why">When not met: which condition failed, with the measured figure; else null.</param>
public sealed record SloResult(string Name, long GoodRequests, double GoodFraction, double GoodputRps, bool Met, string? Why);
