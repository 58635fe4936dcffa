namespace Bench.Core.Statistics;

/// <summary>
/// A small sample of run-level values (one figure of each replicate of a cell, <c>bench run --repeat N</c>) described
/// as a comparison needs it: count, mean, sample standard deviation (n − 1 in the denominator), minimum, median
/// (R's <c>median</c>: the middle value, or the mean of the two middle values), maximum, the coefficient of variation
/// (sd ÷ |mean|) and a two-sided confidence interval of the mean from Student's t distribution:
/// mean ± t(1 − α/2; n − 1) · sd / √n (Student, Biometrika 6, 1908; the interval R's <c>t.test(x)$conf.int</c>
/// reports), computed by <see cref="MeanInterval.Mean"/> (Perfolizer's Student distribution). The interval assumes replicates are
/// independent draws of a roughly normal run-level figure, which is why replicates, not requests, are its samples:
/// requests within one run share the run's conditions and are correlated.
/// </summary>
/// <param name="N">Values (nulls excluded).</param>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="Sd">Sample standard deviation; null when <paramref name="N"/> is 1.</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Median">Median.</param>
/// <param name="Max">Largest value.</param>
/// <param name="MeanCiLow">Lower bound of the interval of the mean; null when <paramref name="N"/> is 1.</param>
/// <param name="MeanCiHigh">Upper bound of the interval of the mean; null when <paramref name="N"/> is 1.</param>
/// <param name="Cv">Coefficient of variation, sd ÷ |mean|; null when <paramref name="N"/> is 1 or the mean is 0.</param>
public sealed record SampleSummary(int N, double Mean, double? Sd, double Min, double Median, double Max, double? MeanCiLow, double? MeanCiHigh, double? Cv)
{
    /// <summary>Describes <paramref name="values"/> with a <paramref name="confidence"/> interval of the mean (0.95 for
    /// 95 %); null when there is no value.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="confidence"/> is not between 0 and 1, or a value
    /// is not finite.</exception>
    public static SampleSummary? Of(IEnumerable<double> values, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(confidence is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "must be between 0 and 1");
        }

        var sorted = values.ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        if (sorted.Any(v => !double.IsFinite(v)))
        {
            throw new ArgumentOutOfRangeException(nameof(values), "every value must be a finite number");
        }

        Array.Sort(sorted);
        var n = sorted.Length;
        var mean = sorted.Average();
        var median = n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
        if (n == 1)
        {
            return new SampleSummary(1, mean, null, sorted[0], median, sorted[0], null, null, null);
        }

        var variance = sorted.Sum(v => (v - mean) * (v - mean)) / (n - 1);
        var sd = Math.Sqrt(variance);
        var interval = MeanInterval.Mean(n, mean, variance, confidence)!.Value;
        return new SampleSummary(n, mean, sd, sorted[0], median, sorted[^1], interval.Lower, interval.Upper, mean == 0 ? null : sd / Math.Abs(mean));
    }
}
