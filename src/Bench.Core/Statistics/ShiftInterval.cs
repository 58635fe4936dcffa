using Perfolizer.Mathematics.Distributions.ContinuousDistributions;

namespace Bench.Core.Statistics;

/// <summary>
/// The shift between two independent samples, y − x: the Hodges–Lehmann estimate (the median of every pairwise
/// difference yⱼ − xᵢ; Hodges &amp; Lehmann, "Estimates of location based on rank tests", Ann. Math. Statist. 34, 1963 —
/// Pragmastat's <c>Toolkit.Shift</c>, with the opposite sign) and its distribution-free confidence interval by inverting
/// the Mann–Whitney test (Moses' interval; Hollander, Wolfe &amp; Chicken, "Nonparametric Statistical Methods", 3rd ed.,
/// §4.3): with the m·n sorted differences D₍₁₎ ≤ … ≤ D₍ₘₙ₎, the interval is [D₍ₖ₎, D₍ₘₙ₊₁₋ₖ₎] where
/// k = ⌊m·n/2 − z₁₋α/₂ · √(m·n·(m + n + 1)/12)⌋ (the normal approximation of the Mann–Whitney U distribution, at least 1).
/// Perfolizer 0.6.1 has the Mann–Whitney test but no shift interval, hence this one. Milliseconds in, milliseconds out.
/// </summary>
/// <param name="Estimate">The Hodges–Lehmann shift, y − x.</param>
/// <param name="Lower">Lower bound of the interval.</param>
/// <param name="Upper">Upper bound of the interval.</param>
/// <param name="CountX">Values of x used.</param>
/// <param name="CountY">Values of y used.</param>
public readonly record struct ShiftInterval(double Estimate, double Lower, double Upper, int CountX, int CountY)
{
    /// <summary>Fewest values per sample for an interval.</summary>
    public const int MinCount = 5;

    /// <summary>Most values per sample used: a larger sample is thinned to an evenly spaced subset of its sorted
    /// values (every quantile kept), so at most 2,000 × 2,000 differences are sorted.</summary>
    public const int MaxCount = 2_000;

    /// <summary>True when 0 lies outside the interval: the shift is real at the interval's confidence.</summary>
    public bool Significant => Lower > 0 || Upper < 0;

    /// <summary>The shift y − x and its interval at <paramref name="confidence"/>, or null when a sample has fewer than
    /// <see cref="MinCount"/> finite values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="confidence"/> is not between 0 and 1.</exception>
    public static ShiftInterval? Compute(IReadOnlyList<double> x, IReadOnlyList<double> y, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (!(confidence is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "must be between 0 and 1");
        }

        var xs = Thin(x);
        var ys = Thin(y);
        if (xs.Length < MinCount || ys.Length < MinCount)
        {
            return null;
        }

        var differences = new double[xs.Length * ys.Length];
        var n = 0;
        foreach (var b in ys)
        {
            foreach (var a in xs)
            {
                differences[n++] = b - a;
            }
        }

        Array.Sort(differences);
        var count = differences.Length;
        var estimate = count % 2 == 1 ? differences[count / 2] : (differences[(count / 2) - 1] + differences[count / 2]) / 2;
        var z = NormalDistribution.Standard.Quantile(1 - ((1 - confidence) / 2));
        double m = xs.Length, k2 = ys.Length;
        var k = (int)Math.Floor((m * k2 / 2) - (z * Math.Sqrt(m * k2 * (m + k2 + 1) / 12)));
        k = Math.Clamp(k, 1, (count + 1) / 2);
        return new ShiftInterval(estimate, differences[k - 1], differences[count - k], xs.Length, ys.Length);
    }

    private static double[] Thin(IReadOnlyList<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        Array.Sort(finite);
        if (finite.Length <= MaxCount)
        {
            return finite;
        }

        // Evenly spaced order statistics: deterministic, and every part of the distribution keeps its weight.
        var thinned = new double[MaxCount];
        for (var i = 0; i < MaxCount; i++)
        {
            thinned[i] = finite[(int)((long)i * (finite.Length - 1) / (MaxCount - 1))];
        }

        return thinned;
    }
}
