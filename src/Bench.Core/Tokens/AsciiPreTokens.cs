namespace Bench.Core.Tokens;

/// <summary>
/// The pre-tokens (the pieces byte-pair encoding works within) of ASCII text, as the regular expressions of
/// <c>o200k_base</c> and <c>cl100k_base</c> split it, without the regular expression: on the answers and prompts Bench
/// counts, the library's regex was about 80 % of a count (9 of 12 µs for 100 tokens, measured with
/// <c>RegexPreTokenizer.PreTokenize</c> alone).
/// </summary>
/// <remarks>
/// <para>The patterns (read from the library's <c>RegexPreTokenizer</c>):</para>
/// <para><c>o200k_base</c>: <c>[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
/// | [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)? | \p{N}{1,3}
/// | ?[^\s\p{L}\p{N}]+[\r\n/]* | \s*[\r\n]+ | \s+(?!\S) | \s+</c></para>
/// <para><c>cl100k_base</c> (as Microsoft.ML.Tokenizers 2.0 writes it, with atomic groups and a rule for white space at
/// the end): <c>'(?i:[sdmt]|ll|ve|re) | (?>[^\r\n\p{L}\p{N}]?)(?>\p{L}+) | (?>\p{N}{1,3}) | ?(?>[^\s\p{L}\p{N}]+)(?>[\r\n]*)
/// | (?>\s+)$ | \s*[\r\n] | \s+(?!\S) | \s</c></para>
/// <para>On ASCII, a letter is <c>A-Z a-z</c> (upper and lower), a number <c>0-9</c>, white space
/// <c>\t \n \v \f \r</c> and space; everything else is "other". Each alternative then reduces to a scan: the first two
/// of <c>o200k_base</c> together match an optional other-or-blank character (not CR or LF) before a letter, then the
/// upper-case run, then the lower-case run (at least one letter in all), then an optional contraction; white space
/// runs end after their last CR or LF, else one short of a following non-space, else at the text's end
/// (<c>cl100k_base</c>: a run that reaches the end is whole, before the CR/LF rule). The scans are checked against the
/// library's own pre-tokenizer on 20,000 random texts per encoding (<c>AsciiPreTokensTests</c>).</para>
/// </remarks>
internal static class AsciiPreTokens
{
    /// <summary>The end (exclusive) of the pre-token that starts at <paramref name="start"/> of ASCII
    /// <paramref name="text"/>.</summary>
    /// <param name="text">ASCII text (every char below 0x80).</param>
    /// <param name="start">Where the pre-token starts: 0, or the end of the previous one.</param>
    /// <param name="cl100k"><c>cl100k_base</c>'s pattern; else <c>o200k_base</c>'s.</param>
    public static int End(ReadOnlySpan<char> text, int start, bool cl100k)
    {
        var c = text[start];
        if (cl100k && c == '\'' && Contraction(text, start) is > 0 and var contraction)
        {
            // (?i:'s|'t|'re|'ve|'m|'ll|'d) comes first in cl100k_base.
            return start + contraction;
        }

        // [^\r\n\p{L}\p{N}]? then letters.
        var letters = IsLetter(c) ? start
            : !IsNumber(c) && c is not '\r' and not '\n' && start + 1 < text.Length && IsLetter(text[start + 1]) ? start + 1
            : -1;
        if (letters >= 0)
        {
            var end = letters;
            if (cl100k)
            {
                while (end < text.Length && IsLetter(text[end]))
                {
                    end++;
                }

                return end;
            }

            while (end < text.Length && text[end] is >= 'A' and <= 'Z')
            {
                end++;
            }

            while (end < text.Length && text[end] is >= 'a' and <= 'z')
            {
                end++;
            }

            return end + Contraction(text, end);
        }

        if (IsNumber(c))
        {
            // \p{N}{1,3}
            var end = start + 1;
            while (end < text.Length && end < start + 3 && IsNumber(text[end]))
            {
                end++;
            }

            return end;
        }

        // " ?[^\s\p{L}\p{N}]+[\r\n/]*" (cl100k_base: [\r\n]*).
        var other = c == ' ' && start + 1 < text.Length && IsOther(text[start + 1]) ? start + 1 : IsOther(c) ? start : -1;
        if (other >= 0)
        {
            var end = other;
            while (end < text.Length && IsOther(text[end]))
            {
                end++;
            }

            while (end < text.Length && (text[end] is '\r' or '\n' || (!cl100k && text[end] == '/')))
            {
                end++;
            }

            return end;
        }

        // White space from here: the run, and its last CR or LF.
        var run = start;
        var lastNewline = -1;
        while (run < text.Length && IsSpace(text[run]))
        {
            if (text[run] is '\r' or '\n')
            {
                lastNewline = run;
            }

            run++;
        }

        if (cl100k && run == text.Length)
        {
            // (?>\s+)$ comes before the line-end alternative in cl100k_base's pattern.
            return run;
        }

        if (lastNewline >= 0)
        {
            // \s*[\r\n]+: the greedy \s* gives back up to the last CR or LF, which [\r\n]+ takes.
            return lastNewline + 1;
        }

        // \s+(?!\S): all of it at the text's end, else one short of the non-space after it; \s+ when that leaves none.
        return run == text.Length || run - start == 1 ? run : run - 1;
    }

    /// <summary>The length of the contraction (<c>'s 't 're 've 'm 'll 'd</c>, any case) at <paramref name="at"/>, or 0.</summary>
    private static int Contraction(ReadOnlySpan<char> text, int at)
    {
        if (at + 1 >= text.Length || text[at] != '\'')
        {
            return 0;
        }

        var first = (char)(text[at + 1] | 0x20);
        if (first is 's' or 't' or 'm' or 'd')
        {
            return 2;
        }

        if (at + 2 >= text.Length)
        {
            return 0;
        }

        var second = (char)(text[at + 2] | 0x20);
        return (first, second) is ('r', 'e') or ('v', 'e') or ('l', 'l') ? 3 : 0;
    }

    private static bool IsLetter(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';

    private static bool IsNumber(char c) => (uint)(c - '0') <= 9;

    private static bool IsSpace(char c) => c is ' ' or (>= '\t' and <= '\r');

    private static bool IsOther(char c) => !IsLetter(c) && !IsNumber(c) && !IsSpace(c);
}
