using Bench.Core.Pricing;

namespace Bench.Core.Metrics;

public static partial class MetricCatalog
{
    private const string PriceSourceNote = "the price catalogue entry (price_source) at the cell's tier (price_tier), as CostModel.Breakdown applies it";

    /// <summary>
    /// <c>usd_per_million_input_tokens</c>, <c>usd_per_million_cached_input_tokens</c>,
    /// <c>usd_per_million_cache_write_input_tokens</c>, <c>usd_per_million_output_tokens</c>: the prices a priced cell's
    /// tokens were charged at (<c>summary.json</c> <c>/cost/prices</c>), after the cost model's substitutions — batch
    /// prices for a batch-api cell (its cached tokens and cache writes at the batch input price), cached tokens and cache
    /// writes at the input price when the model has no price for them (<see cref="CostModel"/>). Stated so an independent
    /// check (<c>eng/budget-check/check.py</c>) can redo the arithmetic from the records with Bench's prices as inputs.
    /// </summary>
    /// <remarks>Built by a nested type's initializer on first use: the catalogue's own initializer (<c>All</c>) reads this
    /// list, and static initializers in different files of a partial class run in no defined order.</remarks>
    public static IReadOnlyList<MetricDefinition> CellPrices => PriceEntries.List;

    private static class PriceEntries
    {
        internal static readonly IReadOnlyList<MetricDefinition> List =
            [
                PriceFigure("usd_per_million_input_tokens", "input price", "uncached prompt tokens", b => b.UsdPerMillionInputTokens),
                PriceFigure("usd_per_million_cached_input_tokens", "cached input price", "prompt tokens read from the cache", b => b.UsdPerMillionCachedInputTokens),
                PriceFigure("usd_per_million_cache_write_input_tokens", "cache-write input price", "prompt tokens written to the cache", b => b.UsdPerMillionCacheWriteInputTokens),
                PriceFigure("usd_per_million_output_tokens", "output price", "completion tokens (reasoning included)", b => b.UsdPerMillionOutputTokens),
            ];
    }

    private static MetricDefinition PriceFigure(string id, string display, string tokens, Func<CostBreakdown, decimal> read) => new()
    {
        Id = id, DisplayName = display, Unit = "USD per 1M tokens", Format = NumberFormat.Usd,
        Definition = $"USD per 1,000,000 {tokens}: {PriceSourceNote}",
        Source = "ARCHITECTURE.md (\"Cost model\"); Core/Pricing/CostModel", Exports = MetricExports.SummaryJson, JsonPaths = [$"/cost/prices/{id}"],
        Cell = c => MetricValue.Usd(c.Price is { } price ? read(CostModel.Breakdown(0m, 0m, 0m, price, c.Cost.Tier, BatchPriceFallback.UseStandardPrices)) : null),
    };
}
