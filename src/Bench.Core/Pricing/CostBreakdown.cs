namespace Bench.Core.Pricing;

/// <summary>
/// What a quantity of tokens costs on one model, split by kind of token, with the prices actually applied and why.
/// Produced by <see cref="CostModel.Breakdown"/>; all amounts exact (never rounded).
/// </summary>
public sealed record CostBreakdown
{
    /// <summary>The catalogue entry priced against.</summary>
    public required ModelPrice Price { get; init; }

    /// <summary>The price list asked for.</summary>
    public required PriceTier Tier { get; init; }

    /// <summary>Prompt tokens neither read from nor written to the cache (prompt − cached − cache write).</summary>
    public required decimal UncachedInputTokens { get; init; }

    /// <summary>Prompt tokens served from the cache.</summary>
    public required decimal CachedInputTokens { get; init; }

    /// <summary>Prompt tokens written to the cache (Anthropic's <c>cache_creation_input_tokens</c>); 0 when none.</summary>
    public decimal CacheWriteInputTokens { get; init; }

    /// <summary>Completion tokens, reasoning included.</summary>
    public required decimal OutputTokens { get; init; }

    /// <summary>USD per 1M tokens applied to <see cref="UncachedInputTokens"/>.</summary>
    public required decimal UsdPerMillionInputTokens { get; init; }

    /// <summary>USD per 1M tokens applied to <see cref="CachedInputTokens"/>.</summary>
    public required decimal UsdPerMillionCachedInputTokens { get; init; }

    /// <summary>USD per 1M tokens applied to <see cref="CacheWriteInputTokens"/>.</summary>
    public decimal UsdPerMillionCacheWriteInputTokens { get; init; }

    /// <summary>USD per 1M tokens applied to <see cref="OutputTokens"/>.</summary>
    public required decimal UsdPerMillionOutputTokens { get; init; }

    /// <summary>True when cached tokens were charged at an input price because the catalogue has no cached price.</summary>
    public required bool CachedPricedAsInput { get; init; }

    /// <summary>True when cache writes were charged at an input price because the catalogue has no cache-write price.</summary>
    public bool CacheWritePricedAsInput { get; init; }

    /// <summary>True when <see cref="PriceTier.Batch"/> was asked but the model has no batch prices and the caller
    /// accepted standard prices (<see cref="BatchPriceFallback.UseStandardPrices"/>).</summary>
    public required bool StandardPricesUsedForBatch { get; init; }

    /// <summary>Uncached prompt tokens × input price / 1M, USD.</summary>
    public decimal InputCostUsd => CostModel.CostUsd(UncachedInputTokens, UsdPerMillionInputTokens);

    /// <summary>Cached prompt tokens × cached price / 1M, USD.</summary>
    public decimal CachedInputCostUsd => CostModel.CostUsd(CachedInputTokens, UsdPerMillionCachedInputTokens);

    /// <summary>Cache-write prompt tokens × cache-write price / 1M, USD.</summary>
    public decimal CacheWriteInputCostUsd => CostModel.CostUsd(CacheWriteInputTokens, UsdPerMillionCacheWriteInputTokens);

    /// <summary>Completion tokens × output price / 1M, USD.</summary>
    public decimal OutputCostUsd => CostModel.CostUsd(OutputTokens, UsdPerMillionOutputTokens);

    /// <summary><see cref="InputCostUsd"/> + <see cref="CachedInputCostUsd"/> + <see cref="CacheWriteInputCostUsd"/> +
    /// <see cref="OutputCostUsd"/>, USD.</summary>
    public decimal TotalCostUsd => InputCostUsd + CachedInputCostUsd + CacheWriteInputCostUsd + OutputCostUsd;

    /// <summary>
    /// What the prompt cache saved on these tokens, USD: cached × (input price − cached-input price) − cache write ×
    /// (cache-write price − input price), ÷ 1,000,000 — the cost of the same tokens with every cached and cache-write
    /// token at the input price, minus <see cref="TotalCostUsd"/>. Negative when writes cost more than the reads saved
    /// (Anthropic's writes are 1.25 × input); 0 when the prices substituted the input price
    /// (<see cref="CachedPricedAsInput"/>, <see cref="CacheWritePricedAsInput"/>, Batch API tiers), so a saving is never
    /// claimed on a price the catalogue does not give.
    /// </summary>
    public decimal CacheSavingUsd =>
        CostModel.CostUsd(CachedInputTokens, UsdPerMillionInputTokens - UsdPerMillionCachedInputTokens)
        - CostModel.CostUsd(CacheWriteInputTokens, UsdPerMillionCacheWriteInputTokens - UsdPerMillionInputTokens);

    /// <summary>What these tokens would have cost without the prompt cache (every prompt token at the input price),
    /// USD: <see cref="TotalCostUsd"/> + <see cref="CacheSavingUsd"/>.</summary>
    public decimal CostWithoutCacheUsd => TotalCostUsd + CacheSavingUsd;

    /// <summary>Sentences a report must show next to the amount: every substitution made while pricing.</summary>
    public IReadOnlyList<string> Notes
    {
        get
        {
            var notes = new List<string>();
            if (StandardPricesUsedForBatch)
            {
                notes.Add($"{Price.Model} has no Batch API price: priced at standard prices (the batch cost is likely lower).");
            }

            if (CachedPricedAsInput && CachedInputTokens > 0)
            {
                notes.Add(Tier == PriceTier.Batch && !StandardPricesUsedForBatch
                    ? $"{Price.Model}: no Batch API cached-input price: cached tokens charged at the batch input price."
                    : $"{Price.Model}: no cached-input price: cached tokens charged at the input price (an upper bound).");
            }

            if (CacheWritePricedAsInput && CacheWriteInputTokens > 0)
            {
                notes.Add(Tier == PriceTier.Batch && !StandardPricesUsedForBatch
                    ? $"{Price.Model}: no Batch API cache-write price: cache writes charged at the batch input price."
                    : $"{Price.Model}: no cache-write price: cache writes charged at the input price (a lower bound where writes cost more, e.g. Anthropic's 1.25 × input).");
            }

            return notes;
        }
    }
}
