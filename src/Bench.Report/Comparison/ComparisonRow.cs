using Bench.Core.Metrics;

namespace Bench.Report.Comparison;

/// <summary>One metric of one cell (or one benchmark case) compared.</summary>
public sealed record ComparisonRow
{
    /// <summary>The cell (<c>target · model · mode[ · policy]</c>, the current run's target; no target part for a
    /// folder written before targets) or the benchmark's full name.</summary>
    public required string Cell { get; init; }

    /// <summary>The current run's target (runs; null for a folder written before targets), else null.</summary>
    public string? Target { get; init; }

    /// <summary>Model id (runs), else null.</summary>
    public string? Model { get; init; }

    /// <summary>Mode (runs), else null.</summary>
    public string? Mode { get; init; }

    /// <summary>Resilience policy, or null.</summary>
    public string? Policy { get; init; }

    /// <summary>Catalogue id (<c>ttft_ms_p95</c>), or <c>time_ns</c>/<c>allocated_bytes</c> for a benchmark.</summary>
    public required string MetricId { get; init; }

    /// <summary>Unit of <see cref="Baseline"/> and <see cref="Current"/>.</summary>
    public required string Unit { get; init; }

    /// <summary>Which way is better.</summary>
    public MetricDirection Direction { get; init; }

    /// <summary>The baseline's figure (the combined cell; a benchmark's median).</summary>
    public double Baseline { get; init; }

    /// <summary>The current figure.</summary>
    public double Current { get; init; }

    /// <summary>Current − baseline, in <see cref="Unit"/>.</summary>
    public double AbsoluteChange => Current - Baseline;

    /// <summary>(Current − baseline) / |baseline|, or null when the baseline is 0.</summary>
    public double? RelativeChange => Baseline == 0 ? null : (Current - Baseline) / Math.Abs(Baseline);

    /// <summary>The verdict, in the metric's direction.</summary>
    public Verdict Verdict { get; init; }

    /// <summary>How it was judged.</summary>
    public ComparisonMethod Method { get; init; }

    /// <summary>Samples on the baseline side (replicates, requests, iterations, or trials for a proportion).</summary>
    public long BaselineSamples { get; init; }

    /// <summary>Samples on the current side.</summary>
    public long CurrentSamples { get; init; }

    /// <summary>The practical threshold used (<c>5%</c>, <c>20ms</c>, <c>1pp</c>), or null.</summary>
    public string? Threshold { get; init; }

    /// <summary>The noise floor used, or null.</summary>
    public string? Noise { get; init; }

    /// <summary>One-sided Mann–Whitney p-value for "current exceeds baseline by more than the threshold".</summary>
    public double? PValueGreater { get; init; }

    /// <summary>One-sided Mann–Whitney p-value for "baseline exceeds current by more than the threshold".</summary>
    public double? PValueLesser { get; init; }

    /// <summary>Proportions: the lower bound of the 1 − 2α interval for current − baseline.</summary>
    public double? IntervalLower { get; init; }

    /// <summary>Proportions: the upper bound.</summary>
    public double? IntervalUpper { get; init; }

    /// <summary>Why the verdict is what it is, when not evident (Unknown's reason, the practical-significance shortcut).</summary>
    public string? Note { get; init; }

    /// <summary>Whether a <see cref="Verdict.Slower"/> here fails the build (<c>--fail-on</c>).</summary>
    public bool FailOn { get; init; }

    /// <summary>A regression that fails the build.</summary>
    public bool Regression => Verdict == Verdict.Slower && FailOn;
}

/// <summary>The whole comparison: rows, unmatched cells and the notes the outputs must print.</summary>
public sealed class Comparison
{
    /// <summary>Printed whenever a row was judged over per-request samples.</summary>
    public const string CorrelationCaveat =
        "requests within one run are correlated: this test over-states confidence; run both sides with --repeat N";

    /// <summary>Printed for runs: both sides are priced with one catalogue.</summary>
    public const string PriceNote =
        "both sides are priced with one price catalogue (built-in, or --prices), so a price change is never reported as a change";

    /// <summary>Baseline folder.</summary>
    public required string Baseline { get; init; }

    /// <summary>Current folder.</summary>
    public required string Current { get; init; }

    /// <summary>What both sides are.</summary>
    public SideKind Kind { get; init; }

    /// <summary>Every row, in cell then catalogue order.</summary>
    public required IReadOnlyList<ComparisonRow> Rows { get; init; }

    /// <summary>Cells or benchmarks only in the baseline (not judged).</summary>
    public IReadOnlyList<string> OnlyInBaseline { get; init; } = [];

    /// <summary>Cells or benchmarks only in the current side (not judged).</summary>
    public IReadOnlyList<string> OnlyInCurrent { get; init; } = [];

    /// <summary>The settings judged with.</summary>
    public required ComparisonSettings Settings { get; init; }

    /// <summary>Whether any row was judged over per-request samples (the caveat applies).</summary>
    public bool UsedRequestSamples => Rows.Any(r => r.Method == ComparisonMethod.Requests);

    /// <summary>Rows with <paramref name="verdict"/>.</summary>
    public int Count(Verdict verdict) => Rows.Count(r => r.Verdict == verdict);

    /// <summary>Regressions on fail-on metrics.</summary>
    public int Regressions => Rows.Count(r => r.Regression);

    /// <summary>The notes every output prints.</summary>
    public IReadOnlyList<string> Notes =>
    [
        .. Kind == SideKind.Run ? new[] { PriceNote } : [],
        .. UsedRequestSamples ? new[] { "Caveat: " + CorrelationCaveat } : [],
    ];

    /// <summary>One line: the counts and the exit verdict.</summary>
    public string SummaryLine =>
        $"{(Regressions > 0 ? "FAIL" : "PASS")}: {Count(Verdict.Slower)} slower ({Regressions} failing the build), {Count(Verdict.Faster)} faster, " +
        $"{Count(Verdict.Same)} same, {Count(Verdict.Unknown)} unknown over {Rows.Select(r => r.Cell).Distinct().Count()} " +
        $"{(Kind == SideKind.Micro ? "benchmark(s)" : "cell(s)")}";
}
