using System.Text;
using System.Text.Json;
using Bench.Core.Records;

namespace Bench.Core.Wire;

/// <summary>
/// Walks one Chat Completions JSON payload with <see cref="Utf8JsonReader"/> — a streamed
/// <c>chat.completion.chunk</c> or a whole non-streaming <c>chat.completion</c> — and folds the fields Bench needs
/// into a <see cref="StreamAccumulator"/>. No DOM and no serializer: only the strings that are kept are decoded.
/// </summary>
/// <remarks>
/// Shapes read (everything else is skipped):
/// <code>
/// { "model": "…",
///   "choices": [ { "delta" | "message": { "content": "…" | [ {"type":"text","text":"…"} | {"type":"thinking","thinking":"…" | [parts]} ],
///                                         "reasoning_content" | "reasoning": "…",
///                                         "tool_calls": [ {"index":0,"id":"…","function":{"name":"…","arguments":"…"}} ] },
///                  "finish_reason": "…" } ],
///   "usage": { "prompt_tokens", "completion_tokens", "total_tokens",
///              "prompt_tokens_details": {"cached_tokens"}, "completion_tokens_details": {"reasoning_tokens"} },
///   "x_groq" (any vendor key): { "usage": { same fields } },
///   "error": { "message", "type", "code" } }
/// </code>
/// Only <c>choices[0]</c> is read: Bench always asks for one choice. Invalid JSON, invalid UTF-8, nesting deeper than
/// <see cref="JsonReaderOptions.MaxDepth"/> (64) and fields of the wrong type mark the accumulator
/// <see cref="StreamAccumulator.Malformed"/> with the first reason; what was read before the fault is kept.
/// </remarks>
internal static class ChunkParser
{
    /// <summary>Folds one payload into <paramref name="accumulator"/>. Never throws on bad input.</summary>
    public static void Parse(ReadOnlySpan<byte> json, StreamAccumulator accumulator)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                accumulator.MarkMalformed(json.IsEmpty ? "empty data" : "not a JSON object");
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("choices"u8))
                {
                    reader.Read();
                    ReadChoices(ref reader, accumulator);
                }
                else if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    ReadUsage(ref reader, accumulator, vendorKey: null);
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Null)
                    {
                        accumulator.AddVariants(StreamVariants.ErrorObject);
                        accumulator.Error = ReadError(ref reader, out var codeIsNumber);
                        accumulator.ErrorCodeIsNumber = codeIsNumber;
                    }
                }
                else if (reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        accumulator.SetModel(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    // The name stays readable after the reader moves on: it is a slice of the payload.
                    var name = reader.ValueSpan;
                    var escaped = reader.ValueIsEscaped;
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadExtension(ref reader, accumulator, name, escaped);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }

            // RFC 8259: a JSON text is exactly one value; the reader throws on anything but whitespace after it.
            reader.Read();
        }
        catch (JsonException ex)
        {
            // Not JSON, truncated, or nested deeper than MaxDepth.
            accumulator.MarkMalformed($"not valid JSON: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            // A string that is not valid UTF-8, or whose escapes are not valid UTF-16 (a lone surrogate).
            accumulator.MarkMalformed($"a string is not valid text: {ex.Message}");
        }
    }

    /// <summary>Reads an error payload: <c>{"error":{"message","type","code"}}</c>, <c>{"error":"…"}</c> or a bare
    /// <c>{"message","type","code"}</c> object. <see langword="null"/> when it is none of these.</summary>
    public static ErrorInfo? TryReadError(ReadOnlySpan<byte> json) => TryReadError(json, out _);

    /// <summary>As <see cref="TryReadError(ReadOnlySpan{byte})"/>; <paramref name="codeIsNumber"/> says whether
    /// <c>code</c> was a JSON number (llama.cpp's and OpenRouter's <c>"code": 502</c>) rather than a string.</summary>
    public static ErrorInfo? TryReadError(ReadOnlySpan<byte> json, out bool codeIsNumber) => TryReadError(json, complete: true, out codeIsNumber);

    /// <summary>As <see cref="TryReadError(ReadOnlySpan{byte}, out bool)"/>; with <paramref name="complete"/>
    /// <see langword="false"/> <paramref name="json"/> is the start of a longer body (an error body cut at its cap): the
    /// fields read before the cut are kept.</summary>
    public static ErrorInfo? TryReadError(ReadOnlySpan<byte> json, bool complete, out bool codeIsNumber)
    {
        codeIsNumber = false;
        try
        {
            var reader = new Utf8JsonReader(json, isFinalBlock: complete, state: default);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var error = ReadError(ref reader, out codeIsNumber);
            if (error is { Type: null, Code: null, Message: null })
            {
                codeIsNumber = false;
                return null;
            }

            return error;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            codeIsNumber = false;
            return null;
        }
    }

    /// <summary>An error made of a payload that is not an error object: its text.</summary>
    public static ErrorInfo RawError(ReadOnlySpan<byte> payload) => new(null, null, Encoding.UTF8.GetString(payload));

    /// <summary>A vendor's extension object (positioned on its start). Groq streams no standard usage: "x_groq":
    /// {"id":…, "usage": {"queue_time":…, "prompt_tokens":…, "completion_tokens":…, "total_tokens":…}} on the last
    /// chunk. Its usage is read unless a standard <c>usage</c> came.</summary>
    private static void ReadExtension(ref Utf8JsonReader reader, StreamAccumulator accumulator, ReadOnlySpan<byte> name, bool escaped)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    var key = escaped ? UnescapeName(name) : Encoding.UTF8.GetString(name);
                    ReadUsage(ref reader, accumulator, key);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>Unescapes a property name that had escapes (rare: only vendor keys are decoded).</summary>
    private static string UnescapeName(ReadOnlySpan<byte> escapedName)
    {
        Span<byte> quoted = escapedName.Length <= 256 ? stackalloc byte[escapedName.Length + 2] : new byte[escapedName.Length + 2];
        quoted[0] = (byte)'"';
        escapedName.CopyTo(quoted[1..]);
        quoted[^1] = (byte)'"';
        var reader = new Utf8JsonReader(quoted);
        reader.Read();
        return reader.GetString()!;
    }

    private static void ReadChoices(ref Utf8JsonReader reader, StreamAccumulator accumulator)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            Unexpected(ref reader, accumulator, "choices", "an array");
            return;
        }

        accumulator.SawChoices = true;
        for (var position = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; position++)
        {
            if (position > 0)
            {
                reader.Skip();
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                accumulator.Parts |= StreamAccumulator.ChunkParts.Choice;
                ReadChoice(ref reader, accumulator);
            }
            else
            {
                Unexpected(ref reader, accumulator, "choices[0]", "an object");
            }
        }
    }

    private static void ReadChoice(ref Utf8JsonReader reader, StreamAccumulator accumulator)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("delta"u8) || reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    accumulator.Parts |= StreamAccumulator.ChunkParts.Delta;
                    ReadDelta(ref reader, accumulator);
                }
                else
                {
                    Unexpected(ref reader, accumulator, "choices[0].delta", "an object");
                }
            }
            else if (reader.ValueTextEquals("finish_reason"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    accumulator.Parts |= StreamAccumulator.ChunkParts.FinishReason;
                    accumulator.FinishReason = ReadFinishReason(ref reader);
                }
                else
                {
                    Unexpected(ref reader, accumulator, "choices[0].finish_reason", "a string");
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadDelta(ref Utf8JsonReader reader, StreamAccumulator accumulator)
    {
        var sawReasoning = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    accumulator.AppendContent(ref reader);
                }
                else if (reader.TokenType == JsonTokenType.StartArray)
                {
                    // Mistral: "content" may be a list of chunks, [{"type":"text","text":…}, {"type":"thinking",…}].
                    accumulator.AddVariants(StreamVariants.ContentParts);
                    ReadContentParts(ref reader, accumulator, reasoning: false);
                }
                else
                {
                    Unexpected(ref reader, accumulator, "choices[0].delta.content", "a string or an array of parts");
                }
            }
            else if (reader.ValueTextEquals("reasoning_content"u8) || reader.ValueTextEquals("reasoning"u8))
            {
                var variant = reader.ValueTextEquals("reasoning"u8) ? StreamVariants.Reasoning : StreamVariants.ReasoningContent;
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    accumulator.AddVariants(variant);

                    // Some relays send the same text under both names: keep the first.
                    if (!sawReasoning)
                    {
                        accumulator.AppendReasoning(ref reader);
                    }

                    sawReasoning = true;
                }
                else
                {
                    Unexpected(ref reader, accumulator, "choices[0].delta.reasoning", "a string");
                }
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    ReadToolCalls(ref reader, accumulator);
                }
                else
                {
                    Unexpected(ref reader, accumulator, "choices[0].delta.tool_calls", "an array");
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>A content array: <c>{"type":"text","text":…}</c> parts are content, <c>{"type":"thinking",…}</c>
    /// parts (and every part nested under <c>thinking</c>) are reasoning.</summary>
    private static void ReadContentParts(ref Utf8JsonReader reader, StreamAccumulator accumulator, bool reasoning)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                Unexpected(ref reader, accumulator, "choices[0].delta.content[]", "an object");
                continue;
            }

            var probe = reader;
            var partIsReasoning = reasoning
                || (TryFindProperty(ref probe, "type"u8) && probe.TokenType == JsonTokenType.String
                    && (probe.ValueTextEquals("thinking"u8) || probe.ValueTextEquals("reasoning"u8)));
            if (partIsReasoning)
            {
                accumulator.AddVariants(StreamVariants.ThinkingParts);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("text"u8))
                {
                    reader.Read();
                    AppendText(ref reader, accumulator, partIsReasoning);
                }
                else if (reader.ValueTextEquals("thinking"u8))
                {
                    // Magistral: {"type":"thinking","thinking":[{"type":"text","text":"…"}]}; others send a string.
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        ReadContentParts(ref reader, accumulator, reasoning: true);
                    }
                    else
                    {
                        AppendText(ref reader, accumulator, reasoning: true);
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }
    }

    private static void AppendText(ref Utf8JsonReader reader, StreamAccumulator accumulator, bool reasoning)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            Unexpected(ref reader, accumulator, "choices[0].delta.content[].text", "a string");
        }
        else if (reasoning)
        {
            accumulator.AppendReasoning(ref reader);
        }
        else
        {
            accumulator.AppendContent(ref reader);
        }
    }

    /// <summary><c>tool_calls</c>: fragments with the same <c>index</c> belong to one call (a non-streaming message
    /// has no index: the position in the array stands in).</summary>
    private static void ReadToolCalls(ref Utf8JsonReader reader, StreamAccumulator accumulator)
    {
        for (var position = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; position++)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                Unexpected(ref reader, accumulator, "choices[0].delta.tool_calls[]", "an object");
                continue;
            }

            var probe = reader;
            var index = TryFindProperty(ref probe, "index"u8) && probe.TokenType == JsonTokenType.Number
                && probe.TryGetInt32(out var value) && value >= 0 ? value : position;
            if (accumulator.GetToolCall(index) is not { } call)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        // Some servers repeat the id, or send "" after the first fragment: keep the one that was given.
                        if (reader.ValueSpan.Length > 0)
                        {
                            call.Id = reader.GetString();
                        }
                    }
                    else
                    {
                        Unexpected(ref reader, accumulator, "choices[0].delta.tool_calls[].id", "a string");
                    }
                }
                else if (reader.ValueTextEquals("function"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadFunction(ref reader, accumulator, call);
                    }
                    else
                    {
                        Unexpected(ref reader, accumulator, "choices[0].delta.tool_calls[].function", "an object");
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }
    }

    private static void ReadFunction(ref Utf8JsonReader reader, StreamAccumulator accumulator, ToolCall call)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    accumulator.SetToolName(call, ref reader);
                }
                else
                {
                    Unexpected(ref reader, accumulator, "choices[0].delta.tool_calls[].function.name", "a string");
                }
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    accumulator.AppendToolArguments(call, ref reader);
                }
                else
                {
                    Unexpected(ref reader, accumulator, "choices[0].delta.tool_calls[].function.arguments", "a string");
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>Reads a <c>usage</c> object (positioned on it): the standard one (<paramref name="vendorKey"/>
    /// <see langword="null"/>) or one under a vendor's key, which counts only while no standard one came.</summary>
    private static void ReadUsage(ref Utf8JsonReader reader, StreamAccumulator accumulator, string? vendorKey)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            UsageUnexpected(ref reader, accumulator, "usage", UsageCheck.Kinds.NotAnObject);
            return;
        }

        if (!accumulator.BeginUsage(vendorKey))
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                accumulator.PromptTokens = ReadCount(ref reader, accumulator, "usage.prompt_tokens");
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                accumulator.CompletionTokens = ReadCount(ref reader, accumulator, "usage.completion_tokens");
            }
            else if (reader.ValueTextEquals("total_tokens"u8))
            {
                accumulator.TotalTokens = ReadCount(ref reader, accumulator, "usage.total_tokens");
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                accumulator.CachedTokens = ReadDetail(ref reader, accumulator, "cached_tokens"u8, "usage.prompt_tokens_details", "usage.prompt_tokens_details.cached_tokens");
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                accumulator.ReasoningTokens = ReadDetail(ref reader, accumulator, "reasoning_tokens"u8, "usage.completion_tokens_details", "usage.completion_tokens_details.reasoning_tokens");
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>Reads <c>{"…_details": {name: n, …}}</c>, positioned on the property name.</summary>
    internal static int? ReadDetail(ref Utf8JsonReader reader, StreamAccumulator accumulator, ReadOnlySpan<byte> name, string path, string countPath)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            UsageUnexpected(ref reader, accumulator, path, UsageCheck.Kinds.NotAnObject);
            return null;
        }

        int? count = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                count = ReadCount(ref reader, accumulator, countPath);
            }
            else
            {
                reader.Skip();
            }
        }

        return count;
    }

    /// <summary>Reads a token count, positioned on its property name. A count that is not a 32-bit integer
    /// (<c>12.5</c>, <c>3000000000</c>, <c>1e30</c>, <c>"3"</c>) is not stored: it is noted in
    /// <see cref="StreamAccumulator.UsageIssue"/> with its raw text, and the response stays readable (a negative count
    /// is stored; <see cref="UsageCheck"/> judges it).</summary>
    internal static int? ReadCount(ref Utf8JsonReader reader, StreamAccumulator accumulator, string path)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt32(out var count))
            {
                return count;
            }

            // A number's text is its value's only faithful form (1e30 and 12.5 fit no integer type).
            var raw = RawText(reader.ValueSpan);
            var isDecimal = reader.TryGetDecimal(out var value);
            if (isDecimal && decimal.Truncate(value) == value && value is >= int.MinValue and <= int.MaxValue)
            {
                return (int)value; // 5.0, 5e2: a whole number written another way
            }

            var integral = isDecimal ? decimal.Truncate(value) == value : !raw.Contains('.', StringComparison.Ordinal);
            accumulator.NoteUsageIssue(UsageCheck.Reason(
                integral ? UsageCheck.Kinds.Overflow : UsageCheck.Kinds.NotInteger,
                integral ? $"{path} = {raw} does not fit a 32-bit count" : $"{path} = {raw} is not a whole number"));
            return null;
        }

        UsageUnexpected(ref reader, accumulator, path, UsageCheck.Kinds.NotANumber);
        return null;
    }

    /// <summary>A usage value of the wrong type: <c>null</c> means "absent" and is fine; anything else is noted as a
    /// usage issue (with the raw text of a string, number or boolean) and skipped. Never marks the response
    /// malformed.</summary>
    internal static void UsageUnexpected(ref Utf8JsonReader reader, StreamAccumulator accumulator, string path, string kind)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        var shown = reader.TokenType is JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False
            ? $"{path} = {RawText(reader.ValueSpan)}"
            : $"{path} is {Describe(reader.TokenType)}";
        accumulator.NoteUsageIssue(UsageCheck.Reason(kind, shown));
        reader.Skip();
    }

    /// <summary>The raw text of a value as received, cut to 40 bytes (a usage value is quoted, never kept whole).</summary>
    private static string RawText(ReadOnlySpan<byte> value)
    {
        const int MaxBytes = 40;
        var text = Encoding.UTF8.GetString(value.Length > MaxBytes ? value[..MaxBytes] : value);
        return value.Length > MaxBytes ? text + "…" : text;
    }

    /// <summary>Reads an error object or string (positioned on it). A nested <c>error</c> property wins over the
    /// outer fields, so both <c>{"error":{…}}</c> and a bare <c>{"message":…}</c> read the same. Skips with
    /// <c>TrySkip</c>, so that the start of a cut body yields the fields before the cut.
    /// <paramref name="codeIsNumber"/>: the kept <c>code</c> was a JSON number.</summary>
    internal static ErrorInfo ReadError(ref Utf8JsonReader reader, out bool codeIsNumber)
    {
        codeIsNumber = false;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return new ErrorInfo(null, null, ReadText(ref reader));
        }

        string? message = null, type = null, code = null;
        var outerCodeIsNumber = false;
        var innerCodeIsNumber = false;
        ErrorInfo? inner = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                message = ReadText(ref reader);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = ReadText(ref reader);
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                outerCodeIsNumber = reader.TokenType == JsonTokenType.Number;
                code = ReadText(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Null)
                {
                    inner = ReadError(ref reader, out innerCodeIsNumber);
                }
            }
            else
            {
                reader.TrySkip();
            }
        }

        codeIsNumber = inner is null ? outerCodeIsNumber : innerCodeIsNumber;
        return inner ?? new ErrorInfo(type, code, message);
    }

    /// <summary>A string, or the literal text of a number or boolean (llama.cpp sends <c>"code": 500</c>).</summary>
    internal static string? ReadText(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False:
                return Encoding.UTF8.GetString(reader.ValueSpan);
            default:
                reader.TrySkip();
                return null;
        }
    }

    /// <summary>Finish reasons the OpenAI API defines come back as cached strings; others are decoded.</summary>
    private static string ReadFinishReason(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("stop"u8) ? "stop"
        : reader.ValueTextEquals("length"u8) ? "length"
        : reader.ValueTextEquals("tool_calls"u8) ? "tool_calls"
        : reader.ValueTextEquals("content_filter"u8) ? "content_filter"
        : reader.ValueTextEquals("function_call"u8) ? "function_call"
        : reader.GetString()!;

    /// <summary>Moves a copy of a reader, positioned on an object's start, to the value of one of its properties.</summary>
    internal static bool TryFindProperty(ref Utf8JsonReader probe, ReadOnlySpan<byte> name)
    {
        while (probe.Read() && probe.TokenType == JsonTokenType.PropertyName)
        {
            if (probe.ValueTextEquals(name))
            {
                probe.Read();
                return true;
            }

            probe.Skip();
        }

        return false;
    }

    /// <summary>A value of the wrong type: <c>null</c> means "absent" and is fine; anything else marks the payload
    /// malformed (saying where, and what was expected) and is skipped.</summary>
    internal static void Unexpected(ref Utf8JsonReader reader, StreamAccumulator accumulator, string path, string expected)
    {
        if (reader.TokenType != JsonTokenType.Null)
        {
            if (!accumulator.Malformed)
            {
                accumulator.MarkMalformed($"{path} is {Describe(reader.TokenType)}, expected {expected}");
            }

            reader.Skip();
        }
    }

    internal static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        _ => type.ToString(),
    };
}
