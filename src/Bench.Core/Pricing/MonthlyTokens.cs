namespace Bench.Core.Pricing;

/// <summary>
/// A month's token volume to price: prompt (input) tokens, the part of them served from the prompt cache, and
/// completion (output) tokens, following OpenAI's <c>usage</c> convention (cached tokens are included in input tokens).
/// </summary>
public sealed record MonthlyTokens
{
    private MonthlyTokens(decimal inputTokens, decimal cachedInputTokens, decimal outputTokens, decimal? requestsPerMonth, decimal cacheWriteInputTokens)
    {
        InputTokens = inputTokens;
        CachedInputTokens = cachedInputTokens;
        CacheWriteInputTokens = cacheWriteInputTokens;
        OutputTokens = outputTokens;
        RequestsPerMonth = requestsPerMonth;
    }

    /// <summary>Prompt tokens per month, cached ones included.</summary>
    public decimal InputTokens { get; }

    /// <summary>The part of <see cref="InputTokens"/> read from the prompt cache, per month.</summary>
    public decimal CachedInputTokens { get; }

    /// <summary>The part of <see cref="InputTokens"/> written to the prompt cache (Anthropic's
    /// <c>cache_creation_input_tokens</c>), per month; disjoint from <see cref="CachedInputTokens"/>.</summary>
    public decimal CacheWriteInputTokens { get; }

    /// <summary>Completion tokens per month, reasoning included.</summary>
    public decimal OutputTokens { get; }

    /// <summary>Requests per month when the volume was given per request (<see cref="FromRequests"/>), else null.</summary>
    public decimal? RequestsPerMonth { get; }

    /// <summary><see cref="InputTokens"/> − <see cref="CachedInputTokens"/> − <see cref="CacheWriteInputTokens"/>.</summary>
    public decimal UncachedInputTokens => InputTokens - CachedInputTokens - CacheWriteInputTokens;

    /// <summary>A volume from monthly totals. Throws <see cref="ArgumentException"/> listing every problem (negative
    /// counts, cached &gt; input).</summary>
    /// <param name="inputTokens">Prompt tokens per month, cached included.</param>
    /// <param name="outputTokens">Completion tokens per month.</param>
    /// <param name="cachedInputTokens">Cached prompt tokens per month (part of <paramref name="inputTokens"/>).</param>
    /// <param name="cacheWriteInputTokens">Prompt tokens written to the cache per month (part of
    /// <paramref name="inputTokens"/>, disjoint from the cached ones).</param>
    public static MonthlyTokens FromTotals(decimal inputTokens, decimal outputTokens, decimal cachedInputTokens = 0m, decimal cacheWriteInputTokens = 0m)
    {
        Validate(inputTokens, cachedInputTokens, outputTokens, null, cacheWriteInputTokens);
        return new MonthlyTokens(inputTokens, cachedInputTokens, outputTokens, null, cacheWriteInputTokens);
    }

    /// <summary>
    /// A volume from a request rate and the mean tokens of one request (e.g. measured by a run):
    /// each total = <paramref name="requestsPerMonth"/> × the mean, exactly.
    /// </summary>
    /// <param name="requestsPerMonth">Requests per month.</param>
    /// <param name="meanInputTokensPerRequest">Mean prompt tokens per request, cached included.</param>
    /// <param name="meanOutputTokensPerRequest">Mean completion tokens per request.</param>
    /// <param name="meanCachedInputTokensPerRequest">Mean cached prompt tokens per request.</param>
    /// <param name="meanCacheWriteInputTokensPerRequest">Mean prompt tokens written to the cache per request.</param>
    public static MonthlyTokens FromRequests(
        decimal requestsPerMonth,
        decimal meanInputTokensPerRequest,
        decimal meanOutputTokensPerRequest,
        decimal meanCachedInputTokensPerRequest = 0m,
        decimal meanCacheWriteInputTokensPerRequest = 0m)
    {
        Validate(meanInputTokensPerRequest, meanCachedInputTokensPerRequest, meanOutputTokensPerRequest, requestsPerMonth, meanCacheWriteInputTokensPerRequest);
        return new MonthlyTokens(
            requestsPerMonth * meanInputTokensPerRequest,
            requestsPerMonth * meanCachedInputTokensPerRequest,
            requestsPerMonth * meanOutputTokensPerRequest,
            requestsPerMonth,
            requestsPerMonth * meanCacheWriteInputTokensPerRequest);
    }

    /// <summary>This volume × <paramref name="fraction"/> (a share of 30 % is 0.30), exactly.</summary>
    public MonthlyTokens Scale(decimal fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        return new MonthlyTokens(InputTokens * fraction, CachedInputTokens * fraction, OutputTokens * fraction,
            RequestsPerMonth * fraction, CacheWriteInputTokens * fraction);
    }

    private static void Validate(decimal input, decimal cached, decimal output, decimal? requests, decimal cacheWrite)
    {
        var errors = new List<string>();
        if (input < 0)
        {
            errors.Add("input tokens must not be negative");
        }

        if (cached < 0)
        {
            errors.Add("cached input tokens must not be negative");
        }

        if (cacheWrite < 0)
        {
            errors.Add("cache-write input tokens must not be negative");
        }

        if (cached >= 0 && cacheWrite >= 0 && cached <= input && cached + cacheWrite > input)
        {
            errors.Add($"cached ({TokenQuantity.Format(cached)}) and cache-write ({TokenQuantity.Format(cacheWrite)}) input tokens are "
                + $"parts of the input tokens ({TokenQuantity.Format(input)}) and cannot exceed them together");
        }

        if (output < 0)
        {
            errors.Add("output tokens must not be negative");
        }

        if (requests < 0)
        {
            errors.Add("requests per month must not be negative");
        }

        if (cached > input)
        {
            errors.Add($"cached input tokens ({TokenQuantity.Format(cached)}) are part of the input tokens "
                + $"({TokenQuantity.Format(input)}) and cannot exceed them");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid monthly volume: {string.Join("; ", errors)}.");
        }
    }
}
