using System.Text.Json;

namespace Bench.Core.Wire;

/// <summary>
/// Walks Anthropic Messages payloads with <see cref="Utf8JsonReader"/> — one streamed event, or a whole non-streaming
/// <c>message</c> — and folds what Bench needs into a <see cref="StreamAccumulator"/>, on the chat reader's path: only
/// the kept strings are decoded.
/// </summary>
/// <remarks>
/// <para>Source: Anthropic, "Streaming Messages" (docs.anthropic.com/en/docs/build-with-claude/streaming) and "Messages"
/// (docs.anthropic.com/en/api/messages). A stream is <c>message_start</c> (<c>message.model</c>,
/// <c>message.usage</c>), then per content block <c>content_block_start</c> (<c>index</c>, <c>content_block</c> of
/// type <c>text</c>, <c>thinking</c>, <c>redacted_thinking</c>, <c>tool_use</c> / <c>server_tool_use</c> /
/// <c>mcp_tool_use</c> with <c>id</c> and <c>name</c>, <c>web_search_tool_result</c>…), <c>content_block_delta</c>
/// (<c>text_delta.text</c> → content; <c>thinking_delta.thinking</c> → reasoning; <c>input_json_delta.partial_json</c>
/// → the arguments of the tool call at the block's <c>index</c>; <c>signature_delta</c> and <c>citations_delta</c> carry
/// no token), <c>content_block_stop</c>, then <c>message_delta</c> (<c>delta.stop_reason</c>, cumulative
/// <c>usage</c>), and <c>message_stop</c>, the terminal event. <c>ping</c> events may come anywhere; an
/// <c>error</c> event (<c>{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}</c>) sets
/// <see cref="StreamAccumulator.Error"/>.</para>
/// <para>The event's kind is the data's <c>type</c>, else the SSE <c>event:</c> name. Unknown kinds and block types
/// are skipped (the API adds them). Usage: the counts present in <c>message_delta.usage</c> replace those of
/// <c>message_start</c> (as the official SDKs accumulate them); prompt tokens = <c>input_tokens</c> +
/// <c>cache_read_input_tokens</c> + <c>cache_creation_input_tokens</c> (see
/// <see cref="StreamAccumulator.ApplyAnthropicUsage"/>).</para>
/// </remarks>
internal static class AnthropicEventParser
{
    private enum Kind
    {
        Unknown,
        MessageStart,
        ContentBlockStart,
        ContentBlockDelta,
        MessageDelta,
        MessageStop,
        Error,
    }

    /// <summary>Folds one streamed event in; returns <see langword="true"/> for <c>message_stop</c>. Never throws on
    /// bad input.</summary>
    public static bool Parse(string eventType, ReadOnlySpan<byte> json, StreamAccumulator accumulator)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                accumulator.MarkMalformed(json.IsEmpty ? "empty data" : "not a JSON object");
                return false;
            }

            var probe = reader;
            var kind = ChunkParser.TryFindProperty(ref probe, "type"u8) && probe.TokenType == JsonTokenType.String
                ? KindOf(ref probe)
                : KindOf(eventType);
            switch (kind)
            {
                case Kind.MessageStop:
                    Validate(ref reader);
                    return true;
                case Kind.Error:
                    accumulator.AddVariants(StreamVariants.ErrorEvent);
                    accumulator.Error = ChunkParser.ReadError(ref reader, out var codeIsNumber);
                    accumulator.ErrorCodeIsNumber = codeIsNumber;
                    return false;
                case Kind.Unknown:
                    Validate(ref reader); // ping, content_block_stop, kinds added later: skipped, but they must be JSON
                    return false;
            }

            accumulator.SawChoices = true;
            var index = 0;
            if (kind is Kind.ContentBlockStart or Kind.ContentBlockDelta)
            {
                probe = reader;
                if (ChunkParser.TryFindProperty(ref probe, "index"u8) && probe.TokenType == JsonTokenType.Number
                    && probe.TryGetInt32(out var value) && value >= 0)
                {
                    index = value;
                }
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (kind == Kind.MessageStart && reader.ValueTextEquals("message"u8))
                {
                    reader.Read();
                    ReadMessage(json, ref reader, accumulator, readContent: false);
                }
                else if (kind == Kind.ContentBlockStart && reader.ValueTextEquals("content_block"u8))
                {
                    reader.Read();
                    ReadBlock(json, ref reader, accumulator, index, streaming: true);
                }
                else if (kind == Kind.ContentBlockDelta && reader.ValueTextEquals("delta"u8))
                {
                    reader.Read();
                    ReadBlockDelta(ref reader, accumulator, index);
                }
                else if (kind == Kind.MessageDelta && reader.ValueTextEquals("delta"u8))
                {
                    reader.Read();
                    ReadMessageDelta(ref reader, accumulator);
                }
                else if (kind == Kind.MessageDelta && reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    ReadUsage(ref reader, accumulator);
                }
                else
                {
                    reader.Skip();
                }
            }

            reader.Read();
        }
        catch (JsonException ex)
        {
            accumulator.MarkMalformed($"not valid JSON: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            accumulator.MarkMalformed($"a string is not valid text: {ex.Message}");
        }

        return false;
    }

    /// <summary>Folds a whole non-streaming body in: a <c>message</c> object (<c>model</c>, <c>content[]</c>,
    /// <c>stop_reason</c>, <c>usage</c>) or an error object (<c>{"type":"error","error":{…}}</c>). Never throws on bad
    /// input.</summary>
    public static void ParseMessage(ReadOnlySpan<byte> json, StreamAccumulator accumulator)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                accumulator.MarkMalformed(json.IsEmpty ? "empty body" : "not a JSON object");
                return;
            }

            ReadMessage(json, ref reader, accumulator, readContent: true);
            reader.Read();
        }
        catch (JsonException ex)
        {
            accumulator.MarkMalformed($"not valid JSON: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            accumulator.MarkMalformed($"a string is not valid text: {ex.Message}");
        }
    }

    private static Kind KindOf(ref Utf8JsonReader type) =>
        type.ValueTextEquals("content_block_delta"u8) ? Kind.ContentBlockDelta
        : type.ValueTextEquals("content_block_start"u8) ? Kind.ContentBlockStart
        : type.ValueTextEquals("message_start"u8) ? Kind.MessageStart
        : type.ValueTextEquals("message_delta"u8) ? Kind.MessageDelta
        : type.ValueTextEquals("message_stop"u8) ? Kind.MessageStop
        : type.ValueTextEquals("error"u8) ? Kind.Error
        : Kind.Unknown;

    private static Kind KindOf(string eventType) => eventType switch
    {
        "content_block_delta" => Kind.ContentBlockDelta,
        "content_block_start" => Kind.ContentBlockStart,
        "message_start" => Kind.MessageStart,
        "message_delta" => Kind.MessageDelta,
        "message_stop" => Kind.MessageStop,
        "error" => Kind.Error,
        _ => Kind.Unknown,
    };

    /// <summary>A <c>message</c> object (positioned on it): <c>model</c>, <c>usage</c>, <c>stop_reason</c>, an
    /// <c>error</c>, and with <paramref name="readContent"/> its <c>content[]</c> blocks.</summary>
    private static void ReadMessage(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, StreamAccumulator accumulator, bool readContent)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ChunkParser.Unexpected(ref reader, accumulator, "message", "an object");
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("model"u8))
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
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                ReadUsage(ref reader, accumulator);
            }
            else if (readContent && reader.ValueTextEquals("stop_reason"u8))
            {
                reader.Read();
                ReadStopReason(ref reader, accumulator);
            }
            else if (readContent && reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    ChunkParser.Unexpected(ref reader, accumulator, "content", "an array");
                    continue;
                }

                accumulator.SawChoices = true;
                for (var position = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; position++)
                {
                    ReadBlock(json, ref reader, accumulator, position, streaming: false);
                }
            }
            else if (readContent && reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Null)
                {
                    accumulator.AddVariants(StreamVariants.ErrorObject);
                    accumulator.Error = ChunkParser.ReadError(ref reader, out var codeIsNumber);
                    accumulator.ErrorCodeIsNumber = codeIsNumber;
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>A content block (positioned on it): <c>content_block_start</c>'s <c>content_block</c> or an element of
    /// a message's <c>content[]</c>. Tool-use blocks become the tool call at <paramref name="index"/>; a non-streaming
    /// block's <c>input</c> object is the call's argument text, as sent.</summary>
    private static void ReadBlock(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, StreamAccumulator accumulator, int index, bool streaming)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ChunkParser.Unexpected(ref reader, accumulator, "content_block", "an object");
            return;
        }

        var probe = reader;
        if (!ChunkParser.TryFindProperty(ref probe, "type"u8) || probe.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return;
        }

        var isText = probe.ValueTextEquals("text"u8);
        var isThinking = probe.ValueTextEquals("thinking"u8);
        var isTool = probe.ValueTextEquals("tool_use"u8) || probe.ValueTextEquals("server_tool_use"u8) || probe.ValueTextEquals("mcp_tool_use"u8);
        if (!isText && !isThinking && !isTool)
        {
            reader.Skip(); // redacted_thinking, web_search_tool_result, compaction...: no text Bench keeps
            return;
        }

        var call = isTool ? accumulator.GetToolCall(index) : null;
        if (isTool && call is null)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (isText && reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                ReadString(ref reader, accumulator, "content_block.text", reasoning: false);
            }
            else if (isThinking && reader.ValueTextEquals("thinking"u8))
            {
                reader.Read();
                ReadString(ref reader, accumulator, "content_block.thinking", reasoning: true);
            }
            else if (call is not null && reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                StreamAccumulator.SetToolId(call, ref reader);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
            }
            else if (call is not null && reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    accumulator.SetToolName(call, ref reader);
                }
                else
                {
                    ChunkParser.Unexpected(ref reader, accumulator, "content_block.name", "a string");
                }
            }
            else if (call is not null && !streaming && reader.ValueTextEquals("input"u8))
            {
                // Streaming: "input" is {} and the arguments come as input_json_delta fragments.
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                accumulator.AppendToolArgumentsUtf8(call, json[start..(int)reader.BytesConsumed]);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary><c>content_block_delta.delta</c> (positioned on it).</summary>
    private static void ReadBlockDelta(ref Utf8JsonReader reader, StreamAccumulator accumulator, int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ChunkParser.Unexpected(ref reader, accumulator, "delta", "an object");
            return;
        }

        var probe = reader;
        if (!ChunkParser.TryFindProperty(ref probe, "type"u8) || probe.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return;
        }

        // 0: text_delta.text (content), 1: thinking_delta.thinking (reasoning), 2: input_json_delta.partial_json.
        var mode = probe.ValueTextEquals("text_delta"u8) ? 0
            : probe.ValueTextEquals("thinking_delta"u8) ? 1
            : probe.ValueTextEquals("input_json_delta"u8) ? 2
            : -1;
        if (mode < 0)
        {
            reader.Skip(); // signature_delta, citations_delta...: no generated token
            return;
        }

        var field = mode switch { 0 => "text"u8, 1 => "thinking"u8, _ => "partial_json"u8 };
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals(field))
            {
                reader.Skip();
                continue;
            }

            reader.Read();
            if (mode < 2)
            {
                ReadString(ref reader, accumulator, mode == 0 ? "delta.text" : "delta.thinking", reasoning: mode == 1);
            }
            else if (reader.TokenType != JsonTokenType.String)
            {
                ChunkParser.Unexpected(ref reader, accumulator, "delta.partial_json", "a string");
            }
            else if (accumulator.GetToolCall(index) is { } call)
            {
                accumulator.AppendToolArguments(call, ref reader);
            }
        }
    }

    /// <summary><c>message_delta.delta</c> (positioned on it): <c>stop_reason</c>.</summary>
    private static void ReadMessageDelta(ref Utf8JsonReader reader, StreamAccumulator accumulator)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ChunkParser.Unexpected(ref reader, accumulator, "delta", "an object");
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("stop_reason"u8))
            {
                reader.Read();
                ReadStopReason(ref reader, accumulator);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary><c>stop_reason</c> as sent (<c>end_turn</c>, <c>max_tokens</c>, <c>stop_sequence</c>,
    /// <c>tool_use</c>, <c>pause_turn</c>, <c>refusal</c>); <c>null</c> leaves it unset.</summary>
    private static void ReadStopReason(ref Utf8JsonReader reader, StreamAccumulator accumulator)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            accumulator.FinishReason = reader.ValueTextEquals("end_turn"u8) ? "end_turn"
                : reader.ValueTextEquals("max_tokens"u8) ? "max_tokens"
                : reader.ValueTextEquals("tool_use"u8) ? "tool_use"
                : reader.ValueTextEquals("stop_sequence"u8) ? "stop_sequence"
                : reader.GetString();
        }
        else
        {
            ChunkParser.Unexpected(ref reader, accumulator, "stop_reason", "a string");
        }
    }

    /// <summary>A <c>usage</c> object (positioned on it): <c>input_tokens</c>, <c>cache_read_input_tokens</c>,
    /// <c>cache_creation_input_tokens</c>, <c>output_tokens</c>.</summary>
    private static void ReadUsage(ref Utf8JsonReader reader, StreamAccumulator accumulator)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ChunkParser.UsageUnexpected(ref reader, accumulator, "usage", Records.UsageCheck.Kinds.NotAnObject);
            return;
        }

        int? input = null, cacheRead = null, cacheWrite = null, output = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                input = ChunkParser.ReadCount(ref reader, accumulator, "usage.input_tokens");
            }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            {
                cacheRead = ChunkParser.ReadCount(ref reader, accumulator, "usage.cache_read_input_tokens");
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                cacheWrite = ChunkParser.ReadCount(ref reader, accumulator, "usage.cache_creation_input_tokens");
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                output = ChunkParser.ReadCount(ref reader, accumulator, "usage.output_tokens");
            }
            else
            {
                reader.Skip();
            }
        }

        accumulator.ApplyAnthropicUsage(input, cacheRead, cacheWrite, output);
    }

    private static void ReadString(ref Utf8JsonReader reader, StreamAccumulator accumulator, string path, bool reasoning)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            ChunkParser.Unexpected(ref reader, accumulator, path, "a string");
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

    /// <summary>Skips the rest of a payload (positioned on its start), so that one that is not a single JSON object
    /// throws and is marked malformed.</summary>
    private static void Validate(ref Utf8JsonReader reader)
    {
        reader.Skip();
        reader.Read();
    }
}
