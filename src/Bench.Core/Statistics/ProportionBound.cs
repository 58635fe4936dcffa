using Perfolizer.Mathematics.Distributions.ContinuousDistributions;

namespace Bench.Core.Statistics;

/// <summary>
/// One-sided exact (Clopper–Pearson) bounds for a binomial proportion, the basis of every "the sample shows success
/// ≥ X" statement (Clopper &amp; Pearson, Biometrika 26, 1934; R's <c>binom.test(k, n, alternative = "greater")</c>):
/// lower = Beta(α; k, n − k + 1) quantile (0 when k = 0), upper = Beta(1 − α; k + 1, n − k) quantile (1 when k = n).
/// With no failures the lower bound is α^(1/n): 64 of 64 shows ≥ 0.05^(1/64) = 95.4 % at 95 %. The smallest
/// failure-free sample that can show a target p is n = ⌈ln α / ln p⌉ (the "success-run" or zero-failure
/// demonstration test; e.g. NIST/SEMATECH e-Handbook §8.3.1.2): 598 requests for 99.5 % at 95 %, 59 for 95 %.
/// The Beta quantiles are Perfolizer's.
/// </summary>
public static class ProportionBound
{
    /// <summary>The one-sided lower bound (a proportion 0–1) at <paramref name="confidence"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Counts or confidence out of range (as
    /// <see cref="BinomialInterval.ClopperPearson"/>).</exception>
    public static double Lower(long successes, long trials, double confidence = 0.95)
    {
        Check(successes, trials, confidence);
        return successes == 0 ? 0 : new BetaDistribution(successes, trials - successes + 1).Quantile(1 - confidence);
    }

    /// <summary>The one-sided upper bound (a proportion 0–1) at <paramref name="confidence"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Counts or confidence out of range.</exception>
    public static double Upper(long successes, long trials, double confidence = 0.95)
    {
        Check(successes, trials, confidence);
        return successes == trials ? 1 : new BetaDistribution(successes + 1, trials - successes).Quantile(confidence);
    }

    /// <summary>The smallest number of trials that, with no failures, shows a proportion ≥ <paramref name="target"/>
    /// at <paramref name="confidence"/>: ⌈ln(1 − confidence) / ln target⌉ (598 for 0.995 at 0.95). 1 when the
    /// target is 0; <see cref="long.MaxValue"/> when it is 1 (no finite sample shows 100 %).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="target"/> is outside 0–1 or the confidence is not
    /// between 0 and 1.</exception>
    public static long ZeroFailureTrials(double target, double confidence = 0.95)
    {
        if (!(target is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, "must be a proportion 0–1");
        }

        CheckConfidence(confidence);
        if (target <= 0)
        {
            return 1;
        }

        if (target >= 1)
        {
            return long.MaxValue;
        }

        // Subtract a hair before rounding up so an exact integer quotient is not pushed to the next one by rounding.
        var n = Math.Log(1 - confidence) / Math.Log(target);
        return Math.Max(1, (long)Math.Ceiling(n - 1e-9));
    }

    /// <summary>The smallest number of trials that, with <paramref name="failures"/> of them failing, shows a proportion ≥
    /// <paramref name="target"/> at <paramref name="confidence"/> (one-sided exact lower bound); with no failures,
    /// <see cref="ZeroFailureTrials"/>. The bound rises with the trials for a fixed failure count, so the smallest such n
    /// is found by doubling then bisection (1 failure: 93 trials for 0.95 at 0.95). <see cref="long.MaxValue"/> when the
    /// target is 1, or when no sample below 2^40 trials shows it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="failures"/> is negative, <paramref name="target"/>
    /// is outside 0–1, or the confidence is not between 0 and 1.</exception>
    public static long TrialsToShow(long failures, double target, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(failures);
        var zero = ZeroFailureTrials(target, confidence);
        if (failures == 0 || zero == long.MaxValue)
        {
            return zero;
        }

        bool Shows(long n) => Lower(n - failures, n, confidence) >= target;
        long low = zero + failures - 1, high = Math.Max(zero + failures, 2 * (zero + failures));
        while (!Shows(high))
        {
            low = high;
            high *= 2;
            if (high > 1L << 40)
            {
                return long.MaxValue;
            }
        }

        // Invariant: Shows(high), !Shows(low) (low < zero + failures cannot show: even its successes alone fall short).
        while (high - low > 1)
        {
            var mid = low + ((high - low) / 2);
            (low, high) = Shows(mid) ? (low, mid) : (mid, high);
        }

        return high;
    }

    internal static void CheckConfidence(double confidence)
    {
        if (!(confidence is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "must be between 0 and 1");
        }
    }

    private static void Check(long successes, long trials, double confidence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        CheckConfidence(confidence);
    }
}
