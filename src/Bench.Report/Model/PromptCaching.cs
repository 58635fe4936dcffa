using Bench.Core.Metrics;

namespace Bench.Report.Model;

/// <summary>
/// One cell's prompt caching: the shares of its billed prompt tokens read from and written to the provider's cache, and
/// what that saved as paid (<see cref="Core.Pricing.CostBreakdown.CacheSavingUsd"/> × the target's USD paid per list
/// USD), per 1,000 attempted requests and per month at the stated volume. Exact decimals; rounded only when printed.
/// </summary>
/// <param name="Cell">The cell.</param>
/// <param name="CachedShare">Billed cached (cache-read) prompt tokens / billed prompt tokens, 0..1; null without prompt tokens.</param>
/// <param name="CacheWriteShare">Billed cache-write prompt tokens / billed prompt tokens, 0..1; null without prompt tokens.</param>
/// <param name="SavingUsdPer1kRequests">What caching saved per 1,000 attempted requests, USD as paid; null when unpriced.</param>
/// <param name="SavingUsdPerMonth">That × the monthly requests / 1,000, USD as paid; null when unpriced.</param>
/// <param name="SavingPercent">The saving / what the cell would have cost without the cache × 100; null when unpriced or free.</param>
public sealed record CacheSaving(CellResult Cell, double? CachedShare, double? CacheWriteShare, decimal? SavingUsdPer1kRequests, decimal? SavingUsdPerMonth, decimal? SavingPercent);

/// <summary>
/// What prompt caching saved, per cell (issue 15, point 5): built only when some cell was billed cached or cache-write
/// tokens, so a run without prompt caching has no section and no <c>prompt_caching</c> block.
/// </summary>
/// <param name="MonthlyRequests">The volume the monthly savings are projected at (<c>--monthly-requests</c>).</param>
/// <param name="Cells">One row per cell, in the report's cell order.</param>
public sealed record PromptCaching(decimal MonthlyRequests, IReadOnlyList<CacheSaving> Cells)
{
    /// <summary>The cells' prompt caching at <paramref name="monthlyRequests"/>, or null when no cell was billed a
    /// cached or cache-write token.</summary>
    public static PromptCaching? For(IReadOnlyList<CellResult> cells, decimal monthlyRequests)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (!cells.Any(c => c.Summary.BilledTokens.CachedTokens > 0 || c.Summary.BilledTokens.CacheWriteTokens > 0))
        {
            return null;
        }

        return new PromptCaching(monthlyRequests, [.. cells.Select(c =>
        {
            var billed = c.Summary.BilledTokens;
            double? Share(long tokens) => billed.PromptTokens > 0 ? (double)tokens / billed.PromptTokens : null;
            var perThousand = c.Cost.Billed.CacheSavingUsdPer1kRequests;
            return new CacheSaving(c, Share(billed.CachedTokens), Share(billed.CacheWriteTokens), perThousand, perThousand * monthlyRequests / 1000m,
                MetricCatalog.SavingPercent(c));
        })]);
    }
}
