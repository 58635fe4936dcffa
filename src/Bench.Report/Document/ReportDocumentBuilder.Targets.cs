using System.Text;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Statistics;
using Bench.Report.Model;

namespace Bench.Report.Document;

public static partial class ReportDocumentBuilder
{
    /// <summary>Section id of the target comparison ("relay against direct").</summary>
    public const string TargetsId = "targets";

    /// <summary>
    /// The section comparing targets that served the same model × mode (× policy): one plain-words verdict per pair and
    /// a table of the figures behind it; null when no two targets served the same cell.
    /// </summary>
    public static Section? TargetsSection(IReadOnlyList<TargetComparison> comparisons)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        if (comparisons.Count == 0)
        {
            return null;
        }

        var rows = comparisons.Select(c => Row(
        [
            $"{c.OtherTarget} against {c.BaselineTarget}",
            CellName(c),
            ShiftText(c.Ttft),
            ShiftText(c.E2e),
            string.Create(Inv, $"{c.Other.Summary.SuccessRate:P1} / {c.Baseline.Summary.SuccessRate:P1}"),
            c.SuccessRateDifference is { } d ? string.Create(Inv, $"{Pp(d.Difference)} [{Pp(d.Lower)}, {Pp(d.Upper)}]") : "–",
            $"{Billed(c.Other.Cost.Billed)} / {Billed(c.Baseline.Cost.Billed)}",
            $"{Usd(c.Other.Cost.Billed.CostUsdPerSuccess, "0.000000")} / {Usd(c.Baseline.Cost.Billed.CostUsdPerSuccess, "0.000000")}",
        ]));
        return new Section(TargetsId, "Targets compared",
        [
            Para("Each pair of targets that served the same model and mode in this run. Differences are the second target's minus the first's: "
                + "the Hodges–Lehmann shift of the per-request samples (the median of every pairwise difference) with its 95 % interval from the "
                + "Mann–Whitney test; success rates with Newcombe's 95 % interval of the difference; cost per successful request in each "
                + "target's billing (list price × what it charges per listed dollar, in its currency) and that invoice in USD at the market rate."),
            new BulletList([.. comparisons.Select(c => (IReadOnlyList<Span>)[new Span(SpanStyle.Plain, TargetVerdict(c))])]),
            Table(["targets", "cell", "TTFT shift ms [95 %]", "E2E shift ms [95 %]", "success", "success difference pp [95 %]",
                "billed per success", "USD per success (market)"], "LLRRRRRR", rows),
        ]);
    }

    /// <summary>One pair in plain words: "relay against direct (gpt-4.1 · streaming): relay's TTFT 41 ms longer (95 % [38, 44]) — within the
    /// articles' 50 ms claim — fails 0.4 pp more often (not significant), and costs 86.3 % less per successful request
    /// (¥0.0040 at ¥1 per listed $1, $0.000548 at ¥7.3 = $1, against $0.004000)."</summary>
    public static string TargetVerdict(TargetComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var c = comparison;
        var text = new StringBuilder();
        text.Append(Inv, $"{c.OtherTarget} against {c.BaselineTarget} ({CellName(c)}): ");
        var parts = new List<string>();
        if (c.Ttft is { } ttft)
        {
            parts.Add(string.Create(Inv, $"{c.OtherTarget}'s {Shift("TTFT", ttft)}{ClaimWords(c)}"));
        }

        if (c.E2e is { } e2e)
        {
            parts.Add(string.Create(Inv, $"{(c.Ttft is null ? c.OtherTarget + "'s " : "")}{Shift("E2E", e2e)}{(c.Ttft is null ? ClaimWords(c) : "")}"));
        }

        if (c.Ttft is null && c.E2e is null)
        {
            parts.Add(string.Create(Inv, $"too few successful requests to compare latency (at least {ShiftInterval.MinCount} each)"));
        }

        if (c.SuccessRateDifference is { } d)
        {
            var failsMore = -d.Difference;
            var significant = d.Lower > 0 || d.Upper < 0;
            parts.Add(Math.Abs(failsMore) < 1e-12
                ? "fails as often"
                : string.Create(Inv, $"fails {Math.Abs(failsMore) * 100:0.0} pp {(failsMore > 0 ? "more" : "less")} often ({(significant ? "significant" : "not significant")}, 95 % [{Pp(-d.Upper)}, {Pp(-d.Lower)}])"));
        }

        var o = c.Other.Cost.Billed;
        var b = c.Baseline.Cost.Billed;
        if (c.CostSavingPercent is { } saving)
        {
            parts.Add(string.Create(Inv, $"costs {Math.Abs(saving):0.0} % {(saving >= 0 ? "less" : "more")} per successful request ({BillingWords(o)} against {BillingWords(b)})"));
        }
        else
        {
            parts.Add("cost not compared (a cell is unpriced or has no successful request)");
        }

        text.Append(string.Join(", ", parts.Take(parts.Count - 1)));
        text.Append(parts.Count > 1 ? ", and " : "");
        text.Append(parts[^1]);
        text.Append('.');
        return text.ToString();
    }

    private static string CellName(TargetComparison c) =>
        c.Policy is { } p ? $"{c.Model} · {Names.Of(c.Mode)} · {p}" : $"{c.Model} · {Names.Of(c.Mode)}";

    /// <summary>"TTFT 50 ms longer (95 % [23, 78])", "E2E 23 ms shorter (95 % [-75, 30], not significant)": the
    /// shift's sign in words, its interval as measured (other minus baseline).</summary>
    private static string Shift(string metric, ShiftInterval s) =>
        string.Create(Inv, $"{metric} {Math.Abs(s.Estimate):0} ms {(s.Estimate >= 0 ? "longer" : "shorter")} (95 % [{s.Lower:0}, {s.Upper:0}]{(s.Significant ? "" : ", not significant")})");

    private static string ClaimWords(TargetComparison c) => c.WithinClaim switch
    {
        true => string.Create(Inv, $" — within the articles' {TargetComparison.ClaimedOverheadMs:0} ms claim"),
        false => string.Create(Inv, $" — beyond the articles' {TargetComparison.ClaimedOverheadMs:0} ms claim"),
        null => string.Create(Inv, $" — the interval straddles the articles' {TargetComparison.ClaimedOverheadMs:0} ms claim"),
    };

    private static string ShiftText(ShiftInterval? s) =>
        s is { } v ? string.Create(Inv, $"{v.Estimate:+0.0;-0.0;0.0} [{v.Lower:0.0}, {v.Upper:0.0}]") : "–";

    private static string Pp(double difference) => string.Create(Inv, $"{difference * 100:+0.0;-0.0;0.0}");

    private static string Billed(BilledCost billed) =>
        billed.CostPerSuccess is { } v ? string.Create(Inv, $"{billed.Currency} {v:0.000000}") : "–";

    private static string BillingWords(BilledCost billed)
    {
        if (billed.CostPerSuccess is not { } perSuccess)
        {
            return "not priced";
        }

        if (billed.Currency == "USD" && billed.UnitsPerListUsd == 1m)
        {
            return string.Create(Inv, $"${perSuccess:0.000000} at list price");
        }

        return string.Create(Inv, $"{billed.Currency} {perSuccess:0.000000} at {billed.UnitsPerListUsd:0.####} {billed.Currency} per listed USD, "
            + $"{Usd(billed.CostUsdPerSuccess, "0.000000")} at {billed.MarketUnitsPerUsd:0.####} {billed.Currency} = $1");
    }
}
