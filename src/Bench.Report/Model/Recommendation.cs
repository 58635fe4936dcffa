using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Core.Statistics;

namespace Bench.Report.Model;

/// <summary>
/// For one SLO set: the cheapest model × mode whose sample <i>shows</i> it meets the set
/// (<see cref="SloEvaluator.Evidence"/>: one-sided 95 % exact bounds), the runner-up, the cells that meet it only on
/// the point estimate (with what their sample does show, <see cref="NotShown"/>), and why the others did not.
/// "Cheapest" is by cost per successful request (so failures' billed cost counts against a cell); cells shown to meet
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

    /// <summary>Requests per cell that would separate two costs (two-sample normal approximation, 95 % two-sided,
    /// 80 % power: n = (z₀.₉₇₅ + z₀.₈)²·(σ₁² + σ₂²) / Δ², Chow, Shao &amp; Wang, <i>Sample Size Calculations in Clinical
    /// Research</i>, 2008, §3.2.1), where σᵢ² = n·SEᵢ² is the per-request variance read back from a cell's interval
    /// half-width; null when the points are equal or an interval is missing.</summary>
    public static long? RequestsToSeparate(CellResult a, CellResult b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Cost.CostUsdPerSuccessCi is not { } ia || b.Cost.CostUsdPerSuccessCi is not { } ib || a.CostUsdPerSuccess is not { } ca || b.CostUsdPerSuccess is not { } cb)
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

    private static Tie? Untie(ref CellResult? best, CellResult? runnerUp, SloSet slo)
    {
        if (best is null || runnerUp is null || best.Cost.CostUsdPerSuccessCi is not { } a || runnerUp.Cost.CostUsdPerSuccessCi is not { } b || !a.Overlaps(b))
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

    /// <summary>One recommendation per SLO set, in the order the scenario declares them.</summary>
    public static IReadOnlyList<Recommendation> For(IReadOnlyList<CellResult> cells, IReadOnlyList<SloSet> slos)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(slos);
        var list = new List<Recommendation>();
        foreach (var slo in slos)
        {
            var judged = cells
                .Select(c => (Cell: c, Result: c.Summary.Slos.FirstOrDefault(s => s.Name == slo.Name)))
                .Where(x => x.Result is not null)
                .ToList();
            var met = judged.Where(x => x.Result!.Met && x.Result.Evidence == SloEvidence.Shown).Select(x => x.Cell).ToList();
            var pointOnly = judged.Where(x => x.Result!.Met && x.Result.Evidence != SloEvidence.Shown).Select(x => x.Cell).ToList();
            var ranked = met.Where(c => c.CostUsdPerSuccess is not null)
                .OrderBy(c => c.CostUsdPerSuccess)
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
                [.. met.Where(c => c.CostUsdPerSuccess is null)],
                [.. judged.Where(x => !x.Result!.Met).Select(x => (x.Cell, x.Result!.Why ?? "not met"))],
                slo,
                [.. pointOnly.Select(c => (c, Shortfalls(c, slo)))])
            {
                Tie = tie,
            });
        }

        return list;
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
