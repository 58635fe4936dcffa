namespace Bench.Core.Text;

/// <summary>
/// The synthetic language of the classic prompt (<c>prompt_tokens</c> words) and the simulator's generated answers:
/// words from a fixed vocabulary, written with a leading space, one word standing for one token. The simulator bills a
/// prompt with the model family's tokenizer (<see cref="Tokens.TokenCounter.EncodePrompt"/>), as Bench counts it
/// locally, so a classic prompt of N words bills about N tokens plus the chat template; prompts of an exact token
/// count are built by <see cref="Prompts.SyntheticPrompts"/>.
/// </summary>
public static class SyntheticText
{
    /// <summary>The vocabulary: short, distinct English words (no whitespace inside a word).</summary>
    public static readonly IReadOnlyList<string> Vocabulary =
    [
        "the", "model", "answer", "stream", "token", "latency", "request", "server", "client", "batch",
        "price", "budget", "team", "choose", "measure", "event", "chunk", "delta", "usage", "cost",
        "fast", "slow", "first", "last", "time", "rate", "load", "queue", "report", "result",
        "open", "closed", "relay", "gateway", "provider", "summary", "window", "context", "prompt", "output",
    ];

    /// <summary>
    /// Builds a prompt of exactly <paramref name="tokens"/> words, deterministic for a given <paramref name="seed"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tokens"/> is negative.</exception>
    public static string Prompt(int tokens, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        var random = new Random(seed);
        var builder = new System.Text.StringBuilder(tokens * 7);
        for (var i = 0; i < tokens; i++)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }

            builder.Append(Vocabulary[random.Next(Vocabulary.Count)]);
        }

        return builder.ToString();
    }

    /// <summary>The text of token number <paramref name="index"/> of a generated answer: a word with a leading space
    /// (none for the first), drawn from <paramref name="random"/>.</summary>
    public static string Token(Random random, int index)
    {
        var word = Vocabulary[random.Next(Vocabulary.Count)];
        return index == 0 ? word : " " + word;
    }

    /// <summary>Whitespace-separated words: the tokens of synthetic text by this language's rule (one word, one
    /// token).</summary>
    public static int CountTokens(ReadOnlySpan<char> text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var isSpace = char.IsWhiteSpace(c);
            if (!isSpace && !inWord)
            {
                count++;
            }

            inWord = !isSpace;
        }

        return count;
    }
}
