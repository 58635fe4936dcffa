namespace Bench.Simulator.Profiles;

/// <summary>
/// A log-normal distribution: <c>X = exp(Mu + Sigma·Z)</c> with <c>Z</c> standard normal. Used for latencies (TTFT) and
/// for the per-request decode-time factor, because both are positive and right-skewed.
/// </summary>
/// <param name="Mu">Mean of <c>ln X</c>.</param>
/// <param name="Sigma">Standard deviation of <c>ln X</c>; zero gives the constant <c>exp(Mu)</c>.</param>
public readonly record struct LogNormal(double Mu, double Sigma)
{
    /// <summary>The 95th percentile of the standard normal distribution, Φ⁻¹(0.95).</summary>
    public const double Z95 = 1.6448536269514722;

    /// <summary>Mean of the distribution: <c>exp(Mu + Sigma²/2)</c>.</summary>
    public double Mean => Math.Exp(Mu + (Sigma * Sigma / 2));

    /// <summary>95th percentile of the distribution: <c>exp(Mu + Z95·Sigma)</c>.</summary>
    public double P95 => Math.Exp(Mu + (Z95 * Sigma));

    /// <summary>
    /// Fits the log-normal whose mean and 95th percentile are <paramref name="mean"/> and <paramref name="p95"/>
    /// (how SEED-FIGURES.md reports TTFT).
    /// </summary>
    /// <remarks>
    /// With <c>z = Z95</c>: <c>mean = exp(mu + sigma²/2)</c> and <c>p95 = exp(mu + z·sigma)</c>. Dividing,
    /// <c>ln(p95/mean) = z·sigma − sigma²/2</c>, i.e. <c>sigma² − 2z·sigma + 2·ln(p95/mean) = 0</c>, whose roots are
    /// <c>sigma = z ± sqrt(z² − 2·ln(p95/mean))</c>. Both roots reproduce the two figures, but the larger one
    /// (sigma &gt; z) describes a distribution whose median is under a quarter of its mean, carried by rare extreme
    /// values; the smaller root is the plausible latency distribution. Then <c>mu = ln(mean) − sigma²/2</c>. A real,
    /// positive sigma needs <c>mean &lt; p95 ≤ mean·exp(z²/2)</c> (about 3.87 × the mean).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The pair has no fit (see <see cref="CheckMeanAndP95"/>).</exception>
    public static LogNormal FitMeanAndP95(double mean, double p95)
    {
        if (CheckMeanAndP95(mean, p95) is { } error)
        {
            throw new ArgumentOutOfRangeException(nameof(p95), p95, error);
        }

        var sigma = Z95 - Math.Sqrt((Z95 * Z95) - (2 * Math.Log(p95 / mean)));
        return new LogNormal(Math.Log(mean) - (sigma * sigma / 2), sigma);
    }

    /// <summary>Why <see cref="FitMeanAndP95"/> cannot fit the pair, or <see langword="null"/> when it can.</summary>
    public static string? CheckMeanAndP95(double mean, double p95)
    {
        if (!(mean > 0) || !double.IsFinite(mean))
        {
            return "the mean must be a positive number";
        }

        if (!(p95 > mean) || !double.IsFinite(p95))
        {
            return "the p95 must be greater than the mean for a log-normal fit";
        }

        var maxP95 = mean * Math.Exp(Z95 * Z95 / 2);
        return p95 <= maxP95
            ? null
            : $"the p95 must be at most {maxP95:0.###} (mean × exp(1.6449²/2)) for a log-normal fit";
    }

    /// <summary>The log-normal with the given mean and coefficient of variation (standard deviation / mean):
    /// <c>sigma² = ln(1 + cv²)</c>, <c>mu = ln(mean) − sigma²/2</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mean"/> is not positive or
    /// <paramref name="cv"/> is negative.</exception>
    public static LogNormal FromMeanAndCv(double mean, double cv)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mean);
        ArgumentOutOfRangeException.ThrowIfNegative(cv);
        var variance = Math.Log(1 + (cv * cv));
        return new LogNormal(Math.Log(mean) - (variance / 2), Math.Sqrt(variance));
    }

    /// <summary>Draws one value from <paramref name="random"/> (consumes two uniforms).</summary>
    public double Sample(Random random) => Math.Exp(Mu + (Sigma * StandardNormal.Sample(random)));
}
