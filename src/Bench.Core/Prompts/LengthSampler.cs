using Bench.Core.Scenarios;

namespace Bench.Core.Prompts;

/// <summary>
/// Draws a token length from a <see cref="LengthDistribution"/> for one request: a pure function of (seed, request id,
/// stream), so the same scenario sends the same lengths whatever the order, mode or batch line.
/// </summary>
/// <remarks>
/// <para><b>normal</b>: Box–Muller (Box and Muller, "A note on the generation of random normal deviates", Ann. Math.
/// Statist. 29, 1958): z = √(−2 ln u₁) cos(2π u₂); length = mean + stddev·z, rounded half away from zero, clipped to
/// [min ?? 1, max].</para>
/// <para><b>log_normal</b>: exp(ln median + σ·z) with the same z, rounded and clipped likewise (median = e^μ, so half
/// the lengths lie below it before rounding).</para>
/// <para><b>uniform</b>: every integer from min to max equally likely. <b>histogram</b>: a bin with probability
/// weight ÷ Σ weights, then an integer uniform in [from, to); clipped to [min, max] when given.</para>
/// </remarks>
public static class LengthSampler
{
    /// <summary>The length for request <paramref name="id"/> on <paramref name="stream"/> (a
    /// <see cref="SeededDraw"/> stream).</summary>
    /// <exception cref="ArgumentException">The distribution lacks a field its kind needs (validation reports it
    /// first).</exception>
    public static int Sample(LengthDistribution distribution, long seed, long id, int stream)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        double U(int index) => SeededDraw.Unit(seed, id, stream, index);
        switch (distribution.Kind)
        {
            case DistributionKind.Fixed:
                return distribution.Value ?? throw Missing("value");
            case DistributionKind.Uniform:
                var min = distribution.Min ?? throw Missing("min");
                var max = distribution.Max ?? throw Missing("max");
                return (int)(min + SeededDraw.Below((long)max - min + 1, seed, id, stream));
            case DistributionKind.Normal:
                var normal = (distribution.Mean ?? throw Missing("mean")) + ((distribution.Stddev ?? throw Missing("stddev")) * Gaussian(U(0), U(1)));
                return Clip(normal, distribution.Min ?? 1, distribution.Max);
            case DistributionKind.LogNormal:
                var median = distribution.Median ?? throw Missing("median");
                var logNormal = Math.Exp(Math.Log(median) + ((distribution.Sigma ?? throw Missing("sigma")) * Gaussian(U(0), U(1))));
                return Clip(logNormal, distribution.Min ?? 1, distribution.Max);
            case DistributionKind.Histogram:
                var bins = distribution.Bins;
                var total = bins.Sum(b => b.Weight);
                if (bins.Count == 0 || !(total > 0))
                {
                    throw new ArgumentException("A histogram needs a bin with a weight above 0.", nameof(distribution));
                }

                var target = U(0) * total;
                var chosen = bins[^1];
                double running = 0;
                foreach (var bin in bins)
                {
                    running += bin.Weight;
                    if (bin.Weight > 0 && target < running)
                    {
                        chosen = bin;
                        break;
                    }
                }

                var length = chosen.From + SeededDraw.Below((long)chosen.To - chosen.From, seed, id, stream, 1);
                return Clip(length, distribution.Min ?? 0, distribution.Max);
            default:
                throw new ArgumentException($"Unknown distribution kind {distribution.Kind}.", nameof(distribution));
        }
    }

    /// <summary>A standard normal deviate from two uniforms in [0, 1) (Box–Muller, the cosine half).</summary>
    internal static double Gaussian(double u1, double u2) =>
        Math.Sqrt(-2 * Math.Log(1 - u1)) * Math.Cos(2 * Math.PI * u2);

    private static int Clip(double value, int min, int? max)
    {
        var rounded = Math.Round(value, MidpointRounding.AwayFromZero);
        var upper = max ?? ScenarioLimits.MaxPromptTokens;
        return (int)Math.Clamp(double.IsNaN(rounded) ? min : rounded, min, Math.Max(min, upper));
    }

    private static ArgumentException Missing(string field) =>
        new($"The distribution has no {field}.", "distribution");
}
