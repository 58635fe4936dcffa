using System.Text.Json;
using Bench.Core.Records;

namespace Bench.Core.Wire;

/// <summary>
/// Walks Gemini <c>GenerateContentResponse</c> payloads with <see cref="Utf8JsonReader"/> — one
/// <c>streamGenerateContent?alt=sse</c> chunk, a whole <c>generateContent</c> body, or the non-SSE streaming form (a JSON
/// array of responses) — and folds what Bench needs into a <see cref="StreamAccumulator"/>, on the chat reader's path:
/// only the kept strings are decoded.
/// </summary>
/// <remarks>
/// <para>Source: Google AI for Developers, "Generating content" API reference
/// (ai.google.dev/api/generate-content: <c>GenerateContentResponse</c>, <c>Candidate</c>, <c>FinishReason</c>,
/// <c>UsageMetadata</c>, <c>PromptFeedback.BlockReason</c>) and "Thinking" (ai.google.dev/gemini-api/docs/thinking:
/// parts with <c>thought: true</c> are thought summaries). Read: <c>candidates[0].content.parts[]</c> (<c>text</c> →
/// content, or reasoning when the part has <c>thought: true</c>; <c>functionCall {id, name, args}</c> → a new tool call
/// whose argument text is <c>args</c> as sent), <c>candidates[0].finishReason</c> (as sent: <c>STOP</c>,
/// <c>MAX_TOKENS</c>, <c>SAFETY</c>, <c>RECITATION</c>, <c>BLOCKLIST</c>, <c>PROHIBITED_CONTENT</c>, <c>SPII</c>,
/// <c>MALFORMED_FUNCTION_CALL</c>...), <c>usageMetadata</c> (each chunk's replaces the previous: the counts are
/// running totals), <c>modelVersion</c>, <c>promptFeedback.blockReason</c> (a blocked prompt: an error with that code)
/// and <c>error {code, message, status}</c>.</para>
/// <para>Usage: <c>promptTokenCount</c> → prompt (it includes cached content), <c>cachedContentTokenCount</c> →
/// cached, <c>candidatesTokenCount</c> + <c>thoughtsTokenCount</c> → completion, <c>thoughtsTokenCount</c> →
/// reasoning, <c>totalTokenCount</c> → total. A Gemini stream has no terminal event: it ends with the body, complete
/// when a chunk carried a finish reason or a block reason (<see cref="StreamAccumulator.OnEndOfBody"/>).</para>
/// </remarks>
internal static class GeminiChunkParser
{
    /// <summary>The error type given to a blocked prompt (<c>promptFeedback.blockReason</c>); its code is the
    /// reason.</summary>
    public const string PromptBlocked = "prompt_blocked";

    /// <summary>Folds one streamed chunk in. Never throws on bad input.</summary>
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

            ReadResponse(json, ref reader, accumulator);
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

    /// <summary>Folds a whole body in: one <c>GenerateContentResponse</c>, or a JSON array of them (the streaming
    /// endpoint without <c>alt=sse</c>). Never throws on bad input.</summary>
    public static void ParseBody(ReadOnlySpan<byte> json, StreamAccumulator accumulator)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            {
                accumulator.MarkMalformed(json.IsEmpty ? "empty body" : "not a JSON object or array");
                return;
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ReadResponse(json, ref reader, accumulator);
            }
            else
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadResponse(json, ref reader, accumulator);
                    }
                    else
                    {
                        ChunkParser.Unexpected(ref reader, accumulator, "[]", "an object");
                    }
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
    }

    private static void ReadResponse(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, StreamAccumulator accumulator)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("candidates"u8))
            {
                reader.Read();
                ReadCandidates(json, ref reader, accumulator);
            }
            else if (reader.ValueTextEquals("usageMetadata"u8))
            {
                reader.Read();
                ReadUsage(ref reader, accumulator);
            }
            else if (reader.ValueTextEquals("modelVersion"u8))
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
            else if (reader.ValueTextEquals("promptFeedback"u8))
            {
                reader.Read();
                ReadPromptFeedback(ref reader, accumulator);
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
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadCandidates(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, StreamAccumulator accumulator)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            ChunkParser.Unexpected(ref reader, accumulator, "candidates", "an array");
            return;
        }

        accumulator.SawChoices = true;
        for (var position = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; position++)
        {
            if (position > 0 || reader.TokenType != JsonTokenType.StartObject)
            {
                // Bench asks for one candidate (candidateCount 1).
                if (position == 0)
                {
                    ChunkParser.Unexpected(ref reader, accumulator, "candidates[]", "an object");
                }
                else
                {
                    reader.Skip();
                }

                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("content"u8))
                {
                    reader.Read();
                    ReadContent(json, ref reader, accumulator);
                }
                else if (reader.ValueTextEquals("finishReason"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        accumulator.FinishReason = reader.ValueTextEquals("STOP"u8) ? "STOP"
                            : reader.ValueTextEquals("MAX_TOKENS"u8) ? "MAX_TOKENS"
                            : reader.GetString();
                        accumulator.NoteGeminiEnd();
                    }
                    else
                    {
                        ChunkParser.Unexpected(ref reader, accumulator, "candidates[0].finishReason", "a string");
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }
    }

    /// <summary><c>candidates[0].content</c> (positioned on it): its <c>parts[]</c>.</summary>
    private static void ReadContent(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, StreamAccumulator accumulator)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ChunkParser.Unexpected(ref reader, accumulator, "candidates[0].content", "an object");
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("parts"u8))
            {
                reader.Skip();
                continue;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                ChunkParser.Unexpected(ref reader, accumulator, "candidates[0].content.parts", "an array");
                continue;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                ReadPart(json, ref reader, accumulator);
            }
        }
    }

    /// <summary>One part (positioned on it). <c>thought</c> may follow <c>text</c> (it does in Gemini's own streams),
    /// so the text is kept as a reader positioned on it and appended once the part has been read.</summary>
    private static void ReadPart(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, StreamAccumulator accumulator)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ChunkParser.Unexpected(ref reader, accumulator, "candidates[0].content.parts[]", "an object");
            return;
        }

        var thought = false;
        var hasText = false;
        var text = default(Utf8JsonReader);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    text = reader;
                    hasText = true;
                }
                else
                {
                    ChunkParser.Unexpected(ref reader, accumulator, "parts[].text", "a string");
                }
            }
            else if (reader.ValueTextEquals("thought"u8))
            {
                reader.Read();
                thought = reader.TokenType == JsonTokenType.True;
                if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                {
                    ChunkParser.Unexpected(ref reader, accumulator, "parts[].thought", "a boolean");
                }
            }
            else if (reader.ValueTextEquals("functionCall"u8))
            {
                reader.Read();
                ReadFunctionCall(json, ref reader, accumulator);
            }
            else
            {
                reader.Skip();
            }
        }

        if (hasText)
        {
            if (thought)
            {
                accumulator.AppendReasoning(ref text);
            }
            else
            {
                accumulator.AppendContent(ref text);
            }
        }
    }

    /// <summary><c>functionCall</c> (positioned on it): a complete call — <c>name</c>, <c>args</c> (an object, kept
    /// as its JSON text), and <c>id</c> when sent — that becomes the next tool call.</summary>
    private static void ReadFunctionCall(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, StreamAccumulator accumulator)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ChunkParser.Unexpected(ref reader, accumulator, "parts[].functionCall", "an object");
            return;
        }

        if (accumulator.GetToolCall(accumulator.ToolCalls.Count) is not { } call)
        {
            reader.Skip();
            return;
        }

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
                    ChunkParser.Unexpected(ref reader, accumulator, "functionCall.name", "a string");
                }
            }
            else if (reader.ValueTextEquals("args"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                accumulator.AppendToolArgumentsUtf8(call, json[start..(int)reader.BytesConsumed]);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                StreamAccumulator.SetToolId(call, ref reader);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
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

    private static void ReadUsage(ref Utf8JsonReader reader, StreamAccumulator accumulator)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ChunkParser.UsageUnexpected(ref reader, accumulator, "usageMetadata", UsageCheck.Kinds.NotAnObject);
            return;
        }

        accumulator.SawChoices = true;
        accumulator.BeginUsage(null);
        int? candidates = null, thoughts = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("promptTokenCount"u8))
            {
                accumulator.PromptTokens = ChunkParser.ReadCount(ref reader, accumulator, "usageMetadata.promptTokenCount");
            }
            else if (reader.ValueTextEquals("candidatesTokenCount"u8))
            {
                candidates = ChunkParser.ReadCount(ref reader, accumulator, "usageMetadata.candidatesTokenCount");
            }
            else if (reader.ValueTextEquals("thoughtsTokenCount"u8))
            {
                thoughts = ChunkParser.ReadCount(ref reader, accumulator, "usageMetadata.thoughtsTokenCount");
            }
            else if (reader.ValueTextEquals("cachedContentTokenCount"u8))
            {
                accumulator.CachedTokens = ChunkParser.ReadCount(ref reader, accumulator, "usageMetadata.cachedContentTokenCount");
            }
            else if (reader.ValueTextEquals("totalTokenCount"u8))
            {
                accumulator.TotalTokens = ChunkParser.ReadCount(ref reader, accumulator, "usageMetadata.totalTokenCount");
            }
            else
            {
                reader.Skip();
            }
        }

        accumulator.CompletionTokens = candidates is null && thoughts is null
            ? null
            : (int)Math.Min(int.MaxValue, (long)(candidates ?? 0) + (thoughts ?? 0));
        accumulator.ReasoningTokens = thoughts;
    }

    /// <summary><c>promptFeedback</c> (positioned on it): a <c>blockReason</c> is an error whose code is the reason
    /// (<c>SAFETY</c>, <c>OTHER</c>, <c>BLOCKLIST</c>, <c>PROHIBITED_CONTENT</c>, <c>IMAGE_SAFETY</c>).</summary>
    private static void ReadPromptFeedback(ref Utf8JsonReader reader, StreamAccumulator accumulator)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ChunkParser.Unexpected(ref reader, accumulator, "promptFeedback", "an object");
            return;
        }

        accumulator.SawChoices = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("blockReason"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    var reason = reader.GetString();
                    accumulator.Error = new ErrorInfo(PromptBlocked, reason, $"Gemini blocked the prompt (promptFeedback.blockReason {reason}).");
                    accumulator.ErrorCodeIsNumber = false;
                    accumulator.NoteGeminiEnd();
                }
                else
                {
                    ChunkParser.Unexpected(ref reader, accumulator, "promptFeedback.blockReason", "a string");
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>Google's error object (positioned on it): <c>{"code": 429, "message": "…", "status":
    /// "RESOURCE_EXHAUSTED"}</c>; the status is the error's type. A string is the message.</summary>
    private static ErrorInfo ReadError(ref Utf8JsonReader reader, out bool codeIsNumber)
    {
        codeIsNumber = false;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return new ErrorInfo(null, null, ChunkParser.ReadText(ref reader));
        }

        string? message = null, status = null, code = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                message = ChunkParser.ReadText(ref reader);
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                status = ChunkParser.ReadText(ref reader);
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                codeIsNumber = reader.TokenType == JsonTokenType.Number;
                code = ChunkParser.ReadText(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return new ErrorInfo(status, code, message);
    }
}
