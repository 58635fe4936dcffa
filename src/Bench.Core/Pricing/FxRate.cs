using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Bench.Core.Pricing;

/// <summary>
/// An exchange rate: how many units of a currency one US dollar of list price costs. The label names the rate and
/// starts with the ISO 4217 code: <c>CNY</c> (market rate, about 7.3) and <c>CNY-relay</c> (a relay that bills
/// ¥1 per $1, SEED-FIGURES.md "Currency") are two rates of one currency.
/// </summary>
public sealed record FxRate
{
    /// <summary>Creates a rate; throws <see cref="ArgumentException"/> for a malformed label or a rate ≤ 0.</summary>
    /// <param name="label">Three letters (the currency code), optionally followed by <c>-</c> and a qualifier:
    /// <c>CNY</c>, <c>CNY-relay</c>, <c>EUR-card</c>.</param>
    /// <param name="unitsPerUsd">Units of the currency per 1 USD; &gt; 0.</param>
    public FxRate(string label, decimal unitsPerUsd)
    {
        if (!IsValidLabel(label, out var reason))
        {
            throw new ArgumentException(reason, nameof(label));
        }

        if (unitsPerUsd <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(unitsPerUsd), unitsPerUsd, $"The rate for {label} must be > 0 units per USD.");
        }

        Label = label.Trim();
        UnitsPerUsd = unitsPerUsd;
    }

    /// <summary>The rate's name as given, e.g. <c>CNY-relay</c>.</summary>
    public string Label { get; }

    /// <summary>The ISO 4217 currency code: the label's first three letters, upper case (<c>CNY</c>).</summary>
    public string Currency => Label[..3].ToUpperInvariant();

    /// <summary>Units of <see cref="Currency"/> per 1 USD.</summary>
    public decimal UnitsPerUsd { get; }

    /// <summary>An amount in USD expressed at this rate: <paramref name="usd"/> × <see cref="UnitsPerUsd"/>, exactly.</summary>
    public decimal FromUsd(decimal usd) => usd * UnitsPerUsd;

    /// <summary>Parses <c>LABEL=RATE</c> (<c>CNY=7.3</c>, <c>CNY-relay=1.0</c>); the rate uses <c>.</c> as decimal point.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out FxRate? rate, [NotNullWhen(false)] out string? error)
    {
        rate = null;
        var parts = (text ?? "").Split('=', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2)
        {
            error = $"'{text}' is not an exchange rate: expected LABEL=UNITS_PER_USD, e.g. CNY=7.3 or CNY-relay=1.0.";
            return false;
        }

        if (!IsValidLabel(parts[0], out var reason))
        {
            error = $"'{text}': {reason}";
            return false;
        }

        if (!decimal.TryParse(parts[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var units) || units <= 0)
        {
            error = $"'{text}': the rate must be a number > 0 (units of {parts[0][..3].ToUpperInvariant()} per 1 USD, '.' as decimal point).";
            return false;
        }

        rate = new FxRate(parts[0], units);
        error = null;
        return true;
    }

    /// <summary>
    /// Every saving between two rates of one currency in <paramref name="rates"/> (each pair once, dearer rate first),
    /// in the order the rates were given. Pairs with equal rates save nothing and are left out.
    /// </summary>
    public static IReadOnlyList<FxSaving> Savings(IReadOnlyList<FxRate> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        var savings = new List<FxSaving>();
        for (var i = 0; i < rates.Count; i++)
        {
            for (var j = i + 1; j < rates.Count; j++)
            {
                var (a, b) = (rates[i], rates[j]);
                if (a.Currency == b.Currency && a.UnitsPerUsd != b.UnitsPerUsd)
                {
                    savings.Add(a.UnitsPerUsd > b.UnitsPerUsd ? new FxSaving(a, b) : new FxSaving(b, a));
                }
            }
        }

        return savings;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Label}={UnitsPerUsd}");

    private static bool IsValidLabel(string? label, [NotNullWhen(false)] out string? reason)
    {
        var trimmed = label?.Trim() ?? "";
        if (trimmed.Length < 3 || !trimmed[..3].All(char.IsAsciiLetter)
            || (trimmed.Length > 3 && (trimmed[3] != '-' || trimmed.Length == 4))
            || !trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            reason = $"'{label}' is not a currency label: expected a 3-letter ISO 4217 code, optionally followed by '-' "
                + "and a qualifier (CNY, CNY-relay).";
            return false;
        }

        reason = null;
        return true;
    }
}

/// <summary>
/// What paying at a cheaper rate saves against a dearer rate of the same currency (e.g. a relay billing ¥1 per $1
/// against the market's ¥7.3 per $1).
/// </summary>
/// <param name="Dearer">The rate with more units per USD.</param>
/// <param name="Cheaper">The rate with fewer units per USD.</param>
public sealed record FxSaving(FxRate Dearer, FxRate Cheaper)
{
    /// <summary>The currency both rates are in.</summary>
    public string Currency => Dearer.Currency;

    /// <summary>
    /// The fraction saved: 1 − cheaper/dearer, computed as (dearer − cheaper) / dearer in one exact decimal division
    /// (¥7.3 vs ¥1.0: 6.3/7.3 = 0.86301369863…). Round only for display.
    /// </summary>
    public decimal Fraction => (Dearer.UnitsPerUsd - Cheaper.UnitsPerUsd) / Dearer.UnitsPerUsd;

    /// <summary><see cref="Fraction"/> × 100.</summary>
    public decimal Percent => Fraction * 100m;

    /// <summary>The amount saved, in <see cref="Currency"/>, on a bill of <paramref name="usd"/> US dollars:
    /// usd × (dearer − cheaper).</summary>
    public decimal SavedUnits(decimal usd) => usd * (Dearer.UnitsPerUsd - Cheaper.UnitsPerUsd);
}
