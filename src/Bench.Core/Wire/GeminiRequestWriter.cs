using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bench.Core.Client;

namespace Bench.Core.Wire;

/// <summary>
/// Writes the JSON body of a Gemini <c>generateContent</c> / <c>streamGenerateContent</c> request (ai.google.dev, API
/// reference "Generating content"; the model is in the URL, not the body, and streaming is the method, not a field):
/// <code>
/// {"contents":[{"role":"user","parts":[{"text":"…"}]}],"systemInstruction":{"parts":[{"text":"…"}]},
///  "generationConfig":{"maxOutputTokens":256,"seed":7}}
/// </code>
/// System (and developer) messages become <c>systemInstruction</c> (joined by a blank line; omitted when there are
/// none); the others are <c>contents</c> with role <c>user</c>, or <c>model</c> for an assistant message.
/// <c>generationConfig.seed</c> is sent only when given. A target's extra <c>generationConfig</c> object (e.g.
/// <c>thinkingConfig</c>) is merged into Bench's; its other extra fields are written last (see
/// <see cref="BodyFields"/>).
/// </summary>
public static class GeminiRequestWriter
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Appends the request body to <paramref name="destination"/>.</summary>
    /// <param name="destination">Receives UTF-8 JSON.</param>
    /// <param name="request">The request to write (its model goes in the URL, not the body).</param>
    /// <param name="bodyFields">The target's extra top-level fields (see <see cref="BodyFields"/>).</param>
    public static void Write(IBufferWriter<byte> destination, ChatRequest request, IReadOnlyDictionary<string, JsonElement>? bodyFields = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(request);

        using var writer = new Utf8JsonWriter(destination, s_options);
        writer.WriteStartObject();
        writer.WriteStartArray("contents"u8);
        foreach (var message in request.Messages)
        {
            if (RequestWriters.IsSystem(message))
            {
                continue;
            }

            writer.WriteStartObject();
            writer.WriteString("role"u8, message.Role == "assistant" ? "model" : message.Role);
            WriteParts(writer, message.Content);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (RequestWriters.SystemText(request) is { } system)
        {
            writer.WriteStartObject("systemInstruction"u8);
            WriteParts(writer, system);
            writer.WriteEndObject();
        }

        writer.WriteStartObject("generationConfig"u8);
        writer.WriteNumber("maxOutputTokens"u8, request.MaxTokens);
        if (request.Seed is { } seed)
        {
            writer.WriteNumber("seed"u8, seed);
        }

        if (bodyFields is not null)
        {
            foreach (var (name, value) in bodyFields)
            {
                if (BodyFields.IsGenerationConfig(name) && value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var member in value.EnumerateObject())
                    {
                        member.WriteTo(writer);
                    }
                }
            }
        }

        writer.WriteEndObject();
        BodyFields.Write(writer, bodyFields, BodyFields.IsGenerationConfig);
        writer.WriteEndObject();
        writer.Flush();
    }

    private static void WriteParts(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartArray("parts"u8);
        writer.WriteStartObject();
        writer.WriteString("text"u8, text);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }
}
