namespace Bench.Core.Metrics;

public static partial class MetricCatalog
{
    private const string CachingSource = "issue 15, point 5; Core/Pricing/CostBreakdown.CacheSavingUsd";

    /// <summary>
    /// What the provider's prompt cache did in a cell: <c>cached_prompt_share</c> and <c>cache_write_prompt_share</c>
    /// (<c>summary.json</c> <c>/billed_tokens</c>), and what it saved as paid — <c>cache_saving_usd</c>,
    /// <c>cache_saving_usd_per_1k_requests</c>, <c>cache_saving_percent</c> (<c>/cost/prompt_caching</c>, priced cells
    /// only). The saving = cached × (input − cached-input price) − cache write × (cache-write − input price) over the
    /// cell's billed tokens (<see cref="Pricing.CostBreakdown.CacheSavingUsd"/>), × the target's USD paid per list USD.
    /// </summary>
    /// <remarks>Built by a nested type's initializer on first use (see <see cref="CellPrices"/>).</remarks>
    public static IReadOnlyList<MetricDefinition> PromptCaching => CachingEntries.List;

    /// <summary><c>cached_prompt_share</c> and <c>cache_write_prompt_share</c>.</summary>
    public static IReadOnlyList<MetricDefinition> CacheShares => CachingEntries.Shares;

    /// <summary><c>cache_saving_usd</c>, <c>cache_saving_usd_per_1k_requests</c>, <c>cache_saving_percent</c>.</summary>
    public static IReadOnlyList<MetricDefinition> CacheSavings => CachingEntries.Savings;

    /// <summary><c>cache_saving_usd_per_1k_requests</c>.</summary>
    public static MetricDefinition CacheSavingUsdPer1kRequests => CachingEntries.Savings[1];

    /// <summary><c>cached_prompt_share</c>.</summary>
    public static MetricDefinition CachedPromptShare => CachingEntries.Shares[0];

    /// <summary>The top-level key of <c>summary.json</c> holding each cell's cache saving at the stated monthly volume
    /// (<c>Bench.Report.Model.PromptCaching</c>; written only when some cell was billed cached or cache-write tokens).</summary>
    public const string PromptCachingJsonKey = "prompt_caching";

    /// <summary>The keys of <c>summary.json</c>'s <c>prompt_caching</c> object, in file order.</summary>
    public static IReadOnlyList<SummaryJsonField> PromptCachingJsonFields { get; } =
    [
        new("monthly_requests", "requests per month the savings are projected at (--monthly-requests; 1,000,000 by default)"),
        new("cells", "one object per cell (keys: PromptCachingCellJsonFields), in the cells' order"),
    ];

    /// <summary>The keys of each element of <c>prompt_caching.cells</c>, in file order.</summary>
    public static IReadOnlyList<SummaryJsonField> PromptCachingCellJsonFields { get; } =
    [
        new("target", "the cell's target; null for results written before targets existed"),
        new("model", "the cell's model"),
        new("mode", "the cell's mode"),
        new("policy", "the cell's resilience policy; null for none"),
        new("cached_prompt_share", "billed cached (cache-read) prompt tokens / billed prompt tokens, 0..1"),
        new("cache_write_prompt_share", "billed cache-write prompt tokens / billed prompt tokens, 0..1"),
        new("cache_saving_usd_per_1k_requests", "what prompt caching saved per 1,000 attempted requests, USD as paid; null when unpriced"),
        new("cache_saving_usd_per_month", "cache_saving_usd_per_1k_requests × monthly_requests / 1,000: USD per month as paid at the stated volume; null when unpriced"),
        new("cache_saving_percent", "the saving / what the cell would have cost without the cache (every prompt token at the input price) × 100; null when unpriced or free"),
    ];

    private static class CachingEntries
    {
        internal static readonly IReadOnlyList<MetricDefinition> Shares =
        [
            Share("cached_prompt_share", "cached share of prompt", "billed cached (cache-read) prompt tokens / billed prompt tokens, 0..1: the share of the prompt the provider served from its prompt cache",
                c => c.Summary.BilledTokens.CachedTokens, MetricExports.SummaryCsv | MetricExports.SummaryJson),
            Share("cache_write_prompt_share", "cache-write share of prompt", "billed cache-write prompt tokens (Anthropic's cache_creation_input_tokens) / billed prompt tokens, 0..1",
                c => c.Summary.BilledTokens.CacheWriteTokens, MetricExports.SummaryJson),
        ];

        internal static readonly IReadOnlyList<MetricDefinition> Savings =
        [
            new()
            {
                Id = "cache_saving_usd", DisplayName = "prompt-cache saving", Unit = "USD", Format = NumberFormat.Usd, Reduce = MetricReduce.Sum,
                Definition = "what prompt caching saved over the cell's billed tokens, USD as paid: (cached × (input − cached-input price) − cache write × (cache-write − input price)) / 1M × USD paid per list USD; negative when cache writes cost more than the reads saved; 0 when the catalogue has no cached or cache-write price (they are charged at the input price)",
                Source = CachingSource, Exports = MetricExports.SummaryJson, JsonPaths = ["/cost/prompt_caching/cache_saving_usd"],
                Cell = c => MetricValue.Usd(c.Cost.Billed.CacheSavingUsd),
            },
            new()
            {
                Id = "cache_saving_usd_per_1k_requests", DisplayName = "cache saving $ per 1k requests", Unit = "USD", Format = NumberFormat.Usd, Direction = MetricDirection.HigherIsBetter,
                Definition = "cache_saving_usd / attempted requests × 1,000, USD as paid",
                Source = CachingSource, Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson, JsonPaths = ["/cost/prompt_caching/cache_saving_usd_per_1k_requests"],
                Cell = c => MetricValue.Usd(c.Cost.Billed.CacheSavingUsdPer1kRequests),
            },
            new()
            {
                Id = "cache_saving_percent", DisplayName = "cache saving %", Unit = "%", Format = NumberFormat.TokenDifference, Direction = MetricDirection.HigherIsBetter,
                Definition = "cache_saving_usd / (cost_billed_usd + cache_saving_usd) × 100: the share of what the cell would have cost without the prompt cache (every prompt token at the input price); empty when unpriced or free",
                Source = CachingSource, Exports = MetricExports.SummaryJson, JsonPaths = ["/cost/prompt_caching/cache_saving_percent"],
                Cell = c => MetricValue.Number(SavingPercent(c) is { } p ? (double)p : null),
            },
        ];

        internal static readonly IReadOnlyList<MetricDefinition> List = [.. Shares, .. Savings];

        private static MetricDefinition Share(string id, string display, string definition, Func<CellResult, long> tokens, MetricExports exports) => new()
        {
            Id = id, DisplayName = display, Unit = "ratio", Format = NumberFormat.Ratio, Definition = definition, Source = CachingSource, Exports = exports,
            JsonPaths = [$"/billed_tokens/{id}"],
            Cell = c => MetricValue.Number(c.Summary.BilledTokens.PromptTokens > 0 ? (double)tokens(c) / c.Summary.BilledTokens.PromptTokens : null),
        };
    }

    /// <summary>What prompt caching saved as a share of what the cell would have cost without it, percent:
    /// saving / (cost + saving) × 100 (the same at list prices and as paid); null when unpriced or free.</summary>
    public static decimal? SavingPercent(CellResult cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.Cost.CacheSavingListUsd is { } saving && cell.Cost.CostUsd is { } cost && cost + saving > 0 ? saving / (cost + saving) * 100m : null;
    }
}
