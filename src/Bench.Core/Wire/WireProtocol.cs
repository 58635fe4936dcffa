using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Bench.Core.Wire;

/// <summary>
/// The API a target speaks: how a request is written, where it goes, how it authenticates, and how its JSON body or
/// Server-Sent Events are read into a <see cref="StreamAccumulator"/>. In files and on the command line the kebab-case
/// names below (scenario <c>targets[].protocol</c>, <c>bench inspect --protocol</c>).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<WireProtocol>))]
public enum WireProtocol
{
    /// <summary><c>openai-chat</c> (the default): OpenAI Chat Completions, <c>POST {base}/chat/completions</c>, bearer key;
    /// the shape every OpenAI-compatible server, relay and gateway serves.</summary>
    [JsonStringEnumMemberName("openai-chat")]
    OpenAiChat,

    /// <summary><c>openai-responses</c>: the OpenAI Responses API, <c>POST {base}/responses</c>, bearer key; typed
    /// events (<c>response.output_text.delta</c>, …, <c>response.completed</c>).</summary>
    [JsonStringEnumMemberName("openai-responses")]
    OpenAiResponses,

    /// <summary><c>anthropic-messages</c>: Anthropic Messages, <c>POST {base}/messages</c>, <c>x-api-key</c> and
    /// <c>anthropic-version</c> headers; events <c>message_start</c>, <c>content_block_delta</c>, …,
    /// <c>message_stop</c>.</summary>
    [JsonStringEnumMemberName("anthropic-messages")]
    AnthropicMessages,

    /// <summary><c>gemini</c>: Google Gemini, <c>POST {base}/models/{model}:generateContent</c> or
    /// <c>:streamGenerateContent?alt=sse</c>, <c>x-goog-api-key</c> header; each event a whole
    /// <c>GenerateContentResponse</c>.</summary>
    [JsonStringEnumMemberName("gemini")]
    Gemini,
}

/// <summary>The file and command-line names of <see cref="WireProtocol"/>.</summary>
public static class WireProtocols
{
    /// <summary>Every protocol, in the order above.</summary>
    public static IReadOnlyList<WireProtocol> All { get; } = [WireProtocol.OpenAiChat, WireProtocol.OpenAiResponses, WireProtocol.AnthropicMessages, WireProtocol.Gemini];

    /// <summary>The name of <paramref name="protocol"/>: <c>openai-chat</c>, <c>openai-responses</c>,
    /// <c>anthropic-messages</c> or <c>gemini</c>.</summary>
    public static string Name(WireProtocol protocol) => protocol switch
    {
        WireProtocol.OpenAiChat => "openai-chat",
        WireProtocol.OpenAiResponses => "openai-responses",
        WireProtocol.AnthropicMessages => "anthropic-messages",
        WireProtocol.Gemini => "gemini",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };

    /// <summary>Parses a protocol's name (case-insensitive).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out WireProtocol? protocol)
    {
        foreach (var p in All)
        {
            if (string.Equals(Name(p), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                protocol = p;
                return true;
            }
        }

        protocol = null;
        return false;
    }
}
