using Bench.Core.Records;

namespace Bench.Core.Pricing;

/// <summary>
/// What tokens cost (ARCHITECTURE.md, "Cost model"). Prices are USD per 1,000,000 tokens; every amount is exact
/// <see cref="decimal"/> arithmetic, rounded only when displayed.
/// </summary>
/// <remarks>
/// <para><b>Cost of a request</b> = (prompt − cached − cache write) × input + cached × cached input + cache write ×
/// cache-write input + completion × output, each divided by 1,000,000, with the token meaning of
/// <see cref="RequestRecord.PromptTokens"/> for every protocol: prompt counts every prompt token, cached (cache reads)
/// and cache writes are disjoint parts of it (Anthropic: prompt = <c>input_tokens</c> + <c>cache_read_input_tokens</c> +
/// <c>cache_creation_input_tokens</c>, priced at input, cache read and cache write — Anthropic's "prompt caching"
/// pricing; Gemini: <c>cachedContentTokenCount</c> is the cached part of <c>promptTokenCount</c>; OpenAI: cached is
/// <c>prompt_tokens_details.cached_tokens</c>, no cache writes). Completion tokens include reasoning tokens (they are
/// output tokens and billed as such); reasoning is never added a second time.</para>
/// <para><b>Cached tokens without a cached price</b> are charged at the input price, an upper bound, and the
/// <see cref="CostBreakdown"/> says so (<see cref="CostBreakdown.CachedPricedAsInput"/>, a note). <b>Cache writes
/// without a cache-write price</b> are charged at the input price too — a lower bound where the provider charges more
/// for writes (Anthropic: 1.25 × input) — and flagged (<see cref="CostBreakdown.CacheWritePricedAsInput"/>, a note).
/// Gemini's context-cache storage (USD per 1M tokens per hour) and Anthropic's 1-hour cache writes are not
/// modelled: every write is priced at the 5-minute price.</para>
/// <para><b>Batch API</b> (<see cref="PriceTier.Batch"/>) uses the batch input and output prices. No catalogue gives a
/// batch cached-input or cache-write price, so cached tokens and cache writes are charged at the batch input price
/// (flagged likewise). A model without
/// batch prices is refused (<see cref="MissingBatchPriceException"/>) unless the caller accepts standard prices
/// (<see cref="BatchPriceFallback.UseStandardPrices"/>), which is flagged; it is never done silently.</para>
/// <para><b>Failed and interrupted requests</b> cost what the provider billed: whatever tokens the record carries
/// (a stream interrupted after 300 tokens costs its prompt and those 300 tokens). A request the provider rejected
/// without processing it (HTTP 429, another 4xx, or a connection that never got a response) and that carries no usage
/// costs 0: OpenAI-compatible providers do not bill rejected requests. Any other request without token counts is
/// unpriced (<see langword="null"/>), not free.</para>
/// </remarks>
public static class CostModel
{
    /// <summary>Prices are per this many tokens.</summary>
    public const decimal TokensPerMillion = 1_000_000m;

    /// <summary><paramref name="tokens"/> × <paramref name="usdPerMillionTokens"/> / 1,000,000, exactly.</summary>
    public static decimal CostUsd(decimal tokens, decimal usdPerMillionTokens) => tokens * usdPerMillionTokens / TokensPerMillion;

    /// <summary>The cost of one request in USD (see the class remarks for the formula).</summary>
    /// <param name="tokens">The request's billed tokens.</param>
    /// <param name="price">The model's prices.</param>
    /// <param name="batch">True for a request through the Batch API: batch prices apply.</param>
    /// <exception cref="MissingBatchPriceException"><paramref name="batch"/> is true and the model has no batch prices.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or cached exceeds prompt tokens.</exception>
    public static decimal RequestCostUsd(TokenCounts tokens, ModelPrice price, bool batch = false) =>
        Breakdown(tokens.PromptTokens, tokens.CachedTokens, tokens.CompletionTokens, price,
            batch ? PriceTier.Batch : PriceTier.Standard, cacheWriteTokens: tokens.CacheWriteTokens).TotalCostUsd;

    /// <summary>
    /// The cost of a recorded request in USD, or <see langword="null"/> when the record has no token counts and the
    /// provider may still have billed it (see the class remarks: rejected requests without usage cost 0), or when its
    /// counts are impossible (negative, cached above prompt, reasoning above completion, above
    /// <see cref="UsageCheck.MaxPlausibleTokens"/>: a record that did not pass through <see cref="UsageCheck.Apply"/>)
    /// — unpriced, never priced at face value and never an exception.
    /// </summary>
    /// <param name="record">The request.</param>
    /// <param name="price">The model's prices.</param>
    /// <param name="batch">True when the request went through the Batch API (<see cref="Mode"/> has no batch value yet,
    /// so the caller says so).</param>
    public static decimal? RequestCostUsd(RequestRecord record, ModelPrice price, bool batch = false)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(price);
        if (!UsageCheck.IsConsistent(record) || record.CacheWriteTokens < 0
            || (long)(record.CachedTokens ?? 0) + (record.CacheWriteTokens ?? 0) > (record.PromptTokens ?? 0))
        {
            return null;
        }

        if (TokenCounts.FromRecord(record) is { } tokens)
        {
            return RequestCostUsd(tokens, price, batch);
        }

        return IsRejectedUnbilled(record.Outcome) ? 0m : null;
    }

    /// <summary>
    /// The cost of a quantity of tokens, split by kind, with the prices applied and every substitution flagged. Counts
    /// may be fractional (monthly projections scale means).
    /// </summary>
    /// <param name="promptTokens">Prompt tokens, cached ones and cache writes included.</param>
    /// <param name="cachedTokens">The part of <paramref name="promptTokens"/> read from the prompt cache.</param>
    /// <param name="completionTokens">Completion tokens, reasoning included.</param>
    /// <param name="price">The model's prices.</param>
    /// <param name="tier">Standard or Batch API prices.</param>
    /// <param name="batchFallback">What to do when <paramref name="tier"/> is Batch and the model has no batch prices.</param>
    /// <param name="cacheWriteTokens">The part of <paramref name="promptTokens"/> written to the prompt cache
    /// (disjoint from <paramref name="cachedTokens"/>).</param>
    /// <exception cref="MissingBatchPriceException">Batch prices are missing and <paramref name="batchFallback"/> is
    /// <see cref="BatchPriceFallback.Fail"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or cached + cache writes exceed prompt tokens.</exception>
    public static CostBreakdown Breakdown(
        decimal promptTokens,
        decimal cachedTokens,
        decimal completionTokens,
        ModelPrice price,
        PriceTier tier = PriceTier.Standard,
        BatchPriceFallback batchFallback = BatchPriceFallback.Fail,
        decimal cacheWriteTokens = 0m)
    {
        ArgumentNullException.ThrowIfNull(price);
        ArgumentOutOfRangeException.ThrowIfNegative(promptTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(cachedTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(completionTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(cacheWriteTokens);
        if (cachedTokens > promptTokens)
        {
            throw new ArgumentOutOfRangeException(nameof(cachedTokens), cachedTokens,
                $"Cached tokens are part of the prompt tokens ({promptTokens}) and cannot exceed them.");
        }

        if (cachedTokens + cacheWriteTokens > promptTokens)
        {
            throw new ArgumentOutOfRangeException(nameof(cacheWriteTokens), cacheWriteTokens,
                $"Cache reads ({cachedTokens}) and cache writes are parts of the prompt tokens ({promptTokens}) and cannot exceed them together.");
        }

        var useBatch = tier == PriceTier.Batch && price.HasBatchPrices;
        if (tier == PriceTier.Batch && !useBatch && batchFallback == BatchPriceFallback.Fail)
        {
            throw new MissingBatchPriceException(price);
        }

        var input = useBatch ? price.UsdPerMillionBatchInputTokens!.Value : price.UsdPerMillionInputTokens;
        var output = useBatch ? price.UsdPerMillionBatchOutputTokens!.Value : price.UsdPerMillionOutputTokens;
        var cached = useBatch ? null : price.UsdPerMillionCachedInputTokens;
        var cacheWrite = useBatch ? null : price.UsdPerMillionCacheWriteInputTokens;
        return new CostBreakdown
        {
            Price = price,
            Tier = tier,
            UncachedInputTokens = promptTokens - cachedTokens - cacheWriteTokens,
            CachedInputTokens = cachedTokens,
            CacheWriteInputTokens = cacheWriteTokens,
            UsdPerMillionCacheWriteInputTokens = cacheWrite ?? input,
            CacheWritePricedAsInput = cacheWrite is null,
            OutputTokens = completionTokens,
            UsdPerMillionInputTokens = input,
            UsdPerMillionCachedInputTokens = cached ?? input,
            UsdPerMillionOutputTokens = output,
            CachedPricedAsInput = cached is null,
            StandardPricesUsedForBatch = tier == PriceTier.Batch && !useBatch,
        };
    }

    /// <summary>
    /// True for outcomes where the provider refused the request before processing it — HTTP 429
    /// (<see cref="Outcome.RateLimited"/>), another 4xx (<see cref="Outcome.ClientError"/>), or no response at all
    /// (<see cref="Outcome.ConnectionError"/>, <see cref="Outcome.LocalError"/>) — which providers do not bill; and the
    /// non-attempts (<see cref="Outcome.Dropped"/>, <see cref="Outcome.Cancelled"/>), which are outside every statistic.
    /// </summary>
    public static bool IsRejectedUnbilled(Outcome outcome) =>
        outcome is Outcome.RateLimited or Outcome.ClientError or Outcome.ConnectionError or Outcome.LocalError or Outcome.ClientRejected or Outcome.Expired || !outcome.IsAttempt();
}
