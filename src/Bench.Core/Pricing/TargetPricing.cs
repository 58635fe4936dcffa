namespace Bench.Core.Pricing;

/// <summary>
/// How one target's cells are priced: its <see cref="TargetBilling"/> and the catalogue that applies to it (the run's
/// catalogue, with the target's own <see cref="TargetBilling.PriceFile"/> in front when it has one). Built once per run
/// (<see cref="ForTargets"/>) and handed to <see cref="Metrics.CellResult.Create"/>.
/// </summary>
/// <param name="Billing">The target's billing (currency, units per list USD, market rate).</param>
/// <param name="Prices">The catalogue for this target's cells, or null for the run's catalogue.</param>
public sealed record TargetPricing(TargetBilling Billing, PriceCatalog? Prices = null)
{
    /// <summary>
    /// One <see cref="TargetPricing"/> per target name: each target's billing, with its price file (relative to
    /// <paramref name="baseDirectory"/>, the scenario's folder) read with <see cref="PriceCatalog.LoadUserFile(string)"/>
    /// and put in front of <paramref name="prices"/> (<see cref="PriceCatalog.WithOverrides"/>). Target names compare
    /// ordinally.
    /// </summary>
    /// <exception cref="Configuration.ConfigException">A price file cannot be read or is invalid (file, JSON path, reason).</exception>
    public static IReadOnlyDictionary<string, TargetPricing> ForTargets(
        IReadOnlyDictionary<string, TargetBilling> billings, PriceCatalog prices, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(billings);
        ArgumentNullException.ThrowIfNull(prices);
        var result = new Dictionary<string, TargetPricing>(StringComparer.Ordinal);
        foreach (var (name, billing) in billings)
        {
            var catalog = billing.PriceFile is { } file
                ? prices.WithOverrides(PriceCatalog.LoadUserFile(Path.IsPathRooted(file) || baseDirectory is null ? file : Path.Combine(baseDirectory, file)))
                : null;
            result[name] = new TargetPricing(billing, catalog);
        }

        return result;
    }
}

/// <summary>
/// A cell's cost in its target's billing (issue 14, "relay against direct"): the list price in USD × the target's
/// <see cref="TargetBilling.UnitsPerListUsd"/> (a "¥1 = $1" relay: ¥1 per listed $1; absent: the market rate, i.e. the
/// list price converted), in <see cref="Currency"/>, and that invoice back in USD at
/// <see cref="TargetBilling.MarketUnitsPerUsd"/> (1 for USD) — so two targets' costs for one model compare in one
/// currency. Exact <see cref="decimal"/> arithmetic; null amounts when the cell is unpriced.
/// </summary>
/// <remarks>Example (SEED-FIGURES.md): a relay billing ¥1 per $1 listed, market ¥7.3 = $1 — a cell listed at $2.00
/// is invoiced ¥2.00, which is $2.00 / 7.3 = $0.27397… at the market rate: 1 − 1/7.3 ≈ 86.3 % less than the direct
/// list price.</remarks>
public sealed record BilledCost
{
    /// <summary><c>billing_currency</c>: ISO 4217 code of the target's invoices.</summary>
    public required string Currency { get; init; }

    /// <summary>Units of <see cref="Currency"/> invoiced per USD of list price (1 for USD at list; 1 for a ¥1 = $1
    /// relay); null only for a non-USD billing without a market rate (which scenario validation refuses).</summary>
    public required decimal? UnitsPerListUsd { get; init; }

    /// <summary>Units of <see cref="Currency"/> per 1 USD at the market (1 for USD); null when not given (the USD
    /// amounts are then null, never guessed).</summary>
    public required decimal? MarketUnitsPerUsd { get; init; }

    /// <summary><c>cost_billed</c>: the cell's cost as the target invoices it, in <see cref="Currency"/>.</summary>
    public decimal? Cost { get; init; }

    /// <summary><c>cost_billed_per_1k_requests</c>: <see cref="Cost"/> / attempted requests × 1,000, in <see cref="Currency"/>.</summary>
    public decimal? CostPer1kRequests { get; init; }

    /// <summary><c>cost_billed_per_success</c>: <see cref="Cost"/> / successful requests, in <see cref="Currency"/>.</summary>
    public decimal? CostPerSuccess { get; init; }

    /// <summary><c>cost_billed_usd</c>: <see cref="Cost"/> / <see cref="MarketUnitsPerUsd"/>, USD at the market rate.</summary>
    public decimal? CostUsd => Cost / MarketUnitsPerUsd;

    /// <summary><c>cost_billed_usd_per_1k_requests</c>, USD at the market rate.</summary>
    public decimal? CostUsdPer1kRequests => CostPer1kRequests / MarketUnitsPerUsd;

    /// <summary><c>cost_billed_usd_per_success</c>, USD at the market rate.</summary>
    public decimal? CostUsdPerSuccess => CostPerSuccess / MarketUnitsPerUsd;

    /// <summary>What prompt caching saved over the cell, in <see cref="Currency"/>: <see cref="CellCost.CacheSavingListUsd"/>
    /// × <see cref="UnitsPerListUsd"/>.</summary>
    public decimal? CacheSaving { get; init; }

    /// <summary><see cref="CacheSaving"/> per 1,000 attempted requests, in <see cref="Currency"/>.</summary>
    public decimal? CacheSavingPer1kRequests { get; init; }

    /// <summary><c>cache_saving_usd</c>: <see cref="CacheSaving"/> / <see cref="MarketUnitsPerUsd"/>, USD as paid.</summary>
    public decimal? CacheSavingUsd => CacheSaving / MarketUnitsPerUsd;

    /// <summary><c>cache_saving_usd_per_1k_requests</c>: <see cref="CacheSavingPer1kRequests"/> /
    /// <see cref="MarketUnitsPerUsd"/>, USD as paid.</summary>
    public decimal? CacheSavingUsdPer1kRequests => CacheSavingPer1kRequests / MarketUnitsPerUsd;

    /// <summary>USD paid per USD of list price: <see cref="UnitsPerListUsd"/> / <see cref="MarketUnitsPerUsd"/>
    /// (1/7.3 ≈ 0.137 for a ¥1 = $1 relay at ¥7.3).</summary>
    public decimal? UsdPerListUsd => UnitsPerListUsd / MarketUnitsPerUsd;

    /// <summary>The billing of a target without a billing section: USD at list price.</summary>
#pragma warning disable CA1000 // a well-known value, read as BilledCost.ListPriceUsd
    public static TargetBilling ListPriceUsd { get; } = new();
#pragma warning restore CA1000

    /// <summary>Applies <paramref name="billing"/> to a cell's list-price cost.</summary>
    public static BilledCost Of(CellCost listCost, TargetBilling billing)
    {
        ArgumentNullException.ThrowIfNull(listCost);
        ArgumentNullException.ThrowIfNull(billing);
        var usd = string.Equals(billing.Currency, "USD", StringComparison.Ordinal);
        var market = billing.MarketUnitsPerUsd ?? (usd ? 1m : null);
        var units = billing.UnitsPerListUsd ?? market;
        return new BilledCost
        {
            Currency = billing.Currency,
            UnitsPerListUsd = units,
            MarketUnitsPerUsd = market,
            Cost = listCost.CostUsd * units,
            CostPer1kRequests = listCost.CostUsdPer1kRequests * units,
            CostPerSuccess = listCost.CostUsdPerSuccess * units,
            CacheSaving = listCost.CacheSavingListUsd * units,
            CacheSavingPer1kRequests = listCost.CacheSavingListUsdPer1kRequests * units,
        };
    }
}
