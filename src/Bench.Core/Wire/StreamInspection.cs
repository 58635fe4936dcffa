using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bench.Core.Tokens;

namespace Bench.Core.Wire;

/// <summary>
/// What Bench reconstructs from one captured streaming Chat Completions body (<c>curl -N … &gt; body.sse</c>): the
/// events, text, tool calls, finish reason, usage, error, the variants met, and a local token count. Behind
/// <c>bench inspect</c>; it reads exactly as a benchmark run does (<see cref="ChatStreamReader"/>).
/// </summary>
public sealed class StreamInspection
{
    private StreamInspection(StreamAccumulator response, string? notAnEventStream, string? tokenizerEncoding, CompletionTokenCount? tokenizerCount)
    {
        Response = response;
        NotAnEventStream = notAnEventStream;
        TokenizerEncoding = tokenizerEncoding;
        TokenizerCount = tokenizerCount;
        Variants = StreamVariantNames.Of(response.Variants, response.UsageVendorKey);
    }

    /// <summary>Everything read from the body.</summary>
    public StreamAccumulator Response { get; }

    /// <summary>Why the body is not an SSE event stream (no event at all: a JSON document, HTML, binary, nothing), or
    /// <see langword="null"/> when it is one.</summary>
    public string? NotAnEventStream { get; }

    /// <summary>Whether the body held at least one SSE event.</summary>
    public bool IsEventStream => NotAnEventStream is null;

    /// <summary>The names of the variants met (<see cref="StreamVariantNames"/>).</summary>
    public IReadOnlyList<string> Variants { get; }

    /// <summary>The encoding of <see cref="TokenizerCount"/>; <see langword="null"/> when not counted.</summary>
    public string? TokenizerEncoding { get; }

    /// <summary>The received text counted locally; <see langword="null"/> when not counted.</summary>
    public CompletionTokenCount? TokenizerCount { get; }

    /// <summary>Reads <paramref name="body"/> to <c>[DONE]</c> or its end.</summary>
    /// <param name="body">A captured SSE body; not disposed.</param>
    /// <param name="tokenizer"><see langword="null"/> to pick the encoding from the stream's <c>model</c>,
    /// <c>o200k_base</c> or <c>cl100k_base</c> to force one, <c>none</c> not to count.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <exception cref="ArgumentException"><paramref name="tokenizer"/> is not one of those values.</exception>
    /// <exception cref="IOException">The body could not be read.</exception>
    public static async Task<StreamInspection> InspectAsync(Stream body, string? tokenizer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (tokenizer is not null && tokenizer != TokenEncodings.None && !TokenEncodings.IsKnown(tokenizer))
        {
            throw new ArgumentException(
                $"Unknown tokenizer '{tokenizer}'; expected {string.Join(", ", TokenEncodings.All)} or {TokenEncodings.None}.", nameof(tokenizer));
        }

        var response = new StreamAccumulator();
        await ChatStreamReader.ReadAsync(body, response, cancellationToken).ConfigureAwait(false);
        if (response.Events == 0)
        {
            return new StreamInspection(response, Describe(response.FirstBodyByte), null, null);
        }

        if (tokenizer == TokenEncodings.None)
        {
            return new StreamInspection(response, null, null, null);
        }

        var counter = tokenizer is null ? TokenCounter.ForModel(response.Model) : TokenCounter.ForEncoding(tokenizer);
        return new StreamInspection(response, null, counter.Encoding, counter.CountCompletion(response));
    }

    /// <summary>One JSON object (indented, UTF-8 text unescaped):
    /// <c>{events, done, model, content, reasoning, tool_calls: [{index, id, name, arguments}], finish_reason,
    /// usage: {prompt_tokens, completion_tokens, total_tokens, reasoning_tokens, cached_tokens}, usage_source, error:
    /// {type, code (a number when sent as one), message} | null, malformed, malformed_reason, token_events, tokenizer: {encoding,
    /// completion_tokens, reasoning_tokens} | null, variants: [...]}</c>. Absent values are <c>null</c>; <c>usage</c>
    /// is always an object; tool calls are ordered by index.</summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var r = Response;
            json.WriteStartObject();
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
            json.WriteEndObject();
            WriteString(json, "usage_source", UsageSource());
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
            if (TokenizerCount is { } count)
            {
                json.WriteStartObject("tokenizer");
                json.WriteString("encoding", TokenizerEncoding);
                json.WriteNumber("completion_tokens", count.CompletionTokens);
                json.WriteNumber("reasoning_tokens", count.ReasoningTokens);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("tokenizer");
            }

            json.WriteStartArray("variants");
            foreach (var variant in Variants)
            {
                json.WriteStringValue(variant);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The same, for a person: one field a line, then the tool calls, the reasoning and the content in full.</summary>
    public string ToText()
    {
        var r = Response;
        var text = new StringBuilder();
        Line(text, "events", $"{r.Events} ({r.TokenEventTimestamps.Count} with tokens), {(r.Done ? "[DONE] seen" : "no [DONE]")}");
        Line(text, "model", r.Model ?? "-");
        Line(text, "finish_reason", r.FinishReason ?? "-");
        Line(text, "usage", r.HasUsage
            ? $"prompt {Show(r.PromptTokens)}, completion {Show(r.CompletionTokens)}, total {Show(r.TotalTokens)}, "
                + $"reasoning {Show(r.ReasoningTokens)}, cached {Show(r.CachedTokens)} (from {UsageSource()})"
            : "none");
        Line(text, "tokenizer", TokenizerCount is { } count
            ? $"{TokenizerEncoding}: completion {count.CompletionTokens}, reasoning {count.ReasoningTokens}"
            : "not counted");
        Line(text, "error", r.Error is { } error ? $"type {error.Type ?? "-"}, code {error.Code ?? "-"}: {error.Message}" : "none");
        Line(text, "malformed", r.Malformed ? $"yes: {r.MalformedReason}" : "no");
        Line(text, "variants", Variants.Count > 0 ? string.Join(", ", Variants) : "none");
        Line(text, "tool_calls", r.ToolCalls.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var call in r.ToolCalls.OrderBy(c => c.Index))
        {
            text.Append(CultureInfo.InvariantCulture, $"  [{call.Index}] {call.Name ?? "-"} ({call.Id ?? "no id"}) {call.Arguments}").Append('\n');
        }

        Line(text, "reasoning", $"{r.ReasoningChars} chars");
        if (r.ReasoningChars > 0)
        {
            text.Append(r.Reasoning).Append('\n');
        }

        Line(text, "content", $"{r.ContentChars} chars");
        if (r.ContentChars > 0)
        {
            text.Append(r.Content).Append('\n');
        }

        return text.ToString();
    }

    private string? UsageSource() =>
        !Response.HasUsage ? null : Response.UsageVendorKey is { } key ? $"{key}.usage" : "usage";

    /// <summary>Names what a body without a single SSE event looks like, from its first significant byte.</summary>
    private static string Describe(byte? first) => first switch
    {
        null => "the input is empty (or only whitespace): no SSE events",
        (byte)'{' or (byte)'[' => "the input is a JSON document, not an SSE event stream (a non-streaming response or an error body?): no 'data:' events",
        (byte)'<' => "the input looks like HTML or XML, not an SSE event stream: no 'data:' events",
        _ => "no SSE 'data:' events found: not an event stream",
    };

    private static void Line(StringBuilder text, string name, string value) =>
        text.Append(name.PadRight(15)).Append(value).Append('\n');

    private static string Show(int? count) => count?.ToString(CultureInfo.InvariantCulture) ?? "-";

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
