using Bench.Core.Thresholds;

namespace Bench.Report.Model;

/// <summary>The judgement over a run's threshold results (<see cref="RunReport.Thresholds"/>), shared by the terminal
/// table, the report section and <c>summary.json</c>: the order they are shown in, the status names, the one-line
/// verdict.</summary>
public static class ThresholdVerdicts
{
    /// <summary>Failing rows first (failed, then no data), then the passed ones; within each, threshold then cell order
    /// (a stable sort of <paramref name="results"/>).</summary>
    public static IReadOnlyList<ThresholdResult> Ordered(IReadOnlyList<ThresholdResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return [.. results.OrderBy(r => r.Status switch { ThresholdStatus.Failed => 0, ThresholdStatus.NoData => 1, _ => 2 })];
    }

    /// <summary>The status as files write it: <c>passed</c>, <c>failed</c>, <c>no_data</c>.</summary>
    public static string StatusName(ThresholdStatus status) => status switch
    {
        ThresholdStatus.Passed => "passed",
        ThresholdStatus.Failed => "failed",
        ThresholdStatus.NoData => "no_data",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>The verdict in one line: <c>Thresholds: 2 of 6 checks failed (exit code 99).</c> or <c>Thresholds: all 6
    /// checks passed.</c>; null when there were none.</summary>
    public static string? Line(IReadOnlyList<ThresholdResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            return null;
        }

        var failing = results.Count(r => !r.Passed);
        var noData = results.Count(r => r.Status == ThresholdStatus.NoData);
        var checks = results.Count == 1 ? "check" : "checks";
        return failing == 0
            ? $"Thresholds: all {results.Count} {checks} passed."
            : $"Thresholds: {failing} of {results.Count} {checks} failed{(noData > 0 ? $" ({noData} without data)" : "")}: exit code 99.";
    }
}
