using Bench.Core.Scenarios;

namespace Bench.Load.Workloads.Sessions;

/// <summary>
/// Seeded draws of a session's turns and think times, and a sampler of <see cref="LengthDistribution"/>s.
/// </summary>
/// <remarks>
/// Each draw has its own generator seeded from (scenario seed, session, turn) through SplitMix64's finaliser (Steele,
/// Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014), so a draw does not depend on the
/// order in which sessions run. The sampler is a stand-in for the prompt sources' sampler (same definitions as
/// <see cref="DistributionKind"/>): normal by Box–Muller (Box and Muller, 1958), log-normal as e^(ln median + σ·Z),
/// both rounded and clipped to [min (default 1), max]; a histogram picks a bin by weight, then a length uniformly in
/// [from, to).
/// </remarks>
internal static class SessionRandom
{
    /// <summary>A 64-bit mix of the three keys (SplitMix64's finaliser over their combination).</summary>
    public static ulong Mix(int seed, long session, int turn)
    {
        var z = unchecked(((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)session * 0xBF58476D1CE4E5B9UL) ^ ((ulong)(uint)turn * 0x94D049BB133111EBUL));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>A generator for one draw.</summary>
    public static Random For(int seed, long session, int turn) => new(unchecked((int)Mix(seed, session, turn)));

    /// <summary>One length from <paramref name="distribution"/>.</summary>
    public static int Sample(LengthDistribution distribution, Random random)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        ArgumentNullException.ThrowIfNull(random);
        switch (distribution.Kind)
        {
            case DistributionKind.Fixed:
                return distribution.Value ?? 0;
            case DistributionKind.Uniform:
                var min = distribution.Min ?? 0;
                var max = Math.Max(min, distribution.Max ?? min);
                return (int)random.NextInt64(min, (long)max + 1);
            case DistributionKind.Normal:
                return Clip(distribution, (distribution.Mean ?? 0) + ((distribution.Stddev ?? 0) * StandardNormal(random)));
            case DistributionKind.LogNormal:
                return Clip(distribution, Math.Exp(Math.Log(Math.Max(distribution.Median ?? 1, double.Epsilon)) + ((distribution.Sigma ?? 0) * StandardNormal(random))));
            case DistributionKind.Histogram:
                var total = distribution.Bins.Sum(b => Math.Max(0, b.Weight));
                var pick = random.NextDouble() * total;
                foreach (var bin in distribution.Bins)
                {
                    pick -= Math.Max(0, bin.Weight);
                    if (pick < 0)
                    {
                        return bin.To > bin.From ? (int)random.NextInt64(bin.From, bin.To) : bin.From;
                    }
                }

                return distribution.Bins.Count > 0 ? distribution.Bins[^1].From : 0;
            default:
                throw new ArgumentOutOfRangeException(nameof(distribution), distribution.Kind, "Unknown distribution.");
        }
    }

    /// <summary>Box–Muller: one standard normal from two uniforms in (0, 1].</summary>
    private static double StandardNormal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static int Clip(LengthDistribution distribution, double value)
    {
        var low = distribution.Min ?? 1;
        var high = distribution.Max ?? int.MaxValue;
        return (int)Math.Clamp(Math.Round(value), low, high);
    }
}
