using System.Buffers;
using System.Text;
using Bench.Core.Client;
using Bench.Core.Wire;
using Microsoft.ML.Tokenizers;

namespace Bench.Core.Tokens;

/// <summary>
/// Counts tokens locally with a tiktoken encoding (Microsoft.ML.Tokenizers; the vocabularies ship in its
/// <c>Data.O200kBase</c>/<c>Data.Cl100kBase</c> packages, nothing is downloaded). Server <c>usage</c> is the source of
/// truth; this fills in when a response has none, and runs beside it so that the two can be compared.
/// </summary>
/// <remarks>
/// One instance per encoding, loaded on first use (about a quarter of a second for <c>o200k_base</c>) and shared by
/// every thread: the tokenizer's own cache is lock-protected. Counting allocates little: text is copied into a pooled
/// buffer, never into a string.
/// </remarks>
public sealed class TokenCounter
{
    private static readonly Lazy<TokenCounter> s_o200kBase = new(() => Load(TokenEncodings.O200kBase), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<TokenCounter> s_cl100kBase = new(() => Load(TokenEncodings.Cl100kBase), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Tokenizer _tokenizer;

    private TokenCounter(string encoding, Tokenizer tokenizer)
    {
        Encoding = encoding;
        _tokenizer = tokenizer;
    }

    /// <summary>The encoding's name: <see cref="TokenEncodings.O200kBase"/> or <see cref="TokenEncodings.Cl100kBase"/>.</summary>
    public string Encoding { get; }

    /// <summary>The shared counter of <paramref name="encoding"/>, loaded on first use.</summary>
    /// <exception cref="ArgumentException"><paramref name="encoding"/> is not one of <see cref="TokenEncodings.All"/>.</exception>
    public static TokenCounter ForEncoding(string encoding) => encoding switch
    {
        TokenEncodings.O200kBase => s_o200kBase.Value,
        TokenEncodings.Cl100kBase => s_cl100kBase.Value,
        _ => throw new ArgumentException(
            $"Unknown tokenizer encoding '{encoding}'; expected one of: {string.Join(", ", TokenEncodings.All)}.", nameof(encoding)),
    };

    /// <summary>The shared counter for <paramref name="model"/>'s family (<see cref="TokenEncodings.ForModel"/>).</summary>
    public static TokenCounter ForModel(string? model) => ForEncoding(TokenEncodings.ForModel(model));

    /// <summary>Tokens in <paramref name="text"/>, special-token text (<c>&lt;|endoftext|&gt;</c>) counted as one.</summary>
    public int Count(ReadOnlySpan<char> text) => text.IsEmpty ? 0 : _tokenizer.CountTokens(text);

    /// <summary>Output tokens of a response: content, reasoning and every tool call's arguments, each counted on its own
    /// (they are separate streams of tokens).</summary>
    public CompletionTokenCount CountCompletion(StreamAccumulator response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var reasoning = Count(response.ReasoningBuilder);
        var completion = reasoning + Count(response.ContentBuilder);
        foreach (var call in response.ToolCalls)
        {
            completion += Count(call.ArgumentsBuilder);
        }

        return new CompletionTokenCount(completion, reasoning);
    }

    /// <summary>Prompt tokens of a request, as the OpenAI cookbook counts them ("How to count tokens with tiktoken",
    /// <c>num_tokens_from_messages</c>, GPT-3.5-Turbo-0613 and later): 3 per message (<c>&lt;|start|&gt;{role}\n{content}&lt;|end|&gt;\n</c>)
    /// plus its role and content, plus 3 priming the reply (<c>&lt;|start|&gt;assistant&lt;|message|&gt;</c>).</summary>
    public int CountPrompt(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        const int TokensPerMessage = 3;
        const int ReplyPriming = 3;
        var tokens = ReplyPriming;
        foreach (var message in messages)
        {
            tokens += TokensPerMessage + Count(message.Role) + Count(message.Content);
        }

        return tokens;
    }

    /// <summary>Tokens in a builder's text, copied through a pooled buffer.</summary>
    internal int Count(StringBuilder text)
    {
        var length = text.Length;
        if (length == 0)
        {
            return 0;
        }

        var buffer = ArrayPool<char>.Shared.Rent(length);
        try
        {
            text.CopyTo(0, buffer, length);
            return _tokenizer.CountTokens(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static TokenCounter Load(string encoding) => new(encoding, TiktokenTokenizer.CreateForEncoding(encoding));
}

/// <summary>Output tokens of one response, counted locally.</summary>
/// <param name="CompletionTokens">Every output token: content, reasoning and tool-call arguments (as
/// <c>usage.completion_tokens</c>, which includes reasoning).</param>
/// <param name="ReasoningTokens">The reasoning part of <paramref name="CompletionTokens"/>.</param>
public readonly record struct CompletionTokenCount(int CompletionTokens, int ReasoningTokens);
