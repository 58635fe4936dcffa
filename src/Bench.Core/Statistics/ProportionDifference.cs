namespace Bench.Core.Statistics;

/// <summary>
/// A confidence interval for the difference of two independent binomial proportions, p₁ − p₂: Newcombe's hybrid
/// score interval (Newcombe, "Interval estimation for the difference between independent proportions: comparison of
/// eleven methods", Statistics in Medicine 17, 1998, method 10). Each proportion gets its Wilson score interval
/// (Wilson, JASA 22, 1927) without continuity correction, (l₁, u₁) and (l₂, u₂); then
/// lower = (p₁ − p₂) − √((p₁ − l₁)² + (u₂ − p₂)²) and upper = (p₁ − p₂) + √((u₁ − p₁)² + (p₂ − l₂)²).
/// Unlike the Wald interval it stays inside [−1, 1], behaves at 0 and n successes, and covers close to its nominal level
/// for the small counts a benchmark cell has. The normal quantile is Perfolizer's.
/// </summary>
/// <param name="Difference">p₁ − p₂, the point estimate (−1..1).</param>
/// <param name="Lower">Lower bound of the difference (−1..1).</param>
/// <param name="Upper">Upper bound of the difference (−1..1).</param>
public readonly record struct ProportionDifference(double Difference, double Lower, double Upper)
{
    /// <summary>The hybrid score interval for <paramref name="successes1"/>/<paramref name="trials1"/> −
    /// <paramref name="successes2"/>/<paramref name="trials2"/> at <paramref name="confidence"/> (two-sided; 0.95 for
    /// a 95 % interval; a TOST at level α reads the 1 − 2α interval).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A trial count is not positive, a success count is outside
    /// 0..trials, or <paramref name="confidence"/> is not between 0 and 1.</exception>
    public static ProportionDifference Newcombe(long successes1, long trials1, long successes2, long trials2, double confidence = 0.95)
    {
        if (!(confidence is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "must be between 0 and 1");
        }

        // Each proportion's Wilson score interval at the same confidence (WilsonInterval, Newcombe's method 3).
        var (p1, w1) = ((double)successes1 / trials1, WilsonInterval.Compute(successes1, trials1, confidence));
        var (p2, w2) = ((double)successes2 / trials2, WilsonInterval.Compute(successes2, trials2, confidence));
        var difference = p1 - p2;
        var lower = difference - Math.Sqrt(((p1 - w1.Lower) * (p1 - w1.Lower)) + ((w2.Upper - p2) * (w2.Upper - p2)));
        var upper = difference + Math.Sqrt(((w1.Upper - p1) * (w1.Upper - p1)) + ((p2 - w2.Lower) * (p2 - w2.Lower)));
        return new ProportionDifference(difference, Math.Max(-1, lower), Math.Min(1, upper));
    }
}
