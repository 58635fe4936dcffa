using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Core.Statistics;

namespace Bench.Report.Model;

/// <summary>
/// For one SLO set: the cheapest model × mode whose sample <i>shows</i> it meets the set
/// (<see cref="SloEvaluator.Evidence"/>: one-sided 95 % exact bounds), the runner-up, the cells that meet it only on
/// the point estimate (with what their sample does show, <see cref="NotShown"/>), and why the others did not.
/// "Cheapest" is by cost per successful request as paid (<see cref="PaidUsdPerSuccess"/>: the list cost × the target's
/// billing at the market rate; failures' billed cost counts against a cell); cells shown to meet
/// the SLOs but without a price cannot be ranked and are listed apart.
/// </summary>
/// <param name="Slo">The SLO set's name.</param>
/// <param name="Criteria">The set's conditions in words, e.g. "ttft_ms ≤ 500 for 95 % of requests".</param>
/// <param name="Best">The cheapest cell that met the set, or null when none did.</param>
/// <param name="RunnerUp">The next cheapest, or null.</param>
/// <param name="MetUnpriced">Cells that met the set but could not be priced.</param>
/// <param name="Failed">Cells that did not meet the set, each with the reason.</param>
/// <param name="Set">The SLO set itself.</param>
/// <param name="NotShown">Cells that meet the set on the point estimate but whose sample cannot show it, each with
/// the conditions it cannot show.</param>
public sealed record Recommendation(
    string Slo,
    string Criteria,
    CellResult? Best,
    CellResult? RunnerUp,
    IReadOnlyList<CellResult> MetUnpriced,
    IReadOnlyList<(CellResult Cell, string Why)> Failed,
    SloSet Set,
    IReadOnlyList<(CellResult Cell, IReadOnlyList<SampleShortfall> Shortfalls)> NotShown)
{
    /// <summary>When the two cheapest shown cells' cost-per-success intervals overlap: the tie and what breaks it
    /// (then <see cref="Best"/> is the faster cell when latency breaks it); null when costs separate them or there is no
    /// runner-up.</summary>
    public Tie? Tie { get; init; }

    /// <summary>Every priced cell shown to meet the set, in the order the recommendation ranks them: cheapest paid cost
    /// per success first (<see cref="PaidUsdPerSuccess"/>), with <see cref="Best"/> first and <see cref="RunnerUp"/>
    /// second when a latency tie-break swapped them. The budget plan's options.</summary>
    public IReadOnlyList<CellResult> Ranked { get; init; } = [];

    /// <summary>Requests per cell that would separate two paid costs per success (<see cref="PaidUsdPerSuccess"/>) (two-sample normal approximation, 95 % two-sided,
    /// 80 % power: n = (z₀.₉₇₅ + z₀.₈)²·(σ₁² + σ₂²) / Δ², Chow, Shao &amp; Wang, <i>Sample Size Calculations in Clinical
    /// Research</i>, 2008, §3.2.1), where σᵢ² = n·SEᵢ² is the per-request variance read back from a cell's interval
    /// half-width; null when the points are equal or an interval is missing.</summary>
    public static long? RequestsToSeparate(CellResult a, CellResult b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (PaidUsdPerSuccessCi(a) is not { } ia || PaidUsdPerSuccessCi(b) is not { } ib || PaidUsdPerSuccess(a) is not { } ca || PaidUsdPerSuccess(b) is not { } cb)
        {
            return null;
        }

        var delta = Math.Abs((double)(ca - cb));
        if (delta == 0)
        {
            return null;
        }

        const double z = 1.959964 + 0.841621; // z(0.975) + z(0.80)
        double Variance(Interval i, long n) => Math.Pow((i.Upper - i.Lower) / 2 / 1.959964, 2) * n;
        var n = z * z * (Variance(ia, a.Summary.Requests) + Variance(ib, b.Summary.Requests)) / (delta * delta);
        return double.IsFinite(n) ? (long)Math.Ceiling(n) : null;
    }

    /// <summary>What a successful request of the cell costs as paid, USD at the market rate: the list cost per success
    /// × the target's <see cref="BilledCost.UsdPerListUsd"/> (<see cref="BilledCost.CostUsdPerSuccess"/>; equal to
    /// <c>cost_usd_per_success</c> for a target billing list prices in USD); null when unpriced.</summary>
    public static decimal? PaidUsdPerSuccess(CellResult cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.Cost.Billed.CostUsdPerSuccess;
    }

    /// <summary>The 95 % interval of <see cref="PaidUsdPerSuccess"/>: the list interval
    /// (<see cref="CellCost.CostUsdPerSuccessCi"/>) scaled by the target's <see cref="BilledCost.UsdPerListUsd"/>.</summary>
    public static Interval? PaidUsdPerSuccessCi(CellResult cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.Cost.CostUsdPerSuccessCi is { } ci && cell.Cost.Billed.UsdPerListUsd is { } paid ? ci.Scale((double)paid) : null;
    }

    private static Tie? Untie(ref CellResult? best, CellResult? runnerUp, SloSet slo)
    {
        if (best is null || runnerUp is null || PaidUsdPerSuccessCi(best) is not { } a || PaidUsdPerSuccessCi(runnerUp) is not { } b || !a.Overlaps(b))
        {
            return null;
        }

        var la = KeyLatencyCi(best, slo);
        var lb = KeyLatencyCi(runnerUp, slo);
        if (la is { } x && lb is { } y && !x.Overlaps(y))
        {
            var faster = x.Upper < y.Lower ? best : runnerUp;
            var other = faster == best ? runnerUp : best;
            best = faster;
            return new Tie(other, TieBreak.Latency, null);
        }

        return new Tie(runnerUp, TieBreak.None, RequestsToSeparate(best, runnerUp));
    }

    /// <summary>The 95 % interval of the p95 of the set's key latency (<see cref="KeyMetric"/>), or null.</summary>
    public static Interval? KeyLatencyCi(CellResult cell, SloSet slo) =>
        cell.Summary.LatencyCi.TryGetValue(KeyMetric(cell, slo).Judged.Id, out var ci) ? ci.P95 : null;

    /// <summary>The fewest requests per cell a run needs before its recommendation is more than a smoke test: the
    /// smallest failure-free sample that can show 95 % at 95 % confidence (⌈ln 0.05 / ln 0.95⌉ = 59,
    /// <see cref="ProportionBound.ZeroFailureTrials"/>).</summary>
    public static long SmallRunRequests { get; } = ProportionBound.ZeroFailureTrials(0.95, SloEvaluator.Confidence);

    /// <summary>When the run is too small to recommend anything: the fewest requests in any judged cell, when that is
    /// below <see cref="SmallRunRequests"/> or when no cell's sample shows any SLO set; else null.</summary>
    public static long? SmallRun(IReadOnlyList<CellResult> cells, IReadOnlyList<Recommendation> recommendations)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(recommendations);
        if (cells.Count == 0 || recommendations.Count == 0)
        {
            return null;
        }

        var fewest = cells.Min(c => c.Summary.Requests);
        var anyShown = recommendations.Any(r => r.Best is not null || r.MetUnpriced.Count > 0);
        return fewest < SmallRunRequests || !anyShown ? fewest : null;
    }

    /// <summary>What a cell's sample shows about each condition of <paramref name="slo"/> it cannot show: the
    /// one-sided 95 % exact lower bound against the target, and the smallest sample with as many failures (or misses) that
    /// would show it.</summary>
    public static IReadOnlyList<SampleShortfall> Shortfalls(CellResult cell, SloSet slo)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(slo);
        var s = cell.Summary;
        var list = new List<SampleShortfall>();
        if (s.Requests == 0)
        {
            return list;
        }

        void Check(SampleCondition condition, long count, double target)
        {
            var lower = ProportionBound.Lower(count, s.Requests, SloEvaluator.Confidence);
            if (lower < target)
            {
                list.Add(new SampleShortfall(condition, count, s.Requests, lower, target, ProportionBound.TrialsToShow(s.Requests - count, target, SloEvaluator.Confidence)));
            }
        }

        if (slo.MaxMs.Count > 0 && s.Slos.FirstOrDefault(r => r.Name == slo.Name) is { } result)
        {
            Check(SampleCondition.GoodFraction, result.GoodRequests, slo.Percentile / 100);
        }

        if (slo.MinSuccessRate is { } min)
        {
            Check(SampleCondition.SuccessRate, s.Successes, min);
        }

        return list;
    }

    /// <summary>One recommendation per SLO set, in the order the scenario declares them. Cells are ranked by what a
    /// successful request costs as paid (<see cref="PaidUsdPerSuccess"/>: a relay billing ¥1 per listed $1 at a market
    /// rate of ¥7.3 ranks at 1/7.3 of its list cost). For a set with <see cref="SloSet.MaxTurnaroundH"/>, a batch-api
    /// cell is judged by <see cref="JudgeBatch"/> (turnaround and success rate) instead of the per-request latency
    /// limits; without it, a batch-api cell is not a candidate (the class did not say it tolerates hours).</summary>
    public static IReadOnlyList<Recommendation> For(IReadOnlyList<CellResult> cells, IReadOnlyList<SloSet> slos)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(slos);
        var list = new List<Recommendation>();
        foreach (var slo in slos)
        {
            var judged = cells
                .Select(c => (Cell: c, Verdict: Judge(c, slo)))
                .Where(x => x.Verdict is not null)
                .Select(x => (x.Cell, Verdict: x.Verdict!.Value))
                .ToList();
            var met = judged.Where(x => x.Verdict.Met && x.Verdict.Evidence == SloEvidence.Shown).Select(x => x.Cell).ToList();
            var pointOnly = judged.Where(x => x.Verdict.Met && x.Verdict.Evidence != SloEvidence.Shown).Select(x => x.Cell).ToList();
            var ranked = met.Where(c => PaidUsdPerSuccess(c) is not null)
                .OrderBy(PaidUsdPerSuccess)
                .ThenBy(c => KeyLatency(c, slo))
                .ToList();
            var best = ranked.ElementAtOrDefault(0);
            var runnerUp = ranked.ElementAtOrDefault(1);
            var tie = Untie(ref best, runnerUp, slo);
            if (tie is { By: TieBreak.Latency })
            {
                runnerUp = tie.Other;
            }

            list.Add(new Recommendation(
                slo.Name,
                Describe(slo),
                best,
                runnerUp,
                [.. met.Where(c => PaidUsdPerSuccess(c) is null)],
                [.. judged.Where(x => !x.Verdict.Met).Select(x => (x.Cell, x.Verdict.Why ?? "not met"))],
                slo,
                [.. pointOnly.Select(c => (c, Shortfalls(c, JudgedSet(c, slo))))])
            {
                Tie = tie,
                Ranked = best is null ? [] : [best, .. runnerUp is null ? [] : new[] { runnerUp }, .. ranked.Where(c => c != best && c != runnerUp)],
            });
        }

        return list;
    }

    /// <summary>True when <paramref name="cell"/> is a batch-api cell and <paramref name="slo"/> tolerates a batch
    /// turnaround (<see cref="SloSet.MaxTurnaroundH"/>): the cell is then judged on its batches, not on latency limits.</summary>
    public static bool JudgedOnTurnaround(CellResult cell, SloSet slo)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(slo);
        return slo.MaxTurnaroundH is not null && cell.Summary.Mode == Mode.BatchApi;
    }

    /// <summary>The conditions a cell is held to: the set itself, or for a cell judged on turnaround
    /// (<see cref="JudgedOnTurnaround"/>) the set without its per-request latency limits.</summary>
    private static SloSet JudgedSet(CellResult cell, SloSet slo) =>
        JudgedOnTurnaround(cell, slo) ? slo with { MaxMs = new Dictionary<string, double>() } : slo;

    /// <summary>A cell's verdict on a set: the cell's own <see cref="SloResult"/>, or <see cref="JudgeBatch"/> for a
    /// batch-api cell under a set with a turnaround limit; null when the cell was not judged against the set.</summary>
    private static (bool Met, SloEvidence Evidence, string? Why)? Judge(CellResult cell, SloSet slo)
    {
        if (JudgedOnTurnaround(cell, slo))
        {
            var batch = JudgeBatch(cell, slo);
            return (batch.Met, batch.Evidence, batch.Why);
        }

        if (cell.Summary.Mode == Mode.BatchApi && cell.Summary.Slos.Any(s => s.Name == slo.Name))
        {
            // A batch answers in hours: only a class that says it tolerates them (max_turnaround_h) may take it, even
            // when its own limits (a success rate alone, say) would let a batch cell pass.
            return (false, SloEvidence.Shown, "answers in a batch's turnaround (hours); the class sets no max_turnaround_h");
        }

        return cell.Summary.Slos.FirstOrDefault(s => s.Name == slo.Name) is { } result ? (result.Met, result.Evidence, result.Why) : null;
    }

    /// <summary>
    /// A batch-api cell against a set that tolerates a turnaround of <see cref="SloSet.MaxTurnaroundH"/> hours: met
    /// when every batch of the cell ended (<see cref="BatchSummary.Ended"/> = <see cref="BatchSummary.Count"/>), the
    /// longest turnaround (<see cref="BatchSummary.TurnaroundSMax"/>, on the provider's clock: simulated seconds on the
    /// simulator) is at most the limit × 3,600 s, and — when the set has <see cref="SloSet.MinSuccessRate"/> — the
    /// success rate reaches it; the evidence is the success rate's (<see cref="SloEvaluator.Evidence"/> without latency
    /// limits: shown, not met or inconclusive), and a turnaround judged on every batch is a fact, not a sample.
    /// </summary>
    /// <returns>Met, the evidence, and when not met the reason in words ("1 batch still running",
    /// "turnaround 26.1 h > 24 h").</returns>
    /// <exception cref="ArgumentException"><paramref name="slo"/> has no turnaround limit.</exception>
    public static (bool Met, SloEvidence Evidence, string? Why) JudgeBatch(CellResult cell, SloSet slo)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(slo);
        var limitH = slo.MaxTurnaroundH ?? throw new ArgumentException($"the SLO set '{slo.Name}' has no max_turnaround_h", nameof(slo));
        var s = cell.Summary;
        var reasons = new List<string>();
        if (s.Requests == 0)
        {
            reasons.Add("no requests");
        }

        if (cell.Batch is not { Count: > 0 } batch)
        {
            reasons.Add("no batch job recorded for the cell (batches.jsonl), so its turnaround is unknown");
        }
        else
        {
            var running = batch.Count - batch.Ended;
            if (running > 0)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{running} batch{(running == 1 ? "" : "es")} still running (no turnaround yet)"));
            }

            if (batch.TurnaroundSMax is { } max && max > limitH * 3600)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"turnaround {max / 3600:0.0##} h > {limitH:0.###} h"));
            }
        }

        var successRate = s.Requests == 0 ? 0 : (double)s.Successes / s.Requests;
        if (slo.MinSuccessRate is { } min && s.Requests > 0 && successRate < min)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"success rate {successRate * 100:0.##} % is below {min * 100:0.##} %"));
        }

        var evidence = reasons.Count > 0
            ? SloEvidence.NotMet
            : SloEvaluator.Evidence(slo with { MaxMs = new Dictionary<string, double>() }, s.Successes, s.Successes, s.Requests);
        return (reasons.Count == 0, evidence, reasons.Count == 0 ? null : string.Join("; ", reasons));
    }

    /// <summary>The SLO set's conditions in words.</summary>
    public static string Describe(SloSet slo)
    {
        ArgumentNullException.ThrowIfNull(slo);
        var parts = new List<string>();
        if (slo.MaxMs.Count > 0)
        {
            var limits = string.Join(" and ", slo.MaxMs.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} ≤ {kv.Value:0.###} ms")));
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{limits} for {slo.Percentile:0.#} % of requests"));
        }

        if (slo.MinSuccessRate is { } min)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"success rate ≥ {min * 100:0.##} %"));
        }

        if (slo.MaxTurnaroundH is { } hours)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"batch-api cells: every batch back within {hours:0.###} h (instead of the latency limits)"));
        }

        return string.Join("; ", parts);
    }

    /// <summary>The latency that matters most for the set: its first threshold's metric (E2E when it has none), and
    /// the metric that stands for it in <paramref name="cell"/>'s mode (<see cref="Metric.JudgedAs"/>: a non-streaming
    /// first token is its E2E).</summary>
    public static (MetricDescriptor Named, MetricDescriptor Judged) KeyMetric(CellResult cell, SloSet slo)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(slo);
        var named = slo.MaxMs.Keys.Select(Metric.Find).FirstOrDefault(m => m is not null) ?? Metric.E2e;
        return (named, Metric.JudgedAs(named, cell.Summary.Mode));
    }

    /// <summary>The p95 of the set's key latency (<see cref="KeyMetric"/>) in the cell, for ties; +∞ without samples.</summary>
    public static double KeyLatency(CellResult cell, SloSet slo) =>
        cell.Summary.Get(KeyMetric(cell, slo).Judged)?.P95 ?? double.PositiveInfinity;
}

/// <summary>Which condition of an SLO set a <see cref="SampleShortfall"/> is about.</summary>
public enum SampleCondition
{
    /// <summary>The share of good requests (succeeded within every limit) against the set's percentile.</summary>
    GoodFraction,

    /// <summary>The success rate against the set's minimum.</summary>
    SuccessRate,
}

/// <summary>A condition a cell meets on the point estimate that its sample cannot show at 95 % confidence.</summary>
/// <param name="Condition">Which condition.</param>
/// <param name="Count">Requests that satisfied it (good or successful).</param>
/// <param name="Trials">Requests attempted.</param>
/// <param name="ShownAtLeast">The one-sided 95 % exact lower bound of Count / Trials, 0..1: what the sample shows.</param>
/// <param name="Target">The set's target, 0..1.</param>
/// <param name="TrialsNeeded">The smallest number of requests without a miss that shows <paramref name="Target"/>
/// (⌈ln 0.05 / ln target⌉; 598 for 99.5 %).</param>
public sealed record SampleShortfall(SampleCondition Condition, long Count, long Trials, double ShownAtLeast, double Target, long TrialsNeeded);

/// <summary>What settles a tie on cost.</summary>
public enum TieBreak
{
    /// <summary>Nothing in this sample: the cells cannot be told apart.</summary>
    None,

    /// <summary>The key latency's p95 intervals do not overlap: the faster cell is chosen.</summary>
    Latency,
}

/// <summary>Two cells whose cost-per-success intervals overlap (<see cref="Interval.Overlaps"/>).</summary>
/// <param name="Other">The cell tied with <see cref="Recommendation.Best"/>.</param>
/// <param name="By">What breaks the tie.</param>
/// <param name="RequestsToSeparate">When nothing does: requests per cell that would separate the costs
/// (<see cref="Recommendation.RequestsToSeparate"/>), or null when the points are equal.</param>
public sealed record Tie(CellResult Other, TieBreak By, long? RequestsToSeparate);
