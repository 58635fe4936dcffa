using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;

namespace Bench.Core.Tests.Pricing;

/// <summary>A cell's cost in its target's billing (issue 14, point 2), with hand arithmetic.</summary>
public sealed class BilledCostTests
{
    private static readonly TargetBilling Relay = new() { Currency = "CNY", UnitsPerListUsd = 1m, MarketUnitsPerUsd = 7.3m };

    /// <summary>gpt-4.1, 1,000 requests all successful, 1,000,000 prompt and 250,000 completion tokens billed:
    /// list price 1 × 2.00 + 0.25 × 8.00 = 4.00 USD.</summary>
    private static CellSummary Cell(string? target) => new()
    {
        Target = target, Model = "gpt-4.1", Mode = Mode.Streaming, Requests = 1_000, Successes = 1_000,
        Outcomes = new Dictionary<Outcome, long> { [Outcome.Success] = 1_000 }, Latency = new Dictionary<string, MetricStats>(),
        BilledTokens = new TokenCounts(1_000_000, 0, 250_000),
    };

    private static IReadOnlyDictionary<string, TargetPricing> Targets(params (string Name, TargetBilling Billing)[] targets) =>
        TargetPricing.ForTargets(targets.ToDictionary(t => t.Name, t => t.Billing), PriceCatalog.BuiltIn);

    [Fact]
    public void Of_RelayAtOneYuanPerListDollar_BillsYuanAndConvertsAtMarket()
    {
        // SEED-FIGURES.md: ¥1 = $1 against a market ¥7.3 = $1. List $4.00 → ¥4.00 → $4.00 / 7.3 = $0.5479…
        var cost = CellCost.Of(Cell("relay"), PriceCatalog.BuiltIn, Targets(("relay", Relay)));

        Assert.Equal(4.00m, cost.CostUsd);
        Assert.Equal("CNY", cost.Billed.Currency);
        Assert.Equal(4.00m, cost.Billed.Cost);
        Assert.Equal(4.00m, cost.Billed.CostPer1kRequests); // ¥4.00 / 1,000 requests × 1,000
        Assert.Equal(0.004m, cost.Billed.CostPerSuccess);
        Assert.Equal(4.00m / 7.3m, cost.Billed.CostUsd);
        Assert.Equal(0.5479m, Math.Round(cost.Billed.CostUsd!.Value, 4));
        // 1 − 1/7.3 = 0.86301…: the articles' "85 %+" saving, 86.3 % (SEED-FIGURES.md's arithmetic holds).
        Assert.Equal(86.3m, Math.Round((1m - (cost.Billed.CostUsd!.Value / cost.CostUsd!.Value)) * 100m, 1));
    }

    [Fact]
    public void Of_TargetWithoutBilling_IsListPriceInUsd()
    {
        var cost = CellCost.Of(Cell("direct"), PriceCatalog.BuiltIn, Targets(("relay", Relay)));

        Assert.Equal("USD", cost.Billed.Currency);
        Assert.Equal(4.00m, cost.Billed.Cost);
        Assert.Equal(4.00m, cost.Billed.CostUsd);
        Assert.Equal(1m, cost.Billed.UsdPerListUsd);
    }

    [Fact]
    public void Of_CnyAtMarketRate_BillsConvertedListPrice()
    {
        // No units_per_list_usd: the list price converted, ¥4.00 × 7.3 = ¥29.20, which is $4.00 again.
        var cost = CellCost.Of(Cell("cny"), PriceCatalog.BuiltIn, Targets(("cny", new TargetBilling { Currency = "CNY", MarketUnitsPerUsd = 7.3m })));

        Assert.Equal(29.2m, cost.Billed.Cost);
        Assert.Equal(4.00m, cost.Billed.CostUsd);
    }

    [Fact]
    public void Of_UnpricedModel_BilledAmountsNull()
    {
        var summary = new CellSummary
        {
            Target = "relay", Model = "gpt-9", Mode = Mode.Streaming, Requests = 1, Successes = 1,
            Outcomes = new Dictionary<Outcome, long>(), Latency = new Dictionary<string, MetricStats>(), BilledTokens = new TokenCounts(1, 0, 1),
        };

        var cost = CellCost.Of(summary, PriceCatalog.BuiltIn, Targets(("relay", Relay)));

        Assert.NotNull(cost.Unpriced);
        Assert.Null(cost.Billed.Cost);
        Assert.Null(cost.Billed.CostUsd);
        Assert.Equal("CNY", cost.Billed.Currency);
    }

    [Fact]
    public void ForTargets_PriceFile_PricesThatTargetOnly()
    {
        var dir = Directory.CreateTempSubdirectory("bench-billing-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "relay-prices.json"),
                """{ "models": [ { "model": "gpt-4.1", "input": 1.00, "output": 4.00, "source": "relay page" } ] }""");
            var targets = TargetPricing.ForTargets(
                new Dictionary<string, TargetBilling> { ["relay"] = Relay with { PriceFile = "relay-prices.json" }, ["direct"] = new() },
                PriceCatalog.BuiltIn, dir.FullName);

            // relay: 1 × 1.00 + 0.25 × 4.00 = 2.00 listed → ¥2.00; direct: the catalogue's 4.00.
            var relay = CellCost.Of(Cell("relay"), PriceCatalog.BuiltIn, targets);
            var direct = CellCost.Of(Cell("direct"), PriceCatalog.BuiltIn, targets);

            Assert.Equal(2.00m, relay.CostUsd);
            Assert.Equal(2.00m, relay.Billed.Cost);
            Assert.Equal("relay page", relay.Price!.Source);
            Assert.Equal(4.00m, direct.CostUsd);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void CellResultCreate_PassesTargets()
    {
        var result = CellResult.Create(Cell("relay"), PriceCatalog.BuiltIn, targets: Targets(("relay", Relay)));

        Assert.Equal(4.00m, result.Cost.Billed.Cost);
        Assert.Equal("CNY", result.Cost.Billed.Currency);
    }
}
