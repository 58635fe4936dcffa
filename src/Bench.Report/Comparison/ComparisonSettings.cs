using System.Text.RegularExpressions;

namespace Bench.Report.Comparison;

/// <summary>How <c>bench compare</c> judges (its flags, parsed).</summary>
public sealed record ComparisonSettings
{
    /// <summary>Default practical threshold over replicates and BenchmarkDotNet iterations: 5 % (ResultsComparer's).</summary>
    public static readonly CompareThreshold DefaultReplicateThreshold = CompareThreshold.Parse("5%");

    /// <summary>Default over per-request samples: 10 %, more conservative because requests within one run are
    /// correlated and the test over-states its confidence.</summary>
    public static readonly CompareThreshold DefaultRequestThreshold = CompareThreshold.Parse("10%");

    /// <summary>Default noise floor: 5 ms for time metrics — below it is the client machine's own timer and scheduler
    /// jitter, not the endpoint (this project's 2-core VM measured scheduler lag p99 of 6.7–23 ms while busy, and
    /// eng/gate-check's one remaining same-against-same false alarm at 1 ms was the simulator's ~1 ms TTFB doubling on a
    /// busy machine); 0 for the others (their threshold alone decides).</summary>
    public static readonly CompareThreshold DefaultNoise = CompareThreshold.Parse("5ms");

    /// <summary><c>--threshold</c>, or null for the defaults.</summary>
    public CompareThreshold? Threshold { get; init; }

    /// <summary><c>--noise</c>, or null for <see cref="DefaultNoise"/>.</summary>
    public CompareThreshold? Noise { get; init; }

    /// <summary><c>--rate-threshold</c>: the margin, as a difference of proportions (0.01 = 1 percentage point).</summary>
    public double RateMargin { get; init; } = 0.01;

    /// <summary><c>--alpha</c>: the significance level of each one-sided test (0.01).</summary>
    public double Alpha { get; init; } = 0.01;

    /// <summary><c>--fail-on</c>: metric id globs whose <see cref="Verdict.Slower"/> fails the build; empty = all.</summary>
    public IReadOnlyList<string> FailOn { get; init; } = [];

    /// <summary>Whether <paramref name="metricId"/> can fail the build.</summary>
    public bool Fails(string metricId) => FailOn.Count == 0 || FailOn.Any(g => Glob(g).IsMatch(metricId));

    /// <summary>A glob (<c>*</c> any run of characters) as an anchored regular expression.</summary>
    public static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>The threshold for a metric in <paramref name="unit"/> judged by <paramref name="method"/>.</summary>
    public CompareThreshold ThresholdFor(string unit, ComparisonMethod method) =>
        Threshold is { } t && t.AppliesTo(unit) ? t : method == ComparisonMethod.Requests ? DefaultRequestThreshold : DefaultReplicateThreshold;

    /// <summary>Default noise floor of a micro-benchmark's allocated bytes per operation: 1 %. BenchmarkDotNet's figure
    /// for the same code moves by a few bytes between runs (10,200 B against 10,203 B for one stream read, measured
    /// while refreshing the committed baseline), which an exact comparison called a regression; a real one (8 more
    /// bytes a chunk over 2,029 chunks is 16 KB) is far above 1 %.</summary>
    public static readonly CompareThreshold DefaultAllocatedNoise = CompareThreshold.Parse("1%");

    /// <summary>The noise floor for a metric in <paramref name="unit"/>.</summary>
    public CompareThreshold NoiseFor(string unit) =>
        Noise is { } n ? (n.AppliesTo(unit) ? n : CompareThreshold.Zero)
        : unit is "ms" or "s" ? DefaultNoise
        : unit == "B" ? DefaultAllocatedNoise
        : CompareThreshold.Zero;
}
