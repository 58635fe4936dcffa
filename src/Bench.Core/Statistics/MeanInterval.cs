using Perfolizer.Mathematics.Distributions.ContinuousDistributions;

namespace Bench.Core.Statistics;

/// <summary>
/// Confidence intervals for a mean and for a ratio of means from sums, so no samples are kept. The mean's interval is
/// Student's t (Student, Biometrika 6, 1908; R's <c>t.test(x)$conf.int</c>): x̄ ± t(1 − α/2; n − 1)·s/√n. The ratio
/// R = Σy / Σs (e.g. cost per successful request) uses the first-order Taylor (delta-method) variance of the ratio
/// estimator (Cochran, <i>Sampling Techniques</i>, 3rd ed. 1977, §6.3): Var(R̂) ≈ (S²_y − 2R·S_ys + R²·S²_s) / (n·s̄²),
/// with the same t quantile. The t quantiles are Perfolizer's.
/// </summary>
public static class MeanInterval
{
    /// <summary>The t interval for the mean of <paramref name="n"/> values with sample variance
    /// <paramref name="variance"/> (n − 1 denominator) and mean <paramref name="mean"/>; null when n &lt; 2.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The confidence is not between 0 and 1.</exception>
    public static Interval? Mean(long n, double mean, double variance, double confidence = 0.95)
    {
        ProportionBound.CheckConfidence(confidence);
        if (n < 2 || !double.IsFinite(mean) || !double.IsFinite(variance))
        {
            return null;
        }

        var half = T(n, confidence) * Math.Sqrt(Math.Max(0, variance) / n);
        return new Interval(mean - half, mean + half);
    }

    /// <summary>The delta-method interval for the ratio of means ȳ / s̄ over <paramref name="n"/> paired values with
    /// sample variances <paramref name="varianceY"/>, <paramref name="varianceS"/> and covariance
    /// <paramref name="covariance"/>; null when n &lt; 2 or s̄ is 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The confidence is not between 0 and 1.</exception>
    public static Interval? Ratio(long n, double meanY, double meanS, double varianceY, double varianceS, double covariance, double confidence = 0.95)
    {
        ProportionBound.CheckConfidence(confidence);
        if (n < 2 || meanS == 0)
        {
            return null;
        }

        var ratio = meanY / meanS;
        var variance = (varianceY - (2 * ratio * covariance) + (ratio * ratio * varianceS)) / (n * meanS * meanS);
        var half = T(n, confidence) * Math.Sqrt(Math.Max(0, variance));
        return new Interval(ratio - half, ratio + half);
    }

    private static double T(long n, double confidence) => new StudentDistribution(n - 1).Quantile(1 - ((1 - confidence) / 2));
}

/// <summary>A two-sided confidence interval in the unit of the figure it bounds.</summary>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
public readonly record struct Interval(double Lower, double Upper)
{
    /// <summary>True when the two intervals share a point: the figures cannot be told apart at this confidence.</summary>
    public bool Overlaps(Interval other) => Lower <= other.Upper && other.Lower <= Upper;

    /// <summary>The interval multiplied by <paramref name="factor"/> (a positive unit change).</summary>
    public Interval Scale(double factor) => new(Lower * factor, Upper * factor);
}
