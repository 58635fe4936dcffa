using System.ComponentModel.DataAnnotations;
using Bench.Core.Configuration;

namespace Bench.Core.Pricing;

/// <summary>
/// How a target bills (scenario <c>targets[].billing</c>): the currency of its invoices, what it charges for one US
/// dollar of list price, the market rate that turns its invoices back into dollars, and its own prices where they
/// differ from the catalogue's. A relay that resells at "¥1 = $1" is <c>{"currency": "CNY", "units_per_list_usd": 1,
/// "market_units_per_usd": 7.1}</c>: a request listed at $1 costs ¥1, which is $0.14 at the market rate. The default
/// (no billing section) is the provider's own list price in USD.
/// </summary>
public sealed record TargetBilling : IConfigValidatable
{
    /// <summary>ISO 4217 code of the target's invoices (<c>USD</c> by default, <c>CNY</c> for most relays).</summary>
    [RegularExpression("^[A-Z]{3}$", ErrorMessage = "must be a three-letter ISO 4217 code in capitals, e.g. USD or CNY")]
    public string Currency { get; init; } = "USD";

    /// <summary>Units of <see cref="Currency"/> the target charges per 1 USD of list price (1 for a "¥1 = $1" relay);
    /// <see langword="null"/>: the market rate, i.e. the list price converted.</summary>
    [Range(typeof(decimal), "0.000001", "1000000", ErrorMessage = "must be > 0 (units of the billing currency per 1 USD of list price)")]
    public decimal? UnitsPerListUsd { get; init; }

    /// <summary>The market rate: units of <see cref="Currency"/> per 1 USD, to express the target's invoices in USD
    /// (<c>--fx</c> gives the same for the report); required when <see cref="Currency"/> is not USD.</summary>
    [Range(typeof(decimal), "0.000001", "1000000", ErrorMessage = "must be > 0 (units of the billing currency per 1 USD)")]
    public decimal? MarketUnitsPerUsd { get; init; }

    /// <summary>A price file (the <c>--prices</c> format, relative to the scenario file) with this target's own USD list
    /// prices, taking precedence over the catalogue for this target only.</summary>
    public string? PriceFile { get; init; }

    /// <summary>Rules across fields: a non-USD currency needs its market rate.</summary>
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (Currency != "USD" && MarketUnitsPerUsd is null)
        {
            validation.Error(nameof(MarketUnitsPerUsd), $"a target billing in {Currency} needs the market rate (units of {Currency} per 1 USD) to be compared with others");
        }
    }
}
