using System.Globalization;
using System.Text;
using Bench.Core.Pricing;

namespace Bench.Report.Cost;

/// <summary>
/// Formats a <see cref="CostEstimate"/> as a plain-text report for people who sign budgets: per budget a table of
/// lines (tokens and USD by kind of token), the total in USD and in each currency, the savings between rates, the
/// prices applied with their sources, and every substitution made. Amounts are rounded for display only
/// (<see cref="FormatMoney"/>); invariant culture throughout.
/// </summary>
public static class CostEstimateText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The report as text, lines separated by <c>\n</c>.</summary>
    public static string Format(CostEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        var text = new StringBuilder();
        var volume = estimate.Volume;
        text.Append("Monthly volume: ");
        if (volume.RequestsPerMonth is { } requests)
        {
            text.Append(Inv, $"{TokenQuantity.Format(requests)} requests, ");
        }

        text.Append(Inv, $"{TokenQuantity.Format(volume.InputTokens)} input tokens ({TokenQuantity.Format(volume.CachedInputTokens)} cached");
        text.Append(volume.CacheWriteInputTokens > 0 ? string.Create(Inv, $", {TokenQuantity.Format(volume.CacheWriteInputTokens)} cache writes), ") : "), ");
        text.Append(Inv, $"{TokenQuantity.Format(volume.OutputTokens)} output tokens.\n");
        text.Append(Inv, $"Prices in USD per 1M tokens, from: {estimate.Catalog}.\n");
        text.Append("Amounts are per month, computed exactly and rounded for display.\n");

        foreach (var budget in estimate.Budgets)
        {
            text.Append('\n');
            AppendBudget(text, budget, estimate);
        }

        return text.ToString();
    }

    /// <summary>
    /// An amount for display: two decimals (rounded half away from zero) with thousands separators; a non-zero amount
    /// under one cent is shown to six decimals instead (0.0042, not 0.00).
    /// </summary>
    public static string FormatMoney(decimal amount) =>
        amount != 0m && Math.Abs(amount) < 0.01m
            ? Math.Round(amount, 6, MidpointRounding.AwayFromZero).ToString("#,0.00####", Inv)
            : Math.Round(amount, 2, MidpointRounding.AwayFromZero).ToString("#,0.00", Inv);

    /// <summary>A price per 1M tokens, exactly, with at least two decimals (2.00, 0.275).</summary>
    public static string FormatPrice(decimal usdPerMillionTokens) =>
        usdPerMillionTokens.ToString("#,0.00##########################", Inv);

    /// <summary>A percentage rounded to one decimal (86.3 %).</summary>
    public static string FormatPercent(decimal percent) =>
        Math.Round(percent, 1, MidpointRounding.AwayFromZero).ToString("0.0", Inv) + " %";

    private static void AppendBudget(StringBuilder text, Budget budget, CostEstimate estimate)
    {
        text.Append(budget.IsMix ? $"Mix {budget.Name}\n" : $"{budget.Name}\n");
        // Cache-write columns only when the volume has cache writes (Anthropic), so other tables keep their shape.
        var writes = budget.Lines.Any(l => l.Cost.CacheWriteInputTokens > 0);
        var header = new[] { "model", "mode", "share", "uncached in tok", "cached in tok", "output tok", "uncached in $", "cached in $", "output $", "total $" };
        var rows = new List<string[]> { writes ? WithWrites(header, "cache write tok", "cache write $") : header };
        foreach (var line in budget.Lines)
        {
            var cost = line.Cost;
            string[] row =
            [
                line.RequestedModel,
                line.Mode ?? "standard",
                string.Create(Inv, $"{line.SharePercent:0.##}%"),
                TokenQuantity.Format(Math.Round(cost.UncachedInputTokens, 2)),
                TokenQuantity.Format(Math.Round(cost.CachedInputTokens, 2)),
                TokenQuantity.Format(Math.Round(cost.OutputTokens, 2)),
                FormatMoney(cost.InputCostUsd),
                FormatMoney(cost.CachedInputCostUsd),
                FormatMoney(cost.OutputCostUsd),
                FormatMoney(cost.TotalCostUsd),
            ];
            rows.Add(writes ? WithWrites(row, TokenQuantity.Format(Math.Round(cost.CacheWriteInputTokens, 2)), FormatMoney(cost.CacheWriteInputCostUsd)) : row);
        }

        if (budget.Lines.Count > 1)
        {
            string[] total = ["total", "", "100%", "", "", "", FormatMoney(budget.InputCostUsd), FormatMoney(budget.CachedInputCostUsd),
                FormatMoney(budget.OutputCostUsd), FormatMoney(budget.TotalCostUsd)];
            rows.Add(writes ? WithWrites(total, "", FormatMoney(budget.CacheWriteInputCostUsd)) : total);
        }

        AppendTable(text, rows, rightAlignedFrom: 2);

        text.Append(Inv, $"  Total: USD {FormatMoney(budget.TotalCostUsd)}");
        foreach (var rate in estimate.FxRates)
        {
            text.Append(Inv, $" | {rate.Label} {FormatMoney(rate.FromUsd(budget.TotalCostUsd))}");
        }

        text.Append(" per month\n");
        foreach (var saving in estimate.Savings)
        {
            text.Append(Inv, $"  Paying at {saving.Cheaper.Label} ({saving.Cheaper.UnitsPerUsd} {saving.Currency}/USD) instead of ");
            text.Append(Inv, $"{saving.Dearer.Label} ({saving.Dearer.UnitsPerUsd} {saving.Currency}/USD) saves {FormatPercent(saving.Percent)}: ");
            text.Append(Inv, $"{saving.Currency} {FormatMoney(saving.SavedUnits(budget.TotalCostUsd))} per month\n");
        }

        foreach (var price in budget.Lines.Select(l => l.Cost).DistinctBy(c => (c.Price.Model, c.Tier)))
        {
            text.Append(Inv, $"  Prices {price.Price.Model} ({(price.Tier == PriceTier.Batch ? "batch" : "standard")}): ");
            text.Append(Inv, $"input {FormatPrice(price.UsdPerMillionInputTokens)}, cached {FormatPrice(price.UsdPerMillionCachedInputTokens)}");
            text.Append(price.CachedPricedAsInput ? " (no cached price: input price)" : "");
            if (writes)
            {
                text.Append(Inv, $", cache write {FormatPrice(price.UsdPerMillionCacheWriteInputTokens)}");
                text.Append(price.CacheWritePricedAsInput ? " (no cache-write price: input price)" : "");
            }

            text.Append(Inv, $", output {FormatPrice(price.UsdPerMillionOutputTokens)}; source: {price.Price.Source}\n");
        }

        foreach (var note in budget.Notes)
        {
            text.Append(Inv, $"  Note: {note}\n");
        }
    }

    /// <summary>A row with the cache-write token column after "cached in tok" (index 4) and its cost after "cached in $"
    /// (index 7 of the original row).</summary>
    private static string[] WithWrites(string[] row, string tokens, string cost) =>
        [.. row[..5], tokens, .. row[5..8], cost, .. row[8..]];

    private static void AppendTable(StringBuilder text, List<string[]> rows, int rightAlignedFrom)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            text.Append(' ');
            for (var c = 0; c < row.Length; c++)
            {
                text.Append(' ');
                text.Append(c >= rightAlignedFrom ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c]));
            }

            text.Append('\n');
        }
    }
}
