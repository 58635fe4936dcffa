using System.Globalization;
using Bench.Core.Thresholds;
using Bench.Report.Model;

namespace Bench.Report.Document;

/// <summary>The thresholds section's words (<see cref="RunReport.Thresholds"/>, ordered by
/// <see cref="ThresholdVerdicts"/>): the verdict, what a threshold is and how a cell is judged, and one row per
/// threshold × cell, failing first. Absent when the run declared no threshold, so such a run reads as before.</summary>
public static partial class ReportDocumentBuilder
{
    private static Section? ThresholdSection(RunReport report)
    {
        if (report.Thresholds.Count == 0)
        {
            return null;
        }

        var verdict = ThresholdVerdicts.Line(report.Thresholds)!;
        List<Block> blocks =
        [
            report.ThresholdsFailed ? new Quote([Strong(verdict)]) : Para(verdict),
            Para("Each threshold compares a cell's figure, as ", Code("summary.json"), " writes it, with its limit (k6's thresholds over Bench's metric catalogue). ",
                "A figure that does not apply to a cell's mode is skipped (TPOT of a non-streaming cell, any per-request latency of a batch-api cell); ",
                "a non-streaming cell's TTFT is judged on its E2E (its first token arrives with its end). ",
                "A cell the figure applies to but that has no value (no successful request, an unpriced model) fails as ", Strong("no data"),
                ", and so does a threshold that applies to no cell."),
        ];
        var rows = ThresholdVerdicts.Ordered(report.Thresholds).Select(t => Row(
        [
            t.Status switch { ThresholdStatus.Passed => "pass", ThresholdStatus.Failed => Strong("FAIL"), _ => Strong("no data") },
            Code(t.Expression),
            t.Cell is { } cell ? cell.ToString() : "(no cell)",
            t.Value is { } value ? value.ToString("0.######", CultureInfo.InvariantCulture) : "–",
            t.Reason,
        ]));
        blocks.Add(Table(["result", "threshold", "cell", "value", "why"], "LLLRL", rows));
        return new Section(Ids.Thresholds, "Thresholds", blocks);
    }
}
