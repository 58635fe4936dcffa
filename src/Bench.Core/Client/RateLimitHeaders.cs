using System.Globalization;
using System.Text;
using Bench.Core.Records;

namespace Bench.Core.Client;

/// <summary>
/// Reads a response's rate-limit headers into a <see cref="RateLimitInfo"/>: OpenAI's
/// <c>x-ratelimit-limit-requests|tokens</c>, <c>x-ratelimit-remaining-requests|tokens</c> (integers) and
/// <c>x-ratelimit-reset-requests|tokens</c> (Go durations: <c>1s</c>, <c>6m0s</c>, <c>20ms</c>, <c>1h2m3.5s</c>; OpenAI's
/// rate-limits guide, "Rate limits in headers"), OpenAI's <c>retry-after-ms</c> (milliseconds, as its SDKs read it) and
/// RFC 9110 §10.2.3 <c>Retry-After</c> (<c>delay-seconds</c> or an HTTP-date). Anthropic's
/// <c>anthropic-ratelimit-requests|tokens-limit|remaining|reset</c> (docs.anthropic.com "Rate limits", "Response
/// headers": counts, and the reset as an RFC 3339 time, taken as its distance from the response's <c>Date</c> or the run
/// clock) fill the same fields when OpenAI's are absent.
/// </summary>
/// <remarks>
/// <para>Leniency, each for a server seen in the wild: a reset given as a bare number is seconds (Azure OpenAI sends
/// <c>x-ratelimit-reset-tokens: 0</c> or whole seconds); counts may be negative (Azure's <c>-1</c>, "unknown") and are
/// kept as sent; <c>Retry-After</c> seconds may carry a fraction (OpenAI's SDKs accept it). An HTTP-date is taken as its
/// difference from the response's <c>Date</c> header when present (both are the server's clock), else from the run
/// clock's wall time; a date in the past is a wait of 0.</para>
/// <para>A header present but unreadable — not a number, a negative or unbounded duration, a count past
/// <see cref="long.MaxValue"/>, a wait over <see cref="MaxWaitMs"/> — is left out of the parsed fields and listed in
/// <see cref="RateLimitInfo.Unparsed"/> as <c>name: value</c> (masked by the caller's <see cref="KeyMask"/>, cut to
/// <see cref="MaxUnparsedChars"/>). When several values are sent for one header, the first is read.</para>
/// </remarks>
public static class RateLimitHeaders
{
    /// <summary><c>x-ratelimit-limit-requests</c>.</summary>
    public const string LimitRequests = "x-ratelimit-limit-requests";

    /// <summary><c>x-ratelimit-limit-tokens</c>.</summary>
    public const string LimitTokens = "x-ratelimit-limit-tokens";

    /// <summary><c>x-ratelimit-remaining-requests</c>.</summary>
    public const string RemainingRequests = "x-ratelimit-remaining-requests";

    /// <summary><c>x-ratelimit-remaining-tokens</c>.</summary>
    public const string RemainingTokens = "x-ratelimit-remaining-tokens";

    /// <summary><c>x-ratelimit-reset-requests</c>.</summary>
    public const string ResetRequests = "x-ratelimit-reset-requests";

    /// <summary><c>x-ratelimit-reset-tokens</c>.</summary>
    public const string ResetTokens = "x-ratelimit-reset-tokens";

    /// <summary><c>anthropic-ratelimit-requests-limit</c>.</summary>
    public const string AnthropicLimitRequests = "anthropic-ratelimit-requests-limit";

    /// <summary><c>anthropic-ratelimit-requests-remaining</c>.</summary>
    public const string AnthropicRemainingRequests = "anthropic-ratelimit-requests-remaining";

    /// <summary><c>anthropic-ratelimit-requests-reset</c> (RFC 3339).</summary>
    public const string AnthropicResetRequests = "anthropic-ratelimit-requests-reset";

    /// <summary><c>anthropic-ratelimit-tokens-limit</c>.</summary>
    public const string AnthropicLimitTokens = "anthropic-ratelimit-tokens-limit";

    /// <summary><c>anthropic-ratelimit-tokens-remaining</c>.</summary>
    public const string AnthropicRemainingTokens = "anthropic-ratelimit-tokens-remaining";

    /// <summary><c>anthropic-ratelimit-tokens-reset</c> (RFC 3339).</summary>
    public const string AnthropicResetTokens = "anthropic-ratelimit-tokens-reset";

    /// <summary><c>retry-after-ms</c> (OpenAI).</summary>
    public const string RetryAfterMs = "retry-after-ms";

    /// <summary><c>Retry-After</c> (RFC 9110).</summary>
    public const string RetryAfter = "Retry-After";

    /// <summary>The longest wait or reset read, in ms (one year): a longer one is unreadable, not a plan.</summary>
    public const double MaxWaitMs = 365.0 * 24 * 3600 * 1000;

    /// <summary><see cref="RateLimitInfo.Unparsed"/> is cut to this many characters.</summary>
    public const int MaxUnparsedChars = 200;

    /// <summary>A header value longer than this is not read at all (unparsed).</summary>
    private const int MaxValueChars = 64;

    private static readonly string[] HttpDateFormats =
    [
        "r", // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        "dddd, dd'-'MMM'-'yy HH:mm:ss 'GMT'", // obsolete RFC 850
        "ddd MMM d HH:mm:ss yyyy", // obsolete asctime
        "ddd MMM dd HH:mm:ss yyyy",
    ];

    /// <summary>Reads the rate-limit headers of <paramref name="response"/>.</summary>
    /// <param name="response">The response (its headers; any status).</param>
    /// <param name="nowUtc">The run clock's wall time, for an HTTP-date <c>Retry-After</c> when the response has no
    /// <c>Date</c>.</param>
    /// <param name="mask">Masks an API key echoed in an unreadable value.</param>
    /// <returns>The parsed headers, or <see langword="null"/> when the response carried none of them.</returns>
    public static RateLimitInfo? Read(HttpResponseMessage response, DateTimeOffset nowUtc, KeyMask mask)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(mask);
        var headers = response.Headers.NonValidated;
        if (!AnyOf(headers))
        {
            // Most responses carry none (a local server, many gateways): nothing to parse, not even the Date.
            return null;
        }

        return Read(name => headers.TryGetValues(name, out var values) && values.Count > 0 ? values.First() : null, nowUtc, mask);
    }

    /// <summary>Reads the rate-limit headers given by <paramref name="get"/> (a header's first value, or null).</summary>
    /// <param name="get">Looks a header up by name (case-insensitive).</param>
    /// <param name="nowUtc">The run clock's wall time, for an HTTP-date <c>Retry-After</c> when there is no <c>Date</c>
    /// header.</param>
    /// <param name="mask">Masks an API key echoed in an unreadable value.</param>
    /// <returns>The parsed headers, or <see langword="null"/> when none was present.</returns>
    public static RateLimitInfo? Read(Func<string, string?> get, DateTimeOffset nowUtc, KeyMask mask)
    {
        ArgumentNullException.ThrowIfNull(get);
        ArgumentNullException.ThrowIfNull(mask);
        var referenceUtc = get("Date") is { } rawDate && TryParseHttpDate(rawDate, out var date) ? date : nowUtc;
        var present = false;
        StringBuilder? unparsed = null;

        T? Parse<T>(string name, TryParser<T> parse)
            where T : struct
        {
            if (get(name) is not { } raw)
            {
                return null;
            }

            present = true;
            var value = raw.Trim();
            if (value.Length <= MaxValueChars && parse(value, out var parsed))
            {
                return parsed;
            }

            unparsed ??= new StringBuilder();
            if (unparsed.Length > 0)
            {
                unparsed.Append("; ");
            }

            unparsed.Append(name).Append(": ").Append(raw.Length > MaxUnparsedChars ? raw[..MaxUnparsedChars] : raw);
            return null;
        }

        bool Rfc3339(string value, out double ms) => TryParseResetTimeMs(value, referenceUtc, out ms);
        var info = new RateLimitInfo(
            LimitRequests: Parse<long>(LimitRequests, TryParseCount) ?? Parse<long>(AnthropicLimitRequests, TryParseCount),
            RemainingRequests: Parse<long>(RemainingRequests, TryParseCount) ?? Parse<long>(AnthropicRemainingRequests, TryParseCount),
            ResetRequestsMs: Parse<double>(ResetRequests, TryParseDurationMs) ?? Parse<double>(AnthropicResetRequests, Rfc3339),
            LimitTokens: Parse<long>(LimitTokens, TryParseCount) ?? Parse<long>(AnthropicLimitTokens, TryParseCount),
            RemainingTokens: Parse<long>(RemainingTokens, TryParseCount) ?? Parse<long>(AnthropicRemainingTokens, TryParseCount),
            ResetTokensMs: Parse<double>(ResetTokens, TryParseDurationMs) ?? Parse<double>(AnthropicResetTokens, Rfc3339));

        // OpenAI's SDKs read retry-after-ms first, then Retry-After.
        var retryAfterMs = Parse<double>(RetryAfterMs, TryParseMilliseconds);
        var retryAfter = Parse<double>(RetryAfter, (string value, out double ms) => TryParseRetryAfterMs(value, referenceUtc, out ms));
        if (!present)
        {
            return null;
        }

        return info with
        {
            RetryAfterMs = retryAfterMs ?? retryAfter,
            Unparsed = unparsed is null ? null : Cut(mask.Apply(unparsed.ToString()) ?? ""),
        };
    }

    /// <summary>The headers <see cref="Read(Func{string, string?}, DateTimeOffset, KeyMask)"/> reads, the
    /// <c>Date</c> aside (which alone yields nothing): OpenAI's, Anthropic's and the retry hints. Case-insensitive, as
    /// header names are (RFC 9110 §5.1).</summary>
    private static readonly System.Collections.Frozen.FrozenSet<string> HeaderNames = System.Collections.Frozen.FrozenSet.ToFrozenSet(
        [
            LimitRequests, LimitTokens, RemainingRequests, RemainingTokens, ResetRequests, ResetTokens,
            AnthropicLimitRequests, AnthropicRemainingRequests, AnthropicResetRequests,
            AnthropicLimitTokens, AnthropicRemainingTokens, AnthropicResetTokens,
            RetryAfterMs, RetryAfter,
        ],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="headers"/> has a value for one of <see cref="HeaderNames"/>: one pass over what
    /// arrived instead of a lookup (and the <c>Date</c>'s parse) per name.</summary>
    private static bool AnyOf(System.Net.Http.Headers.HttpHeadersNonValidated headers)
    {
        foreach (var header in headers)
        {
            if (header.Value.Count > 0 && HeaderNames.Contains(header.Key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A count: an integer (a leading minus allowed), within <see cref="long"/>.</summary>
    public static bool TryParseCount(string value, out long count) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out count);

    /// <summary>
    /// A Go duration (<c>time.ParseDuration</c>: a sequence of decimal numbers each with a unit <c>ns</c>, <c>us</c>,
    /// <c>µs</c>, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>; <c>0</c> alone), or a bare non-negative number of seconds, in
    /// milliseconds. Negative, empty, unit-less parts after the first, or past <see cref="MaxWaitMs"/>: false.
    /// </summary>
    public static bool TryParseDurationMs(string value, out double milliseconds)
    {
        milliseconds = 0;
        var text = value.AsSpan().Trim();
        if (text.Length == 0 || text[0] is '-')
        {
            return false;
        }

        if (text[0] is '+')
        {
            text = text[1..];
        }

        if (IsPlainNumber(text))
        {
            // Go accepts "0" without a unit; a bare number otherwise is seconds (Azure OpenAI).
            return TryNumber(text, out var seconds) && Bounded(seconds * 1000, out milliseconds);
        }

        double total = 0;
        while (text.Length > 0)
        {
            var numberLength = 0;
            while (numberLength < text.Length && (char.IsAsciiDigit(text[numberLength]) || text[numberLength] == '.'))
            {
                numberLength++;
            }

            if (numberLength == 0 || !TryNumber(text[..numberLength], out var number))
            {
                return false;
            }

            text = text[numberLength..];
            var unitLength = 0;
            while (unitLength < text.Length && !char.IsAsciiDigit(text[unitLength]) && text[unitLength] != '.')
            {
                unitLength++;
            }

            double? scale = text[..unitLength] switch
            {
                "ns" => 1e-6,
                "us" or "µs" or "μs" => 1e-3,
                "ms" => 1,
                "s" => 1000,
                "m" => 60_000,
                "h" => 3_600_000,
                _ => null,
            };
            if (scale is null)
            {
                return false;
            }

            total += number * scale.Value;
            text = text[unitLength..];
        }

        return Bounded(total, out milliseconds);
    }

    /// <summary><c>retry-after-ms</c>: a non-negative number of milliseconds (a fraction allowed).</summary>
    public static bool TryParseMilliseconds(string value, out double milliseconds)
    {
        milliseconds = 0;
        return IsPlainNumber(value) && TryNumber(value, out var ms) && Bounded(ms, out milliseconds);
    }

    /// <summary>RFC 9110 <c>Retry-After</c>: <c>delay-seconds</c> (a fraction tolerated), or an HTTP-date taken against
    /// <paramref name="referenceUtc"/> (a date already past is 0), in milliseconds.</summary>
    public static bool TryParseRetryAfterMs(string value, DateTimeOffset referenceUtc, out double milliseconds)
    {
        milliseconds = 0;
        if (IsPlainNumber(value))
        {
            return TryNumber(value, out var seconds) && Bounded(seconds * 1000, out milliseconds);
        }

        return TryParseHttpDate(value, out var date) && Bounded(Math.Max(0, (date - referenceUtc).TotalMilliseconds), out milliseconds);
    }

    /// <summary>Anthropic's reset: an RFC 3339 time (<c>2026-11-30T21:00:00Z</c>), as the wait from
    /// <paramref name="referenceUtc"/> in milliseconds (a time already past is 0).</summary>
    public static bool TryParseResetTimeMs(string value, DateTimeOffset referenceUtc, out double milliseconds)
    {
        milliseconds = 0;
        return value.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            && Bounded(Math.Max(0, (at - referenceUtc).TotalMilliseconds), out milliseconds);
    }

    /// <summary>An HTTP-date (RFC 9110 §5.6.7: IMF-fixdate, or the obsolete RFC 850 and asctime forms), in UTC.</summary>
    public static bool TryParseHttpDate(string value, out DateTimeOffset date) =>
        DateTimeOffset.TryParseExact(value.Trim(), HttpDateFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AllowInnerWhite | DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date);

    private delegate bool TryParser<T>(string value, out T parsed);

    private static bool IsPlainNumber(ReadOnlySpan<char> text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c != '.')
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryNumber(ReadOnlySpan<char> text, out double number) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    private static bool Bounded(double ms, out double milliseconds)
    {
        milliseconds = ms;
        return double.IsFinite(ms) && ms is >= 0 and <= MaxWaitMs;
    }

    private static string Cut(string text)
    {
        if (text.Length <= MaxUnparsedChars)
        {
            return text;
        }

        var length = char.IsHighSurrogate(text[MaxUnparsedChars - 1]) ? MaxUnparsedChars - 1 : MaxUnparsedChars;
        return string.Concat(text.AsSpan(0, length), "…");
    }
}
