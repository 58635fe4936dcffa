using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Bench.Core.Pricing;

/// <summary>
/// Parses human token counts as typed on a command line: <c>10M</c>, <c>2.5k</c>, <c>1B</c>, <c>1,000,000</c>,
/// <c>1_000_000</c>, <c>750</c>.
/// </summary>
/// <remarks>
/// Suffixes (case-insensitive, optionally after a space): <c>k</c> = 10³, <c>M</c> = 10⁶, <c>B</c> = 10⁹ (billion, not
/// bytes), <c>T</c> = 10¹². Digits may be grouped by commas in threes (<c>1,000,000</c>) or by underscores; the decimal
/// separator is <c>.</c> whatever the culture. No sign, no exponent. The value is exact (<c>2.5k</c> = 2500) and may be
/// fractional (a mean of 512.5 tokens per request).
/// </remarks>
public static class TokenQuantity
{
    private static readonly (char Suffix, decimal Multiplier)[] Suffixes =
        [('k', 1_000m), ('m', 1_000_000m), ('b', 1_000_000_000m), ('t', 1_000_000_000_000m)];

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> with the reason when it is not a count.</summary>
    public static decimal Parse(string text) =>
        TryParse(text, out var tokens, out var error) ? tokens : throw new FormatException(error);

    /// <summary>Parses <paramref name="text"/> into a number of tokens.</summary>
    /// <param name="text">The count, e.g. <c>10M</c>.</param>
    /// <param name="tokens">The exact count when successful.</param>
    /// <param name="error">Why the text is not a count, quoting it, when unsuccessful.</param>
    public static bool TryParse(string? text, out decimal tokens, [NotNullWhen(false)] out string? error)
    {
        tokens = 0m;
        error = null;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            error = "A token count is required (e.g. 10M, 2.5k, 1,000,000).";
            return false;
        }

        var multiplier = 1m;
        var last = char.ToLowerInvariant(trimmed[^1]);
        foreach (var (suffix, value) in Suffixes)
        {
            if (last == suffix)
            {
                multiplier = value;
                trimmed = trimmed[..^1].TrimEnd();
                break;
            }
        }

        if (!TryParseNumber(trimmed, out var number, out var reason))
        {
            error = $"'{text}' is not a token count: {reason}. Use digits with an optional k, M, B or T suffix (10M, 2.5k, 1,000,000).";
            return false;
        }

        try
        {
            tokens = number * multiplier;
        }
        catch (OverflowException)
        {
            error = $"'{text}' is too large a token count.";
            return false;
        }

        return true;
    }

    /// <summary>Formats a count with thousands separators, exactly (<c>10000000</c> → <c>10,000,000</c>).</summary>
    public static string Format(decimal tokens) =>
        decimal.Truncate(tokens) == tokens
            ? tokens.ToString("#,0", CultureInfo.InvariantCulture)
            : tokens.ToString("#,0.############################", CultureInfo.InvariantCulture);

    private static bool TryParseNumber(string text, out decimal number, [NotNullWhen(false)] out string? reason)
    {
        number = 0m;
        if (text.Length == 0)
        {
            reason = "no digits before the suffix";
            return false;
        }

        var point = text.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? "" : text[(point + 1)..];
        if (point >= 0 && fraction.Length == 0)
        {
            reason = "no digits after the decimal point";
            return false;
        }

        if (fraction.Any(c => !char.IsAsciiDigit(c)))
        {
            reason = fraction.Contains(',', StringComparison.Ordinal)
                ? "commas group thousands; the decimal separator is '.'"
                : $"unexpected character '{fraction.First(c => !char.IsAsciiDigit(c))}'";
            return false;
        }

        if (!TryUngroup(whole, out var digits, out reason))
        {
            return false;
        }

        var normalized = fraction.Length > 0 ? $"{digits}.{fraction}" : digits;
        if (!decimal.TryParse(normalized, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number))
        {
            return Fail("out of range", out reason);
        }

        return true;
    }

    private static bool TryUngroup(string whole, out string digits, [NotNullWhen(false)] out string? reason)
    {
        digits = "";
        reason = null;
        if (whole.Length == 0)
        {
            return Fail("no digits before the decimal point", out reason);
        }

        if (whole.FirstOrDefault(c => !char.IsAsciiDigit(c) && c is not (',' or '_')) is var bad and not '\0')
        {
            return Fail(bad == '-' ? "a count cannot be negative" : $"unexpected character '{bad}'", out reason);
        }

        foreach (var separator in new[] { ',', '_' })
        {
            if (!whole.Contains(separator, StringComparison.Ordinal))
            {
                continue;
            }

            var groups = whole.Split(separator);
            if (groups[0].Length is 0 or > 3 || groups.Skip(1).Any(g => g.Length != 3))
            {
                return Fail($"'{separator}' must separate groups of three digits", out reason);
            }
        }

        digits = whole.Replace(",", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        return true;
    }

    private static bool Fail(string why, out string reason)
    {
        reason = why;
        return false;
    }
}
