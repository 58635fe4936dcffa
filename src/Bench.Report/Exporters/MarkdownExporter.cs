using System.Globalization;
using System.Text;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Report.Model;

namespace Bench.Report.Exporters;

/// <summary>
/// Writes <c>report.md</c>: the summary table, a plain-words comparison of streaming against non-streaming per model,
/// cost per 1,000 requests with the price source, failures, and the metric definitions. Invariant culture throughout.
/// </summary>
public static class MarkdownExporter
{
    /// <summary>File name inside a results folder.</summary>
    public const string FileName = "report.md";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Renders the report as Markdown.</summary>
    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        var run = report.Run;
        md.AppendLine(Inv, $"# Bench run `{run.RunId}`");
        md.AppendLine();
        md.AppendLine(Inv, $"- Scenario: **{run.Scenario}**{(run.ScenarioFile is null ? "" : $" (`{run.ScenarioFile}`)")}");
        md.AppendLine(Inv, $"- Target: {run.Target}");
        md.AppendLine(Inv, $"- Started {run.StartedUtc:yyyy-MM-dd HH:mm:ss} UTC{(run.EndedUtc is { } end ? $", ended {end:HH:mm:ss} UTC ({(end - run.StartedUtc).TotalSeconds:0} s)" : ", did not finish (records up to the stop are reported)")}");
        md.AppendLine(Inv, $"- Machine: {Describe(run.Machine)}; {string.Join(", ", run.Versions.Select(v => $"{v.Key} {v.Value}"))}");
        md.AppendLine(Inv, $"- Records: {report.Records.Records:N0} ({report.WarmupRecords:N0} warm-up, excluded from statistics){(report.Records.SkippedLines.Count > 0 ? $"; {report.Records.SkippedLines.Count} unreadable line(s) skipped (lines {string.Join(", ", report.Records.SkippedLines.Take(5))})" : "")}");
        md.AppendLine();

        WriteSummaryTable(md, report);
        WriteRecommendations(md, report);
        WriteSchedule(md, report);
        WriteComparison(md, report);
        WriteSlos(md, report);
        WriteSweeps(md, report);
        WriteCost(md, report);
        WriteProjection(md, report);
        WriteFailures(md, report);
        WriteTokenCounts(md, report);
        WriteDefinitions(md);
        return md.ToString();
    }

    /// <summary>Writes <c>report.md</c> into <paramref name="directory"/>; returns its path.</summary>
    public static string Write(RunReport report, string directory)
    {
        var path = Path.Combine(directory, FileName);
        File.WriteAllText(path, Render(report));
        return path;
    }

    private static void WriteSummaryTable(StringBuilder md, RunReport report)
    {
        md.AppendLine("## Summary");
        md.AppendLine();
        if (report.Cells.Count == 0)
        {
            // No empty table: a sweep-only run has its figures per probed rate in the sweep section.
            md.AppendLine(report.Sweeps.Count > 0
                ? "Every measured request was a sweep probe: the figures per offered rate are in the sweep section below."
                : "No request was measured (only warm-up records, or none).");
            md.AppendLine();
            return;
        }

        md.AppendLine("Latencies in milliseconds over successful requests; TTFT and TPOT exist only for streaming.");
        md.AppendLine();
        md.AppendLine("| model | mode | requests | success | TTFT mean | TTFT p50 | TTFT p95 | TTFT p99 | E2E mean | E2E p50 | E2E p95 | E2E p99 | TPOT p50 | tokens in / out | $ per 1k requests |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in report.Cells)
        {
            var s = c.Summary;
            var ttft = s.Get(Metric.Ttft);
            var e2e = s.Get(Metric.E2e);
            md.AppendLine(Inv, $"| {s.Model} | {Names.Of(s.Mode)} | {s.Requests:N0} | {Pct(s.SuccessRate)} | {Ms(ttft?.Mean)} | {Ms(ttft?.P50)} | {Ms(ttft?.P95)} | {Ms(ttft?.P99)} | {Ms(e2e?.Mean)} | {Ms(e2e?.P50)} | {Ms(e2e?.P95)} | {Ms(e2e?.P99)} | {Ms(s.Get(Metric.Tpot)?.P50, "0.0")} | {Tok(s.PromptTokensMean)} / {Tok(s.CompletionTokensMean)} | {Usd(c.CostUsdPer1kRequests)} |");
        }

        md.AppendLine();
    }

    private static void WriteComparison(StringBuilder md, RunReport report)
    {
        var models = report.Cells.Select(c => c.Summary.Model).Distinct().ToList();
        var lines = new List<string>();
        foreach (var model in models)
        {
            var streaming = report.Cells.FirstOrDefault(c => c.Summary.Model == model && c.Summary.Mode == Mode.Streaming)?.Summary;
            var whole = report.Cells.FirstOrDefault(c => c.Summary.Model == model && c.Summary.Mode == Mode.NonStreaming)?.Summary;
            if (streaming is null || whole is null)
            {
                continue;
            }

            lines.Add(Compare(model, streaming, whole, report.ModeDifferences.GetValueOrDefault(model)));
        }

        if (lines.Count == 0)
        {
            return;
        }

        md.AppendLine("## Streaming against non-streaming");
        md.AppendLine();
        foreach (var line in lines)
        {
            md.AppendLine(Inv, $"- {line}");
        }

        md.AppendLine();
    }

    /// <summary>One model's comparison in plain words, from measured figures only; an E2E difference is called real
    /// only when <paramref name="test"/> says it is significant.</summary>
    internal static string Compare(string model, CellSummary streaming, CellSummary whole, ModeDifference? test = null)
    {
        var ttft = streaming.Get(Metric.Ttft);
        var streamE2e = streaming.Get(Metric.E2e);
        var wholeE2e = whole.Get(Metric.E2e);
        var text = new StringBuilder().Append(Inv, $"**{model}**: ");
        if (ttft is null || wholeE2e is null || streamE2e is null)
        {
            text.Append("not enough successful requests in both modes to compare.");
        }
        else
        {
            var sooner = wholeE2e.Mean / ttft.Mean;
            text.Append(Inv, $"streaming shows the first token after {Ms(ttft.Mean)} ms on average (p95 {Ms(ttft.P95)} ms), ");
            text.Append(Inv, $"{sooner:0.0}× sooner than a non-streaming response arrives whole (mean {Ms(wholeE2e.Mean)} ms, p95 {Ms(wholeE2e.P95)} ms). ");
            var delta = (streamE2e.Mean - wholeE2e.Mean) / wholeE2e.Mean;
            var figures = string.Create(Inv, $"E2E mean {Ms(streamE2e.Mean)} ms streamed against {Ms(wholeE2e.Mean)} ms, {Signed(delta)}");
            if (test is null)
            {
                text.Append(Math.Abs(delta) < 0.05
                    ? string.Create(Inv, $"The whole answer takes about as long either way ({figures}). ")
                    : string.Create(Inv, $"The whole answer takes {(delta > 0 ? "longer" : "less time")} when streamed ({figures}). "));
            }
            else
            {
                var evidence = test.Comparisons > 1
                    ? string.Create(Inv, $"Mann–Whitney p = {test.PValue:0.###} against {test.Threshold:0.####} for {test.Comparisons} models, n = {test.StreamingCount}/{test.NonStreamingCount}")
                    : string.Create(Inv, $"Mann–Whitney p = {test.PValue:0.###}, n = {test.StreamingCount}/{test.NonStreamingCount}");
                text.Append(!test.Significant
                    ? string.Create(Inv, $"The whole answer takes about as long either way: {figures}, within noise ({evidence}). ")
                    : string.Create(Inv, $"The whole answer takes {(Math.Abs(delta) < 0.05 ? "slightly " : "")}{(delta > 0 ? "longer" : "less time")} when streamed ({figures}; {evidence}). "));
            }
        }

        text.Append(Inv, $"Success: {Pct(streaming.SuccessRate)} streaming ({Failures(streaming)}), {Pct(whole.SuccessRate)} non-streaming ({Failures(whole)}).");
        return text.ToString();
    }

    private static void WriteRecommendations(StringBuilder md, RunReport report)
    {
        // Recommendations judge measured cells; a sweep-only run has none to choose from (its sweep section says
        // which rate each cell sustains).
        if (report.Recommendations.Count == 0 || report.Cells.Count == 0)
        {
            return;
        }

        md.AppendLine("## Recommendation");
        md.AppendLine();
        md.AppendLine("For each SLO set of the scenario, the cheapest model × mode (by cost per successful request) that met it in this run.");
        md.AppendLine();
        foreach (var r in report.Recommendations)
        {
            md.AppendLine(Inv, $"**{r.Slo}** ({r.Criteria}):");
            md.AppendLine();
            if (r.Best is { } best)
            {
                md.AppendLine(Inv, $"- Choose **{Cell(best)}**: {Usd(best.CostUsdPerSuccess, "0.000000")} per successful request, {Evidence(best, report, r.Slo)}.");
                md.AppendLine(r.RunnerUp is { } second
                    ? string.Create(Inv, $"- Runner-up: {Cell(second)}: {Usd(second.CostUsdPerSuccess, "0.000000")} per successful request, {Evidence(second, report, r.Slo)}.")
                    : "- Runner-up: none; no other priced model × mode met this SLO set.");
            }
            else
            {
                md.AppendLine("- **No model met this SLO** in this run.");
            }

            foreach (var cell in r.MetUnpriced)
            {
                md.AppendLine(Inv, $"- {Cell(cell)} met it but has no price, so it cannot be ranked.");
            }

            foreach (var (cell, why) in r.Failed)
            {
                md.AppendLine(Inv, $"- {Cell(cell)} did not: {why}.");
            }

            md.AppendLine();
        }
    }

    private static string Cell(CellReport c) => $"{c.Summary.Model} · {Names.Of(c.Summary.Mode)}";

    /// <summary>The measured figures behind a choice: the SLO's key latency p95 and the success rate.</summary>
    private static string Evidence(CellReport c, RunReport report, string slo)
    {
        var set = report.Slos.FirstOrDefault(s => s.Name == slo);
        var latency = set is null ? double.PositiveInfinity : Recommendation.KeyLatency(c, set);
        var metric = set?.MaxMs.Keys.FirstOrDefault() ?? "e2e_ms";
        var shown = metric is "ttft_ms" or "ttfo_ms" && c.Summary.Mode == Mode.NonStreaming ? "e2e_ms (first token = whole response)" : metric;
        var latencyText = double.IsFinite(latency) ? string.Create(Inv, $"{shown} p95 {latency:N0} ms, ") : "";
        return string.Create(Inv, $"{latencyText}success {Pct(c.Summary.SuccessRate)} over {c.Summary.Requests:N0} requests");
    }

    private static void WriteProjection(StringBuilder md, RunReport report)
    {
        var p = report.Projection;
        if (p.Cells.Count == 0)
        {
            return;
        }

        md.AppendLine(Inv, $"## Monthly projection: {p.MonthlyRequests:N0} requests");
        md.AppendLine();
        md.AppendLine("Each cell's measured mean billed tokens per request, scaled to the monthly volume and priced exactly; amounts rounded only here.");
        md.AppendLine();
        var currencies = string.Concat(p.Fx.Select(f => $" {f.Label} ({f.UnitsPerUsd.ToString(Inv)}/USD) |"));
        md.AppendLine("| model | mode | input tokens | output tokens | USD / month |" + currencies);
        md.AppendLine("|---|---|---:|---:|---:|" + string.Concat(p.Fx.Select(_ => "---:|")));
        foreach (var (cell, budget) in p.Cells)
        {
            var line = budget.Lines[0];
            md.AppendLine(Inv, $"| {cell.Summary.Model} | {Names.Of(cell.Summary.Mode)} | {line.Volume.InputTokens:N0} | {line.Volume.OutputTokens:N0} | {Money(budget.TotalCostUsd)} |{string.Concat(p.Fx.Select(f => $" {Money(f.FromUsd(budget.TotalCostUsd))} |"))}");
        }

        md.AppendLine();
        foreach (var mix in p.Mixes)
        {
            md.AppendLine(Inv, $"Mix **{mix.Name}**: {Money(mix.TotalCostUsd)} USD per month{string.Concat(p.Fx.Select(f => $", {Money(f.FromUsd(mix.TotalCostUsd))} {f.Label}"))} ({string.Join(" + ", mix.Lines.Select(l => $"{l.SharePercent.ToString("0.##", Inv)} % {l.RequestedModel} · {l.Mode}: {Money(l.Cost.TotalCostUsd)} USD"))}).");
            md.AppendLine();
        }

        foreach (var problem in p.Problems)
        {
            md.AppendLine(Inv, $"- Not priced: {problem}.");
        }

        foreach (var saving in p.Savings)
        {
            md.AppendLine(Inv, $"Paying at {saving.Cheaper.Label} ({saving.Cheaper.UnitsPerUsd.ToString(Inv)} per USD) instead of {saving.Dearer.Label} ({saving.Dearer.UnitsPerUsd.ToString(Inv)} per USD) saves {saving.Percent.ToString("0.0", Inv)} % (1 − {saving.Cheaper.UnitsPerUsd.ToString(Inv)}/{saving.Dearer.UnitsPerUsd.ToString(Inv)}) of every {saving.Currency} amount.");
            md.AppendLine();
        }

        var notes = p.Cells.SelectMany(c => c.Budget.Notes).Distinct().ToList();
        foreach (var note in notes)
        {
            md.AppendLine(Inv, $"- {note}");
        }

        if (notes.Count > 0)
        {
            md.AppendLine();
        }
    }

    private static string Money(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero).ToString("N2", Inv);

    /// <summary>Lag a client shows when a late request is sent (queue) above which the report warns.</summary>
    internal const double LagWarningMs = 10;

    /// <summary>Below this share of the intended rate, the client did not deliver the offered load.</summary>
    internal const double RateShortfall = 0.95;

    /// <summary>How well the client kept an open schedule.</summary>
    internal enum ScheduleKeeping
    {
        /// <summary>99 % of requests left within <see cref="LagWarningMs"/> of their intended time.</summary>
        OnSchedule,

        /// <summary>The rate was kept but some requests left late (p99 lag above <see cref="LagWarningMs"/>).</summary>
        LateSends,

        /// <summary>The client fell behind: it sent less than <see cref="RateShortfall"/> of the intended rate, or the
        /// median request left late.</summary>
        Behind,
    }

    internal static ScheduleKeeping Keeping(CellSummary s)
    {
        var queue = s.Get(Metric.Queue);
        if (queue is null)
        {
            return ScheduleKeeping.OnSchedule;
        }

        var shortfall = s.IntendedRatePerS is > 0 && s.AchievedSendRatePerS is { } sent && sent < RateShortfall * s.IntendedRatePerS.Value;
        return shortfall || queue.P50 > LagWarningMs ? ScheduleKeeping.Behind
            : queue.P99 > LagWarningMs ? ScheduleKeeping.LateSends
            : ScheduleKeeping.OnSchedule;
    }

    private static void WriteSchedule(StringBuilder md, RunReport report)
    {
        var open = report.Cells.Where(c => c.Summary.Get(Metric.Queue) is not null).ToList();
        if (open.Count == 0)
        {
            return;
        }

        md.AppendLine("## Schedule (open load)");
        md.AppendLine();
        md.AppendLine("Each request had an intended send time. `queue_ms` is how late it was actually sent; `response_ms` is latency measured from the intended time (corrected for coordinated omission), shown beside the service time `e2e_ms`.");
        md.AppendLine();
        md.AppendLine("| model | mode | intended req/s | sent req/s | queue p50 | queue p99 | queue max | E2E p99 | response p99 | verdict |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var c in open)
        {
            var s = c.Summary;
            var queue = s.Get(Metric.Queue)!;
            var verdict = Keeping(s) switch
            {
                ScheduleKeeping.Behind => string.Create(Inv, $"**behind schedule**: sent {s.AchievedSendRatePerS:0.##} of {s.IntendedRatePerS:0.##} req/s; median lag {queue.P50:N0} ms, 1 % ≥ {queue.P99:N0} ms, worst {queue.Max:N0} ms"),
                ScheduleKeeping.LateSends => string.Create(Inv, $"**late sends**: rate kept, but 1 % of requests left ≥ {queue.P99:N0} ms late (worst {queue.Max:N0} ms)"),
                _ => string.Create(Inv, $"on schedule (99 % within {queue.P99:0.0} ms)"),
            };
            md.AppendLine(Inv, $"| {s.Model} | {Names.Of(s.Mode)} | {s.IntendedRatePerS:0.##} | {s.AchievedSendRatePerS:0.##} | {queue.P50:N1} | {queue.P99:N1} | {queue.Max:N1} | {Ms(s.Get(Metric.E2e)?.P99)} | {Ms(s.Get(Metric.Response)?.P99)} | {verdict} |");
        }

        md.AppendLine();
        var behind = open.Where(c => Keeping(c.Summary) == ScheduleKeeping.Behind).ToList();
        if (behind.Count > 0)
        {
            md.AppendLine(Inv, $"> **The client fell behind the schedule** in {Cells(behind)}: requests went out later than intended, so the offered load was lower than asked. Read `response_ms` for what a user would have waited; `e2e_ms` alone understates it.");
            md.AppendLine();
        }

        var late = open.Where(c => Keeping(c.Summary) == ScheduleKeeping.LateSends).ToList();
        if (late.Count > 0)
        {
            md.AppendLine(Inv, $"> **Some requests left late** in {Cells(late)} (the client or machine was briefly busy): the rate was kept, and `response_ms` includes the lag.");
            md.AppendLine();
        }

        static string Cells(List<CellReport> cells) => string.Join(", ", cells.Select(c => $"{c.Summary.Model} · {Names.Of(c.Summary.Mode)}"));
    }

    private static void WriteSlos(StringBuilder md, RunReport report)
    {
        var names = report.Cells.SelectMany(c => c.Summary.Slos.Select(s => s.Name)).Distinct().ToList();
        if (names.Count == 0)
        {
            return;
        }

        md.AppendLine("## SLOs and goodput");
        md.AppendLine();
        md.AppendLine("A request is good when it succeeded and met every threshold of the set (for non-streaming, the first token arrives with the whole response). `goodput_rps` = good requests / measured duration.");
        md.AppendLine();
        md.AppendLine("| model | mode | " + string.Join(" | ", names.Select(n => $"{n}: met | good | goodput req/s")) + " |");
        md.AppendLine("|---|---|" + string.Concat(names.Select(_ => "---|---:|---:|")));
        foreach (var c in report.Cells)
        {
            var cells = names.Select(n => c.Summary.Slos.FirstOrDefault(s => s.Name == n) is { } r
                ? string.Create(Inv, $"{(r.Met ? "yes" : "**no**")} | {r.GoodFraction * 100:0.#} % | {r.GoodputRps:0.##}")
                : "– | – | –");
            md.AppendLine(Inv, $"| {c.Summary.Model} | {Names.Of(c.Summary.Mode)} | {string.Join(" | ", cells)} |");
        }

        md.AppendLine();
        foreach (var c in report.Cells)
        {
            foreach (var r in c.Summary.Slos.Where(r => !r.Met))
            {
                md.AppendLine(Inv, $"- {c.Summary.Model} · {Names.Of(c.Summary.Mode)} missed **{r.Name}**: {r.Why}.");
            }
        }

        md.AppendLine();
    }

    private static void WriteSweeps(StringBuilder md, RunReport report)
    {
        if (report.Sweeps.Count == 0)
        {
            return;
        }

        md.AppendLine("## Sweep: the highest rate that meets the SLOs");
        md.AppendLine();
        foreach (var curve in report.Sweeps)
        {
            var sustainable = curve.SustainableRatePerS is { } rate
                ? string.Create(Inv, $"sustains **{rate:0.##} req/s** within SLO set {curve.Slo}")
                : $"met SLO set {curve.Slo} at no probed rate";
            md.AppendLine(Inv, $"**{curve.Model} · {Names.Of(curve.Mode)}** {sustainable}.");
            md.AppendLine();
            md.AppendLine("| offered req/s | sent req/s | requests | success | TTFT p50 | TTFT p95 | E2E p50 | E2E p95 | response p95 | goodput req/s | met |");
            md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var point in curve.Points)
            {
                var s = point.Summary;
                var slo = s.Slos.FirstOrDefault(x => x.Name == curve.Slo);
                md.AppendLine(Inv, $"| {point.RatePerS:0.##} | {s.AchievedSendRatePerS:0.##} | {s.Requests:N0} | {Pct(s.SuccessRate)} | {Ms(s.Get(Metric.Ttft)?.P50)} | {Ms(s.Get(Metric.Ttft)?.P95)} | {Ms(s.Get(Metric.E2e)?.P50)} | {Ms(s.Get(Metric.E2e)?.P95)} | {Ms(s.Get(Metric.Response)?.P95)} | {slo?.GoodputRps:0.##} | {(point.Met(curve.Slo) ? "yes" : "no")} |");
            }

            md.AppendLine();
            md.AppendLine("Offered is the schedule's rate; sent is the rate requests actually left the client (lower when the client fell behind). Goodput divides good requests by the probe's whole span, including the drain of its last requests, so it sits below the offered rate even when every request is good. Latencies in ms.");
            md.AppendLine();
        }
    }

    private static void WriteCost(StringBuilder md, RunReport report)
    {
        if (report.Cells.Count == 0)
        {
            return;
        }

        md.AppendLine("## Cost per 1,000 requests");
        md.AppendLine();
        md.AppendLine(Inv, $"Each request is priced from the tokens it was billed for (usage as reported): uncached prompt × input price + cached prompt × cached-input price + completion (reasoning included) × output price. Failed requests count what they were billed. Prices in USD per 1M tokens, from: {report.PriceCatalog}.");
        md.AppendLine();
        md.AppendLine("| model | mode | input $/1M | output $/1M | mean tokens in / out | $ per 1k requests | $ per successful request | price source |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---|");
        foreach (var c in report.Cells)
        {
            var s = c.Summary;
            if (c.Price is { } price)
            {
                md.AppendLine(Inv, $"| {s.Model} | {Names.Of(s.Mode)} | {price.UsdPerMillionInputTokens:0.00##} | {price.UsdPerMillionOutputTokens:0.00##} | {Tok(s.PromptTokensMean)} / {Tok(s.CompletionTokensMean)} | {Usd(c.CostUsdPer1kRequests)} | {Usd(c.CostUsdPerSuccess, "0.000000")} | {price.Source} |");
            }
            else
            {
                md.AppendLine(Inv, $"| {s.Model} | {Names.Of(s.Mode)} | – | – | {Tok(s.PromptTokensMean)} / {Tok(s.CompletionTokensMean)} | not priced | not priced | {c.Unpriced} |");
            }
        }

        md.AppendLine();
    }

    private static void WriteFailures(StringBuilder md, RunReport report)
    {
        var failing = report.Cells.Where(c => c.Summary.Successes < c.Summary.Requests).ToList();
        if (failing.Count == 0)
        {
            return;
        }

        md.AppendLine("## Failures");
        md.AppendLine();
        md.AppendLine("| model | mode | attempted | failed | by outcome |");
        md.AppendLine("|---|---|---:|---:|---|");
        foreach (var c in failing)
        {
            var s = c.Summary;
            md.AppendLine(Inv, $"| {s.Model} | {Names.Of(s.Mode)} | {s.Requests:N0} | {s.Requests - s.Successes:N0} | {Failures(s)} |");
        }

        md.AppendLine();
    }

    private static void WriteDefinitions(StringBuilder md)
    {
        md.AppendLine("## Definitions");
        md.AppendLine();
        foreach (var metric in Metric.Latencies.Append(Metric.DecodeTps))
        {
            md.AppendLine(Inv, $"- `{metric.Id}` ({metric.DisplayName}): {metric.Definition}.");
        }

        md.AppendLine("- Times are taken from a monotonic clock as bytes come off the socket, before JSON parsing. Percentiles from HdrHistogram (3 significant digits, µs resolution); means are exact.");
    }

    /// <summary>Per model (modes together): the server's completion tokens against a local tokenizer's count of the
    /// text it sent, over requests that have both.</summary>
    private static void WriteTokenCounts(StringBuilder md, RunReport report)
    {
        var models = report.Cells.Select(c => c.Summary).Where(s => s.TokenizerComparedRequests > 0)
            .GroupBy(s => s.Model, StringComparer.Ordinal).ToList();
        if (models.Count == 0)
        {
            return;
        }

        md.AppendLine("## Token counts: server against local tokenizer");
        md.AppendLine();
        md.AppendLine("Completion tokens the server reported (`usage`) against the received text counted locally (tiktoken `o200k_base`/`cl100k_base`; an approximation for non-OpenAI models), over successful requests that have both. A large difference means the count you are billed for is not the text you received: hidden reasoning, tool-call framing, another tokenizer, or a relay that miscounts.");
        md.AppendLine();
        md.AppendLine("| model | requests | server mean | tokenizer mean | difference mean (server − tokenizer) | difference % |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var model in models)
        {
            var n = model.Sum(s => s.TokenizerComparedRequests);
            var server = model.Sum(s => s.ComparedServerCompletionTokens);
            var local = model.Sum(s => s.ComparedTokenizerCompletionTokens);
            var diff = (double)(server - local) / n;
            var percent = local == 0 ? "–" : (100.0 * (server - local) / local).ToString("+0.0;−0.0;0.0", Inv) + " %";
            md.AppendLine(Inv, $"| {model.Key} | {n:N0} | {(double)server / n:0.0} | {(double)local / n:0.0} | {diff.ToString("+0.0;−0.0;0.0", Inv)} | {percent} |");
        }

        md.AppendLine();
    }

    private static string Failures(CellSummary s)
    {
        var parts = s.Outcomes.Where(o => o.Key != Outcome.Success && o.Value > 0).Select(o => $"{o.Value} {Names.Of(o.Key)}").ToList();
        return parts.Count == 0 ? "no failures" : string.Join(", ", parts);
    }

    private static string Describe(Dictionary<string, string> machine) =>
        $"{machine.GetValueOrDefault("os")} {machine.GetValueOrDefault("arch")}, {machine.GetValueOrDefault("logical_cores")} logical cores, {machine.GetValueOrDefault("memory_gib")} GiB";

    private static string Ms(double? value, string format = "N0") => value is { } v ? v.ToString(format, Inv) : "–";

    private static string Tok(double? value) => value is { } v ? v.ToString("0", Inv) : "–";

    private static string Pct(double value) => (value * 100).ToString(value is 1 or 0 ? "0" : "0.0#", Inv) + " %";

    private static string Signed(double fraction) => (fraction >= 0 ? "+" : "−") + Math.Abs(fraction * 100).ToString("0.0", Inv) + " %";

    private static string Usd(decimal? value, string format = "0.0000") => value is { } v ? "$" + v.ToString(format, Inv) : "–";
}
