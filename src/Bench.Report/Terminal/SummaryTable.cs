using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Report.Model;
using Spectre.Console;

namespace Bench.Report.Terminal;

/// <summary>Prints the end-of-run summary table (Spectre.Console; plain text when output is redirected).</summary>
public static class SummaryTable
{
    /// <summary>Writes one row per target × model × mode (the target column first, left out only for results written
    /// before targets existed; successes, TTFT and E2E mean/p95 in ms, TPOT p50, mean tokens in/out,
    /// USD per 1k requests), the plan in two or three lines (<see cref="PlanLines"/>) and one line per sweep to <paramref name="output"/>: styled when it is an interactive
    /// terminal, plain and 200 columns wide otherwise.</summary>
    public static void Print(RunReport report, TextWriter output)
    {
        var table = new Table().Border(TableBorder.Simple);
        var targets = report.Cells.Any(c => c.Summary.Target is not null);
        string[] headers = ["model", "mode", "ok", "TTFT mean", "TTFT p95", "E2E mean", "E2E p95", "TPOT p50", "tok in/out", "$/1k req"];
        foreach (var header in targets ? ["target", .. headers] : headers)
        {
            table.AddColumn(new TableColumn(header) { Alignment = header is "target" or "model" or "mode" ? Justify.Left : Justify.Right });
        }

        void AddRow(CellSummary s, params string[] cells) => table.AddRow(targets ? [Markup.Escape(s.Target ?? ""), .. cells] : cells);

        foreach (var c in report.Cells)
        {
            var s = c.Summary;
            var ttft = s.Get(Metric.Ttft);
            var e2e = s.Get(Metric.E2e);
            if (!Metric.HasRequestLatency(s.Mode))
            {
                // A batch line has no latency: the E2E columns carry the batch's turnaround, marked and explained below.
                AddRow(
                    s,
                    Markup.Escape(s.Model),
                    Names.Of(s.Mode),
                    $"{s.Successes}/{s.Requests}",
                    "–",
                    "–",
                    Turnaround(c.Batch?.TurnaroundSP50),
                    Turnaround(c.Batch?.TurnaroundSMax),
                    "–",
                    $"{Num(s.PromptTokensMean)}/{Num(s.CompletionTokensMean)}",
                    c.CostUsdPer1kRequests is { } batchCost ? "$" + batchCost.ToString("0.0000", CultureInfo.InvariantCulture) : "unpriced");
                continue;
            }

            AddRow(
                s,
                Markup.Escape(s.Model),
                // The policy beside the mode when the cell has one: two cells of one model and mode are told apart.
                s.Policy is { } policy ? Markup.Escape($"{Names.Of(s.Mode)} · {policy}") : Names.Of(s.Mode),
                $"{s.Successes}/{s.Requests}",
                Ms(ttft?.Mean),
                Ms(ttft?.P95),
                Ms(e2e?.Mean),
                Ms(e2e?.P95),
                Ms(s.Get(Metric.Tpot)?.P50, "0.0"),
                $"{Num(s.PromptTokensMean)}/{Num(s.CompletionTokensMean)}",
                c.CostUsdPer1kRequests is { } cost ? "$" + cost.ToString("0.0000", CultureInfo.InvariantCulture) : "unpriced");
        }

        var interactive = output == Console.Out && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
        });
        if (!interactive)
        {
            // Logs and files have no width: never wrap cells at the default 80 columns.
            console.Profile.Width = 200;
        }

        if (report.Cells.Count > 0)
        {
            console.Write(table);
        }

        if (report.Cells.Any(c => !Metric.HasRequestLatency(c.Summary.Mode)))
        {
            var simulated = report.Cells.Select(c => c.Batch).FirstOrDefault(b => b?.Simulated == true);
            console.WriteLine(simulated is null
                ? "* batch-api: batch turnaround (created → ended; p50 under E2E mean, max under E2E p95), not a per-request E2E."
                : string.Create(CultureInfo.InvariantCulture, $"* batch-api: batch turnaround (created → ended; p50 under E2E mean, max under E2E p95), not a per-request E2E; simulated ({simulated.TimeScale:0.##}× time scale)."));
        }

        foreach (var line in PlanLines.Of(report))
        {
            console.WriteLine(line);
        }

        foreach (var curve in report.Sweeps)
        {
            var verdict = curve.SustainableRatePerS is { } rate
                ? string.Create(CultureInfo.InvariantCulture, $"sustains {rate:0.##} req/s within SLO set {curve.Slo}")
                : $"met SLO set {curve.Slo} at no probed rate";
            console.WriteLine($"Sweep: {CellKey.Label(curve.Target, curve.Model, curve.Mode, null)} {verdict} ({curve.Points.Count} rates probed; curve in report.md).");
        }
    }

    private static string Ms(double? value, string format = "N0") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) + " ms" : "–";

    private static string Turnaround(double? seconds) => seconds is null ? "–" : Document.ReportDocumentBuilder.HumanDuration(seconds) + " *";

    private static string Num(double? value) => value is { } v ? v.ToString("0", CultureInfo.InvariantCulture) : "–";
}
