using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bench.Core.Client;
using Bench.Core.Records;

namespace Bench.Core.Wire;

/// <summary>
/// Writes the JSON body of a <c>POST /v1/chat/completions</c> request with <see cref="Utf8JsonWriter"/>:
/// <code>
/// {"model":"…","messages":[{"role":"user","content":"…"}],"max_tokens":256,"stream":true,
///  "stream_options":{"include_usage":true},"seed":7}
/// </code>
/// <c>max_completion_tokens</c> replaces <c>max_tokens</c> when <see cref="ChatRequest.UseMaxCompletionTokens"/> is set;
/// <c>stream_options</c> is sent only when streaming and <c>seed</c> only when given; <c>"ignore_eos": true,
/// "min_tokens": N</c> (vLLM's sampling parameters, N = the limit) only when <see cref="ChatRequest.IgnoreEos"/>.
/// </summary>
public static class ChatRequestWriter
{
    // The body goes to an HTTP API, not into HTML: only what JSON requires is escaped, so non-ASCII text stays UTF-8.
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Appends the request body to <paramref name="destination"/>.</summary>
    /// <param name="destination">Receives UTF-8 JSON, e.g. an <see cref="ArrayBufferWriter{T}"/>.</param>
    /// <param name="request">The request to write.</param>
    /// <param name="bodyFields">The target's extra top-level fields (<see cref="Endpoint.BodyFields"/>), written after
    /// Bench's own; checked beforehand by <see cref="BodyFields.Check"/>.</param>
    public static void Write(IBufferWriter<byte> destination, ChatRequest request, IReadOnlyDictionary<string, JsonElement>? bodyFields = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(request);

        using var writer = new Utf8JsonWriter(destination, s_options);
        writer.WriteStartObject();
        writer.WriteString("model"u8, request.Model);
        writer.WriteStartArray("messages"u8);
        for (var i = 0; i < request.Messages.Count; i++)
        {
            var message = request.Messages[i];
            writer.WriteStartObject();
            writer.WriteString("role"u8, message.Role);
            writer.WriteString("content"u8, message.Content);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteNumber(request.UseMaxCompletionTokens ? "max_completion_tokens"u8 : "max_tokens"u8, request.MaxTokens);
        var streaming = request.Mode == Mode.Streaming;
        writer.WriteBoolean("stream"u8, streaming);
        if (streaming)
        {
            // OpenAI: "an additional chunk will be streamed before the data: [DONE] message. The usage field on this
            // chunk shows the token usage statistics for the entire request".
            writer.WriteStartObject("stream_options"u8);
            writer.WriteBoolean("include_usage"u8, true);
            writer.WriteEndObject();
        }

        if (request.Seed is { } seed)
        {
            writer.WriteNumber("seed"u8, seed);
        }

        if (request.IgnoreEos)
        {
            // vLLM's SamplingParams: generate past the end-of-sequence token, and at least min_tokens.
            writer.WriteBoolean("ignore_eos"u8, true);
            writer.WriteNumber("min_tokens"u8, request.MaxTokens);
        }

        BodyFields.Write(writer, bodyFields);
        writer.WriteEndObject();
        writer.Flush();
    }
}
