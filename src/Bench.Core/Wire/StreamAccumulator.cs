using System.Globalization;
using System.Text;
using System.Text.Json;
using Bench.Core.Records;

namespace Bench.Core.Wire;

/// <summary>
/// What one response said, folded together from its SSE events (or from one non-streaming JSON body), read with the
/// rules of its <see cref="Protocol"/> — Chat Completions (<see cref="ChunkParser"/>), the Responses API
/// (<see cref="ResponsesEventParser"/>), Anthropic Messages (<see cref="AnthropicEventParser"/>) or Gemini
/// (<see cref="GeminiChunkParser"/>), each mapped to the same fields: the content and reasoning text, the tool calls, the finish reason, the <c>usage</c> counts, an error, and
/// when each part arrived. Filled by <see cref="ChatStreamReader"/> or <see cref="ChatCompletionReader"/>; one instance
/// per response. Not thread-safe.
/// </summary>
/// <remarks>
/// <para>Times are raw <see cref="System.Diagnostics.Stopwatch"/> timestamps (convert with
/// <see cref="RunClock.ToMs"/>), taken when the bytes came off the stream, before parsing. An event's arrival is the
/// time of the read that delivered its terminating blank line. A token-bearing event is one with a non-empty
/// content, reasoning, tool-call name or tool-call arguments delta; reasoning counts for the first token but not for
/// the first output token. Hostile payloads never throw: they set <see cref="Malformed"/> and
/// <see cref="MalformedReason"/>.</para>
/// <para>Memory is bounded whatever the server sends: an SSE event is cut at 8 MiB and a non-streaming body at 16 MiB
/// unless told otherwise (<see cref="ResponseCaps"/>, <see cref="ChatStreamReader"/>), the kept text (content, reasoning and tool-call arguments together) at
/// <see cref="MaxTextChars"/>, and the tool calls at <see cref="MaxToolCalls"/>; going over a cap marks the response
/// malformed and drops the excess.</para>
/// </remarks>
public sealed class StreamAccumulator
{
    /// <summary>The most text kept, in UTF-16 chars, over content, reasoning, tool-call arguments and tool names (a name
    /// counted by its UTF-8 bytes): 16 Mi (32 MB). The longest outputs models offer (128 Ki tokens) are under 1 Mi
    /// chars.</summary>
    public const int MaxTextChars = 16 * 1024 * 1024;

    /// <summary>The most distinct tool calls (<c>tool_calls[].index</c> values) kept: 1024.</summary>
    public const int MaxToolCalls = 1024;

    private const int StackallocCharLimit = 256;

    private readonly StringBuilder _content = new();
    private readonly StringBuilder _reasoning = new();
    private readonly List<ToolCall> _toolCalls = [];
    private readonly TokenTimestamps _tokenEventTimestamps = new();
    private TokenKinds _eventTokens;
    private ulong _head0;
    private ulong _head1;
    private int _headLength;
    private StreamVariants _variants;
    private long _textChars;
    private bool _sawChoiceEvent;
    private bool _geminiEnded;
    private int? _anthropicInput;
    private int? _anthropicCacheRead;
    private int? _anthropicCacheWrite;
    private int? _anthropicOutput;

    // The Chat Completions chunk template (see TryTemplateChunk): the last chunk learned from, and where its content
    // string's value sat in it.
    private byte[]? _template;
    private int _templateLength;
    private int _templateValueStart;
    private int _templateValueEnd;

    // The content or reasoning values appended by the payload being parsed: how many, and where (and which) the single
    // unescaped one sat.
    private int _appends;
    private TokenKinds _appendKind;
    private int _appendValueStart;
    private int _appendValueLength;
    private TokenKinds _templateKind;
    private int _templateMisses;

    /// <summary>An accumulator for a response of <paramref name="protocol"/> (Chat Completions by default): the readers
    /// parse each event or body with that protocol's rules.</summary>
    public StreamAccumulator(WireProtocol protocol = WireProtocol.OpenAiChat) => Protocol = protocol;

    /// <summary>The protocol the response is read as.</summary>
    public WireProtocol Protocol { get; }

    [Flags]
    private enum TokenKinds
    {
        Reasoning = 1,
        Output = 2,
    }

    /// <summary>What the payload being parsed held, for the placement variants.</summary>
    [Flags]
    internal enum ChunkParts
    {
        None = 0,
        Choice = 1,
        Delta = 2,
        FinishReason = 4,
        Usage = 8,
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

    /// <summary>The latest finish reason, as the protocol sent it: Chat <c>choices[0].finish_reason</c> (<c>stop</c>,
    /// <c>length</c>, <c>tool_calls</c>...); Responses <c>response.status</c> (<c>completed</c>, <c>failed</c>) or, when
    /// <c>incomplete</c>, <c>incomplete_details.reason</c> (<c>max_output_tokens</c>, <c>content_filter</c>); Anthropic
    /// <c>stop_reason</c> (<c>end_turn</c>, <c>max_tokens</c>, <c>tool_use</c>...); Gemini
    /// <c>candidates[0].finishReason</c> (<c>STOP</c>, <c>MAX_TOKENS</c>, <c>SAFETY</c>...).</summary>
    public string? FinishReason { get; internal set; }

    /// <summary>Whether a non-null <c>usage</c> object arrived (or, failing that, a vendor's usage object, see
    /// <see cref="UsageVendorKey"/>); the counts below are from the latest one.</summary>
    public bool HasUsage { get; private set; }

    /// <summary>The extension object the usage came from when the stream had no standard <c>usage</c>: <c>x_groq</c>
    /// for Groq's <c>{"x_groq":{"usage":{…}}}</c>; <see langword="null"/> for standard usage or none.</summary>
    public string? UsageVendorKey { get; private set; }

    /// <summary>Every prompt token: Chat <c>usage.prompt_tokens</c>; Responses <c>usage.input_tokens</c>; Anthropic
    /// <c>input_tokens</c> + <c>cache_read_input_tokens</c> + <c>cache_creation_input_tokens</c>; Gemini
    /// <c>usageMetadata.promptTokenCount</c>.</summary>
    public int? PromptTokens { get; internal set; }

    /// <summary>Every generated token, reasoning included: Chat <c>usage.completion_tokens</c>; Responses
    /// <c>usage.output_tokens</c>; Anthropic <c>usage.output_tokens</c>; Gemini <c>candidatesTokenCount</c> +
    /// <c>thoughtsTokenCount</c>.</summary>
    public int? CompletionTokens { get; internal set; }

    /// <summary><c>usage.total_tokens</c> (Responses the same; Gemini <c>totalTokenCount</c>; Anthropic, which sends
    /// none, prompt + completion).</summary>
    public int? TotalTokens { get; internal set; }

    /// <summary>Prompt tokens read from the provider's cache: Chat <c>usage.prompt_tokens_details.cached_tokens</c>;
    /// Responses <c>usage.input_tokens_details.cached_tokens</c>; Anthropic <c>cache_read_input_tokens</c>; Gemini
    /// <c>cachedContentTokenCount</c>.</summary>
    public int? CachedTokens { get; internal set; }

    /// <summary>Reasoning tokens (part of <see cref="CompletionTokens"/>): Chat
    /// <c>usage.completion_tokens_details.reasoning_tokens</c>; Responses <c>usage.output_tokens_details.reasoning_tokens</c>;
    /// Gemini <c>thoughtsTokenCount</c>; Anthropic sends none.</summary>
    public int? ReasoningTokens { get; internal set; }

    /// <summary>Prompt tokens written to the provider's prompt cache by this request, billed at the cache-write price
    /// (Anthropic <c>usage.cache_creation_input_tokens</c>); <see langword="null"/> when the protocol or the response
    /// does not say.</summary>
    public int? CacheWriteTokens { get; internal set; }

    /// <summary>An error the server sent in the body: an <c>{"error":{...}}</c> payload, an <c>event: error</c>
    /// event, or a non-standard SSE <c>error:</c> field (its raw text when it is not JSON), as sent.</summary>
    public ErrorInfo? Error { get; internal set; }

    /// <summary>Whether the response carried output: content, reasoning or a tool call (name or arguments).</summary>
    public bool HasOutput => _content.Length > 0 || _reasoning.Length > 0
        || _toolCalls.Exists(c => c.Id is not null || c.Name is not null || c.ArgumentsBuilder.Length > 0);

    /// <summary>Whether the response said nothing but its protocol's ordinary end: no output, and a finish reason that
    /// only says "done" — Anthropic <c>end_turn</c>/<c>stop_sequence</c>, Responses <c>completed</c>, Gemini
    /// <c>STOP</c> — where a Chat Completions answer without output also has no finish reason. Such an answer is
    /// empty, as a chat <c>data: [DONE]</c> alone is; a reason that explains the silence (<c>max_tokens</c>,
    /// <c>SAFETY</c>, <c>incomplete</c>…) is kept and the answer is not. Always false for Chat Completions, whose rule
    /// stays "no output and no finish reason".</summary>
    public bool OnlyOrdinaryEnd => !HasOutput && Protocol switch
    {
        WireProtocol.AnthropicMessages => FinishReason is "end_turn" or "stop_sequence",
        WireProtocol.OpenAiResponses => FinishReason is "completed",
        WireProtocol.Gemini => FinishReason is "STOP",
        _ => false,
    };

    /// <summary>Whether <see cref="Error"/>'s <c>code</c> was a JSON number (<c>"code": 502</c>) rather than a string, so
    /// that <c>bench inspect --json</c> writes it back as sent.</summary>
    public bool ErrorCodeIsNumber { get; internal set; }

    /// <summary>Whether the protocol's end arrived: <c>data: [DONE]</c> (Chat Completions), <c>response.completed</c>,
    /// <c>response.incomplete</c> or <c>response.failed</c> (Responses), <c>message_stop</c> (Anthropic), or for Gemini,
    /// which has no terminal event, the end of a body whose chunks carried a <c>finishReason</c> or a
    /// <c>promptFeedback.blockReason</c>.</summary>
    public bool Done { get; private set; }

    /// <summary>Whether some payload was not a chat completion (chunk): not JSON, truncated, a field of the wrong
    /// type, or over a cap (an SSE event over 8 MiB, text over <see cref="MaxTextChars"/>...).</summary>
    public bool Malformed { get; private set; }

    /// <summary>Why <see cref="Malformed"/> was set, the first fault only, e.g. <c>event 3: not valid JSON: …</c> or
    /// <c>SSE line longer than 8 MiB: …</c>; <see langword="null"/> when not malformed.</summary>
    public string? MalformedReason { get; private set; }

    /// <summary>Whether reading stopped because the body, or one of its events, exceeded its cap
    /// (<see cref="ResponseCaps"/>); <see cref="MalformedReason"/> names the cap.</summary>
    public bool ExceededCap { get; internal set; }

    /// <summary>The <c>model</c> of the first payload that named one (e.g. <c>gpt-4o-2024-08-06</c>).</summary>
    public string? Model { get; private set; }

    /// <summary>Which variants of the chunk format and of the SSE framing were met. <see cref="StreamVariants.NoUsage"/>
    /// and (for a stream that had events) <see cref="StreamVariants.NoDone"/> follow from the final state. Framing
    /// variants (line endings, comments, <c>data:</c> spacing) describe every byte received, so bytes that followed
    /// <c>[DONE]</c> in the same read are described too; reading stops at <c>[DONE]</c> and receives no more.</summary>
    public StreamVariants Variants =>
        _variants
        | (HasUsage ? 0 : StreamVariants.NoUsage)
        | (Done || Events == 0 ? 0 : StreamVariants.NoDone);

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

    /// <summary>Arrival of every token-bearing event, in order (streaming); empty after
    /// <see cref="ReleaseTokenEventTimestamps"/>.</summary>
    public IReadOnlyList<long> TokenEventTimestamps => _tokenEventTimestamps;

    /// <summary>Returns the pooled array behind <see cref="TokenEventTimestamps"/> (which is then empty) once the caller
    /// has copied the times out, so that the next stream reuses it: with it the chunk path allocates nothing per token
    /// event (see <see cref="TokenTimestamps"/>). Only for the owner of the accumulator, after reading has ended.</summary>
    internal void ReleaseTokenEventTimestamps() => _tokenEventTimestamps.Release();

    /// <summary>When the response ended: the arrival of the protocol's terminal event (<see cref="Done"/>), else the end
    /// of the body;
    /// <see langword="null"/> while reading or after a failure.</summary>
    public long? EndTimestamp { get; internal set; }

    /// <summary>Whether the protocol's answer was recognised: a <c>choices</c> array (Chat), a <c>response.*</c> event or
    /// an <c>output</c> array (Responses), a <c>message_start</c> / <c>content_block_*</c> / <c>message_delta</c> event or
    /// a <c>content</c> array (Anthropic), <c>candidates</c>, <c>usageMetadata</c> or <c>promptFeedback</c> (Gemini). A
    /// non-streaming body without it is malformed.</summary>
    public bool SawChoices { get; internal set; }

    /// <summary>What the payload being parsed held; reset before each one.</summary>
    internal ChunkParts Parts { get; set; }

    /// <summary>The first byte of the body that is not whitespace or a byte order mark (to tell what a body that held
    /// no event was: <c>{</c> JSON, <c>&lt;</c> HTML...); <see langword="null"/> until one arrives.</summary>
    internal byte? FirstBodyByte { get; set; }

    /// <summary>Whether a line of the body named a field that is not an SSE field (<c>data</c>, <c>event</c>,
    /// <c>id</c>, <c>retry</c>, the non-standard <c>error</c>) nor a comment: HTML, JSON or binary bytes.</summary>
    internal bool SawNonSseLine { get; set; }

    /// <summary>The body's first significant bytes (up to 16, from <see cref="FirstBodyByte"/> on), to say what a body
    /// that held no event was (gzip's magic number, <c>&lt;!DOCTYPE</c>...). Allocates: for failure paths only.</summary>
    internal byte[] BodyHead
    {
        get
        {
            Span<byte> head = stackalloc byte[16];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(head, _head0);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(head[8..], _head1);
            return head[.._headLength].ToArray();
        }
    }

    /// <summary>Appends one byte to <see cref="BodyHead"/> (ignored past 16).</summary>
    internal void AppendBodyHead(byte value)
    {
        if (_headLength < 8)
        {
            _head0 |= (ulong)value << (8 * _headLength++);
        }
        else if (_headLength < 16)
        {
            _head1 |= (ulong)value << (8 * (_headLength++ - 8));
        }
    }

    /// <summary>Notes the first significant bytes of a whole body (<see cref="FirstBodyByte"/>, <see cref="BodyHead"/>):
    /// a byte order mark and leading whitespace are skipped.</summary>
    internal void NoteBodyHead(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            body = body[3..];
        }

        body = body.TrimStart(" \t\r\n"u8);
        if (body.IsEmpty || FirstBodyByte is not null)
        {
            return;
        }

        FirstBodyByte = body[0];
        foreach (var b in body[..Math.Min(16, body.Length)])
        {
            AppendBodyHead(b);
        }
    }

    /// <summary>A non-standard SSE <c>error:</c> field's value (llama.cpp); the first error reported is kept.</summary>
    internal void OnErrorField(ReadOnlySpan<byte> value)
    {
        if (Error is null)
        {
            Error = ChunkParser.TryReadError(value, out var codeIsNumber) ?? ChunkParser.RawError(value);
            ErrorCodeIsNumber = codeIsNumber;
        }
    }

    /// <summary>An <c>event: error</c> that the parser did not dispatch (no data); the first error reported is kept.</summary>
    internal void OnErrorEvent(ReadOnlySpan<byte> data)
    {
        _variants |= StreamVariants.ErrorEvent;
        Error ??= data.IsEmpty ? new ErrorInfo(null, null, "an 'event: error' without data") : ChunkParser.RawError(data);
    }

    /// <summary>Folds one SSE event in with the protocol's parser; returns <see langword="true"/> for the protocol's
    /// terminal event (<c>[DONE]</c>, <c>response.completed</c> / <c>incomplete</c> / <c>failed</c>,
    /// <c>message_stop</c>), the end of the stream.</summary>
    internal bool OnEvent(string eventType, ReadOnlySpan<byte> data, long arrivalTimestamp)
    {
        Events++;

        // OpenAI: "the stream is terminated by a data: [DONE] message". Surrounding blanks (a trailing space, a CR left
        // by a server that ends lines with CR CR LF) are tolerated.
        if (data.Trim(" \t\r\n"u8).SequenceEqual("[DONE]"u8))
        {
            Done = true;
            EndTimestamp = arrivalTimestamp;
            return true;
        }

        if (string.Equals(eventType, "error", StringComparison.Ordinal))
        {
            // Groq: "event: error" then "data: {"error":{…}}" as the stream's last event.
            _variants |= StreamVariants.ErrorEvent;
            Error = ChunkParser.TryReadError(data, out var codeIsNumber) ?? ChunkParser.RawError(data);
            ErrorCodeIsNumber = codeIsNumber;
            return false;
        }

        if (!string.Equals(eventType, "message", StringComparison.Ordinal))
        {
            _variants |= StreamVariants.NamedEvents;
        }

        _eventTokens = 0;
        Parts = ChunkParts.None;
        var terminal = false;
        var learnFrom = false;
        Signature before = default;
        switch (Protocol)
        {
            case WireProtocol.OpenAiResponses:
                terminal = ResponsesEventParser.Parse(eventType, data, this);
                break;
            case WireProtocol.AnthropicMessages:
                terminal = AnthropicEventParser.Parse(eventType, data, this);
                break;
            case WireProtocol.Gemini:
                GeminiChunkParser.Parse(data, this);
                break;
            default:
                if (!TryTemplateChunk(eventType, data))
                {
                    learnFrom = UseChunkTemplates && _templateMisses < MaxTemplateMisses
                        && string.Equals(eventType, "message", StringComparison.Ordinal) && data.Length <= MaxTemplateBytes;
                    if (learnFrom)
                    {
                        before = new Signature(this);
                        _appends = 0;
                    }

                    ChunkParser.Parse(data, this);
                }

                break;
        }

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

        NotePlacement();
        if (learnFrom)
        {
            Learn(data, before);
        }

        if (terminal)
        {
            // Responses: response.completed / incomplete / failed; Anthropic: message_stop.
            Done = true;
            EndTimestamp = arrivalTimestamp;
        }

        return terminal;
    }

    /// <summary>The body ended (streaming). A Gemini stream has no terminal event: it is complete when it ended after a
    /// chunk that carried a <c>finishReason</c> or a blocked prompt's <c>promptFeedback.blockReason</c>.</summary>
    internal void OnEndOfBody()
    {
        if (Protocol == WireProtocol.Gemini && Events > 0 && _geminiEnded)
        {
            Done = true;
        }
    }

    /// <summary>Folds a whole non-streaming body in: a <c>chat.completion</c> object with a <c>choices</c> array, a
    /// Responses <c>response</c> object, an Anthropic <c>message</c>, or a Gemini <c>GenerateContentResponse</c> (or a
    /// JSON array of them), as <see cref="Protocol"/> says; an error object of the protocol sets
    /// <see cref="Error"/>.</summary>
    internal void OnCompletion(ReadOnlySpan<byte> body)
    {
        switch (Protocol)
        {
            case WireProtocol.OpenAiResponses:
                ResponsesEventParser.ParseResponse(body, this);
                if (!SawChoices && Error is null)
                {
                    MarkMalformed("the body has no 'output' array nor 'error': not a Responses 'response' object");
                }

                break;
            case WireProtocol.AnthropicMessages:
                AnthropicEventParser.ParseMessage(body, this);
                if (!SawChoices && Error is null)
                {
                    MarkMalformed("the body has no 'content' array nor 'error': not an Anthropic 'message' object");
                }

                break;
            case WireProtocol.Gemini:
                GeminiChunkParser.ParseBody(body, this);
                if (!SawChoices && Error is null)
                {
                    MarkMalformed("the body has no 'candidates', 'usageMetadata' nor 'error': not a Gemini GenerateContentResponse");
                }

                break;
            default:
                ChunkParser.Parse(body, this);
                if (!SawChoices)
                {
                    MarkMalformed("the body has no 'choices' array: not a chat.completion object");
                }

                break;
        }
    }

    /// <summary>Gemini: a chunk carried a <c>finishReason</c> or a <c>promptFeedback.blockReason</c>, so the end of
    /// the body is the end of the response.</summary>
    internal void NoteGeminiEnd() => _geminiEnded = true;

    /// <summary>Anthropic usage: the counts present replace the ones kept (<c>message_start</c>'s
    /// <c>message.usage</c>, then <c>message_delta</c>'s cumulative <c>usage</c>), then the shared fields are derived:
    /// prompt = input + cache reads + cache writes, cached = cache reads, cache write = cache writes, completion =
    /// output, total = prompt + completion.</summary>
    internal void ApplyAnthropicUsage(int? input, int? cacheRead, int? cacheWrite, int? output)
    {
        _anthropicInput = input ?? _anthropicInput;
        _anthropicCacheRead = cacheRead ?? _anthropicCacheRead;
        _anthropicCacheWrite = cacheWrite ?? _anthropicCacheWrite;
        _anthropicOutput = output ?? _anthropicOutput;
        HasUsage = true;
        UsageVendorKey = null;
        Parts |= ChunkParts.Usage;
        PromptTokens = _anthropicInput is null && _anthropicCacheRead is null && _anthropicCacheWrite is null
            ? null
            : (int)Math.Min(int.MaxValue, (long)(_anthropicInput ?? 0) + (_anthropicCacheRead ?? 0) + (_anthropicCacheWrite ?? 0));
        CachedTokens = _anthropicCacheRead;
        CacheWriteTokens = _anthropicCacheWrite;
        CompletionTokens = _anthropicOutput;
        TotalTokens = PromptTokens is null && CompletionTokens is null
            ? null
            : (int)Math.Min(int.MaxValue, (long)(PromptTokens ?? 0) + (CompletionTokens ?? 0));
    }

    /// <summary>Sets the tool call's id from the current JSON string (kept once, the first non-empty one).</summary>
    internal static void SetToolId(ToolCall call, ref Utf8JsonReader reader)
    {
        if (call.Id is null && reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
        {
            call.Id = reader.GetString();
        }
    }

    /// <summary>Appends raw UTF-8 JSON text (a tool call's arguments sent as an object: Gemini <c>functionCall.args</c>,
    /// Anthropic <c>tool_use.input</c>) to the call's arguments, under <see cref="MaxTextChars"/>.</summary>
    internal void AppendToolArgumentsUtf8(ToolCall call, ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return;
        }

        if (_textChars + utf8.Length > MaxTextChars)
        {
            MarkTextTooLong();
            return;
        }

        var rented = System.Buffers.ArrayPool<char>.Shared.Rent(utf8.Length);
        try
        {
            var length = Encoding.UTF8.GetChars(utf8, rented);
            call.ArgumentsBuilder.Append(rented, 0, length);
            _textChars += length;
            _eventTokens |= TokenKinds.Output;
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>Marks the response malformed; the first reason is kept, prefixed with the event's number when
    /// streaming.</summary>
    internal void MarkMalformed(string reason)
    {
        if (!Malformed)
        {
            Malformed = true;
            MalformedReason = Events > 0 ? string.Create(CultureInfo.InvariantCulture, $"event {Events}: {reason}") : reason;
        }
    }

    internal void AddVariants(StreamVariants variants) => _variants |= variants;

    /// <summary>Keeps the first <c>model</c> named.</summary>
    internal void SetModel(ref Utf8JsonReader reader)
    {
        if (Model is null && reader.ValueSpan.Length > 0)
        {
            Model = reader.GetString();
        }
    }

    /// <summary>What was wrong with the latest <c>usage</c> text (a count fractional, beyond 32 bits or not a number;
    /// <c>usage</c> not an object), as <see cref="Records.UsageCheck"/> reasons quoting the raw values; the value
    /// itself is not stored. <see langword="null"/> when it read cleanly. Never marks the response malformed: the
    /// answer can be fine while its usage is not.</summary>
    public string? UsageIssue { get; private set; }

    /// <summary>Adds a reason to <see cref="UsageIssue"/>, until it holds <see cref="Records.UsageCheck.MaxIssueChars"/>
    /// characters (a usage object with thousands of bad fields costs no more).</summary>
    internal void NoteUsageIssue(string reason)
    {
        if (UsageIssue is not { Length: >= Records.UsageCheck.MaxIssueChars })
        {
            UsageIssue = Records.UsageCheck.Join(UsageIssue, reason);
        }
    }

    /// <summary>Folds a <c>usage</c> object in: the standard one always, a vendor's (<paramref name="vendorKey"/>) only
    /// while no standard one arrived. Returns whether the caller should read it.</summary>
    internal bool BeginUsage(string? vendorKey)
    {
        if (vendorKey is not null && HasUsage && UsageVendorKey is null)
        {
            return false;
        }

        HasUsage = true;
        UsageVendorKey = vendorKey;
        PromptTokens = CompletionTokens = TotalTokens = CachedTokens = ReasoningTokens = CacheWriteTokens = null;
        UsageIssue = null;
        Parts |= ChunkParts.Usage;
        _variants = vendorKey is null ? _variants & ~StreamVariants.UsageVendorKey : _variants | StreamVariants.UsageVendorKey;
        return true;
    }

    internal void AppendContent(ref Utf8JsonReader reader)
    {
        NoteAppend(ref reader, TokenKinds.Output);
        if (AppendString(_content, ref reader))
        {
            _eventTokens |= TokenKinds.Output;
        }
    }

    /// <summary>Notes where the text value being appended sat in the payload, for <see cref="Learn"/>.</summary>
    private void NoteAppend(ref Utf8JsonReader reader, TokenKinds kind)
    {
        _appends++;
        _appendKind = kind;
        _appendValueStart = reader.ValueIsEscaped || reader.HasValueSequence ? -1 : checked((int)reader.TokenStartIndex + 1);
        _appendValueLength = reader.ValueSpan.Length;
    }

    /// <summary>Whether Chat Completions chunks may take the template fast path (<see cref="TryTemplateChunk"/>);
    /// tests turn it off to compare against the full parse.</summary>
    internal bool UseChunkTemplates { get; init; } = true;

    /// <summary>Chunks folded in by the template fast path rather than the JSON reader.</summary>
    internal int TemplateChunks { get; private set; }

    /// <summary>Consecutive chunks that did not fit the template after which a stream stops learning templates (OpenAI
    /// pads every chunk with a random <c>obfuscation</c> string: its chunks never fit, and learning costs a copy and two
    /// state snapshots a chunk).</summary>
    private const int MaxTemplateMisses = 4;

    /// <summary>The longest chunk kept as a template, bytes.</summary>
    private const int MaxTemplateBytes = 2048;

    /// <summary>
    /// The Chat Completions fast path: a chunk whose bytes are the template's (the last chunk learned from) with only
    /// its content (or reasoning) string's value replaced is folded in without running the JSON reader, with exactly
    /// the effect the reader's parse would have had.
    /// </summary>
    /// <remarks>
    /// <para>Why it is exact: a template is learned (<see cref="Learn"/>) only from a chunk whose whole effect was one
    /// unescaped content (or <c>reasoning_content</c> / <c>reasoning</c>) string appended (every other field it carried — id, model already known, <c>index</c>,
    /// <c>finish_reason: null</c>, <c>usage: null</c>, vendor fields — changed nothing). A new chunk that starts with
    /// the template's bytes up to that string's opening quote and ends with its bytes from the closing quote on, and
    /// whose bytes between contain no <c>"</c>, no <c>\</c>, no control character (below U+0020) and are valid UTF-8,
    /// is the same JSON text with another string value: the reader would see the same tokens in the same order and the
    /// parser would make the same calls, the content's value aside. Anything else (another field changed, an escape,
    /// a finish reason, usage, OpenAI's per-chunk <c>obfuscation</c> padding) is parsed in full.</para>
    /// <para>Servers that stream from a template (vLLM, SGLang, llama.cpp, DeepSeek, Groq, the simulator) send every
    /// content chunk this way after the first.</para>
    /// </remarks>
    private bool TryTemplateChunk(string eventType, ReadOnlySpan<byte> data)
    {
        if (!UseChunkTemplates || _template is null || !string.Equals(eventType, "message", StringComparison.Ordinal))
        {
            return false;
        }

        var prefix = _template.AsSpan(0, _templateValueStart);
        var suffix = _template.AsSpan(_templateValueEnd, _templateLength - _templateValueEnd);
        if (data.Length < prefix.Length + suffix.Length || data.Length - prefix.Length - suffix.Length > StackallocCharLimit
            || !data.StartsWith(prefix) || !data.EndsWith(suffix))
        {
            _templateMisses++;
            return false;
        }

        var value = data[prefix.Length..^suffix.Length];
        Span<char> chars = stackalloc char[StackallocCharLimit];
        if (value.IndexOfAny((byte)'"', (byte)'\\') >= 0 || value.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0
            || _textChars + value.Length >= MaxTextChars
            || System.Text.Unicode.Utf8.ToUtf16(value, chars, out _, out var length, replaceInvalidSequences: false) != System.Buffers.OperationStatus.Done)
        {
            _templateMisses++;
            return false;
        }

        _templateMisses = 0;

        // What ChunkParser would have done: choices seen, choice and delta parts, the text appended.
        TemplateChunks++;
        SawChoices = true;
        Parts = ChunkParts.Choice | ChunkParts.Delta;
        if (length > 0)
        {
            (_templateKind == TokenKinds.Output ? _content : _reasoning).Append(chars[..length]);
            _textChars += length;
            _eventTokens |= _templateKind;
        }

        return true;
    }

    /// <summary>Keeps <paramref name="data"/> as the template when its parse did nothing but append one unescaped
    /// content string (see <see cref="TryTemplateChunk"/>); <paramref name="before"/> is the state before it.</summary>
    private void Learn(ReadOnlySpan<byte> data, Signature before)
    {
        if (_appends != 1 || _appendValueStart < 0 || _eventTokens != _appendKind || Parts != (ChunkParts.Choice | ChunkParts.Delta))
        {
            return;
        }

        // Everything but the appended text must be as it was (the variant that names the reasoning field, say, was
        // already set by an earlier chunk).
        var after = new Signature(this);
        if (!(_appendKind == TokenKinds.Output ? after with { ContentChars = before.ContentChars } : after with { ReasoningChars = before.ReasoningChars }).Equals(before))
        {
            return;
        }

        if (_template is null || _template.Length < data.Length)
        {
            _template = new byte[Math.Max(data.Length, 512)];
        }

        data.CopyTo(_template);
        _templateLength = data.Length;
        _templateValueStart = _appendValueStart;
        _templateValueEnd = _appendValueStart + _appendValueLength;
        _templateKind = _appendKind;
    }

    /// <summary>Everything a chunk's parse can change: equal, the appended text's length aside, before and after a chunk
    /// that only appended content (or reasoning).</summary>
    private readonly record struct Signature
    {
        public Signature(StreamAccumulator a)
        {
            Variants = a._variants;
            Malformed = a.Malformed;
            MalformedReason = a.MalformedReason;
            Error = a.Error;
            ErrorCodeIsNumber = a.ErrorCodeIsNumber;
            FinishReason = a.FinishReason;
            HasUsage = a.HasUsage;
            UsageVendorKey = a.UsageVendorKey;
            UsageIssue = a.UsageIssue;
            Usage = (a.PromptTokens, a.CompletionTokens, a.TotalTokens, a.CachedTokens, a.ReasoningTokens, a.CacheWriteTokens);
            Model = a.Model;
            ReasoningChars = a._reasoning.Length;
            var toolCalls = default(HashCode);
            foreach (var call in a._toolCalls)
            {
                toolCalls.Add(call.Index);
                toolCalls.Add(call.Id);
                toolCalls.Add(call.Name);
                toolCalls.Add(call.ArgumentsBuilder.Length);
            }

            ToolCalls = (a._toolCalls.Count, toolCalls.ToHashCode());
            OtherTextChars = a._textChars - a._content.Length - a._reasoning.Length;
            SawChoices = a.SawChoices;
            SawChoiceEvent = a._sawChoiceEvent;
            Done = a.Done;
            ExceededCap = a.ExceededCap;
        }

        public StreamVariants Variants { get; }

        public bool Malformed { get; }

        public string? MalformedReason { get; }

        public ErrorInfo? Error { get; }

        public bool ErrorCodeIsNumber { get; }

        public string? FinishReason { get; }

        public bool HasUsage { get; }

        public string? UsageVendorKey { get; }

        public string? UsageIssue { get; }

        public (int?, int?, int?, int?, int?, int?) Usage { get; }

        public string? Model { get; }

        public int ContentChars { get; init; }

        public int ReasoningChars { get; init; }

        public (int Count, int Digest) ToolCalls { get; }

        public long OtherTextChars { get; }

        public bool SawChoices { get; }

        public bool SawChoiceEvent { get; }

        public bool Done { get; }

        public bool ExceededCap { get; }
    }

    internal void AppendReasoning(ref Utf8JsonReader reader)
    {
        NoteAppend(ref reader, TokenKinds.Reasoning);
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
        // Names count towards MaxTextChars too: a server repeating a name in every chunk cannot allocate without end.
        if (reader.ValueSpan.Length > 0 && _textChars + reader.ValueSpan.Length > MaxTextChars)
        {
            MarkTextTooLong();
        }
        else if (reader.ValueSpan.Length > 0)
        {
            _textChars += reader.ValueSpan.Length;
            call.Name = reader.GetString();
            _eventTokens |= TokenKinds.Output;
        }
    }

    /// <summary>The call with <paramref name="index"/>, added if new; <see langword="null"/> (and malformed) past
    /// <see cref="MaxToolCalls"/>.</summary>
    internal ToolCall? GetToolCall(int index)
    {
        // Search from the end: fragments of the call being streamed come one after another.
        for (var i = _toolCalls.Count - 1; i >= 0; i--)
        {
            if (_toolCalls[i].Index == index)
            {
                return _toolCalls[i];
            }
        }

        if (_toolCalls.Count == MaxToolCalls)
        {
            MarkMalformed(string.Create(CultureInfo.InvariantCulture, $"more than {MaxToolCalls} tool calls: the rest were dropped"));
            return null;
        }

        var added = new ToolCall(index);
        _toolCalls.Add(added);
        return added;
    }

    /// <summary>The kept content text (for local token counting without a copy into a string).</summary>
    internal StringBuilder ContentBuilder => _content;

    /// <summary>The kept reasoning text.</summary>
    internal StringBuilder ReasoningBuilder => _reasoning;

    /// <summary>Notes the variants that depend on where a payload's parts sat (streaming only).</summary>
    private void NotePlacement()
    {
        if (Protocol != WireProtocol.OpenAiChat)
        {
            return; // the placement variants describe the chunk format of Chat Completions only
        }

        var parts = Parts;
        if ((parts & ChunkParts.Usage) != 0)
        {
            _variants |= (parts & ChunkParts.Choice) != 0 ? StreamVariants.UsageOnFinalChunk : StreamVariants.UsageSeparateChunk;
        }

        if ((parts & ChunkParts.Delta) == 0)
        {
            return;
        }

        if (!_sawChoiceEvent)
        {
            // llama.cpp: "No role-only first chunk" — the first delta already carries text.
            _sawChoiceEvent = true;
            if (_eventTokens != 0)
            {
                _variants |= StreamVariants.NoRolePrelude;
            }
        }
        else if (_eventTokens == 0 && FirstTokenTimestamp is not null && (parts & (ChunkParts.FinishReason | ChunkParts.Usage)) == 0)
        {
            _variants |= StreamVariants.EmptyDeltas;
        }
    }

    /// <summary>Appends the current JSON string token, unescaped, without allocating a string. Returns whether it was
    /// non-empty (and kept: past <see cref="MaxTextChars"/> nothing is).</summary>
    private bool AppendString(StringBuilder builder, ref Utf8JsonReader reader)
    {
        // A JSON string never unescapes to more UTF-16 chars than it has UTF-8 bytes.
        var maxChars = reader.ValueSpan.Length;
        if (maxChars == 0)
        {
            return false;
        }

        if (_textChars >= MaxTextChars)
        {
            MarkTextTooLong();
            return false;
        }

        char[]? rented = null;
        var chars = maxChars <= StackallocCharLimit
            ? stackalloc char[StackallocCharLimit]
            : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(maxChars));
        try
        {
            var length = reader.CopyString(chars);
            if (_textChars + length > MaxTextChars)
            {
                MarkTextTooLong();
                return false;
            }

            builder.Append(chars[..length]);
            _textChars += length;
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

    private void MarkTextTooLong() =>
        MarkMalformed(string.Create(CultureInfo.InvariantCulture, $"response text longer than {MaxTextChars / (1024 * 1024)} Mi characters: the rest was dropped"));
}
