using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Statistics;
using Bench.Report.Model;

namespace Bench.Report.Document;

/// <summary>The words for replicate runs (<c>bench run --repeat N</c>): each cell's key figures across replicates.</summary>
public static partial class ReportDocumentBuilder
{
    /// <summary>The key figures of the section, in column order.</summary>
    private static readonly string[] ReplicateKeyFigures =
        ["success_rate", "ttft_ms_p50", "ttft_ms_p95", "e2e_ms_p50", "e2e_ms_p95", "output_tps", "cost_usd_per_1k_requests"];

    /// <summary>"Replicates": per cell, the key figures as mean ± sd across replicates with their coefficient of
    /// variation, what the spread means for comparisons, and which replicates are complete when the run was
    /// interrupted. Null for a run without replicates.</summary>
    private static Section? ReplicatesSection(RunReport report)
    {
        if (report.Replicates is not { } replicates)
        {
            return null;
        }

        var figures = ReplicateKeyFigures.Select(MetricCatalog.Find).ToList();
        var blocks = new List<Block>
        {
            Para(string.Create(Inv, $"The plan ran {replicates.Repeat} times (replicates {string.Join(", ", replicates.Replicates)}), "),
                "replicate r of every cell before replicate r+1 of any, so drift over the run hit every cell alike. ",
                "The tables above show every replicate together; here each figure is computed per replicate, then given as ",
                Strong("mean ± standard deviation across replicates"), " with its coefficient of variation (sd ÷ mean) below. ",
                "Per-replicate rows are in ", Code("replicates.csv"), "; every figure's n, mean, sd, min, median, max and 95 % t interval of the mean are in ",
                Code("summary.json"), " (", Code("replicates"), ")."),
        };
        if (replicates.Cells.Any(c => c.Combined.Summary.Mode == Core.Records.Mode.BatchApi))
        {
            blocks.Add(Para("Batch-api cells ran once, in replicate 1 (one batch per cell): ", Code("--repeat"),
                " repeats the synchronous cells only, so a batch-api cell has one replicate and no spread."));
        }

        if (replicates.CompleteReplicates is { } complete)
        {
            blocks.Add(Para(Strong("Interrupted: "), ReplicatesCompleteText(complete, replicates.Repeat),
                " An incomplete replicate's figures cover the requests it completed; compare complete replicates only."));
        }

        blocks.Add(Table([.. LeadHeaders(report), "replicates", .. figures.Select(f => f.Unit == "ms" ? $"{f.DisplayName} (ms)" : f.DisplayName)], LeadAlign(report) + "R" + new string('R', figures.Count),
            replicates.Cells.Select(cell => Row([.. Lead(report, cell.Combined.Summary),
                cell.Replicates.Count.ToString(Inv), .. figures.Select(f => (object)Spread(cell.Figure(f.Id)))]))));
        blocks.Add(Para("A change smaller than the replicates' spread cannot be told from noise: ",
            "a comparison between runs (", Code("bench compare"), ") needs a difference larger than the replicate-to-replicate variation of the figure it compares. ",
            "A coefficient of variation of a few per cent is a stable figure; tens of per cent mean more replicates (or longer ones) before a small change can be seen. ",
            "The spread is over replicates, not requests: requests within one run share its conditions and are correlated, so their spread understates the run-to-run one."));
        return new Section(Ids.Replicates, "Replicates", blocks);
    }

    /// <summary>"Complete replicates: 1, 2 of 3." or "No replicate of 3 completed."</summary>
    private static string ReplicatesCompleteText(IReadOnlyList<int> complete, int repeat) => complete.Count == 0
        ? string.Create(Inv, $" No replicate of {repeat} completed.")
        : string.Create(Inv, $" Complete replicates: {string.Join(", ", complete)} of {repeat}.");

    /// <summary>"123 ± 4 (CV 3.3 %)" in the figure's unit; "–" when the figure has no value in any replicate.</summary>
    private static string Spread(ReplicateFigure? figure)
    {
        if (figure is null)
        {
            return "–";
        }

        var s = figure.Statistics;
        var metric = figure.Metric;
        string Value(double v) => metric.Format == NumberFormat.Ratio ? Pct(v)
            : metric.Format == NumberFormat.Usd ? "$" + v.ToString("0.0000", Inv)
            : v.ToString(metric.Format == NumberFormat.TokenRate ? "N1" : "N0", Inv);
        string Deviation(double v) => metric.Format == NumberFormat.Ratio ? (v * 100).ToString("0.0#", Inv) + " pp"
            : metric.Format == NumberFormat.Usd ? "$" + v.ToString("0.0000", Inv)
            : v.ToString(metric.Format == NumberFormat.TokenRate ? "N1" : "N0", Inv);
        return s.Sd is { } sd
            ? $"{Value(s.Mean)} ± {Deviation(sd)}{(s.Cv is { } cv ? string.Create(Inv, $" (CV {cv * 100:0.0} %)") : "")}"
            : $"{Value(s.Mean)} (one replicate)";
    }
}
