using Perfolizer.Mathematics.Distributions.ContinuousDistributions;

namespace Bench.Core.Statistics;

/// <summary>
/// The Wilson score interval for a binomial proportion (Wilson, "Probable inference, the law of succession, and
/// statistical inference", JASA 22, 1927; method 3 of Newcombe, Statistics in Medicine 17, 1998; the interval R's
/// <c>prop.test(x, n, correct = FALSE)</c> reports): with p̂ = k/n and z the two-sided normal quantile,
/// centre = (p̂ + z²/2n) / (1 + z²/n), half-width = z·√(p̂(1 − p̂)/n + z²/4n²) / (1 + z²/n).
/// Unlike the normal (Wald) interval it stays inside 0–1 and is not degenerate at 0 or n successes, so
/// "64 of 64" reads as 94.3–100 %, not 100–100 %. Used for displayed success rates; decisions ("the sample shows
/// ≥ X") use the one-sided exact bound of <see cref="ProportionBound"/>. The normal quantile is Perfolizer's.
/// </summary>
public static class WilsonInterval
{
    /// <summary>The two-sided Wilson interval for <paramref name="successes"/> of <paramref name="trials"/> at
    /// <paramref name="confidence"/> (0.95 for 95 %); bounds are proportions 0–1.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trials"/> is not positive, <paramref name="successes"/>
    /// is outside 0–<paramref name="trials"/>, or <paramref name="confidence"/> is not between 0 and 1.</exception>
    public static BinomialInterval Compute(long successes, long trials, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        ProportionBound.CheckConfidence(confidence);

        var z = NormalDistribution.Standard.Quantile(1 - ((1 - confidence) / 2));
        double n = trials;
        var p = successes / n;
        var z2 = z * z;
        var denominator = 1 + (z2 / n);
        var centre = (p + (z2 / (2 * n))) / denominator;
        var half = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n))) / denominator;
        // The bounds are exactly 0 / 1 at k = 0 / k = n; clamp the rounding of centre ∓ half there.
        var lower = successes == 0 ? 0 : Math.Max(0, centre - half);
        var upper = successes == trials ? 1 : Math.Min(1, centre + half);
        return new BinomialInterval(lower, upper);
    }
}
