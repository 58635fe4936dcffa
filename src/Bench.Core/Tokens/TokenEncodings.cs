namespace Bench.Core.Tokens;

/// <summary>
/// The tiktoken encodings Bench can count with, and which one a model family uses.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>model (provider prefix such as <c>openai/</c> ignored)</term><description>encoding</description></listheader>
/// <item><term><c>gpt-4o*</c>, <c>chatgpt-4o*</c>, <c>gpt-4.1*</c>, <c>gpt-4.5*</c>, <c>gpt-5*</c>, <c>gpt-oss*</c>, <c>o1*</c>, <c>o3*</c>, <c>o4*</c></term><description><see cref="O200kBase"/></description></item>
/// <item><term><c>gpt-4*</c> (the rest), <c>gpt-3.5*</c>, <c>gpt-35*</c>, <c>text-embedding-3*</c>, <c>text-embedding-ada-002</c></term><description><see cref="Cl100kBase"/></description></item>
/// <item><term>anything else (DeepSeek, Llama, Qwen, Claude...)</term><description><see cref="O200kBase"/>: not their tokenizer, an
/// approximation; server usage always wins</description></item>
/// </list>
/// The mapping follows tiktoken's <c>model.py</c> (<c>MODEL_PREFIX_TO_ENCODING</c>).
/// </remarks>
public static class TokenEncodings
{
    /// <summary><c>o200k_base</c>: GPT-4o, GPT-4.1, GPT-5 and the o-series.</summary>
    public const string O200kBase = "o200k_base";

    /// <summary><c>cl100k_base</c>: GPT-4 and GPT-3.5 Turbo.</summary>
    public const string Cl100kBase = "cl100k_base";

    /// <summary>The <c>tokenizer</c> value that turns local counting off.</summary>
    public const string None = "none";

    /// <summary>Every encoding that can be named, in order.</summary>
    public static IReadOnlyList<string> All { get; } = [O200kBase, Cl100kBase];

    private static readonly string[] s_o200kPrefixes = ["gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "gpt-oss", "o1", "o3", "o4"];

    private static readonly string[] s_cl100kPrefixes = ["gpt-4", "gpt-3.5", "gpt-35", "text-embedding-3", "text-embedding-ada-002"];

    /// <summary>Whether <paramref name="encoding"/> is one of <see cref="All"/> (exact, lower case).</summary>
    public static bool IsKnown(string? encoding) => encoding is O200kBase or Cl100kBase;

    /// <summary>The encoding for <paramref name="model"/> (see the table); <see cref="O200kBase"/> when unknown.</summary>
    /// <param name="model">A model id as sent or as the stream names it, e.g. <c>gpt-4o-mini</c>,
    /// <c>openai/gpt-4-turbo</c>, <c>gpt-4o-2024-08-06</c>.</param>
    public static string ForModel(string? model)
    {
        if (string.IsNullOrEmpty(model))
        {
            return O200kBase;
        }

        var name = model.AsSpan(model.LastIndexOf('/') + 1).Trim();
        foreach (var prefix in s_o200kPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && EndsFamily(name, prefix.Length))
            {
                return O200kBase;
            }
        }

        foreach (var prefix in s_cl100kPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return Cl100kBase;
            }
        }

        return O200kBase;
    }

    /// <summary>The o-series prefixes must end the family name (<c>o1</c>, <c>o3-mini</c>), not start a word
    /// (<c>o1x</c> is not o1); the gpt ones carry their own punctuation.</summary>
    private static bool EndsFamily(ReadOnlySpan<char> name, int prefixLength) =>
        (name[0] != 'o' && name[0] != 'O') || name.Length == prefixLength || !char.IsAsciiLetterOrDigit(name[prefixLength]);
}
