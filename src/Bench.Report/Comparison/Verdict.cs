namespace Bench.Report.Comparison;

/// <summary>What <c>bench compare</c> concludes about one metric of one cell (dotnet/performance ResultsComparer's
/// words), in the metric's catalogue direction: a cost that fell is <see cref="Faster"/>, a success rate that fell is
/// <see cref="Slower"/>.</summary>
public enum Verdict
{
    /// <summary>Better than the baseline beyond the threshold and the noise floor.</summary>
    Faster,

    /// <summary>Worse than the baseline beyond the threshold and the noise floor: a regression.</summary>
    Slower,

    /// <summary>No difference beyond the threshold (or beyond the noise floor) was shown.</summary>
    Same,

    /// <summary>The samples cannot decide (too few, none, or no samples of this kind).</summary>
    Unknown,
}

/// <summary>How a row was judged.</summary>
public enum ComparisonMethod
{
    /// <summary>Perfolizer's equivalence test over the per-replicate values (<c>--repeat N</c> on both sides).</summary>
    Replicates,

    /// <summary>Perfolizer's equivalence test over per-request samples of one run a side (correlated: over-confident).</summary>
    Requests,

    /// <summary>Newcombe's hybrid score interval for the difference of two proportions against a margin.</summary>
    Proportions,

    /// <summary>Perfolizer's equivalence test over BenchmarkDotNet's measurement iterations.</summary>
    Iterations,

    /// <summary>An exact figure (allocated bytes per operation) compared against the noise floor.</summary>
    Exact,

    /// <summary>No test could be made.</summary>
    None,
}
