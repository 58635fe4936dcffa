using HdrHistogram;

namespace Bench.Core.Metrics;

/// <summary>
/// One metric's samples: an HdrHistogram (3 significant digits, values in microseconds from 1 µs to 1 hour) for
/// percentiles, plus exact running sum, minimum and maximum. Values are given in milliseconds. Not thread-safe: the
/// aggregation that owns it serialises access.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Highest trackable value: one hour in microseconds. Larger samples are clamped to it.</summary>
    public const long HighestTrackableMicroseconds = 3_600_000_000;

    private double _sum;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;

    /// <summary>The underlying histogram (microseconds), e.g. for writing <c>.hlog</c> files.</summary>
    public LongHistogram Histogram { get; } = new(1, HighestTrackableMicroseconds, 3);

    /// <summary>Samples recorded.</summary>
    public long Count => Histogram.TotalCount;

    /// <summary>Records one sample in milliseconds. Negative samples (clock anomalies) are recorded as 0; NaN (a time
    /// missing from a hand-edited file) is ignored.</summary>
    public void Record(double milliseconds)
    {
        if (double.IsNaN(milliseconds))
        {
            return;
        }

        var clamped = Math.Clamp(milliseconds, 0, HighestTrackableMicroseconds / 1000.0);
        _sum += clamped;
        _min = Math.Min(_min, clamped);
        _max = Math.Max(_max, clamped);
        Histogram.RecordValue(Math.Max(1, (long)Math.Round(clamped * 1000)));
    }

    /// <summary>The 95 % distribution-free intervals of p50, p95 and p99 in ms (<see cref="Statistics.QuantileInterval"/>),
    /// or <see langword="null"/> when nothing was recorded.</summary>
    public Statistics.QuantileIntervals? ToQuantileIntervals()
    {
        var n = Histogram.TotalCount;
        if (n == 0)
        {
            return null;
        }

        // The r-th smallest value: HdrHistogram counts ⌊(q / 100)·n + 0.5⌋ values for percentile q, so q = 100·r/n
        // reads rank r; values carry the histogram's 3 significant digits.
        double At(long rank) => Histogram.GetValueAtPercentile(100.0 * rank / n) / 1000.0;
        return new Statistics.QuantileIntervals(
            Statistics.QuantileInterval.Compute(n, 0.50, At),
            Statistics.QuantileInterval.Compute(n, 0.95, At),
            Statistics.QuantileInterval.Compute(n, 0.99, At));
    }

    /// <summary>The distribution, or <see langword="null"/> when nothing was recorded.</summary>
    public MetricStats? ToStats()
    {
        var count = Histogram.TotalCount;
        if (count == 0)
        {
            return null;
        }

        double At(double percentile) => Histogram.GetValueAtPercentile(percentile) / 1000.0;
        return new MetricStats(
            count,
            _sum / count,
            At(50),
            At(90),
            At(95),
            At(99),
            At(99.9),
            _min,
            _max);
    }
}
