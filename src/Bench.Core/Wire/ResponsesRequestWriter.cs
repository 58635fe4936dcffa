using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bench.Core.Client;
using Bench.Core.Records;

namespace Bench.Core.Wire;

/// <summary>
/// Writes the JSON body of an OpenAI Responses request (<c>POST {base}responses</c>, API reference "Create a model
/// response"):
/// <code>
/// {"model":"…","instructions":"…","input":[{"role":"user","content":"…"}],"max_output_tokens":256,"stream":true}
/// </code>
/// System (and developer) messages become <c>instructions</c> (joined by a blank line; omitted when there are none);
/// the other messages are <c>input</c> items in order, each an "easy input message" (<c>role</c> user/assistant,
/// <c>content</c> a string). The Responses API takes no <c>seed</c>: <see cref="ChatRequest.Seed"/> is not sent, and
/// <c>store</c> is left to the server's default. Usage comes with <c>response.completed</c>, no option needed.
/// </summary>
public static class ResponsesRequestWriter
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Appends the request body to <paramref name="destination"/>.</summary>
    /// <param name="destination">Receives UTF-8 JSON.</param>
    /// <param name="request">The request to write (its model already the target's name).</param>
    /// <param name="bodyFields">The target's extra top-level fields, written last (see <see cref="BodyFields"/>).</param>
    public static void Write(IBufferWriter<byte> destination, ChatRequest request, IReadOnlyDictionary<string, JsonElement>? bodyFields = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(request);

        using var writer = new Utf8JsonWriter(destination, s_options);
        writer.WriteStartObject();
        writer.WriteString("model"u8, request.Model);
        if (RequestWriters.SystemText(request) is { } instructions)
        {
            writer.WriteString("instructions"u8, instructions);
        }

        writer.WriteStartArray("input"u8);
        foreach (var message in request.Messages)
        {
            if (RequestWriters.IsSystem(message))
            {
                continue;
            }

            writer.WriteStartObject();
            writer.WriteString("role"u8, message.Role);
            writer.WriteString("content"u8, message.Content);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteNumber("max_output_tokens"u8, request.MaxTokens);
        writer.WriteBoolean("stream"u8, request.Mode == Mode.Streaming);
        BodyFields.Write(writer, bodyFields);
        writer.WriteEndObject();
        writer.Flush();
    }
}
