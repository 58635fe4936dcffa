using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Report.Document;
using Bench.Report.Model;

namespace Bench.Report.Tests.Model;

/// <summary>The relay-against-direct comparison on hand-built cells: the relay is the direct samples + 40 ms, bills
/// CNY at ¥1 = $1 against a market ¥7.3 = $1 (SEED-FIGURES.md), and fails 4 of 1,000 requests.</summary>
public sealed class TargetComparisonTests
{
    private static readonly IReadOnlyDictionary<string, TargetPricing> Targets = TargetPricing.ForTargets(
        new Dictionary<string, TargetBilling>
        {
            ["direct"] = new(),
            ["relay"] = new() { Currency = "CNY", UnitsPerListUsd = 1m, MarketUnitsPerUsd = 7.3m },
        },
        PriceCatalog.BuiltIn);

    private sealed class Samples : ITargetSamples
    {
        // direct: 100..109 ms repeated (100 values); relay: the same + 40 ms.
        private static double[] Of(string target, double baseMs) =>
            [.. Enumerable.Range(0, 100).Select(i => baseMs + (i % 10) + (target == "relay" ? 40 : 0))];

        public IReadOnlyList<double>? TtftMs(string target, string model, Mode mode, string? policy) => Of(target, 100);

        public IReadOnlyList<double>? E2eMs(string target, string model, Mode mode, string? policy) => Of(target, 2_000);
    }

    private static CellResult Cell(string target, long successes, IReadOnlyList<FailureGroup>? failures = null)
    {
        // gpt-4.1: 1,000,000 prompt + 250,000 completion tokens → list 1 × 2.00 + 0.25 × 8.00 = $4.00.
        var summary = new CellSummary
        {
            Target = target, Model = "gpt-4.1", Mode = Mode.Streaming, Requests = 1_000, Successes = successes,
            Outcomes = new Dictionary<Outcome, long> { [Outcome.Success] = successes }, Latency = new Dictionary<string, MetricStats>(),
            BilledTokens = new TokenCounts(1_000_000, 0, 250_000), FailureGroups = failures ?? [],
        };
        return CellResult.Create(summary, PriceCatalog.BuiltIn, targets: Targets);
    }

    private static TargetComparison RelayAgainstDirect() => Assert.Single(TargetComparison.Compare(
        [Cell("direct", 1_000), Cell("relay", 996, [new FailureGroup(Outcome.ServerError, 503, null, 4, [], 0, 0)])], new Samples()));

    [Fact]
    public void Compare_RelayPlusFortyMs_ShiftIsFortyWithinClaim()
    {
        var c = RelayAgainstDirect();

        Assert.Equal("direct", c.BaselineTarget);
        Assert.Equal("relay", c.OtherTarget);
        Assert.Equal(40, c.Ttft!.Value.Estimate);
        Assert.InRange(40, c.Ttft.Value.Lower, c.Ttft.Value.Upper);
        Assert.True(c.Ttft.Value.Upper <= 50);
        Assert.True(c.WithinClaim);
        Assert.Equal(40, c.E2e!.Value.Estimate);
    }

    [Fact]
    public void Compare_SuccessFailuresAndCost_SideBySide()
    {
        var c = RelayAgainstDirect();

        // 996/1,000 − 1,000/1,000 = −0.4 pp; Newcombe's interval contains 0 (not significant).
        Assert.Equal(-0.004, c.SuccessRateDifference!.Value.Difference, 9);
        Assert.True(c.SuccessRateDifference.Value.Lower < 0 && c.SuccessRateDifference.Value.Upper > 0);
        var failure = Assert.Single(c.Failures);
        Assert.Equal(new FailureSideBySide("server_error", 0, 4), failure);
        // Per success: direct $4.00 / 1,000 = $0.004; relay ¥4.00 / 996, i.e. $4.00 / 7.3 / 996 at market.
        Assert.Equal(0.004m, c.Baseline.Cost.Billed.CostUsdPerSuccess);
        Assert.Equal(4.00m / 996m, c.Other.Cost.Billed.CostPerSuccess);
        Assert.Equal("CNY", c.Other.Cost.Billed.Currency);
        // 1 − (4 / 7.3 / 996) / (4 / 1,000) = 1 − 1,000 / (7.3 × 996) = 0.86246…
        Assert.Equal(86.25m, Math.Round(c.CostSavingPercent!.Value, 2));
    }

    [Fact]
    public void TargetVerdict_RelayAgainstDirect_SaysItInPlainWords()
    {
        var text = ReportDocumentBuilder.TargetVerdict(RelayAgainstDirect());

        Assert.StartsWith("relay against direct (gpt-4.1 · streaming): relay's TTFT 40 ms longer (95 % [", text, StringComparison.Ordinal);
        Assert.Contains(") — within the articles' 50 ms claim", text, StringComparison.Ordinal);
        Assert.Contains("fails 0.4 pp more often (not significant", text, StringComparison.Ordinal);
        Assert.Contains("costs 86.2 % less per successful request (CNY 0.004016 at 1 CNY per listed USD, $0.000550 at 7.3 CNY = $1 against $0.004000 at list price)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetsSection_NoPairs_IsNull_ElseHasTargetsId()
    {
        Assert.Null(ReportDocumentBuilder.TargetsSection([]));
        Assert.Equal("targets", ReportDocumentBuilder.TargetsSection([RelayAgainstDirect()])!.Id);
    }

    [Fact]
    public void Compare_OneTargetOnly_NoPairs()
    {
        Assert.Empty(TargetComparison.Compare([Cell("direct", 1_000)], new Samples()));
    }
}
