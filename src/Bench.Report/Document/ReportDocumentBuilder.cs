using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Report.Charts;
using Bench.Report.Model;

namespace Bench.Report.Document;

/// <summary>
/// Writes a <see cref="RunReport"/> as a <see cref="ReportDocument"/>: the summary table, the recommendation, schedule
/// keeping, a plain-words comparison of streaming against non-streaming per model, SLOs, sweeps, cost per 1,000
/// requests with the price source, the monthly projection, failures, token counts and the metric definitions — every
/// figure and verdict read from the model (and the table headers from <see cref="MetricCatalog"/>), put into words
/// here once for both <c>report.md</c> and <c>report.html</c>. Invariant culture throughout.
/// </summary>
public static partial class ReportDocumentBuilder
{
    /// <summary>Section ids, stable across runs (the HTML anchors).</summary>
    public static class Ids
    {
        /// <summary>The executive summary: the decision per traffic class, the plan as one budget (the first section).</summary>
        public const string Executive = "executive-summary";

        /// <summary>The run's metadata, after the executive summary (when there is one; else it heads the page).</summary>
        public const string Run = "about-this-run";

        /// <summary>The budget plan: every option per traffic class, priced as paid.</summary>
        public const string BudgetPlan = "budget-plan";

        /// <summary>The summary table.</summary>
        public const string Summary = "summary";

        /// <summary>Threshold results (the CI gate).</summary>
        public const string Thresholds = "thresholds";

        /// <summary>The recommendation per SLO set.</summary>
        public const string Recommendation = "recommendation";

        /// <summary>Schedule keeping (open load).</summary>
        public const string Schedule = "schedule-open-load";

        /// <summary>Streaming against non-streaming.</summary>
        public const string Comparison = "streaming-against-non-streaming";

        /// <summary>Three ways to call (streaming, non-streaming, batch-api), per model.</summary>
        public const string CallModes = "three-ways-to-call";

        /// <summary>Multi-turn sessions: per turn, TTFT and cost as the history grows.</summary>
        public const string Conversations = "conversations-per-turn";

        /// <summary>Routing plans: synchronous and batch shares as one budget.</summary>
        public const string Routing = "routing";

        /// <summary>Latency distribution charts (HTML only).</summary>
        public const string Distributions = "latency-distributions";

        /// <summary>Latency and throughput over the run (HTML only).</summary>
        public const string OverTime = "over-the-run";

        /// <summary>SLOs and goodput.</summary>
        public const string Slos = "slos-and-goodput";

        /// <summary>Sweep curves.</summary>
        public const string Sweep = "sweep-the-highest-rate-that-meets-the-slos";

        /// <summary>Resilience policies: what each did, in figures and in words.</summary>
        public const string Resilience = "resilience";

        /// <summary>Cost per 1,000 requests.</summary>
        public const string Cost = "cost-per-1000-requests";

        /// <summary>Monthly projection (its title carries the volume; the id does not, so links survive a new volume).</summary>
        public const string Projection = "monthly-projection";

        /// <summary>Failures.</summary>
        public const string Failures = "failures";

        /// <summary>Requests whose usage was not believed.</summary>
        public const string Usage = "usage-not-believed";

        /// <summary>Token counts against a local tokenizer.</summary>
        public const string TokenCounts = "token-counts-server-against-local-tokenizer";

        /// <summary>Intended against achieved prompt and answer lengths.</summary>
        public const string Lengths = "intended-against-achieved-lengths";

        /// <summary>Metric definitions.</summary>
        public const string Definitions = "definitions";

        /// <summary>Replicates: each cell's key figures across replicates (a run with <c>--repeat N</c>).</summary>
        public const string Replicates = "replicates";
    }

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Builds the document of <paramref name="report"/>.</summary>
    public static ReportDocument Build(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var run = report.Run;
        List<Span> scenario = ["Scenario: ", Strong(run.Scenario)];
        if (run.ScenarioFile is not null)
        {
            scenario.AddRange([" (", Code(run.ScenarioFile), ")"]);
        }

        List<IReadOnlyList<Span>> batchLine = report.BatchesRead is { } batches
            ? [[string.Create(Inv, $"Batch jobs: {batches.Records:N0} (batches.jsonl){(batches.Skipped > 0 ? string.Create(Inv, $"; {batches.Skipped} unreadable line(s) skipped (lines {string.Join(", ", batches.SkippedLines.Take(5))}{(batches.Skipped > 5 ? ", …" : "")}): those batches' turnaround is unknown") : "")}")]]
            : [];
        var header = new BulletList(
        [
            scenario,
            [$"Target: {run.Target}"],
            // The targets the cells were measured at (one mention serves every chart of a one-target run).
            .. Targets(report) is [_, ..] targets ? [[$"Cells' targets: {string.Join(", ", targets)}"]] : Array.Empty<IReadOnlyList<Span>>(),
            [string.Create(Inv, $"Started {run.StartedUtc:yyyy-MM-dd HH:mm:ss} UTC{(run.EndedUtc is { } end ? string.Create(Inv, $", ended {end:HH:mm:ss} UTC ({(end - run.StartedUtc).TotalSeconds:0} s)") : ", did not finish (records up to the stop are reported)")}")],
            [string.Create(Inv, $"Machine: {Describe(run.Machine)}; {string.Join(", ", run.Versions.Select(v => $"{v.Key} {v.Value}"))}")],
            [string.Create(Inv, $"Records: {report.Records.Records:N0} ({report.WarmupRecords:N0} warm-up, excluded from statistics){(report.Records.Skipped > 0 ? string.Create(Inv, $"; {report.Records.Skipped} unreadable line(s) skipped (lines {string.Join(", ", report.Records.SkippedLines.Take(5))}{(report.Records.Skipped > 5 ? ", …" : "")})") : "")}")],
            .. batchLine,
        ]);

        var banner = Banner(report);
        var executive = ExecutiveSection(report, banner);
        var sections = new List<Section>();
        if (executive is not null)
        {
            // The page opens with the decision; the run's metadata follows it as a short section of its own.
            sections.Add(executive);
            sections.Add(RunSection(header));
        }

        sections.Add(SummarySection(report));
        sections.AddIfNotNull(ThresholdSection(report));
        sections.AddIfNotNull(RecommendationSection(report));
        sections.AddIfNotNull(ScheduleSection(report));
        sections.AddIfNotNull(ClientSaturationText.Section(report));
        sections.AddIfNotNull(TargetsSection(report.TargetComparisons));
        sections.AddIfNotNull(ComparisonSection(report));
        sections.AddIfNotNull(CallModesSection(report));
        sections.AddIfNotNull(ConversationsSection(report));

        // Latency charts follow the verdict and the streaming comparison: summary → verdict → evidence.
        var anchor = new[] { Ids.CallModes, Ids.Comparison, Ids.Recommendation, Ids.Summary }.Select(id => sections.FindIndex(s => s.Id == id)).First(i => i >= 0);
        sections.InsertRange(anchor + 1,
        [
            new Section(Ids.Distributions, "Latency distributions", [new ChartSlot(ChartSection.Distributions)]),
            new Section(Ids.OverTime, "Latency and throughput over the run", [new ChartSlot(ChartSection.OverTime)]),
        ]);
        sections.AddIfNotNull(SloSection(report));
        sections.AddIfNotNull(SweepSection(report));
        sections.AddIfNotNull(ResilienceSection(report));
        sections.AddIfNotNull(CostSection(report));
        sections.AddIfNotNull(ProjectionSection(report));
        sections.AddIfNotNull(PromptCachingSection(report));
        sections.AddIfNotNull(BudgetPlanSection(report));
        sections.AddIfNotNull(RoutingSection(report));
        sections.AddIfNotNull(ReplicatesSection(report));
        sections.AddIfNotNull(FailureSection(report));
        sections.AddIfNotNull(FaultCheckText.Section(report));
        sections.AddIfNotNull(UsageSection(report));
        sections.AddIfNotNull(TokenCountSection(report));
        sections.AddIfNotNull(LengthSection(report));
        sections.Add(DefinitionSection(report));
        sections = ResolveLinks(WithBanner(sections, banner));
        Block[] top = executive is null ? [header] : [];
        Block[] callouts = [.. new[] { ShardCallout(run), Interruption(run) }.OfType<Quote>(), .. top];
        return new ReportDocument(["Bench run ", Code(run.RunId)], callouts, sections);
    }

    /// <summary>The call-out at the top of an interrupted run's report: why it stopped and which cells are partial
    /// (<see cref="Core.Results.RunInfo.Interrupted"/>, <see cref="Core.Results.RunInfo.PartialCells"/>); for a run.json
    /// written before those fields, an end time missing says the run did not finish. <see langword="null"/> for a run
    /// that ran to its end.</summary>
    private static Quote? Interruption(Core.Results.RunInfo run)
    {
        if (run.Interrupted is null)
        {
            return run.EndedUtc is null
                ? new Quote([Strong("This run did not finish"), " (interrupted or killed): the figures cover the records written before it stopped."])
                : null;
        }

        List<Span> text = run.Interrupted == Core.Results.InterruptReasons.ApiKeyRefused
            ? [Strong("Stopped early: the endpoint refused the API key"), " (HTTP 401 or 403 on the first requests), so the rest of the plan was not sent."]
            : run.Interrupted == Core.Results.InterruptReasons.ThresholdAbort
            ? [Strong("Stopped early: a threshold with abort_on_fail failed"), " on a cell that had finished, so no later cell started (see Thresholds)."]
            : [Strong($"Interrupted ({run.Interrupted})"), ": the run stopped before its plan ended; the figures cover the requests completed before the stop (requests in flight were cancelled and are counted apart)."];
        text.Add(run.PartialCells is [_, ..] partial
            ? $" Partial cells (cut short or not started): {string.Join(", ", partial)}."
            : " Every cell had run to its end.");
        if (run.CompleteReplicates is { } complete)
        {
            text.Add(ReplicatesCompleteText(complete, run.Repeat ?? 0));
        }

        return new Quote(text);
    }

    private static Section SummarySection(RunReport report)
    {
        if (report.Cells.Count == 0)
        {
            // No empty table: a sweep-only run has its figures per probed rate in the sweep section.
            return new Section(Ids.Summary, "Summary", [Para(report.Sweeps.Count > 0
                ? "Every measured request was a sweep probe: the figures per offered rate are in the sweep section below."
                : "No request was measured (only warm-up records, or none).")]);
        }

        (MetricDefinition Column, string Format)[] latencies =
        [
            (Metric.Ttft.Column(Statistic.Mean), "N0"), (Metric.Ttft.Column(Statistic.P50), "N0"), (Metric.Ttft.Column(Statistic.P95), "N0"), (Metric.Ttft.Column(Statistic.P99), "N0"),
            (Metric.E2e.Column(Statistic.Mean), "N0"), (Metric.E2e.Column(Statistic.P50), "N0"), (Metric.E2e.Column(Statistic.P95), "N0"), (Metric.E2e.Column(Statistic.P99), "N0"),
            (Metric.Tpot.Column(Statistic.P50), "0.0"),
        ];
        string[] headers =
        [
            .. LeadHeaders(report), MetricCatalog.Requests.DisplayName, MetricCatalog.SuccessRate.DisplayName,
            .. latencies.Select(l => l.Column.DisplayName), "tokens in / out", MetricCatalog.CostUsdPer1kRequests.DisplayName,
        ];
        var rows = report.Cells.Select(c => Row(
        [
            .. Lead(report, c.Summary), c.Summary.Requests.ToString("N0", Inv), Pct(c.Summary.SuccessRate) + SuccessCi(c),
            .. latencies.Select((l, i) => c.Summary.Successes == 0 && c.Summary.Requests > 0 ? (i == 0 ? "no success" : "–") : Ms(l.Column.Value(c), l.Format) + P95Ci(c, l.Column)),
            $"{Tok(c.Summary.PromptTokensMean)} / {Tok(c.Summary.CompletionTokensMean)}", Usd(c.CostUsdPer1kRequests),
        ]));
        List<Block> blocks =
        [
            Para(report.Cells.Any(c => c.Summary.Mode == Mode.BatchApi)
                ? "Latencies in milliseconds over successful requests; TTFT and TPOT exist only for streaming. A batch-api line has no latency of its own: its batch's turnaround is under “Three ways to call”."
                : "Latencies in milliseconds over successful requests; TTFT and TPOT exist only for streaming."),
            Table(headers, LeadAlign(report) + "RRRRRRRRRRRRR", rows),
            IntervalNote,
        ];
        if (ZeroSuccessNote(report) is { } note)
        {
            blocks.Add(note);
        }

        return new Section(Ids.Summary, "Summary", blocks);
    }

    private static Section? RecommendationSection(RunReport report)
    {
        // Recommendations judge measured cells; a sweep-only run has none to choose from (its sweep section says
        // which rate each cell sustains).
        if (report.Recommendations.Count == 0 || report.Cells.Count == 0)
        {
            return null;
        }

        var blocks = new List<Block>();
        if (SmallRunNote(report) is { } smallRun)
        {
            blocks.Add(smallRun);
        }

        // With targets, a cell is target × model × mode: the choice may be a target (a relay against the direct API), and
        // says which.
        var cellKind = Targets(report).Count > 1 ? "target × model × mode" : "model × mode";
        blocks.Add(Para($"For each SLO set of the scenario, the cheapest {cellKind} (by cost per successful request) whose sample shows it meets the set: the one-sided 95 % lower bound of its good share and success rate reaches the target."));
        foreach (var r in report.Recommendations)
        {
            blocks.Add(Para(Strong(r.Slo), $" ({r.Criteria}):"));
            var items = new List<IReadOnlyList<Span>>();
            if (r.Best is { } tied && r.Tie is { } tie)
            {
                items.AddRange(TieItems(r, tied, tie));
            }
            else if (r.Best is { } best)
            {
                items.Add(["Choose ", Strong(Cell(best)), $": {Usd(Recommendation.PaidUsdPerSuccess(best), "0.000000")} per successful request{PaidNote(best)}, {Evidence(best, r)}."]);
                items.Add(r.RunnerUp is { } second
                    ? [$"Runner-up: {Cell(second)}: {Usd(Recommendation.PaidUsdPerSuccess(second), "0.000000")} per successful request{PaidNote(second)}, {Evidence(second, r)}."]
                    : [$"Runner-up: none; no other priced {cellKind} is shown to meet this SLO set."]);
            }
            else
            {
                items.Add(r.NotShown.Count > 0
                    ? [Strong("No model is shown to meet this SLO"), " in this run."]
                    : [Strong("No model met this SLO"), " in this run."]);
            }

            items.AddRange(NotShownItems(r));

            items.AddRange(r.MetUnpriced.Select(cell => (IReadOnlyList<Span>)[$"{Cell(cell)} is shown to meet it but has no price, so it cannot be ranked."]));
            // A miss the sample cannot show (7 of 8 against 95 %) is said to be within noise, as the SLO table says it.
            items.AddRange(r.Failed.Select(f => (IReadOnlyList<Span>)[f.Cell.Summary.Slos.FirstOrDefault(s => s.Name == r.Slo)?.Evidence == SloEvidence.Inconclusive
                ? $"{Cell(f.Cell)} did not on the point estimate, within noise (its sample cannot show that it misses the set either): {f.Why}."
                : $"{Cell(f.Cell)} did not: {f.Why}."]));
            blocks.Add(new BulletList(items));
        }

        return new Section(Ids.Recommendation, "Recommendation", blocks);
    }

    /// <summary>The measured figures behind a choice: the SLO's key latency p95 (a non-streaming first token named as
    /// the E2E it is judged on) and the success rate.</summary>
    private static string Evidence(CellResult c, Recommendation r)
    {
        var (named, judged) = Recommendation.KeyMetric(c, r.Set);
        var latency = Recommendation.KeyLatency(c, r.Set);
        var shown = named == judged ? named.Id : $"{judged.Id} (first token = whole response)";
        var latencyText = double.IsFinite(latency) ? string.Create(Inv, $"{shown} p95 {latency:N0} ms, ") : "";
        return string.Create(Inv, $"{latencyText}success {Pct(c.Summary.SuccessRate)} over {c.Summary.Requests:N0} requests");
    }

    private static Section? ScheduleSection(RunReport report)
    {
        if (report.Schedule.Count == 0)
        {
            return null;
        }

        var rows = report.Schedule.Select(v =>
        {
            var s = v.Cell.Summary;
            var queue = v.Queue;
            IReadOnlyList<Span> verdict = v.Keeping switch
            {
                ScheduleKeeping.Behind => [Strong("behind schedule"), string.Create(Inv, $": sent {s.AchievedSendRatePerS:0.##} of {s.IntendedRatePerS:0.##} req/s; median lag {queue.P50:N0} ms, 1 % ≥ {queue.P99:N0} ms, worst {queue.Max:N0} ms")],
                ScheduleKeeping.LateSends => [Strong("late sends"), string.Create(Inv, $": rate kept, but 1 % of requests left ≥ {queue.P99:N0} ms late (worst {queue.Max:N0} ms)")],
                _ => [string.Create(Inv, $"on schedule (99 % within {queue.P99:0.0} ms)")],
            };
            return Row([.. Lead(report, s), string.Create(Inv, $"{s.IntendedRatePerS:0.##}"), string.Create(Inv, $"{s.AchievedSendRatePerS:0.##}"),
                queue.P50.ToString("N1", Inv), queue.P99.ToString("N1", Inv), queue.Max.ToString("N1", Inv), Ms(s.Get(Metric.E2e)?.P99), Ms(s.Get(Metric.Response)?.P99), verdict]);
        });
        var blocks = new List<Block>
        {
            Para("Each request had an intended send time. ", Code(Metric.Queue.Id), " is how late it was actually sent; ", Code(Metric.Response.Id),
                " is latency measured from the intended time (corrected for coordinated omission), shown beside the service time ", Code(Metric.E2e.Id), "."),
            Table([.. LeadHeaders(report), "intended req/s", "sent req/s", "queue p50", "queue p99", "queue max", "E2E p99", "response p99", "verdict"], LeadAlign(report) + "RRRRRRRL", rows),
        };
        var behind = report.Schedule.Where(v => v.Keeping == ScheduleKeeping.Behind).ToList();
        if (behind.Count > 0)
        {
            var dropped = behind.Sum(v => v.Cell.Summary.Outcomes.GetValueOrDefault(Outcome.Dropped));
            var how = dropped > 0
                ? string.Create(Inv, $"{dropped:N0} arrivals were never sent (dropped: the cap on requests in flight was reached, or the step had ended) and the rest went out at a lower rate than intended")
                : "requests went out later than intended";
            blocks.Add(new Quote([Strong("The client fell behind the schedule"), $" in {Cells(behind)}: {how}, so the offered load was lower than asked. Read ",
                Code(Metric.Response.Id), " for what a user would have waited; ", Code(Metric.E2e.Id), " alone understates it."]));
        }

        var late = report.Schedule.Where(v => v.Keeping == ScheduleKeeping.LateSends).ToList();
        if (late.Count > 0)
        {
            blocks.Add(new Quote([Strong("Some requests left late"), $" in {Cells(late)} (the client or machine was briefly busy): the rate was kept, and ", Code(Metric.Response.Id), " includes the lag."]));
        }

        return new Section(Ids.Schedule, "Schedule (open load)", blocks);

        static string Cells(List<ScheduleVerdict> cells) => string.Join(", ", cells.Select(v => Cell(v.Cell)));
    }

    private static Section? ComparisonSection(RunReport report) => report.Comparisons.Count == 0
        ? null
        : new Section(Ids.Comparison, "Streaming against non-streaming",
            [new BulletList([.. report.Comparisons.Select(Comparison)]), new ChartSlot(ChartSection.Comparison)]);

    /// <summary>One model's comparison in plain words, from measured figures and the model's verdict only. Differences
    /// are absolute milliseconds and percentages, never a ratio ("0.3× sooner"); when the modes' success rates differ
    /// the paragraph opens by saying so, and a mode without a successful request is named rather than compared.</summary>
    public static IReadOnlyList<Span> Comparison(ModeComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var text = new System.Text.StringBuilder();
        var caveat = SuccessCaveat(comparison);
        if (comparison.Verdict == E2eVerdict.NotComparable)
        {
            text.Append(NotComparable(comparison));
        }
        else
        {
            var ttft = comparison.StreamingTtft!;
            var whole = comparison.NonStreamingE2e!;
            var delta = comparison.E2eDelta!.Value;
            text.Append(Inv, $"streaming shows the first token after {Ms(ttft.Mean)} ms on average (p95 {Ms(ttft.P95)} ms), ");
            text.Append(FirstTokenLead(comparison));
            text.Append(Inv, $" a non-streaming response arrives whole (mean {Ms(whole.Mean)} ms, p95 {Ms(whole.P95)} ms). ");
            var figures = string.Create(Inv, $"E2E mean {Ms(comparison.StreamingE2e!.Mean)} ms streamed against {Ms(whole.Mean)} ms, {Signed(delta)}");
            var direction = comparison.Verdict == E2eVerdict.Longer ? "longer" : "less time";
            if (comparison.Test is not { } test)
            {
                text.Append(comparison.Verdict == E2eVerdict.AboutTheSame
                    ? string.Create(Inv, $"The whole answer takes about as long either way ({figures}). ")
                    : string.Create(Inv, $"The whole answer takes {direction} when streamed ({figures}). "));
            }
            else
            {
                var evidence = test.Comparisons > 1
                    ? string.Create(Inv, $"Mann–Whitney p = {test.PValue:0.###} against {test.Threshold:0.####} for {test.Comparisons} models, n = {test.StreamingCount}/{test.NonStreamingCount}")
                    : string.Create(Inv, $"Mann–Whitney p = {test.PValue:0.###}, n = {test.StreamingCount}/{test.NonStreamingCount}");
                text.Append(comparison.Verdict == E2eVerdict.AboutTheSame
                    ? string.Create(Inv, $"The whole answer takes about as long either way: {figures}, within noise ({evidence}). ")
                    : string.Create(Inv, $"The whole answer takes {(comparison.Slight ? "slightly " : "")}{direction} when streamed ({figures}; {evidence}). "));
            }
        }

        text.Append(Inv, $"Success: {Pct(comparison.Streaming.SuccessRate)} streaming ({Failures(comparison.Streaming)}), {Pct(comparison.NonStreaming.SuccessRate)} non-streaming ({Failures(comparison.NonStreaming)}).");
        var model = comparison.Streaming.Policy is { } policy ? $"{comparison.Label} (policy {policy})" : comparison.Label;
        return caveat is null ? [Strong(model), ": " + text] : [Strong(model), ": ", Strong(caveat), " " + text];
    }

    /// <summary>"2,500 ms (83 %) sooner than" or "120 ms (4 %) later than": absolute and relative, never a ratio.</summary>
    private static string FirstTokenLead(ModeComparison comparison)
    {
        var lead = comparison.FirstTokenLeadMs!.Value;
        var percent = comparison.FirstTokenLeadFraction is { } f ? string.Create(Inv, $" ({Math.Abs(f * 100):0} %)") : "";
        return lead >= 0
            ? string.Create(Inv, $"{Ms(lead)} ms{percent} sooner than")
            : string.Create(Inv, $"{Ms(-lead)} ms{percent} later than");
    }

    /// <summary>The opening caveat when the modes' success rates differ, or null when they are equal.</summary>
    private static string? SuccessCaveat(ModeComparison comparison) => comparison.SuccessRatesDiffer
        ? string.Create(Inv, $"Streaming succeeded {Pct(comparison.Streaming.SuccessRate)} vs {Pct(comparison.NonStreaming.SuccessRate)} non-streaming: each mode's latency covers only the requests that succeeded.")
        : null;

    /// <summary>Why a model's modes are not compared, naming the mode without successful requests.</summary>
    private static string NotComparable(ModeComparison comparison)
    {
        var missing = new List<string>();
        if (comparison.Streaming.Successes == 0)
        {
            missing.Add(string.Create(Inv, $"streaming had no successful request ({comparison.Streaming.Requests:N0} attempted)"));
        }

        if (comparison.NonStreaming.Successes == 0)
        {
            missing.Add(string.Create(Inv, $"non-streaming had no successful request ({comparison.NonStreaming.Requests:N0} attempted)"));
        }

        return missing.Count > 0
            ? $"not compared: {string.Join(" and ", missing)}. "
            : "not enough successful requests in both modes to compare. ";
    }

    private static Section? SloSection(RunReport report)
    {
        var names = report.SloNames;
        if (names.Count == 0)
        {
            return null;
        }

        var rows = report.Cells.Select(c => Row(
        [
            .. Lead(report, c.Summary),
            .. names.SelectMany(n => c.Summary.Slos.FirstOrDefault(s => s.Name == n) is { } r
                ? new object[] { r.Met ? "yes" : Strong("no"), string.Create(Inv, $"{r.GoodFraction * 100:0.#} %"), string.Create(Inv, $"{r.GoodputRps:0.##}") }
                : ["–", "–", "–"]),
        ]));
        var missed = report.Cells.SelectMany(c => c.Summary.Slos.Where(r => !r.Met)
            .Select(r => (IReadOnlyList<Span>)[$"{Cell(c)} missed ", Strong(r.Name), $": {r.Why}."])).ToList();
        var blocks = new List<Block>
        {
            Para("A request is good when it succeeded and met every threshold of the set (for non-streaming, the first token arrives with the whole response). ",
                Code(MetricCatalog.GoodputRps.Id), " = good requests / measured duration."),
            Table([.. LeadHeaders(report), .. names.SelectMany(n => new[] { $"{n}: met", "good", "goodput req/s" })], LeadAlign(report) + "" + string.Concat(names.Select(_ => "LRR")), rows),
        };
        if (missed.Count > 0)
        {
            blocks.Add(new BulletList(missed));
        }

        return new Section(Ids.Slos, "SLOs and goodput", blocks);
    }

    private static Section? SweepSection(RunReport report)
    {
        if (report.Sweeps.Count == 0)
        {
            return null;
        }

        var blocks = new List<Block>();
        foreach (var curve in report.Sweeps)
        {
            IReadOnlyList<Span> sustainable = curve.SustainableRatePerS is { } rate
                ? ["sustains ", Strong(string.Create(Inv, $"{rate:0.##} req/s")), $" within SLO set {curve.Slo}"]
                : [$"met SLO set {curve.Slo} at no probed rate"];
            blocks.Add(Para([Strong(CellKey.Label(curve.Target, curve.Model, curve.Mode, curve.Policy)), " ", .. sustainable, "."]));
            var rows = curve.Points.Select(point =>
            {
                var s = point.Summary;
                var slo = s.Slos.FirstOrDefault(x => x.Name == curve.Slo);
                return Row([string.Create(Inv, $"{point.RatePerS:0.##}"), string.Create(Inv, $"{s.AchievedSendRatePerS:0.##}"), s.Requests.ToString("N0", Inv), Pct(s.SuccessRate),
                    Ms(s.Get(Metric.Ttft)?.P50), Ms(s.Get(Metric.Ttft)?.P95), Ms(s.Get(Metric.E2e)?.P50), Ms(s.Get(Metric.E2e)?.P95), Ms(s.Get(Metric.Response)?.P95),
                    string.Create(Inv, $"{slo?.GoodputRps:0.##}"), point.Met(curve.Slo) ? "yes" : "no"]);
            });
            blocks.Add(Table(["offered req/s", "sent req/s", "requests", "success", "TTFT p50", "TTFT p95", "E2E p50", "E2E p95", "response p95", "goodput req/s", "met"], "RRRRRRRRRRL", rows));
            blocks.Add(Para("Offered is the schedule's rate; sent is the rate requests actually left the client (lower when the client fell behind). Goodput divides good requests by the probe's whole span, including the drain of its last requests, so it sits below the offered rate even when every request is good. Latencies in ms."));
        }

        blocks.Add(new ChartSlot(ChartSection.Sweep));
        return new Section(Ids.Sweep, "Sweep: the highest rate that meets the SLOs", blocks);
    }

    private static Section? CostSection(RunReport report)
    {
        if (report.Cells.Count == 0)
        {
            return null;
        }

        var rows = report.Cells.Select(c =>
        {
            var s = c.Summary;
            var batch = c.Cost.Tier == PriceTier.Batch;
            return c.Price is { } price
                ? Row([.. Lead(report, s), InputPrice(price, batch), OutputPrice(price, batch),
                    $"{Tok(s.PromptTokensMean)} / {Tok(s.CompletionTokensMean)}", Usd(c.CostUsdPer1kRequests), Usd(c.CostUsdPerSuccess, "0.000000"), price.Source])
                : Row([.. Lead(report, s), "–", "–", $"{Tok(s.PromptTokensMean)} / {Tok(s.CompletionTokensMean)}", "not priced", "not priced", c.Unpriced ?? ""]);
        });
        return new Section(Ids.Cost, "Cost per 1,000 requests",
        [
            Para($"Each request is priced from the tokens it was billed for (usage as reported): uncached prompt × input price + cached prompt (cache reads) × cached-input price + cache writes (Anthropic) × cache-write price + completion (reasoning included) × output price; a missing cached or cache-write price is the input price. Failed requests count what they were billed. Prices in USD per 1M tokens, from: {report.PriceCatalog}.{(report.Cells.Any(c => c.Cost.Tier == PriceTier.Batch) ? " Batch-api cells are priced at the Batch API's prices (marked “batch”); a model without them is not priced in batch, never at its standard prices." : "")}"),
            Table([.. LeadHeaders(report), "input $/1M", "output $/1M", "mean tokens in / out", MetricCatalog.CostUsdPer1kRequests.DisplayName, MetricCatalog.CostUsdPerSuccess.DisplayName, MetricCatalog.PriceSource.DisplayName], LeadAlign(report) + "RRRRRL", rows),
            new ChartSlot(ChartSection.Cost),
        ]);
    }

    private static string InputPrice(ModelPrice price, bool batch) => batch
        ? price.UsdPerMillionBatchInputTokens!.Value.ToString("0.00##", Inv) + " batch"
        : price.UsdPerMillionInputTokens.ToString("0.00##", Inv);

    private static string OutputPrice(ModelPrice price, bool batch) => batch
        ? price.UsdPerMillionBatchOutputTokens!.Value.ToString("0.00##", Inv) + " batch"
        : price.UsdPerMillionOutputTokens.ToString("0.00##", Inv);

    private static Section? ProjectionSection(RunReport report)
    {
        var p = report.Projection;
        if (p.Cells.Count == 0)
        {
            return null;
        }

        var rows = p.Cells.Select(x =>
        {
            var line = x.Budget.Lines[0];
            return Row([.. Lead(report, x.Cell.Summary), line.Volume.InputTokens.ToString("N0", Inv), line.Volume.OutputTokens.ToString("N0", Inv),
                Money(x.Budget.TotalCostUsd), .. p.Fx.Select(f => Money(f.FromUsd(x.Budget.TotalCostUsd)))]);
        });
        var blocks = new List<Block>
        {
            Para("Each cell's measured mean billed tokens per request, scaled to the monthly volume and priced exactly; amounts rounded only here."),
            Table([.. LeadHeaders(report), "input tokens", "output tokens", "USD / month", .. p.Fx.Select(f => $"{f.Label} ({f.UnitsPerUsd.ToString(Inv)}/USD)")],
                LeadAlign(report) + "RRR" + new string('R', p.Fx.Count), rows),
        };
        foreach (var mix in p.Mixes)
        {
            blocks.Add(Para("Mix ", Strong(mix.Name), $": {Money(mix.TotalCostUsd)} USD per month{string.Concat(p.Fx.Select(f => $", {Money(f.FromUsd(mix.TotalCostUsd))} {f.Label}"))} ({string.Join(" + ", mix.Lines.Select(l => $"{l.SharePercent.ToString("0.##", Inv)} % {l.RequestedModel} · {l.Mode}: {Money(l.Cost.TotalCostUsd)} USD"))})."));
        }

        if (p.Problems.Count > 0)
        {
            blocks.Add(new BulletList([.. p.Problems.Select(problem => (IReadOnlyList<Span>)[$"Not priced: {problem}."])]));
        }

        foreach (var saving in p.Savings)
        {
            blocks.Add(Para($"Paying at {saving.Cheaper.Label} ({saving.Cheaper.UnitsPerUsd.ToString(Inv)} per USD) instead of {saving.Dearer.Label} ({saving.Dearer.UnitsPerUsd.ToString(Inv)} per USD) saves {saving.Percent.ToString("0.0", Inv)} % (1 − {saving.Cheaper.UnitsPerUsd.ToString(Inv)}/{saving.Dearer.UnitsPerUsd.ToString(Inv)}) of every {saving.Currency} amount."));
        }

        var notes = p.Cells.SelectMany(c => c.Budget.Notes).Distinct().ToList();
        if (notes.Count > 0)
        {
            blocks.Add(new BulletList([.. notes.Select(note => (IReadOnlyList<Span>)[note])]));
        }

        return new Section(Ids.Projection, string.Create(Inv, $"Monthly projection: {p.MonthlyRequests:N0} requests"), blocks);
    }

    /// <summary>Failures: one line per failing cell (attempted, failed, by outcome), then per cell a table of its
    /// failures by outcome and HTTP status with the most common messages (<see cref="FailureTally"/>), so the reason
    /// is in the report, not only in <c>records.jsonl</c>.</summary>
    private static Section? FailureSection(RunReport report)
    {
        var failing = report.Cells.Where(c => c.Summary.Successes < c.Summary.Requests).ToList();
        if (failing.Count == 0)
        {
            return null;
        }

        var blocks = new List<Block>
        {
            Table([.. LeadHeaders(report), "attempted", "failed", "by outcome"], LeadAlign(report) + "RRL", failing.Select(c => Row(
                [.. Lead(report, c.Summary), c.Summary.Requests.ToString("N0", Inv), (c.Summary.Requests - c.Summary.Successes).ToString("N0", Inv), Failures(c.Summary)]))),
        };
        foreach (var cell in failing)
        {
            blocks.AddRange(FailureTable(cell));
        }

        return new Section(Ids.Failures, "Failures", blocks);
    }

    /// <summary>One cell's failures by outcome, HTTP status and provider code, with the <see cref="FailureTally.TopMessages"/> most
    /// common messages of each (as recorded: keys redacted; cut to <see cref="FailureTally.MaxMessageChars"/>).</summary>
    private static IEnumerable<Block> FailureTable(CellResult cell)
    {
        var s = cell.Summary;
        var failed = s.Requests - s.Successes;
        yield return Para(Strong(Cell(cell)), s.Successes == 0
            ? string.Create(Inv, $": every one of {s.Requests:N0} attempted requests failed.")
            : string.Create(Inv, $": {failed:N0} of {s.Requests:N0} attempted requests failed ({Pct((double)failed / s.Requests)})."));
        if (s.FailureGroups.Count == 0)
        {
            yield break;
        }

        yield return Table(["outcome", "HTTP status", "provider code", "requests", "most common messages"], "LRLRL", s.FailureGroups.Select(g => Row(
        [
            Code(Names.Of(g.Outcome)),
            g.HttpStatus is { } status ? status.ToString(Inv) : "none",
            g.Code is { } code ? Code(code) : "–",
            g.Count.ToString("N0", Inv),
            Messages(g),
        ])));
    }

    /// <summary>"message (×12); other (×3)", plus how many other messages there were.</summary>
    private static string Messages(FailureGroup group)
    {
        var shown = string.Join("; ", group.TopMessages.Select(m => string.Create(Inv, $"{m.Message} (×{m.Count:N0})")));
        var others = group.DistinctMessages - group.TopMessages.Count;
        var rest = group.Count - group.TopMessages.Sum(m => m.Count);
        return rest > 0
            ? string.Create(Inv, $"{shown}; {(others > 0 ? $"{others}{(group.OtherMessages > 0 ? "+" : "")} other message(s)" : "other messages")} (×{rest:N0})")
            : shown;
    }

    /// <summary>A call-out naming each cell in which no request succeeded: its latency columns are empty because there is
    /// nothing to measure, and the failure section says why.</summary>
    private static Quote? ZeroSuccessNote(RunReport report)
    {
        var none = report.Cells.Where(c => c.Summary.Requests > 0 && c.Summary.Successes == 0).ToList();
        return none.Count == 0
            ? null
            : new Quote([Strong(none.Count == 1 ? "No request succeeded" : "No request succeeded in these cells"),
                string.Create(Inv, $" in {string.Join(", ", none.Select(c => $"{Cell(c)} ({c.Summary.Requests:N0} attempted)"))}: there is no latency to report; see the failures below for why.")]);
    }

    /// <summary>Requests whose <c>usage</c> was not believed (<see cref="Bench.Core.Records.UsageCheck"/>), per cell:
    /// how many, why, a few ids to look up in <c>records.jsonl</c>, and how they were priced.</summary>
    private static Section? UsageSection(RunReport report)
    {
        var flagged = report.Cells.Where(c => c.Summary.UsageFlagged > 0).ToList();
        if (flagged.Count == 0)
        {
            return null;
        }

        var rows = flagged.Select(c => Row(
        [
            .. Lead(report, c.Summary), c.Summary.UsageFlagged.ToString("N0", Inv), c.Summary.UsageFlaggedUnpriced.ToString("N0", Inv),
            string.Join(", ", c.Summary.UsageIssueKinds.Select(k => string.Create(Inv, $"{k.Key} ×{k.Value:N0}"))),
            string.Join(", ", c.Summary.UsageFlaggedExampleIds.Select(id => id.ToString(Inv))),
        ]));
        return new Section(Ids.Usage, "Usage the server reported that could not be believed",
        [
            Para("These requests carried a ", Code("usage"), " that is impossible or inconsistent: negative, fractional, overflowing or non-numeric counts, cached above prompt tokens, reasoning above completion tokens, completion tokens far above ",
                Code("max_tokens"), " or above what the received text can hold. They are never priced at the server's figures: their tokens are the local tokenizer's count, or, without one, they are left out of the cost (unpriced, so the cell's cost is a lower bound). Each record's ",
                Code("usage_issue"), " gives the reason with the raw value."),
            Table([.. LeadHeaders(report), "flagged", "unpriced", "reasons", "example ids"], LeadAlign(report) + "RRLL", rows),
        ]);
    }

    /// <summary>Per model (modes together): the server's completion tokens against a local tokenizer's count of the
    /// text it sent, over requests that have both.</summary>
    private static Section? TokenCountSection(RunReport report)
    {
        var models = report.Cells.Select(c => c.Summary).Where(s => s.TokenizerComparedRequests > 0)
            // Per model at its target: a relay may count tokens differently from the direct API.
            .GroupBy(s => ModeComparison.Key(s.Target, s.Model), StringComparer.Ordinal).ToList();
        if (models.Count == 0)
        {
            return null;
        }

        var rows = models.Select(model =>
        {
            var n = model.Sum(s => s.TokenizerComparedRequests);
            var server = model.Sum(s => s.ComparedServerCompletionTokens);
            var local = model.Sum(s => s.ComparedTokenizerCompletionTokens);
            var diff = (double)(server - local) / n;
            var percent = local == 0 ? "–" : (100.0 * (server - local) / local).ToString("+0.0;−0.0;0.0", Inv) + " %";
            return Row([model.Key, n.ToString("N0", Inv), ((double)server / n).ToString("0.0", Inv), ((double)local / n).ToString("0.0", Inv), diff.ToString("+0.0;−0.0;0.0", Inv), percent]);
        });
        return new Section(Ids.TokenCounts, "Token counts: server against local tokenizer",
        [
            Para("Completion tokens the server reported (", Code("usage"), ") against the received text counted locally (tiktoken ", Code("o200k_base"), "/", Code("cl100k_base"),
                "; an approximation for non-OpenAI models), over successful requests that have both. A large difference means the count you are billed for is not the text you received: hidden reasoning, tool-call framing, another tokenizer, or a relay that miscounts."),
            Table([HasTargets(report) ? "target · model" : "model", "requests", "server mean", "tokenizer mean", "difference mean (server − tokenizer)", "difference %"], "LRRRRR", rows),
        ]);
    }

    private static Section DefinitionSection(RunReport report)
    {
        // The batch figures are defined only where a batch-api cell ran: a run without one reads as before.
        var batch = report.Cells.Any(c => c.Summary.Mode == Mode.BatchApi)
            ? new[] { MetricCatalog.TurnaroundSP50, MetricCatalog.BatchQueueS, MetricCatalog.BatchLinesPerS, MetricCatalog.ObservedTurnaroundS }
                .Select(m => (IReadOnlyList<Span>)[Code(m.Id), $" ({m.DisplayName}): {m.Definition}."])
            : [];
        var items = Metric.Latencies.Append(Metric.DecodeTps)
            .Select(m => (IReadOnlyList<Span>)[Code(m.Id), $" ({m.DisplayName}): {m.Definition}."])
            .Concat(batch)
            .Append(["Times are taken from a monotonic clock as bytes come off the socket, before JSON parsing. Percentiles from HdrHistogram (3 significant digits, µs resolution); means are exact."]);
        return new Section(Ids.Definitions, "Definitions", [new BulletList([.. items])]);
    }

    private static Span Strong(string text) => new(SpanStyle.Strong, text);

    private static Span Code(string text) => new(SpanStyle.Code, text);

    private static Paragraph Para(params Span[] text) => new(text);

    /// <summary>A table from header cells, alignments as letters (<c>L</c>/<c>R</c>, one per column) and rows.</summary>
    private static Table Table(IReadOnlyList<string> headers, string alignments, IEnumerable<IReadOnlyList<IReadOnlyList<Span>>> rows) =>
        new(headers, [.. alignments.Select(a => a == 'R' ? Align.Right : Align.Left)], [.. rows]);

    /// <summary>A row from cells that are text, a span or spans.</summary>
    private static IReadOnlyList<IReadOnlyList<Span>> Row(IEnumerable<object> cells) => [.. cells.Select(cell => cell switch
    {
        string text => (IReadOnlyList<Span>)[text],
        Span span => [span],
        IReadOnlyList<Span> spans => spans,
        _ => throw new ArgumentException($"Unexpected cell {cell}."),
    })];

    private static void AddIfNotNull(this List<Section> sections, Section? section)
    {
        if (section is not null)
        {
            sections.Add(section);
        }
    }

    private static string Cell(CellResult c) => c.Summary.Target is { Length: > 0 } target ? $"{target} · {c.Summary.Model} · {ModeLabel(c.Summary)}" : $"{c.Summary.Model} · {ModeLabel(c.Summary)}";

    /// <summary>The headers of the columns naming a cell: <c>target</c> (when any cell has a target; results written
    /// before targets existed read as before), <c>model</c>, and the mode (<see cref="ModeHeader"/>).</summary>
    private static IEnumerable<string> LeadHeaders(RunReport report) => HasTargets(report)
        ? [MetricCatalog.Target.DisplayName, MetricCatalog.Model.DisplayName, ModeHeader(report)]
        : [MetricCatalog.Model.DisplayName, ModeHeader(report)];

    /// <summary>The alignments of <see cref="LeadHeaders"/>: left.</summary>
    private static string LeadAlign(RunReport report) => HasTargets(report) ? "LLL" : "LL";

    /// <summary>A cell's <see cref="LeadHeaders"/> columns: its target (when the report has targets), model and mode.</summary>
    private static IEnumerable<object> Lead(RunReport report, CellSummary s) => HasTargets(report)
        ? [s.Target ?? "", s.Model, ModeLabel(s)]
        : [s.Model, ModeLabel(s)];

    /// <summary>The distinct targets of the report's cells, in run order (none for results written before targets).</summary>
    private static IReadOnlyList<string> Targets(RunReport report) => [.. report.Cells.Select(c => c.Summary.Target).OfType<string>().Distinct(StringComparer.Ordinal)];

    /// <summary>True when any cell has a target (every run since targets; false for older results).</summary>
    private static bool HasTargets(RunReport report) => report.Cells.Any(c => c.Summary.Target is not null);

    /// <summary>A cell's mode, and its resilience policy when it has one (<c>streaming · retries-3</c>): policies are
    /// part of a cell's identity, so two cells of one model and mode are told apart.</summary>
    private static string ModeLabel(CellSummary s) => s.Policy is { } policy ? $"{Names.Of(s.Mode)} · {policy}" : Names.Of(s.Mode);

    /// <summary>The header of the mode column: <c>mode · policy</c> when any cell ran under a policy, else <c>mode</c>
    /// (a run without policies reads as before).</summary>
    private static string ModeHeader(RunReport report) => report.Cells.Any(c => c.Summary.Policy is not null)
        ? $"{MetricCatalog.Mode.DisplayName} · {MetricCatalog.Policy.DisplayName}"
        : MetricCatalog.Mode.DisplayName;

    private static string Failures(CellSummary s)
    {
        var parts = s.Outcomes.Where(o => o.Key != Outcome.Success && o.Value > 0).Select(o => $"{o.Value} {Names.Of(o.Key)}").ToList();
        return parts.Count == 0 ? "no failures" : string.Join(", ", parts);
    }

    private static string Describe(Dictionary<string, string> machine) =>
        $"{machine.GetValueOrDefault("os")} {machine.GetValueOrDefault("arch")}, {machine.GetValueOrDefault("logical_cores")} logical cores, {machine.GetValueOrDefault("memory_gib")} GiB";

    /// <summary>Money to the cent, half away from zero — after rounding to 12 places, so an exact half cent that
    /// reached here through a division by an FX rate (¥2,593.905 arrives as 2,593.90499…9 in 28 digits) still rounds
    /// up as it does on paper.</summary>
    private static string Money(decimal value) =>
        Math.Round(Math.Round(value, 12, MidpointRounding.AwayFromZero), 2, MidpointRounding.AwayFromZero).ToString("N2", Inv);

    private static string Ms(double? value, string format = "N0") => value is { } v ? v.ToString(format, Inv) : "–";

    private static string Tok(double? value) => value is { } v ? v.ToString("0", Inv) : "–";

    private static string Pct(double value) => (value * 100).ToString(value is 1 or 0 ? "0" : "0.0#", Inv) + " %";

    private static string Signed(double fraction) => (fraction >= 0 ? "+" : "−") + Math.Abs(fraction * 100).ToString("0.0", Inv) + " %";

    private static string Usd(decimal? value, string format = "0.0000") => value is { } v ? "$" + v.ToString(format, Inv) : "–";
}
