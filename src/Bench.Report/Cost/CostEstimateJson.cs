using System.Text;
using System.Text.Json;
using Bench.Core.Pricing;

namespace Bench.Report.Cost;

/// <summary>
/// Writes a <see cref="CostEstimate"/> as one JSON object (<c>bench cost --json</c>). Numbers are exact decimals
/// (trailing zeros removed, never rounded); amounts are per month; names carry their units.
/// </summary>
/// <remarks>
/// Shape (snake_case):
/// <code>
/// { "catalog": "...",
///   "volume": { "requests_per_month": null, "input_tokens": ..., "cached_input_tokens": ..., "cache_write_input_tokens": ..., "uncached_input_tokens": ..., "output_tokens": ... },
///   "fx_rates": [ { "label": "CNY-relay", "currency": "CNY", "units_per_usd": 1.0 } ],
///   "savings":  [ { "currency": "CNY", "dearer": "CNY", "cheaper": "CNY-relay", "fraction": 0.863..., "percent": 86.3... } ],
///   "budgets":  [ { "name": "gpt-4.1", "kind": "model" | "mix", "input_cost_usd", "cached_input_cost_usd", "cache_write_input_cost_usd", "output_cost_usd", "total_usd",
///                   "amounts": [ { "label", "currency", "units_per_usd", "amount" } ],
///                   "savings": [ { "currency", "dearer", "cheaper", "fraction", "percent", "saved" } ],
///                   "notes": [ ... ],
///                   "lines": [ { "model", "price_model", "mode", "price_tier", "share_percent", "input_tokens", "cached_input_tokens",
///                                "cache_write_input_tokens", "uncached_input_tokens", "output_tokens", "usd_per_million_input_tokens", "usd_per_million_cached_input_tokens",
///                                "usd_per_million_cache_write_input_tokens", "usd_per_million_output_tokens", "input_cost_usd", "cached_input_cost_usd",
///                                "cache_write_input_cost_usd", "output_cost_usd", "total_cost_usd", "cached_priced_as_input", "cache_write_priced_as_input", "standard_prices_used_for_batch", "price_source", "notes" } ] } ] }
/// </code>
/// The applied prices in a line are those actually used (batch prices for <c>batch-api</c>; the input price for cached
/// tokens when the model has no cached price, flagged by <c>cached_priced_as_input</c>).
/// </remarks>
public static class CostEstimateJson
{
    /// <summary>The estimate as an indented JSON string.</summary>
    public static string ToJson(CostEstimate estimate)
    {
        using var buffer = new MemoryStream();
        Write(buffer, estimate);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes the estimate as indented UTF-8 JSON to <paramref name="utf8Stream"/>.</summary>
    public static void Write(Stream utf8Stream, CostEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(utf8Stream);
        ArgumentNullException.ThrowIfNull(estimate);
        using var json = new Utf8JsonWriter(utf8Stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("catalog", estimate.Catalog);
        WriteVolume(json, "volume", estimate.Volume);

        json.WriteStartArray("fx_rates");
        foreach (var rate in estimate.FxRates)
        {
            json.WriteStartObject();
            WriteRate(json, rate);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("savings");
        foreach (var saving in estimate.Savings)
        {
            json.WriteStartObject();
            WriteSaving(json, saving);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("budgets");
        foreach (var budget in estimate.Budgets)
        {
            WriteBudget(json, budget, estimate);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteBudget(Utf8JsonWriter json, Budget budget, CostEstimate estimate)
    {
        json.WriteStartObject();
        json.WriteString("name", budget.Name);
        json.WriteString("kind", budget.IsMix ? "mix" : "model");
        Number(json, "input_cost_usd", budget.InputCostUsd);
        Number(json, "cached_input_cost_usd", budget.CachedInputCostUsd);
        Number(json, "cache_write_input_cost_usd", budget.CacheWriteInputCostUsd);
        Number(json, "output_cost_usd", budget.OutputCostUsd);
        Number(json, "total_usd", budget.TotalCostUsd);

        json.WriteStartArray("amounts");
        foreach (var rate in estimate.FxRates)
        {
            json.WriteStartObject();
            WriteRate(json, rate);
            Number(json, "amount", rate.FromUsd(budget.TotalCostUsd));
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("savings");
        foreach (var saving in estimate.Savings)
        {
            json.WriteStartObject();
            WriteSaving(json, saving);
            Number(json, "saved", saving.SavedUnits(budget.TotalCostUsd));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteStrings(json, "notes", budget.Notes);

        json.WriteStartArray("lines");
        foreach (var line in budget.Lines)
        {
            WriteLine(json, line);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteLine(Utf8JsonWriter json, BudgetLine line)
    {
        var cost = line.Cost;
        json.WriteStartObject();
        json.WriteString("model", line.RequestedModel);
        json.WriteString("price_model", cost.Price.Model);
        if (line.Mode is null)
        {
            json.WriteNull("mode");
        }
        else
        {
            json.WriteString("mode", line.Mode);
        }

        json.WriteString("price_tier", cost.Tier == PriceTier.Batch ? "batch" : "standard");
        Number(json, "share_percent", line.SharePercent);
        Number(json, "input_tokens", line.Volume.InputTokens);
        Number(json, "cached_input_tokens", cost.CachedInputTokens);
        Number(json, "cache_write_input_tokens", cost.CacheWriteInputTokens);
        Number(json, "uncached_input_tokens", cost.UncachedInputTokens);
        Number(json, "output_tokens", cost.OutputTokens);
        Number(json, "usd_per_million_input_tokens", cost.UsdPerMillionInputTokens);
        Number(json, "usd_per_million_cached_input_tokens", cost.UsdPerMillionCachedInputTokens);
        Number(json, "usd_per_million_cache_write_input_tokens", cost.UsdPerMillionCacheWriteInputTokens);
        Number(json, "usd_per_million_output_tokens", cost.UsdPerMillionOutputTokens);
        Number(json, "input_cost_usd", cost.InputCostUsd);
        Number(json, "cached_input_cost_usd", cost.CachedInputCostUsd);
        Number(json, "cache_write_input_cost_usd", cost.CacheWriteInputCostUsd);
        Number(json, "output_cost_usd", cost.OutputCostUsd);
        Number(json, "total_cost_usd", cost.TotalCostUsd);
        json.WriteBoolean("cached_priced_as_input", cost.CachedPricedAsInput);
        json.WriteBoolean("cache_write_priced_as_input", cost.CacheWritePricedAsInput);
        json.WriteBoolean("standard_prices_used_for_batch", cost.StandardPricesUsedForBatch);
        json.WriteString("price_source", cost.Price.Source);
        WriteStrings(json, "notes", cost.Notes);
        json.WriteEndObject();
    }

    private static void WriteVolume(Utf8JsonWriter json, string name, MonthlyTokens volume)
    {
        json.WriteStartObject(name);
        if (volume.RequestsPerMonth is { } requests)
        {
            Number(json, "requests_per_month", requests);
        }
        else
        {
            json.WriteNull("requests_per_month");
        }

        Number(json, "input_tokens", volume.InputTokens);
        Number(json, "cached_input_tokens", volume.CachedInputTokens);
        Number(json, "cache_write_input_tokens", volume.CacheWriteInputTokens);
        Number(json, "uncached_input_tokens", volume.UncachedInputTokens);
        Number(json, "output_tokens", volume.OutputTokens);
        json.WriteEndObject();
    }

    private static void WriteRate(Utf8JsonWriter json, FxRate rate)
    {
        json.WriteString("label", rate.Label);
        json.WriteString("currency", rate.Currency);
        Number(json, "units_per_usd", rate.UnitsPerUsd);
    }

    private static void WriteSaving(Utf8JsonWriter json, FxSaving saving)
    {
        json.WriteString("currency", saving.Currency);
        json.WriteString("dearer", saving.Dearer.Label);
        json.WriteString("cheaper", saving.Cheaper.Label);
        Number(json, "fraction", saving.Fraction);
        Number(json, "percent", saving.Percent);
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    /// <summary>Writes the value exactly, without trailing zeros (80.000000 → 80).</summary>
    private static void Number(Utf8JsonWriter json, string name, decimal value) => json.WriteNumber(name, Normalize(value));

    /// <summary>The same value at the smallest scale (dividing by 1.000… removes trailing zeros, exactly).</summary>
    internal static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;
}
