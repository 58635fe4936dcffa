using Bench.Core.Metrics;

namespace Bench.Core.Pricing;

/// <summary>
/// What one cell (model × mode × policy) cost: every attempted request's billed tokens, every attempt included, (<see cref="CellSummary.BilledTokens"/>)
/// priced with <see cref="CostModel"/>, and the per-request figures derived from it. Exact <see cref="decimal"/>
/// arithmetic; rounding happens only when a figure is written (<see cref="MetricCatalog"/>). A model missing from the
/// catalogue is unpriced (every amount null, <see cref="Unpriced"/> says why), never free. A <c>batch-api</c> cell is
/// priced at the model's Batch API prices (<see cref="PriceTier.Batch"/>); a model without them is unpriced in batch,
/// never priced at its standard prices.
/// </summary>
public sealed class CellCost
{
    /// <summary>The price used, or null when the model is not in the catalogue.</summary>
    public ModelPrice? Price { get; init; }

    /// <summary>Why there is no price (unknown model, or no Batch API price for a <c>batch-api</c> cell), or null.</summary>
    public string? Unpriced { get; init; }

    /// <summary>Which of the model's price lists applies: <see cref="PriceTier.Batch"/> for a <c>batch-api</c> cell,
    /// else <see cref="PriceTier.Standard"/>.</summary>
    public PriceTier Tier { get; init; }

    /// <summary>The tier of a mode: batch prices for <see cref="Records.Mode.BatchApi"/>, standard for the synchronous
    /// modes.</summary>
    public static PriceTier TierOf(Records.Mode mode) => mode == Records.Mode.BatchApi ? PriceTier.Batch : PriceTier.Standard;

    /// <summary>Why a model with <paramref name="price"/> is not priced in batch: the catalogue has no Batch API price
    /// for it. Never priced at its standard prices instead.</summary>
    public static string NoBatchPrice(ModelPrice price, string catalogue)
    {
        ArgumentNullException.ThrowIfNull(price);
        return $"no Batch API price for {price.Model} in the catalogue ({catalogue}): not priced in batch, never guessed";
    }

    /// <summary><c>cost_usd</c>: cost of everything billed in the cell (all attempted requests' tokens), USD.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary><c>cost_usd_per_1k_requests</c>: billed cost / attempted requests × 1,000, USD; null when unpriced or
    /// nothing was attempted.</summary>
    public decimal? CostUsdPer1kRequests { get; init; }

    /// <summary><c>cost_usd_per_success</c>: billed cost / successful requests (failures' cost is carried by
    /// successes), USD; null when unpriced or nothing succeeded.</summary>
    public decimal? CostUsdPerSuccess { get; init; }

    /// <summary><c>retry_cost_usd</c>: the part of <see cref="CostUsd"/> billed by attempts that did not end their
    /// logical request (<see cref="CellSummary.RetryBilledTokens"/>), USD; 0 without retries, null when unpriced.</summary>
    public decimal? RetryCostUsd { get; init; }

    /// <summary><c>retry_cost_usd_per_1k_requests</c>: <see cref="RetryCostUsd"/> / attempted logical requests × 1,000,
    /// USD; null when unpriced or nothing was attempted.</summary>
    public decimal? RetryCostUsdPer1kRequests { get; init; }

    /// <summary><c>retry_cost_percent</c>: <see cref="RetryCostUsd"/> / <see cref="CostUsd"/> × 100; null when unpriced
    /// or the cell cost nothing.</summary>
    public decimal? RetryCostPercent { get; init; }

    /// <summary>What prompt caching saved over the cell at list prices, USD (<see cref="CostBreakdown.CacheSavingUsd"/>
    /// of the cell's billed tokens: cached × (input − cached-input price) − cache write × (cache-write − input price));
    /// 0 without cached or cache-write tokens, null when unpriced. <see cref="BilledCost.CacheSavingUsd"/> is it as paid.</summary>
    public decimal? CacheSavingListUsd { get; init; }

    /// <summary><see cref="CacheSavingListUsd"/> / attempted requests × 1,000, USD at list prices; null when unpriced or
    /// nothing was attempted.</summary>
    public decimal? CacheSavingListUsdPer1kRequests { get; init; }

    /// <summary><c>cost_usd_per_1k_requests_ci_low/high</c>: the 95 % Student t interval of the mean cost per attempted
    /// request × 1,000 (<see cref="Statistics.TokenMoments.CostIntervals"/>); null when unpriced or under 2 requests.</summary>
    public Statistics.Interval? CostUsdPer1kRequestsCi { get; init; }

    /// <summary><c>cost_usd_per_success_ci_low/high</c>: the 95 % delta-method interval of cost per successful request
    /// (<see cref="Statistics.MeanInterval.Ratio"/>); null when unpriced, under 2 requests or without successes.</summary>
    public Statistics.Interval? CostUsdPerSuccessCi { get; init; }

    /// <summary>The cell's target's billing (USD at list price for a target without one).</summary>
    public TargetBilling Billing { get; init; } = BilledCost.ListPriceUsd;

    /// <summary>The cost in the cell's target's billing (<see cref="BilledCost"/>): the list price × the target's
    /// units per list USD, in its currency, and that in USD at the market rate.</summary>
    public BilledCost Billed => BilledCost.Of(this, Billing);

    /// <summary>Prices a cell's billed tokens with <paramref name="prices"/> (or the target's own catalogue) and
    /// applies the target's billing from <paramref name="targets"/> (by <see cref="CellSummary.Target"/>; USD at list
    /// price when the target is absent or has no billing).</summary>
    public static CellCost Of(CellSummary summary, PriceCatalog prices, IReadOnlyDictionary<string, TargetPricing>? targets = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(prices);
        var target = summary.Target is { } name && targets is not null && targets.TryGetValue(name, out var t) ? t : null;
        return ListPrice(summary, target?.Prices ?? prices, target?.Billing ?? BilledCost.ListPriceUsd);
    }

    private static CellCost ListPrice(CellSummary summary, PriceCatalog prices, TargetBilling billing)
    {
        if (!prices.TryGet(summary.Model, out var price))
        {
            return new CellCost
            {
                Billing = billing,
                Unpriced = $"'{summary.Model}' is not in the price catalogue ({prices.Description}): not priced, never counted as free",
            };
        }

        var tier = TierOf(summary.Mode);
        if (tier == PriceTier.Batch && !price.HasBatchPrices)
        {
            return new CellCost { Tier = tier, Billing = billing, Unpriced = NoBatchPrice(price, prices.Description) };
        }

        var batch = tier == PriceTier.Batch;
        var cost = CostModel.RequestCostUsd(summary.BilledTokens, price, batch);
        var retry = CostModel.RequestCostUsd(summary.RetryBilledTokens, price, batch);
        var billed = summary.BilledTokens;
        var saving = CostModel.Breakdown(billed.PromptTokens, billed.CachedTokens, billed.CompletionTokens, price, tier,
            cacheWriteTokens: billed.CacheWriteTokens).CacheSavingUsd;
        // Per-token rates from the (linear) cost model: a prompt token, what a cache read or write changes, a completion token.
        var promptUsd = (double)CostModel.RequestCostUsd(new TokenCounts(1, 0, 0), price, batch);
        var cachedUsd = (double)CostModel.RequestCostUsd(new TokenCounts(1, 1, 0), price, batch) - promptUsd;
        var cacheWriteUsd = (double)CostModel.RequestCostUsd(new TokenCounts(1, 0, 0, CacheWriteTokens: 1), price, batch) - promptUsd;
        var completionUsd = (double)CostModel.RequestCostUsd(new TokenCounts(0, 0, 1), price, batch);
        var (perRequest, perSuccess) = summary.BilledTokenMoments?.CostIntervals(promptUsd, cachedUsd, completionUsd, cacheWriteUsd: cacheWriteUsd) ?? (null, null);
        return new CellCost
        {
            Tier = tier,
            Billing = billing,
            Price = price,
            CostUsd = cost,
            RetryCostUsd = retry,
            RetryCostUsdPer1kRequests = summary.Requests > 0 ? retry / summary.Requests * 1000m : null,
            RetryCostPercent = cost > 0 ? retry / cost * 100m : null,
            CostUsdPer1kRequests = summary.Requests > 0 ? cost / summary.Requests * 1000m : null,
            CostUsdPerSuccess = summary.Successes > 0 ? cost / summary.Successes : null,
            CacheSavingListUsd = saving,
            CacheSavingListUsdPer1kRequests = summary.Requests > 0 ? saving / summary.Requests * 1000m : null,
            CostUsdPer1kRequestsCi = perRequest?.Scale(1000),
            CostUsdPerSuccessCi = perSuccess,
        };
    }
}
