using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Bench.Core.Wire;

/// <summary>
/// Says in a few words what a body that is not what the protocol promised looks like, from its first bytes — gzip's or
/// zstd's magic number, HTML, JSON, binary data, plain text — and turns an error body into a short readable message (an
/// HTML page's <c>&lt;title&gt;</c>, not 500 characters of markup). For failure paths only: it allocates.
/// </summary>
internal static partial class BodyDescription
{
    /// <summary>What the body starting with <paramref name="head"/> (its first significant bytes: a byte order mark and
    /// leading whitespace skipped) is: <c>gzip-compressed bytes</c>, <c>HTML</c>, <c>JSON</c>, <c>binary data</c>,
    /// <c>text</c>; <c>nothing</c> for an empty head.</summary>
    public static string Sniff(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return "nothing";
        }

        // RFC 1952: "ID1 = 31 (0x1f), ID2 = 139 (0x8b)"; RFC 8878: zstd's magic number 0xFD2FB528, little-endian.
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
        {
            return "gzip-compressed bytes";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]))
        {
            return "zstd-compressed bytes";
        }

        // RFC 1950: a zlib stream starts 0x78 then a check byte (0x01, 0x5E, 0x9C or 0xDA for the usual levels).
        if (head.Length >= 2 && head[0] == 0x78 && head[1] is 0x01 or 0x5E or 0x9C or 0xDA)
        {
            return "zlib (deflate)-compressed bytes";
        }

        if (head[0] == (byte)'<')
        {
            return LooksLikeHtml(head) ? "HTML" : "XML or HTML";
        }

        if (head[0] is (byte)'{' or (byte)'[')
        {
            return "JSON";
        }

        return IsText(head) ? "text" : "binary data";
    }

    /// <summary>A short readable message made of an error body (at most <paramref name="maxChars"/> characters before
    /// the caller's own cut): an HTML page's title (or its text without tags), a text body as is, and for binary data
    /// only what it looks like and its size.</summary>
    public static string ReadableText(ReadOnlySpan<byte> body, bool truncated, int maxChars)
    {
        var head = Significant(body);
        var kind = Sniff(head[..Math.Min(16, head.Length)]);
        var more = truncated ? "+" : "";
        if (kind is "HTML" or "XML or HTML")
        {
            var html = Decode(head, maxChars * 8);
            var title = TitleRegex().Match(html);
            var text = title.Success ? title.Groups[1].Value : TagRegex().Replace(html, " ");
            text = Collapse(WebUtility.HtmlDecode(text));
            return text.Length > 0 ? text : $"an HTML page ({body.Length}{more} bytes) without text";
        }

        if (kind == "text" || kind == "JSON")
        {
            return Collapse(Decode(head, maxChars));
        }

        return $"{kind} ({body.Length}{more} bytes), not text";
    }

    /// <summary>The bytes after a byte order mark and leading whitespace.</summary>
    public static ReadOnlySpan<byte> Significant(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            body = body[3..];
        }

        return body.TrimStart(" \t\r\n"u8);
    }

    private static bool LooksLikeHtml(ReadOnlySpan<byte> head)
    {
        var text = Encoding.ASCII.GetString(head).ToUpperInvariant();
        return text.StartsWith("<!DOCTYPE HTML", StringComparison.Ordinal) || text.StartsWith("<HTML", StringComparison.Ordinal)
            || text.StartsWith("<HEAD", StringComparison.Ordinal) || text.StartsWith("<BODY", StringComparison.Ordinal)
            || text.StartsWith("<TITLE", StringComparison.Ordinal) || text.StartsWith("<H1", StringComparison.Ordinal)
            || text.StartsWith("<!--", StringComparison.Ordinal);
    }

    /// <summary>Text has no control characters but tab, CR and LF, and is valid UTF-8 (a cut last character aside).</summary>
    private static bool IsText(ReadOnlySpan<byte> head)
    {
        foreach (var b in head)
        {
            if (b is < 0x20 and not ((byte)'\t' or (byte)'\r' or (byte)'\n') or 0x7F)
            {
                return false;
            }
        }

        // A multi-byte character cut at the end of the head is still text.
        for (var trim = 0; trim < 4 && trim < head.Length; trim++)
        {
            if (Utf8.IsValid(head[..^trim]))
            {
                return true;
            }
        }

        return false;
    }

    private static string Decode(ReadOnlySpan<byte> bytes, int maxBytes) =>
        Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, maxBytes)]);

    private static string Collapse(string text) => WhitespaceRegex().Replace(text, " ").Trim();

    [GeneratedRegex(@"<title[^>]*>(.*?)</title\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex TitleRegex();

    [GeneratedRegex(@"<[^>]*>?", RegexOptions.Singleline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex TagRegex();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex WhitespaceRegex();
}
