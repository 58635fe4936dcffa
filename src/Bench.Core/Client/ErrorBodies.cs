using System.Text.Json;
using Bench.Core.Records;
using Bench.Core.Wire;

namespace Bench.Core.Client;

/// <summary>
/// What a non-2xx answer's JSON body says, in each protocol's shape, as an <see cref="ErrorInfo"/> (type, code,
/// message):
/// <list type="bullet">
/// <item>anthropic-messages (docs.anthropic.com "Errors"): <c>{"type":"error","error":{"type":"overloaded_error",
/// "message":"Overloaded"}}</c> → type and code = the inner <c>type</c> (<c>overloaded_error</c>,
/// <c>rate_limit_error</c>, …), message;</item>
/// <item>gemini (ai.google.dev "Troubleshooting", Google's API error model): <c>{"error":{"code":429,"message":…,
/// "status":"RESOURCE_EXHAUSTED"}}</c>, possibly inside a one-element array → type = <c>status</c>, code = the numeric
/// <c>code</c> as text, message;</item>
/// <item>otherwise (and when the above do not match) OpenAI's <c>{"error":{…}}</c> through
/// <see cref="ChunkParser.TryReadError(ReadOnlySpan{byte}, bool, out bool)"/>.</item>
/// </list>
/// Only read on an error path (a whole, capped body): a <see cref="JsonDocument"/> is fine here.
/// </summary>
internal static class ErrorBodies
{
    /// <summary>The error <paramref name="body"/> reports, or null when it reports none.</summary>
    /// <param name="protocol">The target's protocol.</param>
    /// <param name="body">The body's first bytes.</param>
    /// <param name="complete">Whether <paramref name="body"/> is the whole body (a cut body is read as far as it goes
    /// only by the OpenAI reader).</param>
    public static ErrorInfo? Read(WireProtocol protocol, ReadOnlySpan<byte> body, bool complete)
    {
        if (complete && protocol is WireProtocol.AnthropicMessages or WireProtocol.Gemini && TryDocument(body) is { } document)
        {
            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
                {
                    root = root[0];
                }

                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    var message = Text(error, "message");
                    if (protocol == WireProtocol.AnthropicMessages && Text(error, "type") is { } type)
                    {
                        return new ErrorInfo(type, type, message);
                    }

                    if (protocol == WireProtocol.Gemini && Text(error, "status") is { } status)
                    {
                        var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetRawText() : Text(error, "code");
                        return new ErrorInfo(status, code, message);
                    }
                }
            }
        }

        return ChunkParser.TryReadError(body, complete, out _);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonDocument? TryDocument(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            return JsonDocument.TryParseValue(ref reader, out var document) ? document : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
