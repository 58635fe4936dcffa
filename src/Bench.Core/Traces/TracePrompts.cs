using System.Text;
using Bench.Core.Client;
using Bench.Core.Prompts;
using Bench.Core.Tokens;
using Bench.Core.Text;

namespace Bench.Core.Traces;

/// <summary>
/// What a trace line sends (<see cref="PromptDraw"/>), deterministic from the scenario's seed and the line:
/// <list type="bullet">
/// <item>With <c>hash_ids</c> (Mooncake): <c>input_length</c> tokens built block by block, one block of
/// <see cref="TraceLine.BlockTokens"/> tokens per hash id — the same id always gives the same text, the last block cut
/// to what is left — so lines that share leading hash ids share an exact prefix, and a prefix cache can hit as it did
/// in production.</item>
/// <item>With <c>input_length</c> alone: a prompt of exactly that many tokens, its own per line.</item>
/// <item>With <c>prompt</c> or <c>messages</c>: sent as written; the intended prompt tokens are their contents' tokens
/// in the model family's tokenizer (<see cref="TokenCounter.ForModel"/>).</item>
/// </list>
/// <c>output_length</c> is <c>max_tokens</c> and the intended completion; the line's index is the source index.
/// </summary>
/// <remarks>Built text is words of <see cref="Words"/>, each one token in both tokenizer families (o200k_base and
/// cl100k_base: a test checks every word alone and after a space), joined by single spaces, so N words are exactly N
/// tokens of the model's tokenizer — and of the simulator's word count.</remarks>
public static class TracePrompts
{
    /// <summary>The words built text is made of: <see cref="SyntheticText.Vocabulary"/> without <c>latency</c>, which is
    /// one token after a space but two at the start of a text in both families (every other word is one token either
    /// way).</summary>
    public static IReadOnlyList<string> Words { get; } = [.. SyntheticText.Vocabulary.Where(w => w != "latency")];

    /// <summary>The draw for <paramref name="line"/> sent to <paramref name="model"/>, under <paramref name="seed"/>.</summary>
    public static PromptDraw Draw(TraceLine line, string model, int seed)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Messages is { } messages)
        {
            var counter = TokenCounter.ForModel(model);
            var tokens = messages.Sum(m => counter.Count(m.Content));
            return new PromptDraw(messages, line.OutputLength, tokens, line.OutputLength, SourceIndex: line.Index);
        }

        if (line.Prompt is { } prompt)
        {
            return new PromptDraw([new ChatMessage("user", prompt)], line.OutputLength, TokenCounter.ForModel(model).Count(prompt),
                line.OutputLength, SourceIndex: line.Index);
        }

        var length = line.InputLength!.Value;
        return new PromptDraw([new ChatMessage("user", Text(line, length, seed))], line.OutputLength, length, line.OutputLength,
            SourceIndex: line.Index);
    }

    /// <summary>The text of <paramref name="length"/> tokens for a length line: its hash ids' blocks in order (the last
    /// cut short), then, when they fall short of the length, the line's own words.</summary>
    public static string Text(TraceLine line, int length, int seed)
    {
        ArgumentNullException.ThrowIfNull(line);
        var builder = new StringBuilder(length * 7);
        var left = length;
        foreach (var id in line.HashIds ?? [])
        {
            if (left == 0)
            {
                break;
            }

            var take = Math.Min(left, TraceLine.BlockTokens);
            AppendWords(builder, new Random(Mix(seed, 1, id)), take);
            left -= take;
        }

        AppendWords(builder, new Random(Mix(seed, 2, line.Index)), left);
        return builder.ToString();
    }

    /// <summary>The words of hash id <paramref name="hashId"/>'s block (all <see cref="TraceLine.BlockTokens"/>).</summary>
    public static string Block(long hashId, int seed)
    {
        var builder = new StringBuilder(TraceLine.BlockTokens * 7);
        AppendWords(builder, new Random(Mix(seed, 1, hashId)), TraceLine.BlockTokens);
        return builder.ToString();
    }

    private static void AppendWords(StringBuilder builder, Random random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(Words[random.Next(Words.Count)]);
        }
    }

    /// <summary>A 32-bit seed from the scenario's seed, a domain (1: hash-id blocks, 2: a line's own words) and a
    /// number, by SplitMix64's finaliser (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
    /// OOPSLA 2014): stable across processes and platforms, unlike <see cref="HashCode"/>.</summary>
    private static int Mix(int seed, int domain, long value)
    {
        unchecked
        {
            var z = ((ulong)(uint)seed << 32) ^ ((ulong)domain << 60) ^ (ulong)value;
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)z;
        }
    }
}
