using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bench.Core.Client;
using Bench.Core.Records;

namespace Bench.Core.Wire;

/// <summary>
/// Writes the JSON body of an Anthropic Messages request (<c>POST {base}messages</c>, docs.anthropic.com "Messages"):
/// <code>
/// {"model":"…","max_tokens":256,"system":"…","messages":[{"role":"user","content":"…"}],"stream":true}
/// </code>
/// <c>max_tokens</c> is required by the API and always sent; system (and developer) messages become the top-level
/// <c>system</c> string (joined by a blank line; omitted when there are none), the others are <c>messages</c> with role
/// <c>user</c> or <c>assistant</c> and string content. Messages has no <c>seed</c>: <see cref="ChatRequest.Seed"/> is
/// not sent. Usage arrives in <c>message_start</c> and <c>message_delta</c>, no option needed.
/// </summary>
public static class AnthropicRequestWriter
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Appends the request body to <paramref name="destination"/>.</summary>
    /// <param name="destination">Receives UTF-8 JSON.</param>
    /// <param name="request">The request to write (its model already the target's name).</param>
    /// <param name="bodyFields">The target's extra top-level fields (e.g. <c>thinking</c>), written last (see
    /// <see cref="BodyFields"/>).</param>
    public static void Write(IBufferWriter<byte> destination, ChatRequest request, IReadOnlyDictionary<string, JsonElement>? bodyFields = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(request);

        using var writer = new Utf8JsonWriter(destination, s_options);
        writer.WriteStartObject();
        writer.WriteString("model"u8, request.Model);
        writer.WriteNumber("max_tokens"u8, request.MaxTokens);
        if (RequestWriters.SystemText(request) is { } system)
        {
            writer.WriteString("system"u8, system);
        }

        writer.WriteStartArray("messages"u8);
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
        writer.WriteBoolean("stream"u8, request.Mode == Mode.Streaming);
        BodyFields.Write(writer, bodyFields);
        writer.WriteEndObject();
        writer.Flush();
    }
}
