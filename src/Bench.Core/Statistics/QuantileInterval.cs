using Perfolizer.Mathematics.Distributions.ContinuousDistributions;

namespace Bench.Core.Statistics;

/// <summary>
/// The distribution-free confidence interval for a quantile from order statistics (Hahn &amp; Meeker, <i>Statistical
/// Intervals</i>, 1991, §5.2; Conover, <i>Practical Nonparametric Statistics</i>, 3rd ed., §3.2): the number B of
/// observations below the true p-quantile is Binomial(n, p), so [X₍l₎, X₍u₎] covers it with probability
/// P(l ≤ B ≤ u − 1) ≥ confidence when l − 1 is the largest k with P(B ≤ k) ≤ α/2 and u − 1 the smallest with
/// P(B ≤ k) ≥ 1 − α/2. The binomial CDF is read through the regularized incomplete beta function
/// (P(B ≤ k) = 1 − I_p(k + 1, n − k), Perfolizer's Beta CDF), exact for any n. When a rank falls outside 1..n the
/// sample cannot bound that side (e.g. the p99 of 30 requests has no upper bound at 95 %).
/// </summary>
public static class QuantileInterval
{
    /// <summary>The 1-based ranks (l, u) of the order statistics bounding the <paramref name="p"/>-quantile of
    /// <paramref name="n"/> observations; l is 0 when no lower bound exists and u is n + 1 when no upper bound exists.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is not positive, <paramref name="p"/> is not
    /// strictly between 0 and 1, or the confidence is not between 0 and 1.</exception>
    public static (long Lower, long Upper) Ranks(long n, double p, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (!(p is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "must be strictly between 0 and 1");
        }

        ProportionBound.CheckConfidence(confidence);
        var alpha = 1 - confidence;

        // P(B ≤ k) for B ~ Binomial(n, p).
        double Cdf(long k) => k < 0 ? 0 : k >= n ? 1 : 1 - new BetaDistribution(k + 1, n - k).Cdf(p);

        // Largest k in [−1, n] with Cdf(k) ≤ α/2 (Cdf(−1) = 0), by bisection: l = k + 1.
        long lo = -1, hi = n;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo + 1) / 2);
            if (Cdf(mid) <= alpha / 2)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        var lower = lo + 1;

        // Smallest k in [0, n] with Cdf(k) ≥ 1 − α/2: u = k + 1.
        lo = 0;
        hi = n;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (Cdf(mid) >= 1 - (alpha / 2))
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return (lower, lo + 1);
    }

    /// <summary>The interval of the <paramref name="p"/>-quantile given a way to read the r-th smallest of
    /// <paramref name="n"/> observations (<paramref name="valueAtRank"/>, 1-based); a side the sample cannot bound is
    /// −∞ or +∞.</summary>
    public static Interval Compute(long n, double p, Func<long, double> valueAtRank, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(valueAtRank);
        var (l, u) = Ranks(n, p, confidence);
        return new Interval(l >= 1 ? valueAtRank(l) : double.NegativeInfinity, u <= n ? valueAtRank(u) : double.PositiveInfinity);
    }
}

/// <summary>The 95 % intervals of a latency distribution's p50, p95 and p99, in ms; an unbounded side is ±∞.</summary>
/// <param name="P50">Interval of the median.</param>
/// <param name="P95">Interval of the 95th percentile.</param>
/// <param name="P99">Interval of the 99th percentile.</param>
public sealed record QuantileIntervals(Interval P50, Interval P95, Interval P99);
