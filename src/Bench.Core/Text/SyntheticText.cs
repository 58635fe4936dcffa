namespace Bench.Core.Text;

/// <summary>
/// The synthetic language the simulator and Bench's prompt builder share: one token is one word from a fixed
/// vocabulary, written with a leading space. A prompt of N tokens is N words, and the simulator counts prompt tokens
/// as whitespace-separated words over all message contents, so usage counts are exact and reproducible offline.
/// Real endpoints count with their own tokenizers; this rule only matters against the simulator.
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

    /// <summary>Counts tokens the way the simulator bills a prompt: whitespace-separated words.</summary>
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
