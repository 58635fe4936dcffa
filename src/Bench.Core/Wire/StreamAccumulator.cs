using System.Text;
using System.Text.Json;
using Bench.Core.Records;

namespace Bench.Core.Wire;

/// <summary>
/// What one Chat Completions response said, folded together from its SSE events (or from one non-streaming JSON
/// body): the content and reasoning text, the tool calls, the finish reason, the <c>usage</c> counts, an error, and
/// when each part arrived. Filled by <see cref="ChatStreamReader"/> or <see cref="ChatCompletionReader"/>; one instance
/// per response. Not thread-safe.
/// </summary>
/// <remarks>
/// Times are raw <see cref="System.Diagnostics.Stopwatch"/> timestamps (convert with
/// <see cref="RunClock.ToMs"/>), taken when the bytes came off the stream, before parsing. An event's arrival is the
/// time of the read that delivered its terminating blank line. A token-bearing event is one with a non-empty
/// content, reasoning, tool-call name or tool-call arguments delta; reasoning counts for the first token but not for
/// the first output token. Hostile payloads never throw: they set <see cref="Malformed"/>.
/// </remarks>
public sealed class StreamAccumulator
{
    private const int StackallocCharLimit = 256;

    private readonly StringBuilder _content = new();
    private readonly StringBuilder _reasoning = new();
    private readonly List<ToolCall> _toolCalls = [];
    private readonly List<long> _tokenEventTimestamps = [];
    private TokenKinds _eventTokens;

    [Flags]
    private enum TokenKinds
    {
        Reasoning = 1,
        Output = 2,
    }

    /// <summary>The concatenated content text (<c>delta.content</c>, or the text parts of a content array).</summary>
    public string Content => _content.ToString();

    /// <summary>UTF-16 characters of <see cref="Content"/>.</summary>
    public int ContentChars => _content.Length;

    /// <summary>The concatenated reasoning text (<c>delta.reasoning_content</c>, <c>delta.reasoning</c>, or thinking
    /// parts of a content array).</summary>
    public string Reasoning => _reasoning.ToString();

    /// <summary>UTF-16 characters of <see cref="Reasoning"/>.</summary>
    public int ReasoningChars => _reasoning.Length;

    /// <summary>Tool calls in order of first appearance.</summary>
    public IReadOnlyList<ToolCall> ToolCalls => _toolCalls;

    /// <summary>The latest non-null <c>choices[0].finish_reason</c> (<c>stop</c>, <c>length</c>, <c>tool_calls</c>...).</summary>
    public string? FinishReason { get; internal set; }

    /// <summary>Whether a non-null <c>usage</c> object arrived; the counts below are from the latest one.</summary>
    public bool HasUsage { get; private set; }

    /// <summary><c>usage.prompt_tokens</c>.</summary>
    public int? PromptTokens { get; internal set; }

    /// <summary><c>usage.completion_tokens</c>.</summary>
    public int? CompletionTokens { get; internal set; }

    /// <summary><c>usage.total_tokens</c>.</summary>
    public int? TotalTokens { get; internal set; }

    /// <summary><c>usage.prompt_tokens_details.cached_tokens</c>.</summary>
    public int? CachedTokens { get; internal set; }

    /// <summary><c>usage.completion_tokens_details.reasoning_tokens</c>.</summary>
    public int? ReasoningTokens { get; internal set; }

    /// <summary>An error the server sent in the body: an <c>{"error":{...}}</c> payload or an <c>event: error</c>
    /// event (its raw text when it is not JSON), as sent.</summary>
    public ErrorInfo? Error { get; internal set; }

    /// <summary>Whether <c>data: [DONE]</c> arrived.</summary>
    public bool Done { get; private set; }

    /// <summary>Whether some payload was not a chat completion (chunk): not JSON, truncated, a field of the wrong
    /// type, or an SSE line over the parser's limit.</summary>
    public bool Malformed { get; internal set; }

    /// <summary>SSE events dispatched, every one counted: role prelude, usage chunk, error event and <c>[DONE]</c>.
    /// Zero for a non-streaming body.</summary>
    public int Events { get; private set; }

    /// <summary>When the first byte of the body arrived.</summary>
    public long? FirstByteTimestamp { get; internal set; }

    /// <summary>When the first token-bearing event arrived (streaming).</summary>
    public long? FirstTokenTimestamp { get; private set; }

    /// <summary>When the first event with content or tool-call output (not only reasoning) arrived (streaming).</summary>
    public long? FirstOutputTokenTimestamp { get; private set; }

    /// <summary>When the last token-bearing event arrived (streaming).</summary>
    public long? LastTokenTimestamp { get; private set; }

    /// <summary>Arrival of every token-bearing event, in order (streaming).</summary>
    public IReadOnlyList<long> TokenEventTimestamps => _tokenEventTimestamps;

    /// <summary>When the response ended: the arrival of <c>[DONE]</c>, else the end of the body;
    /// <see langword="null"/> while reading or after a failure.</summary>
    public long? EndTimestamp { get; internal set; }

    /// <summary>Whether a <c>choices</c> array was seen (a non-streaming body without one is not a completion).</summary>
    internal bool SawChoices { get; set; }

    /// <summary>Folds one SSE event in; returns <see langword="true"/> for <c>[DONE]</c>, the end of the stream.</summary>
    internal bool OnEvent(string eventType, ReadOnlySpan<byte> data, long arrivalTimestamp)
    {
        Events++;

        // OpenAI: "the stream is terminated by a data: [DONE] message".
        if (data.SequenceEqual("[DONE]"u8))
        {
            Done = true;
            EndTimestamp = arrivalTimestamp;
            return true;
        }

        if (string.Equals(eventType, "error", StringComparison.Ordinal))
        {
            Error = ChunkParser.TryReadError(data) ?? ChunkParser.RawError(data);
            return false;
        }

        _eventTokens = 0;
        ChunkParser.Parse(data, this);
        if (_eventTokens != 0)
        {
            _tokenEventTimestamps.Add(arrivalTimestamp);
            FirstTokenTimestamp ??= arrivalTimestamp;
            LastTokenTimestamp = arrivalTimestamp;
            if ((_eventTokens & TokenKinds.Output) != 0)
            {
                FirstOutputTokenTimestamp ??= arrivalTimestamp;
            }
        }

        return false;
    }

    /// <summary>Folds a whole non-streaming body in: it must be a JSON object with a <c>choices</c> array.</summary>
    internal void OnCompletion(ReadOnlySpan<byte> body)
    {
        ChunkParser.Parse(body, this);
        if (!SawChoices)
        {
            Malformed = true;
        }
    }

    internal void AppendContent(ref Utf8JsonReader reader)
    {
        if (AppendString(_content, ref reader))
        {
            _eventTokens |= TokenKinds.Output;
        }
    }

    internal void AppendReasoning(ref Utf8JsonReader reader)
    {
        if (AppendString(_reasoning, ref reader))
        {
            _eventTokens |= TokenKinds.Reasoning;
        }
    }

    internal void AppendToolArguments(ToolCall call, ref Utf8JsonReader reader)
    {
        if (AppendString(call.ArgumentsBuilder, ref reader))
        {
            _eventTokens |= TokenKinds.Output;
        }
    }

    internal void SetToolName(ToolCall call, ref Utf8JsonReader reader)
    {
        if (reader.ValueSpan.Length > 0)
        {
            call.Name = reader.GetString();
            _eventTokens |= TokenKinds.Output;
        }
    }

    internal ToolCall GetToolCall(int index)
    {
        foreach (var call in _toolCalls)
        {
            if (call.Index == index)
            {
                return call;
            }
        }

        var added = new ToolCall(index);
        _toolCalls.Add(added);
        return added;
    }

    /// <summary>Starts a new <c>usage</c> snapshot: every object is complete, so older counts are dropped.</summary>
    internal void BeginUsage()
    {
        HasUsage = true;
        PromptTokens = CompletionTokens = TotalTokens = CachedTokens = ReasoningTokens = null;
    }

    /// <summary>Appends the current JSON string token, unescaped, without allocating a string. Returns whether it was
    /// non-empty.</summary>
    private static bool AppendString(StringBuilder builder, ref Utf8JsonReader reader)
    {
        // A JSON string never unescapes to more UTF-16 chars than it has UTF-8 bytes.
        var maxChars = reader.ValueSpan.Length;
        if (maxChars == 0)
        {
            return false;
        }

        char[]? rented = null;
        var chars = maxChars <= StackallocCharLimit
            ? stackalloc char[StackallocCharLimit]
            : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(maxChars));
        try
        {
            var length = reader.CopyString(chars);
            builder.Append(chars[..length]);
            return length > 0;
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
