using System.Globalization;

namespace Bench.Core.Pricing;

/// <summary>
/// The price list of one model: USD per 1,000,000 tokens for each kind of token, and where the figures came from
/// (ARCHITECTURE.md, "Cost model"). Immutable.
/// </summary>
/// <remarks>
/// Prices are exact <see cref="decimal"/> values as the source states them (no rounding). A price that the source
/// does not give is <see langword="null"/>, never 0: <see cref="CostModel"/> says what it does instead.
/// </remarks>
public sealed class ModelPrice
{
    /// <summary>Creates a price list; throws <see cref="ArgumentException"/> listing every invalid argument.</summary>
    /// <param name="model">Canonical model id (e.g. <c>gpt-4.1</c>); not empty.</param>
    /// <param name="usdPerMillionInputTokens">USD per 1M uncached prompt tokens; ≥ 0.</param>
    /// <param name="usdPerMillionCachedInputTokens">USD per 1M prompt tokens read from the provider's prompt cache, or
    /// <see langword="null"/> when the source gives none; ≥ 0.</param>
    /// <param name="usdPerMillionOutputTokens">USD per 1M completion tokens (reasoning tokens included); ≥ 0.</param>
    /// <param name="usdPerMillionBatchInputTokens">USD per 1M prompt tokens sent through the asynchronous Batch API, or
    /// <see langword="null"/>; given together with <paramref name="usdPerMillionBatchOutputTokens"/>.</param>
    /// <param name="usdPerMillionBatchOutputTokens">USD per 1M completion tokens generated through the Batch API, or
    /// <see langword="null"/>; given together with <paramref name="usdPerMillionBatchInputTokens"/>.</param>
    /// <param name="source">Where each figure came from, in words a reader can check; not empty.</param>
    /// <param name="aliases">Other names the model is requested by (case-insensitive), e.g. <c>deepseek-chat</c>.</param>
    /// <param name="usdPerMillionCacheWriteInputTokens">USD per 1M prompt tokens written to the provider's prompt cache
    /// (Anthropic's <c>cache_creation_input_tokens</c>, at the 5-minute cache-write price), or <see langword="null"/>
    /// when the source gives none (cache writes are then charged at the input price, see <see cref="CostModel"/>); ≥ 0.</param>
    public ModelPrice(
        string model,
        decimal usdPerMillionInputTokens,
        decimal? usdPerMillionCachedInputTokens,
        decimal usdPerMillionOutputTokens,
        decimal? usdPerMillionBatchInputTokens,
        decimal? usdPerMillionBatchOutputTokens,
        string source,
        IEnumerable<string>? aliases = null,
        decimal? usdPerMillionCacheWriteInputTokens = null)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(model))
        {
            errors.Add("model must not be empty");
        }

        if (string.IsNullOrWhiteSpace(source))
        {
            errors.Add("source must say where the price came from");
        }

        CheckPrice(errors, nameof(usdPerMillionInputTokens), usdPerMillionInputTokens);
        CheckPrice(errors, nameof(usdPerMillionCachedInputTokens), usdPerMillionCachedInputTokens);
        CheckPrice(errors, nameof(usdPerMillionOutputTokens), usdPerMillionOutputTokens);
        CheckPrice(errors, nameof(usdPerMillionCacheWriteInputTokens), usdPerMillionCacheWriteInputTokens);
        CheckPrice(errors, nameof(usdPerMillionBatchInputTokens), usdPerMillionBatchInputTokens);
        CheckPrice(errors, nameof(usdPerMillionBatchOutputTokens), usdPerMillionBatchOutputTokens);
        if (usdPerMillionBatchInputTokens.HasValue != usdPerMillionBatchOutputTokens.HasValue)
        {
            errors.Add("batch input and batch output prices must be given together");
        }

        var aliasList = (aliases ?? []).Select(a => a?.Trim() ?? "").ToArray();
        if (aliasList.Any(a => a.Length == 0))
        {
            errors.Add("aliases must not be empty");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid price for model '{model}': {string.Join("; ", errors)}.");
        }

        Model = model.Trim();
        UsdPerMillionInputTokens = usdPerMillionInputTokens;
        UsdPerMillionCachedInputTokens = usdPerMillionCachedInputTokens;
        UsdPerMillionOutputTokens = usdPerMillionOutputTokens;
        UsdPerMillionCacheWriteInputTokens = usdPerMillionCacheWriteInputTokens;
        UsdPerMillionBatchInputTokens = usdPerMillionBatchInputTokens;
        UsdPerMillionBatchOutputTokens = usdPerMillionBatchOutputTokens;
        Source = source;
        Aliases = aliasList;
    }

    /// <summary>Canonical model id (e.g. <c>gpt-4.1</c>).</summary>
    public string Model { get; }

    /// <summary>USD per 1M uncached prompt tokens.</summary>
    public decimal UsdPerMillionInputTokens { get; }

    /// <summary>USD per 1M cached prompt tokens (prompt-cache reads), or <see langword="null"/> when the source gives
    /// none (cached tokens are then charged at <see cref="UsdPerMillionInputTokens"/>, see <see cref="CostModel"/>).</summary>
    public decimal? UsdPerMillionCachedInputTokens { get; }

    /// <summary>USD per 1M prompt tokens written to the prompt cache (Anthropic's 5-minute cache write, 1.25 × input on
    /// its price list), or <see langword="null"/> when the source gives none (cache writes are then charged at
    /// <see cref="UsdPerMillionInputTokens"/>, see <see cref="CostModel"/>).</summary>
    public decimal? UsdPerMillionCacheWriteInputTokens { get; }

    /// <summary>USD per 1M completion tokens, reasoning tokens included.</summary>
    public decimal UsdPerMillionOutputTokens { get; }

    /// <summary>USD per 1M prompt tokens through the asynchronous Batch API, or <see langword="null"/>.</summary>
    public decimal? UsdPerMillionBatchInputTokens { get; }

    /// <summary>USD per 1M completion tokens through the asynchronous Batch API, or <see langword="null"/>.</summary>
    public decimal? UsdPerMillionBatchOutputTokens { get; }

    /// <summary>Where each figure came from (e.g. "SEED-FIGURES.md (articles) input/output; LiteLLM catalogue cached
    /// and batch").</summary>
    public string Source { get; }

    /// <summary>Other names this model is requested by, as given (matching is case-insensitive).</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>True when both Batch API prices are known.</summary>
    public bool HasBatchPrices => UsdPerMillionBatchInputTokens.HasValue && UsdPerMillionBatchOutputTokens.HasValue;

    /// <summary>The same prices under another canonical name, source or alias list.</summary>
    public ModelPrice With(string? model = null, string? source = null, IEnumerable<string>? aliases = null) =>
        new(model ?? Model, UsdPerMillionInputTokens, UsdPerMillionCachedInputTokens, UsdPerMillionOutputTokens,
            UsdPerMillionBatchInputTokens, UsdPerMillionBatchOutputTokens, source ?? Source, aliases ?? Aliases,
            UsdPerMillionCacheWriteInputTokens);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Model}: USD per 1M tokens input {F(UsdPerMillionInputTokens)}, cached {F(UsdPerMillionCachedInputTokens)}, "
        + $"cache write {F(UsdPerMillionCacheWriteInputTokens)}, "
        + $"output {F(UsdPerMillionOutputTokens)}, batch {F(UsdPerMillionBatchInputTokens)}/{F(UsdPerMillionBatchOutputTokens)} ({Source})";

    private static string F(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static void CheckPrice(List<string> errors, string name, decimal? value)
    {
        if (value < 0)
        {
            errors.Add(FormattableString.Invariant($"{name} must not be negative (got {value})"));
        }
    }
}
