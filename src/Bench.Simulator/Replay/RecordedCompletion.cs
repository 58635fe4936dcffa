using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bench.Core.Wire;

namespace Bench.Simulator.Replay;

/// <summary>
/// The non-streaming answer of a replay profile, assembled once from a recorded stream as the provider would have
/// answered without <c>stream</c>: a <c>chat.completion</c> object with the recorded <c>id</c>, <c>created</c> and
/// <c>model</c>, the concatenated content (and <c>reasoning_content</c>, <c>tool_calls</c> when recorded), the last
/// finish reason and the recorded <c>usage</c> object verbatim (none when none was recorded). A recording that
/// carries an error (an <c>event: error</c> or an <c>{"error":…}</c> payload) answers with that error instead: its
/// payload as the body and its <c>status_code</c> (500 when it has none).
/// </summary>
/// <param name="StatusCode">HTTP status: 200, or the recorded error's.</param>
/// <param name="Body">The JSON body, encoded once.</param>
/// <param name="TokenEventsBefore">Token-bearing events recorded before the answer (all of them, or those before the
/// error): the answer is due when the last of them would have been streamed.</param>
internal sealed record RecordedCompletion(int StatusCode, byte[] Body, int TokenEventsBefore)
{
    private static readonly JsonWriterOptions WriterOptions =
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Assembles the answer from the recording's events and the client-side reading of it.</summary>
    public static RecordedCompletion Build(
        byte[] body, IReadOnlyList<RecordedEvent> events, StreamAccumulator summary)
    {
        string? id = null, created = null, model = null, usage = null;
        var tokenEvents = 0;
        foreach (var e in events)
        {
            if (e.Data is not { } data || !e.Terminated)
            {
                continue;
            }

            if (data == "[DONE]")
            {
                break; // a client stops reading here
            }

            if (e.Type == "error")
            {
                return Error(data, tokenEvents);
            }

            if (TryParseObject(data) is { } document)
            {
                using (document)
                {
                    var root = document.RootElement;
                    if (root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
                    {
                        return Error(data, tokenEvents);
                    }

                    id ??= Raw(root, "id");
                    created ??= Raw(root, "created");
                    model ??= Raw(root, "model");
                    if (root.TryGetProperty("usage", out var recorded) && recorded.ValueKind == JsonValueKind.Object)
                    {
                        usage = recorded.GetRawText();
                    }
                }
            }

            if (e.IsTokenBearing)
            {
                tokenEvents++;
            }
        }

        var buffer = new ArrayBufferWriter<byte>(256 + (body.Length / 4));
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            WriteRawOr(json, "id", id, "\"chatcmpl-replay\"");
            json.WriteString("object", "chat.completion");
            WriteRawOr(json, "created", created, "0");
            WriteRawOr(json, "model", model, "\"replay\"");
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            json.WriteStartObject("message");
            json.WriteString("role", "assistant");
            if (summary.ContentChars == 0 && summary.ToolCalls.Count > 0)
            {
                json.WriteNull("content");
            }
            else
            {
                json.WriteString("content", summary.Content);
            }

            if (summary.ReasoningChars > 0)
            {
                json.WriteString("reasoning_content", summary.Reasoning);
            }

            if (summary.ToolCalls.Count > 0)
            {
                json.WriteStartArray("tool_calls");
                foreach (var call in summary.ToolCalls)
                {
                    json.WriteStartObject();
                    json.WriteString("id", call.Id);
                    json.WriteString("type", "function");
                    json.WriteStartObject("function");
                    json.WriteString("name", call.Name);
                    json.WriteString("arguments", call.Arguments);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteNull("refusal");
            json.WriteEndObject();
            json.WriteNull("logprobs");
            json.WriteString("finish_reason", summary.FinishReason);
            json.WriteEndObject();
            json.WriteEndArray();
            if (usage is not null)
            {
                json.WritePropertyName("usage");
                json.WriteRawValue(usage, skipInputValidation: true);
            }

            json.WriteEndObject();
        }

        return new RecordedCompletion(200, buffer.WrittenSpan.ToArray(), tokenEvents);
    }

    /// <summary>The recorded error: its payload when that is an <c>{"error":…}</c> object, else the payload wrapped as
    /// one (a bare error object, or text as the message); the status from <c>error.status_code</c> or
    /// <c>error.status</c> when it is 400–599, else 500.</summary>
    private static RecordedCompletion Error(string data, int tokenEventsBefore)
    {
        var status = 500;
        using var document = TryParseObject(data);
        if (document?.RootElement is { } root && root.TryGetProperty("error", out var error))
        {
            if (error.ValueKind == JsonValueKind.Object
                && (TryStatus(error, "status_code") ?? TryStatus(error, "status")) is { } recorded)
            {
                status = recorded;
            }

            return new RecordedCompletion(status, Encoding.UTF8.GetBytes(data), tokenEventsBefore);
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WritePropertyName("error");
            if (document is not null)
            {
                document.RootElement.WriteTo(json);
            }
            else
            {
                json.WriteStartObject();
                json.WriteString("message", data);
                json.WriteString("type", "server_error");
                json.WriteNull("param");
                json.WriteNull("code");
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return new RecordedCompletion(status, buffer.WrittenSpan.ToArray(), tokenEventsBefore);
    }

    private static int? TryStatus(JsonElement error, string name) =>
        error.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
        && value.TryGetInt32(out var status) && status is >= 400 and <= 599
            ? status
            : null;

    private static JsonDocument? TryParseObject(string data)
    {
        try
        {
            var document = JsonDocument.Parse(data);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
        }
        catch (JsonException)
        {
            // Not JSON: replayed as recorded, ignored here.
        }

        return null;
    }

    private static string? Raw(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetRawText() : null;

    private static void WriteRawOr(Utf8JsonWriter json, string name, string? raw, string fallback)
    {
        json.WritePropertyName(name);
        json.WriteRawValue(raw ?? fallback, skipInputValidation: true);
    }
}
