namespace Bench.Core.Metrics;

/// <summary>One key of a non-cell block of <c>summary.json</c>: its name and what it holds.</summary>
/// <param name="Name">The JSON property name.</param>
/// <param name="Definition">What it holds, with its unit.</param>
public sealed record SummaryJsonField(string Name, string Definition);

public static partial class MetricCatalog
{
    /// <summary>The top-level key of <c>summary.json</c> holding the threshold results (written only when the run
    /// declared thresholds).</summary>
    public const string ThresholdsJsonKey = "thresholds";

    /// <summary>The keys of each element of <c>summary.json</c>'s top-level <c>thresholds</c> array (one per threshold ×
    /// cell judged, failing first as in the table, or one without a cell for a threshold that applied to none), in
    /// file order. <c>MetricCatalogExportTests</c> fails when the exporter writes a key not declared here.</summary>
    public static IReadOnlyList<SummaryJsonField> ThresholdJsonFields { get; } =
    [
        new("expression", "the threshold as written: METRIC[{CELL,...}] OP NUMBER, with the cells field's selectors after it when given"),
        new("target", "the cell's target; null when the threshold applied to no cell or for results written before targets existed"),
        new("model", "the cell's model; null when the threshold applied to no cell"),
        new("mode", "the cell's mode; null when the threshold applied to no cell"),
        new("policy", "the cell's resilience policy; null for none (and when the threshold applied to no cell)"),
        new("metric", "the catalogue id the expression names (ttft_ms_p95)"),
        new("judged_as", "the catalogue id read: the metric, or what stands for it in the cell's mode (e2e_ms_p95 for a non-streaming cell's ttft_ms_p95)"),
        new("value", "the cell's figure as this file writes it (rounded by its format), in the metric's unit; null when it has none"),
        new("op", "the comparison: <, <=, >, >=, == or !="),
        new("limit", "the number compared with, in the metric's unit"),
        new("status", "passed, failed or no_data (no value, or no cell the metric applies to; counts as a failure)"),
        new("passed", "true when status is passed"),
        new("reason", "the comparison in words (612.5 is not < 500) or why there is no data"),
        new("abort_on_fail", "true when the threshold stops the run after the first cell that fails it"),
    ];
}
