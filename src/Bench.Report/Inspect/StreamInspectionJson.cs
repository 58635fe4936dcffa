using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bench.Core.Wire;

namespace Bench.Report.Inspect;

/// <summary>What <c>bench inspect --json</c> writes for a <see cref="StreamInspection"/>.</summary>
public static class StreamInspectionJson
{
    /// <summary>One JSON object (indented, UTF-8 text unescaped):
    /// <c>{protocol, events, done, model, content, reasoning, tool_calls: [{index, id, name, arguments}], finish_reason,
    /// usage: {prompt_tokens, completion_tokens, total_tokens, reasoning_tokens, cached_tokens, cache_write_tokens}, usage_source, error:
    /// {type, code (a number when sent as one), message} | null, malformed, malformed_reason, token_events, tokenizer: {encoding,
    /// completion_tokens, reasoning_tokens} | null, variants: [...]}</c>. <c>protocol</c> is the name the body was read as (<c>openai-chat</c>, <c>openai-responses</c>,
    /// <c>anthropic-messages</c>, <c>gemini</c>); <c>done</c> says the protocol's end was seen (<c>[DONE]</c>, a terminal
    /// Responses event, <c>message_stop</c>, a Gemini body ending after its finish reason). Absent values are <c>null</c>; <c>usage</c>
    /// is always an object; tool calls are ordered by index.</summary>
    public static string ToJson(StreamInspection inspection)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            ArgumentNullException.ThrowIfNull(inspection);
            var r = inspection.Response;
            json.WriteStartObject();
            json.WriteString("protocol", WireProtocols.Name(inspection.Protocol));
            json.WriteNumber("events", r.Events);
            json.WriteBoolean("done", r.Done);
            WriteString(json, "model", r.Model);
            json.WriteString("content", r.Content);
            json.WriteString("reasoning", r.Reasoning);
            json.WriteStartArray("tool_calls");
            foreach (var call in r.ToolCalls.OrderBy(c => c.Index))
            {
                json.WriteStartObject();
                json.WriteNumber("index", call.Index);
                WriteString(json, "id", call.Id);
                WriteString(json, "name", call.Name);
                json.WriteString("arguments", call.Arguments);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteString(json, "finish_reason", r.FinishReason);
            json.WriteStartObject("usage");
            WriteNumber(json, "prompt_tokens", r.PromptTokens);
            WriteNumber(json, "completion_tokens", r.CompletionTokens);
            WriteNumber(json, "total_tokens", r.TotalTokens);
            WriteNumber(json, "reasoning_tokens", r.ReasoningTokens);
            WriteNumber(json, "cached_tokens", r.CachedTokens);
            WriteNumber(json, "cache_write_tokens", r.CacheWriteTokens);
            json.WriteEndObject();
            WriteString(json, "usage_source", inspection.UsageSource);
            if (r.Error is { } error)
            {
                json.WriteStartObject("error");
                WriteString(json, "type", error.Type);
                if (error.Code is { } code && r.ErrorCodeIsNumber)
                {
                    // Sent as a number ("code": 502): written back as one.
                    json.WritePropertyName("code");
                    json.WriteRawValue(code);
                }
                else
                {
                    WriteString(json, "code", error.Code);
                }
                WriteString(json, "message", error.Message);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("error");
            }

            json.WriteBoolean("malformed", r.Malformed);
            WriteString(json, "malformed_reason", r.MalformedReason);
            json.WriteNumber("token_events", r.TokenEventTimestamps.Count);
            if (inspection.TokenizerCount is { } count)
            {
                json.WriteStartObject("tokenizer");
                json.WriteString("encoding", inspection.TokenizerEncoding);
                json.WriteNumber("completion_tokens", count.CompletionTokens);
                json.WriteNumber("reasoning_tokens", count.ReasoningTokens);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("tokenizer");
            }

            json.WriteStartArray("variants");
            foreach (var variant in inspection.Variants)
            {
                json.WriteStringValue(variant);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
