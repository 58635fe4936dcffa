namespace Bench.Simulator.Caching;

/// <summary>
/// A prompt's tokens as the usage reports them: all of them, those read from the model's prefix cache and those
/// written to it (<see cref="PrefixCache.Use"/>). Each protocol writes them in its own fields: chat
/// <c>prompt_tokens</c> and <c>prompt_tokens_details.cached_tokens</c>; Responses <c>input_tokens</c> and
/// <c>input_tokens_details.cached_tokens</c>; Anthropic <c>input_tokens</c> (the uncached rest),
/// <c>cache_read_input_tokens</c> and <c>cache_creation_input_tokens</c>; Gemini <c>promptTokenCount</c> and
/// <c>cachedContentTokenCount</c>.
/// </summary>
/// <param name="PromptTokens">Every prompt token (cached ones included).</param>
/// <param name="CachedTokens">The part read from the cache (a whole number of blocks, 0 below the minimum).</param>
/// <param name="CacheWriteTokens">The part newly written to the cache (whole blocks; reported by Anthropic only).</param>
internal readonly record struct PromptUsage(int PromptTokens, int CachedTokens = 0, int CacheWriteTokens = 0)
{
    /// <summary>Tokens neither read from nor written to the cache.</summary>
    public int UncachedTokens => Math.Max(0, PromptTokens - CachedTokens - CacheWriteTokens);
}
