using System.Buffers;
using System.Text.Json;
using Bench.Core.Client;

namespace Bench.Core.Wire;

/// <summary>The request writer of each <see cref="WireProtocol"/>: one <see cref="ChatRequest"/>, four bodies.</summary>
public static class RequestWriters
{
    /// <summary>Appends <paramref name="request"/>'s body in <paramref name="protocol"/>'s shape, then
    /// <paramref name="bodyFields"/> (checked by <see cref="BodyFields.Check"/> beforehand: this does not check them).
    /// <see cref="ChatRequest.Model"/> is written as given (the caller maps it: <see cref="Endpoint.WireModel"/>); Gemini
    /// puts it in the URL, not the body.</summary>
    public static void Write(WireProtocol protocol, IBufferWriter<byte> destination, ChatRequest request, IReadOnlyDictionary<string, JsonElement>? bodyFields = null)
    {
        switch (protocol)
        {
            case WireProtocol.OpenAiChat:
                ChatRequestWriter.Write(destination, request, bodyFields);
                break;
            case WireProtocol.OpenAiResponses:
                ResponsesRequestWriter.Write(destination, request, bodyFields);
                break;
            case WireProtocol.AnthropicMessages:
                AnthropicRequestWriter.Write(destination, request, bodyFields);
                break;
            case WireProtocol.Gemini:
                GeminiRequestWriter.Write(destination, request, bodyFields);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null);
        }
    }

    /// <summary>The system messages of <paramref name="request"/> joined by a blank line, or null when there are none
    /// (the three protocols with a separate system prompt take one text).</summary>
    internal static string? SystemText(ChatRequest request)
    {
        string? text = null;
        foreach (var message in request.Messages)
        {
            if (IsSystem(message))
            {
                text = text is null ? message.Content : text + "\n\n" + message.Content;
            }
        }

        return text;
    }

    /// <summary>Whether the message is a system (or developer) instruction rather than a turn.</summary>
    internal static bool IsSystem(ChatMessage message) => message.Role is "system" or "developer";
}
