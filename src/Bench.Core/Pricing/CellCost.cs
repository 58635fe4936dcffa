using Bench.Core.Metrics;

namespace Bench.Core.Pricing;

/// <summary>
/// What one cell (model × mode) cost: every attempted request's billed tokens (<see cref="CellSummary.BilledTokens"/>)
/// priced with <see cref="CostModel"/>, and the per-request figures derived from it. Exact <see cref="decimal"/>
/// arithmetic; rounding happens only when a figure is written (<see cref="MetricCatalog"/>). A model missing from the
/// catalogue is unpriced (every amount null, <see cref="Unpriced"/> says why), never free.
/// </summary>
public sealed class CellCost
{
    /// <summary>The price used, or null when the model is not in the catalogue.</summary>
    public ModelPrice? Price { get; init; }

    /// <summary>Why there is no price (unknown model), or null.</summary>
    public string? Unpriced { get; init; }

    /// <summary><c>cost_usd</c>: cost of everything billed in the cell (all attempted requests' tokens), USD.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary><c>cost_usd_per_1k_requests</c>: billed cost / attempted requests × 1,000, USD; null when unpriced or
    /// nothing was attempted.</summary>
    public decimal? CostUsdPer1kRequests { get; init; }

    /// <summary><c>cost_usd_per_success</c>: billed cost / successful requests (failures' cost is carried by
    /// successes), USD; null when unpriced or nothing succeeded.</summary>
    public decimal? CostUsdPerSuccess { get; init; }

    /// <summary>Prices a cell's billed tokens with <paramref name="prices"/>.</summary>
    public static CellCost Of(CellSummary summary, PriceCatalog prices)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(prices);
        if (!prices.TryGet(summary.Model, out var price))
        {
            return new CellCost
            {
                Unpriced = $"'{summary.Model}' is not in the price catalogue ({prices.Description}): not priced, never counted as free",
            };
        }

        var cost = CostModel.RequestCostUsd(summary.BilledTokens, price);
        return new CellCost
        {
            Price = price,
            CostUsd = cost,
            CostUsdPer1kRequests = summary.Requests > 0 ? cost / summary.Requests * 1000m : null,
            CostUsdPerSuccess = summary.Successes > 0 ? cost / summary.Successes : null,
        };
    }
}
