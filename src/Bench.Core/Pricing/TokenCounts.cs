using Bench.Core.Records;

namespace Bench.Core.Pricing;

/// <summary>
/// The billable token counts of one request, as the server's <c>usage</c> reports them (OpenAI's convention).
/// </summary>
/// <param name="PromptTokens"><c>usage.prompt_tokens</c>: every prompt token, cached ones included.</param>
/// <param name="CachedTokens"><c>usage.prompt_tokens_details.cached_tokens</c>: the part of
/// <paramref name="PromptTokens"/> read from the provider's prompt cache.</param>
/// <param name="CompletionTokens"><c>usage.completion_tokens</c>: every generated token, reasoning included.</param>
/// <param name="ReasoningTokens"><c>usage.completion_tokens_details.reasoning_tokens</c>: the part of
/// <paramref name="CompletionTokens"/> spent reasoning. Informational: already counted in completion tokens, never added again.</param>
/// <param name="CacheWriteTokens">The part of <paramref name="PromptTokens"/> written to the provider's prompt cache
/// (Anthropic's <c>cache_creation_input_tokens</c>; <see cref="RequestRecord.CacheWriteTokens"/>), billed at the
/// cache-write price. Disjoint from <paramref name="CachedTokens"/>.</param>
/// <remarks>Positional order is prompt, cached, completion (the order of the cost formula); name the arguments when
/// in doubt.</remarks>
public readonly record struct TokenCounts(long PromptTokens, long CachedTokens, long CompletionTokens, long ReasoningTokens = 0, long CacheWriteTokens = 0)
{
    /// <summary>Prompt tokens neither read from nor written to the cache: <see cref="PromptTokens"/> −
    /// <see cref="CachedTokens"/> − <see cref="CacheWriteTokens"/>.</summary>
    public long UncachedPromptTokens => PromptTokens - CachedTokens - CacheWriteTokens;

    /// <summary>
    /// The counts a record carries, or <see langword="null"/> when it has none (no <c>usage</c> and no local count).
    /// A count the record lacks while others are present is taken as 0.
    /// </summary>
    public static TokenCounts? FromRecord(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.PromptTokens is null && record.CompletionTokens is null && record.CachedTokens is null && record.CacheWriteTokens is null)
        {
            return null;
        }

        return new TokenCounts(
            record.PromptTokens ?? 0,
            record.CachedTokens ?? 0,
            record.CompletionTokens ?? 0,
            record.ReasoningTokens ?? 0,
            record.CacheWriteTokens ?? 0);
    }
}
