using System.Globalization;
using Bench.Core.Batches;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Report.Model;

namespace Bench.Report.Document;

/// <summary>The words for the Batch API: the three ways to call per model and the routing table.</summary>
public static partial class ReportDocumentBuilder
{
    /// <summary>"Three ways to call, per model": streaming, non-streaming and batch-api side by side, a paragraph a
    /// team lead reads (which traffic belongs where), and each batch's figures. Null for a run without batch-api
    /// cells.</summary>
    private static Section? CallModesSection(RunReport report)
    {
        var batchCells = report.Cells.Where(c => c.Summary.Mode == Mode.BatchApi).ToList();
        if (batchCells.Count == 0)
        {
            return null;
        }

        var blocks = new List<Block>
        {
            Para("Streaming shows the first token soonest; non-streaming returns the whole answer in one response; the Batch API takes a file of requests and returns the results later, at its own prices. ",
                "A batch line has no latency of its own: its wait is its batch's ", Strong("turnaround"), " (created → ended, on the provider's clock). ",
                string.Create(Inv, $"Cost per 1,000 requests is at each mode's prices (batch-api at the Batch API's); the monthly projection is {report.Projection.MonthlyRequests:N0} requests at each cell's measured token mix.")),
        };
        foreach (var model in report.CallModes)
        {
            blocks.Add(Para(Strong(Model.ModeComparison.Key(model.Batch.Cell.Summary.Target, model.Model))));
            blocks.Add(Table(["mode", "waits for", "p50", "p95", "success", MetricCatalog.CostUsdPer1kRequests.DisplayName, "USD / month", "prices"], "LLRRRRRL",
                model.Modes.Select(ModeRow)));
            blocks.Add(Para([.. Advice(model, report)]));
            blocks.AddRange(BatchDetails(model.Batch.Cell));
        }

        // A batch-api cell without a synchronous cell of its model: its figures, without a comparison.
        foreach (var cell in batchCells.Where(c => report.CallModes.All(m => m.Model != c.Summary.Model || m.Batch.Cell.Summary.Target != c.Summary.Target)))
        {
            blocks.Add(Para(Strong(Model.ModeComparison.Key(cell.Summary.Target, cell.Summary.Model)), string.Create(Inv, $": only batch-api was measured; {Pct(cell.Summary.SuccessRate)} of {cell.Summary.Requests:N0} lines succeeded, {CostText(cell)} per 1,000 requests.")));
            blocks.AddRange(BatchDetails(cell));
        }

        return new Section(Ids.CallModes, "Three ways to call, per model", blocks);
    }

    private static IReadOnlyList<IReadOnlyList<Span>> ModeRow(CallMode m)
    {
        var c = m.Cell;
        var (waits, p50, p95) = m.Mode switch
        {
            Mode.Streaming => ("first token (TTFT)", HumanDuration(m.Wait?.P50 / 1000), HumanDuration(m.Wait?.P95 / 1000)),
            Mode.NonStreaming => ("full answer (E2E)", HumanDuration(m.Wait?.P50 / 1000), HumanDuration(m.Wait?.P95 / 1000)),
            _ => c.Batch is { } b
                ? b.Count == 1
                    ? ("turnaround (one batch)", Turnaround(b, b.TurnaroundSP50), b.TurnaroundSP50 is null ? "–" : "one batch")
                    : (string.Create(Inv, $"turnaround ({b.Count} batches, max {Turnaround(b, b.TurnaroundSMax)})"), Turnaround(b, b.TurnaroundSP50), Turnaround(b, b.TurnaroundSP95))
                : ("turnaround (no batch record)", "–", "–"),
        };
        if (c.Summary.Successes == 0 && m.Mode != Mode.BatchApi)
        {
            (p50, p95) = ("no success", "–");
        }

        return Row([Names.Of(m.Mode), waits, p50, p95, Pct(c.Summary.SuccessRate), CostText(c), m.Monthly is { } budget ? Money(budget.TotalCostUsd) : "not priced",
            c.Cost.Tier == PriceTier.Batch ? c.Price is null ? "no batch price" : "batch" : c.Price is null ? "no price" : "standard"]);
    }

    /// <summary>The paragraph a team lead reads for one model: which traffic belongs where, with the figures behind it.</summary>
    private static IEnumerable<Span> Advice(CallModes model, RunReport report)
    {
        var streaming = model.Modes.FirstOrDefault(m => m.Mode == Mode.Streaming);
        var whole = model.Modes.FirstOrDefault(m => m.Mode == Mode.NonStreaming);
        var batch = model.Batch;
        if (streaming?.Wait is { } ttft)
        {
            yield return $"Interactive traffic belongs on streaming: the first token shows after {HumanDuration(ttft.P50 / 1000)} (p95 {HumanDuration(ttft.P95 / 1000)})";
            yield return whole?.Wait is { } e2e ? $", where a whole non-streaming answer takes {HumanDuration(e2e.P50 / 1000)} (p95 {HumanDuration(e2e.P95 / 1000)}). " : ". ";
        }
        else if (whole?.Wait is { } e2e)
        {
            yield return $"Synchronous traffic gets its whole answer in {HumanDuration(e2e.P50 / 1000)} (p95 {HumanDuration(e2e.P95 / 1000)}). ";
        }

        var b = batch.Cell.Batch;
        var turnaround = b?.TurnaroundSMax is { } max
            ? b.Count == 1 ? $"its batch came back in {Turnaround(b, max)}" : $"its batches came back in {Turnaround(b, b.TurnaroundSP50)} (median; the slowest {Turnaround(b, max)})"
            : "its batch did not finish while Bench waited";
        yield return "Work that can wait belongs in the Batch API: ";
        yield return turnaround;
        if (model.SavingPercent is { } percent && model.CheaperSynchronous is { } sync)
        {
            var saving = model.SavingPerSuccessUsd!.Value;
            if (saving >= 0)
            {
                yield return $", and answers cost {PerSuccessText(batch.Cell)} in batch against {PerSuccessText(sync.Cell)} {Names.Of(sync.Mode)} (the cheaper synchronous mode): ";
                yield return Strong(percent.ToString("0.#", Inv) + " % less");
            }
            else
            {
                yield return $", but answers cost {PerSuccessText(batch.Cell)} in batch against {PerSuccessText(sync.Cell)} {Names.Of(sync.Mode)} ({(-percent).ToString("0.#", Inv)} % more)";
            }

            yield return model.SavingMonthlyUsd is { } monthly
                ? string.Create(Inv, $", {Money(Math.Abs(monthly))} USD per month {(monthly >= 0 ? "saved" : "added")} at {report.Projection.MonthlyRequests:N0} requests. ")
                : ". ";
        }
        else if (batch.Cell.Price is null)
        {
            yield return $"; it is not priced in batch ({batch.Cell.Unpriced}), so its saving cannot be stated. ";
        }
        else
        {
            yield return "; no synchronous mode of this model is priced, so the saving cannot be stated. ";
        }

        var syncRate = model.Modes.Where(m => m.Mode != Mode.BatchApi).Select(m => m.Cell.Summary.SuccessRate).DefaultIfEmpty(0).Max();
        var batchRate = batch.Cell.Summary.SuccessRate;
        if (batchRate < syncRate)
        {
            var failed = batch.Cell.Summary.Outcomes.Where(o => o.Key != Outcome.Success && o.Key.IsAttempt() && o.Value > 0)
                .Select(o => string.Create(Inv, $"{o.Value:N0} {Names.Of(o.Key)}"));
            yield return $"Only {Pct(batchRate)} of its lines succeeded ({string.Join(", ", failed)}) against {Pct(syncRate)} synchronously: plan to resubmit failed lines. ";
        }

        if (b?.Simulated == true)
        {
            yield return string.Create(Inv, $"The turnaround is simulated (the embedded simulator's batch clock ran {b.TimeScale:0.##}× real time): measure against the real endpoint before promising it. ");
        }

        yield return "A batch may take up to its completion window (24 h): route there only what can wait that long.";
    }

    /// <summary>Each batch of a batch-api cell: id, status, lines and counts, turnaround, queue, rate, polls.</summary>
    private static IEnumerable<Block> BatchDetails(CellResult cell)
    {
        if (cell.Batch is not { } summary)
        {
            yield return Para(Code(cell.Summary.Model), " · batch-api: no batch record (", Code("batches.jsonl"), ") was found for this cell; its lines are counted, its turnaround is unknown.");
            yield break;
        }

        yield return Table(["batch", "status", "lines", "completed / failed", "turnaround", "queue", "lines/s", "observed (Bench's clock)", "polls"], "LLRRRRRRR",
            summary.Batches.Select(b => Row(
            [
                b.BatchId is { } id ? Code(id) : "not created",
                b.Ending == BatchEndings.Ended ? b.Status ?? "–" : $"{b.Status ?? "–"} ({b.Ending.Replace('_', ' ')})",
                b.Lines.ToString("N0", Inv),
                b.RequestCounts is { } counts ? string.Create(Inv, $"{counts.Completed:N0} / {counts.Failed:N0}") : "–",
                Turnaround(b, b.TurnaroundS),
                Turnaround(b, b.QueueS),
                b.LinesPerS is { } rate ? (b.Simulated ? $"{rate.ToString("0.##", Inv)} (simulated)" : rate.ToString("0.##", Inv)) : "–",
                HumanDuration(b.ObservedTurnaroundS),
                b.Polls.ToString("N0", Inv),
            ])));
        foreach (var b in summary.Batches.Where(b => b.Message is not null))
        {
            yield return Para(Code(b.BatchId ?? cell.Summary.Model), $": {b.Message}");
        }
    }

    /// <summary>The routing table: each <c>--mix</c> with batch-api shares priced as one budget against the same volume
    /// all-synchronous. Null without such a mix.</summary>
    private static Section? RoutingSection(RunReport report)
    {
        if (report.Routing.Count == 0)
        {
            return null;
        }

        var blocks = new List<Block>
        {
            Para("Interactive share synchronous, bulk share batch: each share's monthly requests priced at the measured token mix of its model × mode (batch-api at batch prices), against the same requests sent all-synchronously (each batch share on its model's cheaper synchronous mode)."),
        };
        foreach (var plan in report.Routing)
        {
            blocks.Add(Para("Routing ", Code(plan.Mix.ToString()), string.Create(Inv, $" ({plan.MonthlyRequests:N0} requests per month):")));
            blocks.Add(Table(["share", "model", "mode", "requests / month", "USD / month", "all-synchronous USD / month"], "RLLRRR", plan.Lines.Select(l => Row(
            [
                l.Share.Percent.ToString("0.##", Inv) + " %",
                l.Share.Model,
                l.Share.Mode ?? (l.Cell is { } c ? Names.Of(c.Summary.Mode) : "synchronous"),
                l.Requests.ToString("N0", Inv),
                l.Cost is { } cost ? Money(cost.TotalCostUsd) : "not priced",
                l.SynchronousCost is { } sync ? l.IsBatch ? $"{Money(sync.TotalCostUsd)} ({Names.Of(l.Synchronous!.Summary.Mode)})" : Money(sync.TotalCostUsd) : "–",
            ]))));
            if (plan.TotalUsd is { } total)
            {
                blocks.Add(Para(Strong(string.Create(Inv, $"Budget: {Money(total)} USD per month")),
                    plan.SavingUsd is { } saving && plan.SynchronousUsd is { } all
                        ? string.Create(Inv, $", against {Money(all)} USD all-synchronous: {(saving >= 0 ? "a saving of" : "an extra")} {Money(Math.Abs(saving))} USD per month ({Math.Abs(plan.SavingPercent ?? 0).ToString("0.#", Inv)} %).")
                        : "; the all-synchronous comparison is not priced (a batch share's model has no priced synchronous cell in this run)."));
            }
            else
            {
                blocks.Add(Para(Strong("No budget"), string.Create(Inv, $": a share is not priced, and an unpriced share is never guessed. The priced shares alone come to {Money(plan.PricedUsd)} USD per month.")));
                blocks.Add(new BulletList([.. plan.Lines.Where(l => l.Unpriced is not null).Select(l => (IReadOnlyList<Span>)[$"{l.Share}: {l.Unpriced}."])]));
            }
        }

        return new Section(Ids.Routing, "Routing: synchronous and batch as one budget", blocks);
    }

    private static string CostText(CellResult c) => c.CostUsdPer1kRequests is { } cost ? "$" + cost.ToString("0.0000", Inv) : "not priced";

    /// <summary>Cost per 1,000 successful answers: "$0.3560 per 1,000 answers".</summary>
    private static string PerSuccessText(CellResult c) => c.CostUsdPerSuccess is { } cost ? "$" + (cost * 1000m).ToString("0.0000", Inv) + " per 1,000 answers" : "not priced";

    /// <summary>A batch figure in provider seconds, labelled when simulated: "18 min (simulated, 600× time scale)".</summary>
    private static string Turnaround(BatchRecord b, double? seconds) =>
        seconds is { } s ? b.Simulated ? string.Create(Inv, $"{HumanDuration(s)} (simulated, {b.TimeScale:0.##}× time scale)") : HumanDuration(s) : "–";

    private static string Turnaround(BatchSummary b, double? seconds) =>
        seconds is { } s ? b.Simulated ? string.Create(Inv, $"{HumanDuration(s)} (simulated, {b.TimeScale:0.##}× time scale)") : HumanDuration(s) : "–";

    /// <summary>A duration in the unit a reader expects: ms under a second, then s, min, h ("850 ms", "12 s", "18 min",
    /// "2.4 h"); two significant figures under ten of a unit.</summary>
    public static string HumanDuration(double? seconds)
    {
        if (seconds is not { } s || !double.IsFinite(s))
        {
            return "–";
        }

        static string Figure(double value) => value.ToString(value < 10 ? "0.#" : "N0", CultureInfo.InvariantCulture);
        return s switch
        {
            < 1 => Figure(s * 1000) + " ms",
            < 60 => Figure(s) + " s",
            < 3600 => Figure(s / 60) + " min",
            _ => Figure(s / 3600) + " h",
        };
    }
}
