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
/// <para>One instance per encoding, loaded on first use (about a quarter of a second for <c>o200k_base</c>) and shared
/// by every thread: the tokenizer's own cache is lock-protected, and so is this counter's table of pre-token counts.
/// Counting allocates little: text is copied into a pooled buffer, never into a string (a pre-token's string is made
/// once, when its count is first kept).</para>
/// <para><b>Fast path.</b> ASCII text is split into pre-tokens by <see cref="AsciiPreTokens"/> rather than the
/// library's regular expression (about 80 % of the library's count) and special tokens are found here (see
/// <see cref="CountPiece"/>); counts are the library's, checked by <c>AsciiPreTokensTests</c>.</para>
/// <para><b>Linear time.</b> Byte-pair encoding merges within one pre-token (the encoding's regex splits text at
/// spaces and between letters, digits and punctuation), and the library's merge loop is quadratic in a pre-token's
/// length: 64 Ki characters of <c>aaaa…</c> took 12 s here, and a megabyte would take hours. Text is therefore counted
/// in pieces of at most <see cref="MaxPieceChars"/> (256) characters, cut just before a space that follows a
/// non-space (where the encoding starts a new pre-token anyway, so ordinary text counts exactly) or, in a run with no
/// such space, after 256 characters (never between a surrogate pair). The work per piece is bounded, so a text costs
/// time proportional to its length. A hard cut can only lose merges across it: at most a token or two per 256
/// characters, measured +0.1 % on random base64 and 0 on <c>aaaa…</c>.</para>
/// <para><b>Bounded input.</b> At most <see cref="MaxCountedChars"/> (128 Ki) characters are counted per side of a
/// request (the prompt; the received content, reasoning and tool-call arguments together). Beyond it the rest is
/// estimated at the counted part's tokens per character and the count says so
/// (<see cref="CompletionTokenCount.Estimated"/>, <see cref="Records.RequestRecord.TokenizerCountEstimated"/>).
/// 128 Ki characters is about 32 Ki tokens of English (a quarter of the longest outputs offered; on ordinary text the
/// estimate of the rest is off by well under 1 %), about 20 ms of counting on English and at most about half a second
/// on the most adversarial text measured (random base64, ~3 µs a character on a busy 2-core machine).</para>
/// </remarks>
public sealed class TokenCounter
{
    private static readonly Lazy<TokenCounter> s_o200kBase = new(() => Load(TokenEncodings.O200kBase), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<TokenCounter> s_cl100kBase = new(() => Load(TokenEncodings.Cl100kBase), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The longest piece handed to the tokenizer at once, in UTF-16 chars.</summary>
    public const int MaxPieceChars = 256;

    /// <summary>The most characters counted per side of a request; the rest is estimated.</summary>
    public const int MaxCountedChars = 128 * 1024;

    /// <summary>The most distinct pre-tokens whose counts are kept; past it, a pre-token not kept is counted each time
    /// it is seen.</summary>
    internal const int MaxKeptPreTokens = 100_000;

    /// <summary>The longest pre-token whose count is kept, in chars: with <see cref="MaxKeptPreTokens"/>, about 10 MB at
    /// most (words are far shorter; a longer run is counted each time).</summary>
    internal const int MaxKeptPreTokenChars = 32;

    private readonly Tokenizer _tokenizer;
    private readonly bool _cl100k;
    private readonly string[] _specialTokens;

    // Token counts of ASCII pre-tokens seen before, looked up by span (the counting thread, the simulator and batch
    // judging share a counter).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _preTokens = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _preTokensBySpan;
    private int _keptPreTokens;

    private TokenCounter(string encoding, TiktokenTokenizer tokenizer)
    {
        Encoding = encoding;
        _tokenizer = tokenizer;
        _cl100k = encoding == TokenEncodings.Cl100kBase;
        _specialTokens = [.. tokenizer.SpecialTokens?.Keys ?? []];
        _preTokensBySpan = _preTokens.GetAlternateLookup<ReadOnlySpan<char>>();
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

    /// <summary>Tokens in <paramref name="text"/>, special-token text (<c>&lt;|endoftext|&gt;</c>) counted as one, in
    /// pieces of at most <see cref="MaxPieceChars"/> (see the class remarks); the whole text is counted, however long.</summary>
    public int Count(ReadOnlySpan<char> text)
    {
        var work = new CountWork(int.MaxValue);
        return (int)Math.Min(int.MaxValue, Count(text, ref work));
    }

    /// <summary>Output tokens of a response: content, reasoning and every tool call's arguments, each counted on its own
    /// (they are separate streams of tokens), at most <see cref="MaxCountedChars"/> characters in all (the rest
    /// estimated).</summary>
    public CompletionTokenCount CountCompletion(StreamAccumulator response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var work = new CountWork(MaxCountedChars);
        var reasoning = Count(response.ReasoningBuilder, ref work);
        var completion = reasoning + Count(response.ContentBuilder, ref work);
        foreach (var call in response.ToolCalls)
        {
            completion += Count(call.ArgumentsBuilder, ref work);
        }

        return new CompletionTokenCount(Clamp(completion), Clamp(reasoning), work.Estimated);
    }

    /// <summary>Prompt tokens of a request, as the OpenAI cookbook counts them ("How to count tokens with tiktoken",
    /// <c>num_tokens_from_messages</c>, GPT-3.5-Turbo-0613 and later): 3 per message (<c>&lt;|start|&gt;{role}\n{content}&lt;|end|&gt;\n</c>)
    /// plus its role and content, plus 3 priming the reply (<c>&lt;|start|&gt;assistant&lt;|message|&gt;</c>).</summary>
    public int CountPrompt(IReadOnlyList<ChatMessage> messages) => CountPrompt(messages, out _);

    /// <summary>As <see cref="CountPrompt(IReadOnlyList{ChatMessage})"/>, at most <see cref="MaxCountedChars"/>
    /// characters counted (the rest estimated: <paramref name="estimated"/>).</summary>
    public int CountPrompt(IReadOnlyList<ChatMessage> messages, out bool estimated) => EncodePrompt(messages, null, out estimated);

    /// <summary>
    /// The prompt's tokens as <see cref="CountPrompt(IReadOnlyList{ChatMessage}, out bool)"/> counts them, each one
    /// appended to <paramref name="ids"/> in the order a chat template lays them out: per message
    /// <c>&lt;|start|&gt;</c>, the role's ids, <c>&lt;|message|&gt;</c>, the content's ids, <c>&lt;|end|&gt;</c>; then
    /// the three tokens priming the reply. The template's own tokens are written as the negative ids
    /// <see cref="StartMarker"/>, <see cref="MessageMarker"/>, <see cref="EndMarker"/> and <see cref="ReplyMarker"/>
    /// (they are not in the encoding's vocabulary). Returns the same count as <c>CountPrompt</c>; past
    /// <see cref="MaxCountedChars"/> characters the rest is estimated (<paramref name="estimated"/>) and has no ids, so
    /// <paramref name="ids"/> then holds fewer than the count. The simulator hashes these ids into its prefix cache.
    /// </summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="ids">Receives the ids, or <see langword="null"/> to count only.</param>
    /// <param name="estimated">Part of the text was estimated, not counted.</param>
    public int EncodePrompt(IReadOnlyList<ChatMessage> messages, List<int>? ids, out bool estimated)
    {
        ArgumentNullException.ThrowIfNull(messages);
        const int TokensPerMessage = 3;
        const int ReplyPriming = 3;
        var work = new CountWork(MaxCountedChars);
        long tokens = ReplyPriming;
        foreach (var message in messages)
        {
            ids?.Add(StartMarker);
            tokens += TokensPerMessage + Count(message.Role, message.Role.Length, ref work, ids);
            ids?.Add(MessageMarker);
            tokens += Count(message.Content, message.Content.Length, ref work, ids);
            ids?.Add(EndMarker);
        }

        ids?.AddRange([ReplyMarker, ReplyMarker - 1, ReplyMarker - 2]);
        estimated = work.Estimated;
        return Clamp(tokens);
    }

    /// <summary>The id <see cref="EncodePrompt"/> writes for a message's <c>&lt;|start|&gt;</c>.</summary>
    public const int StartMarker = -1;

    /// <summary>The id <see cref="EncodePrompt"/> writes for <c>&lt;|message|&gt;</c> after a message's role.</summary>
    public const int MessageMarker = -2;

    /// <summary>The id <see cref="EncodePrompt"/> writes for a message's <c>&lt;|end|&gt;</c>.</summary>
    public const int EndMarker = -3;

    /// <summary>The first of the three ids (−4, −5, −6) <see cref="EncodePrompt"/> writes for the reply priming.</summary>
    public const int ReplyMarker = -4;

    /// <summary>Tokens in <paramref name="text"/> within the budget of <paramref name="work"/> (see
    /// <see cref="Count(ReadOnlySpan{char}, int, ref CountWork)"/>).</summary>
    internal long Count(ReadOnlySpan<char> text, ref CountWork work) => Count(text, text.Length, ref work);

    /// <summary>Tokens in a text of <paramref name="length"/> chars whose start is <paramref name="prefix"/>: as much of
    /// it as the budget of <paramref name="work"/> allows is counted piece by piece; the rest is estimated at the tokens
    /// per character counted here (else the budget's earlier texts', else 4 characters a token) and
    /// <see cref="CountWork.Estimated"/> is set.</summary>
    internal long Count(ReadOnlySpan<char> prefix, int length, ref CountWork work) => Count(prefix, length, ref work, null);

    /// <summary>As <see cref="Count(ReadOnlySpan{char}, int, ref CountWork)"/>, appending the counted pieces' ids to
    /// <paramref name="ids"/> when given (the estimated rest has none).</summary>
    private long Count(ReadOnlySpan<char> prefix, int length, ref CountWork work, List<int>? ids)
    {
        if (length == 0)
        {
            return 0;
        }

        var counted = prefix[..(int)Math.Min(prefix.Length, work.RemainingChars)];
        if (counted.Length < length && counted.Length > 0 && char.IsHighSurrogate(counted[^1]))
        {
            counted = counted[..^1];
        }

        long tokens = 0;
        var rest = counted;
        while (!rest.IsEmpty)
        {
            var cut = PieceLength(rest);
            if (ids is null)
            {
                tokens += CountPiece(rest[..cut]);
            }
            else
            {
                var pieceIds = _tokenizer.EncodeToIds(rest[..cut]);
                ids.AddRange(pieceIds);
                tokens += pieceIds.Count;
            }

            work.Pieces++;
            work.LongestPiece = Math.Max(work.LongestPiece, cut);
            rest = rest[cut..];
        }

        work.CountedChars += counted.Length;
        work.CountedTokens += tokens;
        if (counted.Length == length)
        {
            return tokens;
        }

        work.Estimated = true;
        var perChar = counted.Length > 0 ? (double)tokens / counted.Length
            : work.CountedChars > 0 ? (double)work.CountedTokens / work.CountedChars
            : 0.25;
        return tokens + (long)Math.Ceiling(perChar * (length - counted.Length));
    }

    /// <summary>Tokens in one piece (at most <see cref="MaxPieceChars"/> chars), exactly as the tokenizer counts it:
    /// each special token (<c>&lt;|endoftext|&gt;</c>, …) is one token and the text between them is counted by
    /// <see cref="CountSegment"/>.</summary>
    /// <remarks>Special tokens are found here rather than by the tokenizer: Microsoft.ML.Tokenizers 2.0.1 stops
    /// recognising them once its word cache has seen about 8,192 other words (measured: <c>&lt;|endoftext|&gt; after a
    /// special token</c> counted 5, then 11 after the pre-tokens of 64 KiB of random base64), so a long run would count
    /// them differently from a short one.</remarks>
    internal int CountPiece(ReadOnlySpan<char> piece)
    {
        var tokens = 0;
        var from = 0;
        var search = 0;
        while (search < piece.Length)
        {
            var markup = piece[search..].IndexOf("<|", StringComparison.Ordinal);
            if (markup < 0)
            {
                break;
            }

            markup += search;
            var special = SpecialTokenAt(piece, markup);
            if (special == 0)
            {
                search = markup + 1;
                continue;
            }

            tokens += CountSegment(piece[from..markup]) + 1;
            from = search = markup + special;
        }

        return tokens + CountSegment(piece[from..]);
    }

    /// <summary>The length of the special token that starts at <paramref name="at"/>, or 0.</summary>
    private int SpecialTokenAt(ReadOnlySpan<char> text, int at)
    {
        foreach (var special in _specialTokens)
        {
            if (text[at..].StartsWith(special, StringComparison.Ordinal))
            {
                return special.Length;
            }
        }

        return 0;
    }

    /// <summary>Tokens in text without special tokens. ASCII stretches are split into pre-tokens by
    /// <see cref="AsciiPreTokens"/> and each pre-token's count is looked up (byte-pair encoded by the tokenizer, without
    /// its pre-tokenizer, the first time it is seen). From the first pre-token that reaches within 3 chars of a
    /// non-ASCII char, the text goes to the tokenizer up to the next restart: a space after an ASCII char that is not
    /// white space, where a pre-token starts whatever came before (letter, number and punctuation runs end at a space,
    /// and white-space runs cannot hold a char that is not white space). The split is the same as the tokenizer's: the
    /// pattern matches one pre-token after another, each decided by the text from its start on (reading at most 2 chars
    /// past its end), and no match reaches past a restart.</summary>
    private int CountSegment(ReadOnlySpan<char> segment)
    {
        var tokens = 0;
        var start = 0;
        while (start < segment.Length)
        {
            var rest = segment[start..];
            var ascii = rest.IndexOfAnyExceptInRange('\0', '\x7F');
            var scanned = ascii < 0 ? rest : rest[..ascii];
            var at = 0;
            while (at < rest.Length)
            {
                var end = at < scanned.Length ? AsciiPreTokens.End(scanned, at, _cl100k) : at;
                if (ascii >= 0 && end + 3 > ascii)
                {
                    break;
                }

                tokens += PreTokenCount(rest[at..end]);
                at = end;
            }

            start += at;
            if (at == rest.Length)
            {
                break;
            }

            // Non-ASCII ahead: the tokenizer counts up to the next restart (or the end).
            var restart = Restart(segment, start + Math.Max(ascii - at, 1));
            tokens += _tokenizer.CountTokens(segment[start..restart]);
            start = restart;
        }

        return tokens;
    }

    /// <summary>The first position at or after <paramref name="from"/> holding a space that follows an ASCII char other
    /// than white space, or the text's end.</summary>
    private static int Restart(ReadOnlySpan<char> text, int from)
    {
        for (var i = Math.Max(from, 1); i < text.Length; i++)
        {
            if (text[i] == ' ' && text[i - 1] < 0x80 && text[i - 1] is not (' ' or (>= '\t' and <= '\r')))
            {
                return i;
            }
        }

        return text.Length;
    }

    /// <summary>Tokens in one ASCII pre-token: kept, or byte-pair encoded by the tokenizer and kept.</summary>
    private int PreTokenCount(ReadOnlySpan<char> preToken)
    {
        if (!_preTokensBySpan.TryGetValue(preToken, out var count))
        {
            count = _tokenizer.CountTokens(preToken, considerPreTokenization: false);
            if (preToken.Length <= MaxKeptPreTokenChars && Volatile.Read(ref _keptPreTokens) < MaxKeptPreTokens
                && _preTokensBySpan.TryAdd(preToken, count))
            {
                Interlocked.Increment(ref _keptPreTokens);
            }
        }

        return count;
    }

    /// <summary>The length of the next piece of <paramref name="text"/>: all of it when short; else up to
    /// <see cref="MaxPieceChars"/>, ending just before the last space (after a non-space) in the second half of the
    /// window, or at the window's end (one char less when that would split a surrogate pair).</summary>
    internal static int PieceLength(ReadOnlySpan<char> text)
    {
        if (text.Length <= MaxPieceChars)
        {
            return text.Length;
        }

        for (var i = MaxPieceChars; i > MaxPieceChars / 2; i--)
        {
            if (text[i] == ' ' && !char.IsWhiteSpace(text[i - 1]))
            {
                return i;
            }
        }

        return char.IsHighSurrogate(text[MaxPieceChars - 1]) && char.IsLowSurrogate(text[MaxPieceChars]) ? MaxPieceChars - 1 : MaxPieceChars;
    }

    /// <summary>Tokens in a builder's text, copied through a pooled buffer.</summary>
    internal int Count(StringBuilder text)
    {
        var work = new CountWork(int.MaxValue);
        return Clamp(Count(text, ref work));
    }

    /// <summary>Tokens in a builder's text within a budget: only the part the budget counts is copied (through a
    /// pooled buffer, one char more so that a cut surrogate pair is seen).</summary>
    internal long Count(StringBuilder text, ref CountWork work)
    {
        var length = text.Length;
        if (length == 0)
        {
            return 0;
        }

        var copied = (int)Math.Min(length, work.RemainingChars + 1);
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(1, copied));
        try
        {
            text.CopyTo(0, buffer, copied);
            return Count(buffer.AsSpan(0, copied), length, ref work);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static int Clamp(long tokens) => (int)Math.Min(int.MaxValue, tokens);

    private static TokenCounter Load(string encoding) => new(encoding, TiktokenTokenizer.CreateForEncoding(encoding));
}

/// <summary>Output tokens of one response, counted locally.</summary>
/// <param name="CompletionTokens">Every output token: content, reasoning and tool-call arguments (as
/// <c>usage.completion_tokens</c>, which includes reasoning).</param>
/// <param name="ReasoningTokens">The reasoning part of <paramref name="CompletionTokens"/>.</param>
/// <param name="Estimated">More than <see cref="TokenCounter.MaxCountedChars"/> characters were received: the part
/// beyond them is estimated, not counted.</param>
public readonly record struct CompletionTokenCount(int CompletionTokens, int ReasoningTokens, bool Estimated = false);

/// <summary>The budget and the work of one count: characters still to count, and what was done (for the linear-time
/// proof in the tests: pieces handed to the tokenizer and the longest).</summary>
internal struct CountWork(long budgetChars)
{
    /// <summary>Characters counted so far.</summary>
    public long CountedChars;

    /// <summary>Tokens those characters held.</summary>
    public long CountedTokens;

    /// <summary>Calls into the tokenizer.</summary>
    public long Pieces;

    /// <summary>The longest piece handed to the tokenizer, chars.</summary>
    public int LongestPiece;

    /// <summary>Part of a text was estimated, not counted.</summary>
    public bool Estimated;

    /// <summary>Characters the budget still allows.</summary>
    public readonly long RemainingChars => Math.Max(0, budgetChars - CountedChars);
}
