namespace Bench.Core.Metrics;

/// <summary>
/// Distribution of one metric in one cell (model × mode), in the metric's unit (milliseconds for latencies).
/// Mean, min and max are exact; percentiles come from an HdrHistogram with 3 significant digits at
/// microsecond resolution, so they are within 0.1 % of the true order statistic.
/// </summary>
/// <param name="Count">Number of samples.</param>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="P50">50th percentile (median).</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P95">95th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="P999">99.9th percentile.</param>
/// <param name="Min">Smallest sample.</param>
/// <param name="Max">Largest sample.</param>
public sealed record MetricStats(long Count, double Mean, double P50, double P90, double P95, double P99, double P999, double Min, double Max)
{
    /// <summary>The value of a named statistic: <c>mean</c>, <c>p50</c>, <c>p90</c>, <c>p95</c>, <c>p99</c>,
    /// <c>p99.9</c>/<c>p999</c>, <c>min</c>, <c>max</c>.</summary>
    /// <exception cref="ArgumentException">Unknown statistic name.</exception>
    public double Get(string statistic) => statistic switch
    {
        "mean" => Mean,
        "p50" => P50,
        "p90" => P90,
        "p95" => P95,
        "p99" => P99,
        "p99.9" or "p999" => P999,
        "min" => Min,
        "max" => Max,
        _ => throw new ArgumentException($"Unknown statistic '{statistic}': use mean, p50, p90, p95, p99, p99.9, min or max.", nameof(statistic)),
    };
}
