using System.Text.Json;
using Bench.Core.Records;

namespace Bench.Core.Wire;

/// <summary>
/// Walks OpenAI Responses API payloads with <see cref="Utf8JsonReader"/> — one streamed event, or a whole
/// non-streaming <c>response</c> object — and folds what Bench needs into a <see cref="StreamAccumulator"/>, on the chat
/// reader's path: only the kept strings are decoded.
/// </summary>
/// <remarks>
/// <para>Source: OpenAI API reference, "Responses — Streaming events" (platform.openai.com/docs/api-reference/responses-streaming)
/// and "The response object". Events read (by the data's <c>type</c>, else the SSE <c>event:</c> name):
/// <c>response.created</c> / <c>response.in_progress</c> / <c>response.queued</c> (<c>response.model</c>);
/// <c>response.output_item.added</c> (a <c>function_call</c>, <c>custom_tool_call</c> or <c>mcp_call</c> item: <c>call_id</c>,
/// <c>name</c>, the tool call at <c>output_index</c>); <c>response.output_text.delta</c> and
/// <c>response.refusal.delta</c> (<c>delta</c> → content); <c>response.reasoning_summary_text.delta</c> and
/// <c>response.reasoning_text.delta</c> (<c>delta</c> → reasoning); <c>response.function_call_arguments.delta</c>,
/// <c>response.custom_tool_call_input.delta</c> and <c>response.mcp_call_arguments.delta</c> (<c>delta</c> → the arguments of the call at <c>output_index</c>);
/// the terminal <c>response.completed</c>, <c>response.incomplete</c>, <c>response.failed</c> (<c>response.status</c>,
/// <c>response.incomplete_details.reason</c>, <c>response.usage</c>, <c>response.error</c>); and <c>error</c>
/// (<c>{"type":"error","code","message","param"}</c>). Other events (<c>*.done</c>, <c>content_part.*</c>,
/// <c>web_search_call.*</c>, annotations...) are skipped: their text repeats the deltas.</para>
/// <para>Finish reason: <c>response.status</c> (<c>completed</c>, <c>failed</c>, <c>cancelled</c>), or for an
/// <c>incomplete</c> response its <c>incomplete_details.reason</c> (<c>max_output_tokens</c>,
/// <c>content_filter</c>). Usage: <c>input_tokens</c> → prompt, <c>input_tokens_details.cached_tokens</c> → cached, <c>input_tokens_details.cache_write_tokens</c> → cache write,
/// <c>output_tokens</c> → completion (reasoning included), <c>output_tokens_details.reasoning_tokens</c> → reasoning,
/// <c>total_tokens</c> → total.</para>
/// </remarks>
internal static class ResponsesEventParser
{
    private enum Kind
    {
        Unknown,
        Lifecycle,
        ItemAdded,
        TextDelta,
        ReasoningDelta,
        ArgumentsDelta,
        Terminal,
        Error,
    }

    /// <summary>Folds one streamed event in; returns <see langword="true"/> for a terminal event
    /// (<c>response.completed</c>, <c>response.incomplete</c>, <c>response.failed</c>). Never throws on bad input.</summary>
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
                case Kind.Unknown:
                    Validate(ref reader); // *.done, content_part.*, kinds added later: skipped, but they must be JSON
                    return false;
                case Kind.Error:
                    accumulator.AddVariants(StreamVariants.ErrorEvent);
                    accumulator.Error = ChunkParser.ReadError(ref reader, out var codeIsNumber);
                    accumulator.ErrorCodeIsNumber = codeIsNumber;
                    return false;
            }

            accumulator.SawChoices = true;
            var outputIndex = 0;
            if (kind is Kind.ItemAdded or Kind.ArgumentsDelta)
            {
                probe = reader;
                if (ChunkParser.TryFindProperty(ref probe, "output_index"u8) && probe.TokenType == JsonTokenType.Number
                    && probe.TryGetInt32(out var value) && value >= 0)
                {
                    outputIndex = value;
                }
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (kind is Kind.Lifecycle or Kind.Terminal && reader.ValueTextEquals("response"u8))
                {
                    reader.Read();
                    ReadResponse(json, ref reader, accumulator, final: kind == Kind.Terminal, readOutput: false);
                }
                else if (kind == Kind.ItemAdded && reader.ValueTextEquals("item"u8))
                {
                    reader.Read();
                    ReadItem(ref reader, accumulator, outputIndex, streaming: true);
                }
                else if (kind is Kind.TextDelta or Kind.ReasoningDelta or Kind.ArgumentsDelta && reader.ValueTextEquals("delta"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        ChunkParser.Unexpected(ref reader, accumulator, "delta", "a string");
                    }
                    else if (kind == Kind.TextDelta)
                    {
                        accumulator.AppendContent(ref reader);
                    }
                    else if (kind == Kind.ReasoningDelta)
                    {
                        accumulator.AppendReasoning(ref reader);
                    }
                    else if (accumulator.GetToolCall(outputIndex) is { } call)
                    {
                        accumulator.AppendToolArguments(call, ref reader);
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            reader.Read();
            return kind == Kind.Terminal;
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

    /// <summary>Folds a whole non-streaming body in: a <c>response</c> object (<c>model</c>, <c>output[]</c>,
    /// <c>status</c>, <c>incomplete_details</c>, <c>usage</c>, <c>error</c>) or an <c>{"error":{…}}</c> body. Never
    /// throws on bad input.</summary>
    public static void ParseResponse(ReadOnlySpan<byte> json, StreamAccumulator accumulator)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                accumulator.MarkMalformed(json.IsEmpty ? "empty body" : "not a JSON object");
                return;
            }

            ReadResponse(json, ref reader, accumulator, final: true, readOutput: true);
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
        type.ValueTextEquals("response.output_text.delta"u8) || type.ValueTextEquals("response.refusal.delta"u8) ? Kind.TextDelta
        : type.ValueTextEquals("response.reasoning_summary_text.delta"u8) || type.ValueTextEquals("response.reasoning_text.delta"u8) ? Kind.ReasoningDelta
        : type.ValueTextEquals("response.function_call_arguments.delta"u8) || type.ValueTextEquals("response.custom_tool_call_input.delta"u8)
            || type.ValueTextEquals("response.mcp_call_arguments.delta"u8) ? Kind.ArgumentsDelta
        : type.ValueTextEquals("response.output_item.added"u8) ? Kind.ItemAdded
        : type.ValueTextEquals("response.completed"u8) || type.ValueTextEquals("response.incomplete"u8) || type.ValueTextEquals("response.failed"u8) ? Kind.Terminal
        : type.ValueTextEquals("response.created"u8) || type.ValueTextEquals("response.in_progress"u8) || type.ValueTextEquals("response.queued"u8) ? Kind.Lifecycle
        : type.ValueTextEquals("error"u8) ? Kind.Error
        : Kind.Unknown;

    private static Kind KindOf(string eventType) => eventType switch
    {
        "response.output_text.delta" or "response.refusal.delta" => Kind.TextDelta,
        "response.reasoning_summary_text.delta" or "response.reasoning_text.delta" => Kind.ReasoningDelta,
        "response.function_call_arguments.delta" or "response.custom_tool_call_input.delta" or "response.mcp_call_arguments.delta" => Kind.ArgumentsDelta,
        "response.output_item.added" => Kind.ItemAdded,
        "response.completed" or "response.incomplete" or "response.failed" => Kind.Terminal,
        "response.created" or "response.in_progress" or "response.queued" => Kind.Lifecycle,
        "error" => Kind.Error,
        _ => Kind.Unknown,
    };

    /// <summary>A <c>response</c> object (positioned on it). <paramref name="final"/>: read its status, usage and
    /// error (a terminal event, or a non-streaming body); <paramref name="readOutput"/>: read its <c>output[]</c> (a
    /// non-streaming body only: a stream's terminal event repeats the text its deltas carried).</summary>
    private static void ReadResponse(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, StreamAccumulator accumulator, bool final, bool readOutput)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ChunkParser.Unexpected(ref reader, accumulator, "response", "an object");
            return;
        }

        string? status = null, incompleteReason = null;
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
            else if (final && reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                status = reader.TokenType == JsonTokenType.String ? ReadStatus(ref reader) : SkipNull(ref reader, accumulator, "response.status");
            }
            else if (final && reader.ValueTextEquals("incomplete_details"u8))
            {
                reader.Read();
                incompleteReason = ReadStringProperty(ref reader, accumulator, "reason"u8, "response.incomplete_details");
            }
            else if (final && reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                ReadUsage(ref reader, accumulator);
            }
            else if (final && reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Null)
                {
                    accumulator.AddVariants(StreamVariants.ErrorObject);
                    accumulator.Error = ChunkParser.ReadError(ref reader, out var codeIsNumber);
                    accumulator.ErrorCodeIsNumber = codeIsNumber;
                }
            }
            else if (readOutput && reader.ValueTextEquals("output"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    ChunkParser.Unexpected(ref reader, accumulator, "output", "an array");
                    continue;
                }

                accumulator.SawChoices = true;
                for (var position = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; position++)
                {
                    ReadItem(ref reader, accumulator, position, streaming: false);
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (status is not null)
        {
            accumulator.FinishReason = status == "incomplete" && incompleteReason is not null ? incompleteReason : status;
        }
    }

    private static string ReadStatus(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("completed"u8) ? "completed"
        : reader.ValueTextEquals("incomplete"u8) ? "incomplete"
        : reader.ValueTextEquals("failed"u8) ? "failed"
        : reader.GetString()!;

    /// <summary>An output item (positioned on it). Streaming (<c>response.output_item.added</c>): only a tool call's
    /// <c>call_id</c>, <c>name</c> and any argument text already present; non-streaming: also a <c>message</c>'s
    /// <c>output_text</c> / <c>refusal</c> parts (content) and a <c>reasoning</c> item's <c>summary[].text</c> and
    /// <c>content[].text</c> (reasoning).</summary>
    private static void ReadItem(ref Utf8JsonReader reader, StreamAccumulator accumulator, int index, bool streaming)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ChunkParser.Unexpected(ref reader, accumulator, "output[]", "an object");
            return;
        }

        var probe = reader;
        if (!ChunkParser.TryFindProperty(ref probe, "type"u8) || probe.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return;
        }

        var isTool = probe.ValueTextEquals("function_call"u8) || probe.ValueTextEquals("custom_tool_call"u8) || probe.ValueTextEquals("mcp_call"u8);
        var isMessage = !streaming && probe.ValueTextEquals("message"u8);
        var isReasoning = !streaming && probe.ValueTextEquals("reasoning"u8);
        var call = isTool ? accumulator.GetToolCall(index) : null;
        if (call is null && !isMessage && !isReasoning)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (call is not null && reader.ValueTextEquals("call_id"u8))
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
                    ChunkParser.Unexpected(ref reader, accumulator, "output[].name", "a string");
                }
            }
            else if (call is not null && (reader.ValueTextEquals("arguments"u8) || reader.ValueTextEquals("input"u8)))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    accumulator.AppendToolArguments(call, ref reader);
                }
                else
                {
                    ChunkParser.Unexpected(ref reader, accumulator, "output[].arguments", "a string");
                }
            }
            else if (isMessage && reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                ReadParts(ref reader, accumulator, reasoning: false);
            }
            else if (isReasoning && (reader.ValueTextEquals("summary"u8) || reader.ValueTextEquals("content"u8)))
            {
                reader.Read();
                ReadParts(ref reader, accumulator, reasoning: true);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>An array of parts (positioned on it): <c>text</c> (<c>output_text</c>, <c>summary_text</c>,
    /// <c>reasoning_text</c>) or <c>refusal</c> strings are kept.</summary>
    private static void ReadParts(ref Utf8JsonReader reader, StreamAccumulator accumulator, bool reasoning)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            ChunkParser.Unexpected(ref reader, accumulator, "output[].content", "an array");
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                ChunkParser.Unexpected(ref reader, accumulator, "output[].content[]", "an object");
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("refusal"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        ChunkParser.Unexpected(ref reader, accumulator, "output[].content[].text", "a string");
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
                else
                {
                    reader.Skip();
                }
            }
        }
    }

    /// <summary>A <c>usage</c> object (positioned on it); <c>null</c> is "no usage".</summary>
    private static void ReadUsage(ref Utf8JsonReader reader, StreamAccumulator accumulator)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ChunkParser.UsageUnexpected(ref reader, accumulator, "usage", UsageCheck.Kinds.NotAnObject);
            return;
        }

        accumulator.BeginUsage(null);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                accumulator.PromptTokens = ChunkParser.ReadCount(ref reader, accumulator, "usage.input_tokens");
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                accumulator.CompletionTokens = ChunkParser.ReadCount(ref reader, accumulator, "usage.output_tokens");
            }
            else if (reader.ValueTextEquals("total_tokens"u8))
            {
                accumulator.TotalTokens = ChunkParser.ReadCount(ref reader, accumulator, "usage.total_tokens");
            }
            else if (reader.ValueTextEquals("input_tokens_details"u8))
            {
                ReadInputDetails(ref reader, accumulator);
            }
            else if (reader.ValueTextEquals("output_tokens_details"u8))
            {
                accumulator.ReasoningTokens = ChunkParser.ReadDetail(ref reader, accumulator, "reasoning_tokens"u8, "usage.output_tokens_details", "usage.output_tokens_details.reasoning_tokens");
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary><c>usage.input_tokens_details</c> (positioned on its name): <c>cached_tokens</c> (cache reads) and
    /// <c>cache_write_tokens</c> (prompt tokens written to the cache, sent by newer servers), both part of
    /// <c>input_tokens</c>.</summary>
    private static void ReadInputDetails(ref Utf8JsonReader reader, StreamAccumulator accumulator)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ChunkParser.UsageUnexpected(ref reader, accumulator, "usage.input_tokens_details", UsageCheck.Kinds.NotAnObject);
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("cached_tokens"u8))
            {
                accumulator.CachedTokens = ChunkParser.ReadCount(ref reader, accumulator, "usage.input_tokens_details.cached_tokens");
            }
            else if (reader.ValueTextEquals("cache_write_tokens"u8))
            {
                accumulator.CacheWriteTokens = ChunkParser.ReadCount(ref reader, accumulator, "usage.input_tokens_details.cache_write_tokens");
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>Reads one string property of an object (positioned on it), or <see langword="null"/>.</summary>
    private static string? ReadStringProperty(ref Utf8JsonReader reader, StreamAccumulator accumulator, ReadOnlySpan<byte> name, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ChunkParser.Unexpected(ref reader, accumulator, path, "an object");
            return null;
        }

        string? value = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                reader.Read();
                value = reader.TokenType == JsonTokenType.String ? reader.GetString() : SkipNull(ref reader, accumulator, path);
            }
            else
            {
                reader.Skip();
            }
        }

        return value;
    }

    private static string? SkipNull(ref Utf8JsonReader reader, StreamAccumulator accumulator, string path)
    {
        ChunkParser.Unexpected(ref reader, accumulator, path, "a string");
        return null;
    }

    /// <summary>Skips the rest of a payload (positioned on its start), so that one that is not a single JSON object
    /// throws and is marked malformed.</summary>
    private static void Validate(ref Utf8JsonReader reader)
    {
        reader.Skip();
        reader.Read();
    }
}
