using HdrHistogram;

namespace Bench.Harness.SelfTest;

/// <summary>
/// A distribution of signed differences in microseconds (measured minus true): two HdrHistograms (3 significant
/// digits, up to one hour), one for the non-negative samples and one for the magnitudes of the negative ones, so a
/// percentile is found on either side of zero with HdrHistogram's precision. Mean, minimum and maximum are exact.
/// Not thread-safe.
/// </summary>
/// <remarks>Bench's <see cref="Core.Metrics.LatencyHistogram"/> records negative samples as 0 (a latency cannot be
/// negative); an error can, and a negative one is exactly what the self-test must be able to show.</remarks>
internal sealed class SignedHistogram
{
    /// <summary>Largest magnitude kept: one hour in microseconds; larger samples are clamped to it.</summary>
    public const long HighestMicroseconds = 3_600_000_000;

    private readonly LongHistogram _nonNegative = new(1, HighestMicroseconds, 3);
    private readonly LongHistogram _negative = new(1, HighestMicroseconds, 3);
    private long _min = long.MaxValue;
    private long _max = long.MinValue;
    private double _sum;

    /// <summary>Samples recorded.</summary>
    public long Count => _nonNegative.TotalCount + _negative.TotalCount;

    /// <summary>Samples below zero.</summary>
    public long NegativeCount => _negative.TotalCount;

    /// <summary>Records a difference given in milliseconds (rounded to the microsecond).</summary>
    public void RecordMs(double milliseconds) => Record((long)Math.Round(milliseconds * 1000));

    /// <summary>Records a difference in microseconds.</summary>
    public void Record(long microseconds)
    {
        var value = Math.Clamp(microseconds, -HighestMicroseconds, HighestMicroseconds);
        if (value < 0)
        {
            _negative.RecordValue(-value);
        }
        else
        {
            _nonNegative.RecordValue(value);
        }

        _sum += value;
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
    }

    /// <summary>The value at <paramref name="percentile"/> (0–100]: the smallest recorded value (to HdrHistogram's
    /// precision) with at least that share of samples at or below it, kept within the exact minimum and maximum.</summary>
    /// <exception cref="InvalidOperationException">Nothing was recorded.</exception>
    public long ValueAtPercentile(double percentile)
    {
        var total = Count;
        if (total == 0)
        {
            throw new InvalidOperationException("No samples recorded.");
        }

        var rank = Math.Clamp((long)Math.Ceiling(percentile / 100.0 * total), 1, total);
        var negatives = _negative.TotalCount;
        long value;
        if (rank <= negatives)
        {
            // The rank-th smallest overall is the (negatives − rank + 1)-th smallest magnitude, negated.
            var k = negatives - rank + 1;
            value = -_negative.GetValueAtPercentile(100.0 * k / negatives);
        }
        else
        {
            var k = rank - negatives;
            value = _nonNegative.GetValueAtPercentile(100.0 * k / _nonNegative.TotalCount);
        }

        return Math.Clamp(value, _min, _max);
    }

    /// <summary>The distribution, or <see langword="null"/> when nothing was recorded.</summary>
    public DistributionUs? ToDistribution() => Count == 0
        ? null
        : new DistributionUs(Count, Math.Round(_sum / Count, 1), ValueAtPercentile(50), ValueAtPercentile(90), ValueAtPercentile(99), _min, _max);
}

/// <summary>A distribution in microseconds.</summary>
/// <param name="Count">Samples.</param>
/// <param name="MeanUs">Arithmetic mean (exact).</param>
/// <param name="P50Us">Median.</param>
/// <param name="P90Us">90th percentile.</param>
/// <param name="P99Us">99th percentile.</param>
/// <param name="MinUs">Smallest sample (exact).</param>
/// <param name="MaxUs">Largest sample (exact).</param>
internal sealed record DistributionUs(long Count, double MeanUs, long P50Us, long P90Us, long P99Us, long MinUs, long MaxUs);
