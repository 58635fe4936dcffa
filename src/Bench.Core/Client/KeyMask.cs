using System.Text;

namespace Bench.Core.Client;

/// <summary>
/// Masks an API key in text that came from a server or an exception (error messages, malformed-body reasons, headers
/// echoed into a record) before Bench keeps it: every echo of the key becomes <see cref="Redacted"/>.
/// </summary>
/// <remarks>
/// <para>What counts as an echo, compared without regard to case (servers and proxies upper-case or lower-case what
/// they print: <c>SK-TEST-…</c>):</para>
/// <list type="bullet">
/// <item>the key itself;</item>
/// <item>any run of at least <see cref="MinPartialChars"/> (8) characters that also occurs in the key — a prefix left by
/// a message cut at its truncation point, a suffix, or any slice a provider prints;</item>
/// <item>a provider's abbreviation: a prefix of the key (at least 3 characters), a run of at least two filler
/// characters (<c>*</c>, <c>.</c>, <c>•</c>, <c>x</c>/<c>X</c>; or one <c>…</c>), then a suffix of the key (at least 2
/// characters) — OpenAI's <c>sk-proj-****…abcd</c>, <c>sk-abc...wxyz</c>.</item>
/// </list>
/// <para>A key shorter than 8 characters is masked whole only. Over-masking (a 8-character slice of the key that
/// happens to occur in ordinary text) is accepted: a record loses a few characters, never the key.</para>
/// <para>Cost: O(text length × key length) time and O(key length) memory per call; it runs only on failure paths, on
/// texts already bounded by the error-body cap.</para>
/// </remarks>
public sealed class KeyMask
{
    /// <summary>What an echo of the key is replaced with.</summary>
    public const string Redacted = "***";

    /// <summary>The shortest slice of the key masked on its own (8 characters).</summary>
    public const int MinPartialChars = 8;

    private const int MinAbbreviatedPrefix = 3;
    private const int MinAbbreviatedSuffix = 2;
    private const int MinFiller = 2;

    private readonly string? _key;

    /// <summary>A mask for <paramref name="key"/>; <see langword="null"/> or empty masks nothing.</summary>
    public KeyMask(string? key) => _key = string.IsNullOrEmpty(key) ? null : key;

    /// <summary>A mask that masks nothing.</summary>
    public static KeyMask None { get; } = new(null);

    /// <summary>Returns <paramref name="text"/> with every echo of the key replaced by <see cref="Redacted"/>;
    /// <see langword="null"/> stays <see langword="null"/>, a text without an echo is returned as is.</summary>
    public string? Apply(string? text)
    {
        if (_key is null || string.IsNullOrEmpty(text))
        {
            return text;
        }

        var key = _key;
        var masked = new bool[text.Length];
        var any = MarkSlices(text, key, masked);
        any |= MarkAbbreviations(text, key, masked);
        if (!any)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (!masked[i])
            {
                result.Append(text[i]);
            }
            else if (i == 0 || !masked[i - 1])
            {
                result.Append(Redacted);
            }
        }

        return result.ToString();
    }

    private static bool Same(char a, char b) => a == b || char.ToUpperInvariant(a) == char.ToUpperInvariant(b);

    /// <summary>Marks every run of text that also occurs in the key and is at least min(8, key length) long: the
    /// longest common substring ending at each text position, one DP row (over the key) at a time.</summary>
    private static bool MarkSlices(string text, string key, bool[] masked)
    {
        var min = Math.Min(MinPartialChars, key.Length);
        var previous = new int[key.Length + 1];
        var current = new int[key.Length + 1];
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var longest = 0;
            for (var j = 0; j < key.Length; j++)
            {
                var run = Same(text[i], key[j]) ? previous[j] + 1 : 0;
                current[j + 1] = run;
                longest = Math.Max(longest, run);
            }

            if (longest >= min)
            {
                masked.AsSpan(i - longest + 1, longest).Fill(true);
                any = true;
            }

            (previous, current) = (current, previous);
        }

        return any;
    }

    /// <summary>Marks a key prefix, filler, key suffix: <c>sk-abc...wxyz</c>.</summary>
    private static bool MarkAbbreviations(string text, string key, bool[] masked)
    {
        var any = false;
        for (var start = 0; start + MinAbbreviatedPrefix + MinFiller + MinAbbreviatedSuffix <= text.Length; start++)
        {
            if (start > 0 && IsWordChar(text[start - 1]))
            {
                continue;
            }

            var prefix = 0;
            while (prefix < key.Length && start + prefix < text.Length && Same(text[start + prefix], key[prefix]))
            {
                prefix++;
            }

            if (prefix < MinAbbreviatedPrefix)
            {
                continue;
            }

            // The filler may begin inside what matched as prefix (a key holding '.' or 'x'): try each split.
            for (var cut = prefix; cut >= MinAbbreviatedPrefix; cut--)
            {
                var fillerEnd = start + cut;
                while (fillerEnd < text.Length && IsFiller(text[fillerEnd]))
                {
                    fillerEnd++;
                }

                var filler = text.AsSpan(start + cut, fillerEnd - (start + cut));
                if (filler.Length < MinFiller && !filler.Contains('…'))
                {
                    continue;
                }

                var suffix = LongestKeySuffixAt(text, fillerEnd, key);
                if (suffix >= MinAbbreviatedSuffix)
                {
                    masked.AsSpan(start, fillerEnd + suffix - start).Fill(true);
                    any = true;
                    break;
                }
            }
        }

        return any;
    }

    /// <summary>The longest suffix of the key that the text holds at <paramref name="at"/>, ending a word.</summary>
    private static int LongestKeySuffixAt(string text, int at, string key)
    {
        var best = 0;
        for (var length = 1; length <= key.Length && at + length <= text.Length; length++)
        {
            var matches = true;
            for (var k = 0; k < length; k++)
            {
                if (!Same(text[at + k], key[key.Length - length + k]))
                {
                    matches = false;
                    break;
                }
            }

            if (matches && (at + length == text.Length || !IsWordChar(text[at + length])))
            {
                best = length;
            }
        }

        return best;
    }

    private static bool IsFiller(char c) => c is '*' or '.' or '…' or '•' or 'x' or 'X';

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '-' or '_';
}
