namespace Bench.Core.Pricing;

/// <summary>One line of a budget: a model (in a mode, at a share of the volume) and what its tokens cost.</summary>
/// <param name="RequestedModel">The model name as asked (the catalogue entry is <c>Cost.Price</c>).</param>
/// <param name="Mode"><c>non-streaming</c>, <c>streaming</c>, <c>batch-api</c>, or null when not given.</param>
/// <param name="SharePercent">Share of the monthly volume on this line, in percent (100 for a single model).</param>
/// <param name="Volume">The tokens of this line per month.</param>
/// <param name="Cost">What they cost, split by kind of token.</param>
public sealed record BudgetLine(string RequestedModel, string? Mode, decimal SharePercent, MonthlyTokens Volume, CostBreakdown Cost);

/// <summary>
/// A monthly budget: one line for a single model, or one line per share of a model mix. Amounts are exact USD.
/// </summary>
/// <param name="Name">The model name, or the mix written out (<c>gpt-4.1:streaming=30% + deepseek-v3.2=70%</c>).</param>
/// <param name="IsMix">True when the lines are the shares of a model mix.</param>
/// <param name="Lines">The lines; their shares sum to 100 %.</param>
public sealed record Budget(string Name, bool IsMix, IReadOnlyList<BudgetLine> Lines)
{
    /// <summary>Sum of the lines' uncached input cost, USD per month.</summary>
    public decimal InputCostUsd => Lines.Sum(l => l.Cost.InputCostUsd);

    /// <summary>Sum of the lines' cached input cost, USD per month.</summary>
    public decimal CachedInputCostUsd => Lines.Sum(l => l.Cost.CachedInputCostUsd);

    /// <summary>Sum of the lines' cache-write input cost, USD per month.</summary>
    public decimal CacheWriteInputCostUsd => Lines.Sum(l => l.Cost.CacheWriteInputCostUsd);

    /// <summary>Sum of the lines' output cost, USD per month.</summary>
    public decimal OutputCostUsd => Lines.Sum(l => l.Cost.OutputCostUsd);

    /// <summary>The budget, USD per month.</summary>
    public decimal TotalCostUsd => Lines.Sum(l => l.Cost.TotalCostUsd);

    /// <summary>Every note of every line (substituted prices), without duplicates.</summary>
    public IReadOnlyList<string> Notes => [.. Lines.SelectMany(l => l.Cost.Notes).Distinct(StringComparer.Ordinal)];
}

/// <summary>
/// Prices a monthly token volume (ARCHITECTURE.md, "Cost model": projections scale the token mix to a monthly
/// volume), for one model or for a model mix, with <see cref="CostModel"/>'s formula. Pure and exact.
/// </summary>
public static class MonthlyProjection
{
    /// <summary>The budget of the whole <paramref name="volume"/> on one model.</summary>
    /// <param name="volume">Tokens per month.</param>
    /// <param name="price">The model's prices.</param>
    /// <param name="tier">Standard or Batch API prices.</param>
    /// <param name="batchFallback">What to do when Batch API prices are missing.</param>
    /// <param name="requestedModel">The name as asked, when it differs from <c>price.Model</c>.</param>
    /// <exception cref="MissingBatchPriceException">Batch prices are missing and the fallback is to fail.</exception>
    public static Budget Price(
        MonthlyTokens volume,
        ModelPrice price,
        PriceTier tier = PriceTier.Standard,
        BatchPriceFallback batchFallback = BatchPriceFallback.Fail,
        string? requestedModel = null)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(price);
        var model = requestedModel ?? price.Model;
        var line = new BudgetLine(model, tier == PriceTier.Batch ? "batch-api" : null, 100m, volume,
            Breakdown(volume, price, tier, batchFallback));
        return new Budget(model, IsMix: false, [line]);
    }

    /// <summary>
    /// The budget of <paramref name="volume"/> split across <paramref name="mix"/>: each share gets volume × share
    /// of every kind of token and is priced on its model at its mode's prices.
    /// </summary>
    /// <exception cref="PricingException">Lists every share that cannot be priced (unknown model, missing batch
    /// prices with <see cref="BatchPriceFallback.Fail"/>).</exception>
    public static Budget PriceMix(
        MonthlyTokens volume,
        ModelMix mix,
        PriceCatalog catalog,
        BatchPriceFallback batchFallback = BatchPriceFallback.Fail)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(mix);
        ArgumentNullException.ThrowIfNull(catalog);
        var lines = new List<BudgetLine>();
        var errors = new List<string>();
        foreach (var share in mix.Shares)
        {
            if (!catalog.TryGet(share.Model, out var price))
            {
                errors.Add(catalog.DescribeUnknown(share.Model));
                continue;
            }

            var shareVolume = volume.Scale(share.Fraction);
            try
            {
                lines.Add(new BudgetLine(share.Model, share.Mode, share.Percent, shareVolume,
                    Breakdown(shareVolume, price, share.Tier, batchFallback)));
            }
            catch (MissingBatchPriceException e)
            {
                errors.Add(e.Message);
            }
        }

        if (errors.Count > 0)
        {
            throw new PricingException(errors.Distinct(StringComparer.Ordinal));
        }

        return new Budget(mix.ToString(), IsMix: true, lines);
    }

    private static CostBreakdown Breakdown(MonthlyTokens volume, ModelPrice price, PriceTier tier, BatchPriceFallback fallback) =>
        CostModel.Breakdown(volume.InputTokens, volume.CachedInputTokens, volume.OutputTokens, price, tier, fallback, volume.CacheWriteInputTokens);
}
