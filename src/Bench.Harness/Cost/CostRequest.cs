using Bench.Core.Pricing;

namespace Bench.Harness.Cost;

/// <summary>What <c>bench cost</c> was asked to price: a monthly volume (totals, or requests with per-request means),
/// models and/or mixes, currencies and a catalogue. Token counts are tokens; money is USD per 1M tokens.</summary>
public sealed record CostRequest
{
    /// <summary>Prompt tokens per month, cached included (<c>--input-tokens</c>).</summary>
    public decimal? InputTokens { get; init; }

    /// <summary>Completion tokens per month, reasoning included (<c>--output-tokens</c>).</summary>
    public decimal? OutputTokens { get; init; }

    /// <summary>The cached part of <see cref="InputTokens"/> (<c>--cached-tokens</c>).</summary>
    public decimal? CachedTokens { get; init; }

    /// <summary>The part of <see cref="InputTokens"/> written to the prompt cache (<c>--cache-write-tokens</c>).</summary>
    public decimal? CacheWriteTokens { get; init; }

    /// <summary>Requests per month (<c>--requests</c>), with the per-request means instead of totals.</summary>
    public decimal? Requests { get; init; }

    /// <summary>Mean prompt tokens per request (<c>--input-tokens-per-request</c>).</summary>
    public decimal? InputTokensPerRequest { get; init; }

    /// <summary>Mean completion tokens per request (<c>--output-tokens-per-request</c>).</summary>
    public decimal? OutputTokensPerRequest { get; init; }

    /// <summary>Mean cached prompt tokens per request (<c>--cached-tokens-per-request</c>).</summary>
    public decimal? CachedTokensPerRequest { get; init; }

    /// <summary>Mean prompt tokens written to the cache per request (<c>--cache-write-tokens-per-request</c>).</summary>
    public decimal? CacheWriteTokensPerRequest { get; init; }

    /// <summary>Models, each priced for the whole volume (<c>--models</c>).</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Mixes, each priced as one budget (<c>--mix</c>, one whole mix per flag).</summary>
    public IReadOnlyList<ModelMix> Mixes { get; init; } = [];

    /// <summary>Price <see cref="Models"/> at Batch API prices (<c>--batch</c>).</summary>
    public bool Batch { get; init; }

    /// <summary>What to do when a model has no Batch API price (<c>--batch-fallback</c>).</summary>
    public BatchPriceFallback BatchFallback { get; init; } = BatchPriceFallback.Fail;

    /// <summary>Currencies to show (<c>--fx</c>).</summary>
    public IReadOnlyList<FxRate> Fx { get; init; } = [];

    /// <summary>A user price file layered over the catalogue (<c>--prices</c>).</summary>
    public string? PricesFile { get; init; }

    /// <summary>The catalogue: <see cref="CostCatalog.BuiltIn"/>, <see cref="CostCatalog.LiteLlm"/> or both.</summary>
    public CostCatalog Catalog { get; init; } = CostCatalog.BuiltInThenLiteLlm;

    /// <summary>Write one JSON object instead of text (<c>--json</c>).</summary>
    public bool Json { get; init; }
}

/// <summary>Which catalogue <c>bench cost</c> prices from (<c>--catalog</c>).</summary>
public enum CostCatalog
{
    /// <summary><c>builtin+litellm</c>: the built-in catalogue first, LiteLLM's for the rest (default).</summary>
    BuiltInThenLiteLlm,

    /// <summary><c>builtin</c>: article prices (SEED-FIGURES.md).</summary>
    BuiltIn,

    /// <summary><c>litellm</c>: the vendored LiteLLM catalogue.</summary>
    LiteLlm,
}
