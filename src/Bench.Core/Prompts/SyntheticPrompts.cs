using System.Globalization;
using System.Text;
using Bench.Core.Text;
using Bench.Core.Tokens;

namespace Bench.Core.Prompts;

/// <summary>
/// Builds synthetic texts to an exact token count in the model family's tokenizer (<see cref="TokenCounter"/>):
/// a counted lead (<c>request 17</c>, which keeps every prompt unique, or <c>prefix 3</c>) followed by words of
/// <see cref="SyntheticText.Vocabulary"/>, each with its leading space. Every such word is one token in both o200k_base
/// and cl100k_base (a test pins it; "latency" without its space is two, so a text never starts with a word), and the
/// encodings' pre-tokeniser splits before each space-led word, so lead + N words is exactly lead's tokens + N.
/// </summary>
public static class SyntheticPrompts
{
    /// <summary>Texts longer than this many characters are trusted to their construction rather than recounted
    /// (recounting is linear, about 20 ms per 128 Ki characters here).</summary>
    private const int RecountChars = 1 << 20;

    /// <summary>A text of exactly <paramref name="tokens"/> tokens in <paramref name="counter"/>'s encoding, or the
    /// lead alone when it is longer; its words drawn from (<paramref name="seed"/>, <paramref name="id"/>,
    /// <paramref name="stream"/>).</summary>
    /// <param name="lead">The text's start, counted (e.g. <c>request 17</c>); must not end with a space.</param>
    /// <param name="tokens">The length wanted, in tokens.</param>
    /// <param name="counter">The family's tokenizer.</param>
    /// <param name="seed">The scenario's seed.</param>
    /// <param name="id">The request id (or prefix group).</param>
    /// <param name="stream">A <see cref="SeededDraw"/> stream.</param>
    public static string Build(string lead, int tokens, TokenCounter counter, long seed, long id, int stream) =>
        Build(lead, tokens, counter, seed, id, stream, out _);

    /// <summary>As <see cref="Build(string, int, TokenCounter, long, long, int)"/>; <paramref name="built"/> is the
    /// text's token count (the larger of <paramref name="tokens"/> and the lead's).</summary>
    public static string Build(string lead, int tokens, TokenCounter counter, long seed, long id, int stream, out int built)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(counter);
        var leadTokens = counter.Count(lead);
        var words = Math.Max(0, tokens - leadTokens);
        var builder = new StringBuilder(lead, lead.Length + (words * 8));
        var vocabulary = SyntheticText.Vocabulary;
        for (var i = 0; i < words; i++)
        {
            builder.Append(' ').Append(vocabulary[(int)SeededDraw.Below(vocabulary.Count, seed, id, stream, i)]);
        }

        var text = builder.ToString();
        built = leadTokens + words;
        if (text.Length <= RecountChars && words > 0 && counter.Count(text) != leadTokens + words)
        {
            throw new InvalidOperationException(
                $"Synthetic text of {leadTokens + words} tokens counted {counter.Count(text)} in {counter.Encoding}: the vocabulary is no longer one token a word.");
        }

        return text;
    }

    /// <summary>The user prompt of request <paramref name="id"/>: <c>request {id}</c> then words, exactly
    /// <paramref name="tokens"/> tokens (at least the lead's).</summary>
    public static string Prompt(int tokens, TokenCounter counter, long seed, long id) => Prompt(tokens, counter, seed, id, out _);

    /// <summary>As <see cref="Prompt(int, TokenCounter, long, long)"/>; <paramref name="built"/> is its token count.</summary>
    public static string Prompt(int tokens, TokenCounter counter, long seed, long id, out int built) =>
        Build(string.Create(CultureInfo.InvariantCulture, $"request {id}"), tokens, counter, seed, id, SeededDraw.WordStream, out built);

    /// <summary>Shared-prefix group <paramref name="group"/>'s system text: <c>prefix {group}</c> then words from
    /// (seed, group), exactly <paramref name="tokens"/> tokens, the same for every request of the group.</summary>
    public static string Prefix(int tokens, TokenCounter counter, long seed, int group) =>
        Build(string.Create(CultureInfo.InvariantCulture, $"prefix {group}"), tokens, counter, seed, group, SeededDraw.PrefixStream);
}
