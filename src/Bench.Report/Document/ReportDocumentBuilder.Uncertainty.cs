using Bench.Core.Metrics;
using Bench.Report.Model;

namespace Bench.Report.Document;

// The words for how sure a recommendation is: what a sample shows, what it would take to show more, and the note that
// a small run is a smoke test. The figures come from Recommendation (one-sided exact bounds, SloEvaluator.Evidence).
public static partial class ReportDocumentBuilder
{
    /// <summary>"8 requests per cell: a smoke test, not a recommendation." (or the nothing-shown variant), or null.</summary>
    private static Block? SmallRunNote(RunReport report)
    {
        if (Recommendation.SmallRun(report.Cells, report.Recommendations) is not { } fewest)
        {
            return null;
        }

        return fewest < Recommendation.SmallRunRequests
            ? Para(Strong(string.Create(Inv, $"{fewest:N0} requests per cell: a smoke test, not a recommendation.")),
                string.Create(Inv, $" At least {Recommendation.SmallRunRequests:N0} requests per cell are needed to show even 95 % at 95 % confidence."))
            : Para(Strong("No cell's sample shows any SLO set: the run is too small to recommend."),
                " The cells below meet their SLOs on the point estimate only.");
    }

    /// <summary>"no failures in 64 requests shows success ≥ 95.4 % at 95 % confidence; 598 are needed for 99.5 %".</summary>
    internal static string ShortfallWords(SampleShortfall s)
    {
        var shown = Percent(s.ShownAtLeast);
        var target = Percent(s.Target);
        return (s.Condition, s.Count == s.Trials) switch
        {
            (SampleCondition.SuccessRate, true) => string.Create(Inv,
                $"no failures in {s.Trials:N0} requests shows success ≥ {shown} % at 95 % confidence; {s.TrialsNeeded:N0} are needed for {target} %"),
            (SampleCondition.SuccessRate, false) => string.Create(Inv,
                $"{s.Count:N0} successes in {s.Trials:N0} requests shows success ≥ {shown} % at 95 % confidence; with as many failures ({s.Trials - s.Count:N0}), {Needed(s)} requests would show {target} %"),
            (_, true) => string.Create(Inv,
                $"all {s.Trials:N0} requests within the limits shows ≥ {shown} % good at 95 % confidence; {s.TrialsNeeded:N0} are needed for {target} %"),
            _ => string.Create(Inv,
                $"{s.Count:N0} of {s.Trials:N0} requests within the limits shows ≥ {shown} % good at 95 % confidence; with as many misses ({s.Trials - s.Count:N0}), {Needed(s)} requests would show {target} %"),
        };
    }

    /// <summary>The sample size a shortfall needs, in words ("more than 10⁹" past any practical run).</summary>
    private static string Needed(SampleShortfall s) =>
        s.TrialsNeeded >= 1_000_000_000 ? "more than 10⁹" : string.Create(Inv, $"{s.TrialsNeeded:N0}");

    /// <summary>A proportion as a percentage with up to one decimal, rounded down so "shows ≥" never overstates.</summary>
    private static string Percent(double proportion)
    {
        var tenths = Math.Floor((proportion * 1000) + 1e-9) / 10;
        return tenths.ToString("0.#", Inv);
    }

    /// <summary>A tie on cost: "choose X: as cheap within noise and faster", or "X and Y are a tie" with the requests
    /// per cell that would separate them; never a pick by a difference inside the noise.</summary>
    private static IEnumerable<IReadOnlyList<Span>> TieItems(Recommendation r, CellResult best, Tie tie)
    {
        var costs = string.Create(Inv, $"cost per successful request {CostCi(best)} against {CostCi(tie.Other)} (95 % intervals overlap)");
        if (tie.By == TieBreak.Latency)
        {
            yield return ["Choose ", Strong(Cell(best)), $": as cheap as {Cell(tie.Other)} within noise ({costs}) and faster: {LatencyCi(best, r)} against {LatencyCi(tie.Other, r)}."];
            yield break;
        }

        var separate = tie.RequestsToSeparate is { } n
            ? string.Create(Inv, $"about {n:N0} requests per cell would separate their costs (95 % confidence, 80 % power)")
            : "their measured costs are equal";
        yield return [Strong("Tie: "), Strong(Cell(best)), " and ", Strong(Cell(tie.Other)), $" cannot be told apart: {costs}, and their {LatencyCi(best, r)} against {LatencyCi(tie.Other, r)} overlap too; {separate}."];
    }

    /// <summary>"$0.000098 ($0.000095–0.000101)": the cost per success as paid (the target's billing at the market
    /// rate, <see cref="Recommendation.PaidUsdPerSuccess"/>), what the recommendation ranks by.</summary>
    private static string CostCi(CellResult c) =>
        Recommendation.PaidUsdPerSuccessCi(c) is { } ci
            ? string.Create(Inv, $"{Usd(Recommendation.PaidUsdPerSuccess(c), "0.000000")} ({Usd((decimal)ci.Lower, "0.000000")}–{((decimal)ci.Upper).ToString("0.000000", Inv)})")
            : Usd(Recommendation.PaidUsdPerSuccess(c), "0.000000");

    /// <summary>" as paid (¥1 per listed $1 at ¥7.3 = $1)" for a cell whose target does not bill list prices in USD;
    /// empty otherwise.</summary>
    private static string PaidNote(CellResult c)
    {
        var billed = c.Cost.Billed;
        return billed.UsdPerListUsd is { } paid && paid != 1m
            ? string.Create(Inv, $" as paid ({billed.Currency} {billed.UnitsPerListUsd:0.####} per listed $1 at {billed.MarketUnitsPerUsd:0.####} {billed.Currency} = $1)")
            : "";
    }

    /// <summary>"ttft_ms p95 812 ms (790–845)" for the set's key latency; "?" for a side the sample cannot bound.</summary>
    private static string LatencyCi(CellResult c, Recommendation r)
    {
        var (_, judged) = Recommendation.KeyMetric(c, r.Set);
        var point = Recommendation.KeyLatency(c, r.Set);
        var ci = Recommendation.KeyLatencyCi(c, r.Set);
        static string Bound(double v) => double.IsFinite(v) ? v.ToString("N0", Inv) : "?";
        var range = ci is { } i ? $" ({Bound(i.Lower)}–{Bound(i.Upper)})" : "";
        return double.IsFinite(point) ? string.Create(Inv, $"{judged.Id} p95 {point:N0} ms{range}") : $"{judged.Id} p95 unknown";
    }

    /// <summary>The one line under the summary table that explains its compact interval notation.</summary>
    private static readonly Paragraph IntervalNote = Para(
        "In parentheses: 95 % confidence intervals — Wilson for the success rate, distribution-free (order statistics) for p95; “?” where the sample is too small to bound that side.");

    /// <summary>" (94.3–100)": the success rate's Wilson interval in percent, or empty.</summary>
    private static string SuccessCi(CellResult c) =>
        c.Summary.SuccessRateCi is { } ci ? string.Create(Inv, $" ({ci.Lower * 100:0.#}–{ci.Upper * 100:0.#})") : "";

    /// <summary>" (790–845)" after a p95 column of the summary table, from <see cref="CellSummary.LatencyCi"/>; empty for
    /// other columns.</summary>
    private static string P95Ci(CellResult c, MetricDefinition column)
    {
        if (column.Distribution is not { } metric || column != metric.Column(Statistic.P95) || !c.Summary.LatencyCi.TryGetValue(metric.Id, out var q))
        {
            return "";
        }

        static string Bound(double v) => double.IsFinite(v) ? v.ToString("N0", Inv) : "?";
        return $" ({Bound(q.P95.Lower)}–{Bound(q.P95.Upper)})";
    }

    private static IEnumerable<IReadOnlyList<Span>> NotShownItems(Recommendation r) =>
        r.NotShown.Select(x => (IReadOnlyList<Span>)[
            $"{Cell(x.Cell)} meets it on the point estimate, but its sample cannot show it: ",
            string.Join("; and ", x.Shortfalls.Select(ShortfallWords)), "."]);
}
