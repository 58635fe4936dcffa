namespace Bench.Core.Pricing;

/// <summary>What <c>bench cost</c> is asked to price: a monthly volume on models and/or a mix, in currencies.</summary>
public sealed record CostEstimateRequest
{
    /// <summary>Tokens per month.</summary>
    public required MonthlyTokens Volume { get; init; }

    /// <summary>Models each priced for the whole volume, as alternatives (one budget each).</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>The price list for <see cref="Models"/> (<see cref="PriceTier.Batch"/> for <c>--batch</c>). Mix shares
    /// carry their own mode.</summary>
    public PriceTier ModelTier { get; init; } = PriceTier.Standard;

    /// <summary>Model mixes, each priced as one more budget after the models, in order.</summary>
    public IReadOnlyList<ModelMix> Mixes { get; init; } = [];

    /// <summary>Currencies to show every budget in, in order; two rates of one currency also yield a saving.</summary>
    public IReadOnlyList<FxRate> FxRates { get; init; } = [];

    /// <summary>What to do when Batch API prices are missing.</summary>
    public BatchPriceFallback BatchFallback { get; init; } = BatchPriceFallback.Fail;
}

/// <summary>
/// The answer to a <see cref="CostEstimateRequest"/>: one budget per model, then one per mix, plus the exchange
/// rates and the savings between rates of one currency. All amounts exact; formatted by Bench.Report's
/// <c>Cost/CostEstimateText</c> and <c>Cost/CostEstimateJson</c>.
/// </summary>
/// <param name="Volume">Tokens per month.</param>
/// <param name="Catalog">The catalogue's description (<see cref="PriceCatalog.Description"/>).</param>
/// <param name="Budgets">Budgets, models first (in the order asked), then the mix.</param>
/// <param name="FxRates">Exchange rates, in the order given.</param>
/// <param name="Savings">Savings between rates of one currency (<see cref="FxRate.Savings"/>).</param>
public sealed record CostEstimate(
    MonthlyTokens Volume,
    string Catalog,
    IReadOnlyList<Budget> Budgets,
    IReadOnlyList<FxRate> FxRates,
    IReadOnlyList<FxSaving> Savings)
{
    /// <summary>
    /// Prices <paramref name="request"/> against <paramref name="catalog"/>.
    /// </summary>
    /// <exception cref="PricingException">Lists every problem at once: nothing to price, duplicate currency labels,
    /// unknown models (with the known ones), missing batch prices.</exception>
    public static CostEstimate Compute(CostEstimateRequest request, PriceCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(catalog);
        var errors = new List<string>();
        if (request.Models.Count == 0 && request.Mixes.Count == 0)
        {
            errors.Add("Nothing to price: give at least one model or a model mix.");
        }

        foreach (var duplicate in request.FxRates.GroupBy(r => r.Label, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            errors.Add($"Exchange rate '{duplicate.Key}' is given {duplicate.Count()} times; give each label once.");
        }

        var budgets = new List<Budget>();
        foreach (var model in request.Models)
        {
            if (!catalog.TryGet(model, out var price))
            {
                errors.Add(catalog.DescribeUnknown(model));
                continue;
            }

            try
            {
                budgets.Add(MonthlyProjection.Price(request.Volume, price, request.ModelTier, request.BatchFallback, model));
            }
            catch (MissingBatchPriceException e)
            {
                errors.Add(e.Message);
            }
        }

        foreach (var mix in request.Mixes)
        {
            try
            {
                budgets.Add(MonthlyProjection.PriceMix(request.Volume, mix, catalog, request.BatchFallback));
            }
            catch (PricingException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        if (errors.Count > 0)
        {
            throw new PricingException(errors.Distinct(StringComparer.Ordinal));
        }

        return new CostEstimate(request.Volume, catalog.Description, budgets, request.FxRates, FxRate.Savings(request.FxRates));
    }
}
