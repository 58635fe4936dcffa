using System.Text.Json;

namespace Bench.Core.Wire;

/// <summary>
/// A target's extra top-level body fields (<see cref="Client.Endpoint.BodyFields"/>, scenario <c>targets[].body</c>),
/// written by every request writer after its own fields. A field the protocol's writer already writes is refused (the
/// body would carry the name twice, and which one a server keeps is not defined): <see cref="Check"/> says so before
/// anything is sent. One exception: Gemini's <c>generationConfig</c>, whose members are written inside Bench's own
/// <c>generationConfig</c> (so <c>thinkingConfig</c> or <c>temperature</c> can be added), its
/// <c>maxOutputTokens</c> and <c>seed</c> refused.
/// </summary>
public static class BodyFields
{
    private static readonly string[] s_chat = ["model", "messages", "max_tokens", "max_completion_tokens", "stream", "stream_options", "seed"];
    private static readonly string[] s_responses = ["model", "input", "instructions", "max_output_tokens", "stream"];
    private static readonly string[] s_anthropic = ["model", "messages", "system", "max_tokens", "stream"];
    private static readonly string[] s_gemini = ["contents", "systemInstruction", "system_instruction"];
    private static readonly string[] s_geminiConfig = ["maxOutputTokens", "max_output_tokens", "seed"];

    /// <summary>The top-level fields <paramref name="protocol"/>'s request writer writes itself.</summary>
    public static IReadOnlyList<string> Written(WireProtocol protocol) => protocol switch
    {
        WireProtocol.OpenAiChat => s_chat,
        WireProtocol.OpenAiResponses => s_responses,
        WireProtocol.AnthropicMessages => s_anthropic,
        WireProtocol.Gemini => s_gemini,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };

    /// <summary>Refuses extra fields that collide with the writer's own.</summary>
    /// <param name="protocol">The target's protocol.</param>
    /// <param name="fields">The extra fields.</param>
    /// <exception cref="ArgumentException">A field Bench writes itself (named in the message), or Gemini's
    /// <c>generationConfig</c> that is not an object or sets <c>maxOutputTokens</c> or <c>seed</c>.</exception>
    public static void Check(WireProtocol protocol, IReadOnlyDictionary<string, JsonElement>? fields)
    {
        if (fields is null)
        {
            return;
        }

        var own = Written(protocol);
        foreach (var (name, value) in fields)
        {
            if (own.Contains(name, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"The extra body field '{name}' is one Bench writes itself for {WireProtocols.Name(protocol)} ({string.Join(", ", own)}); remove it from the target's body fields.",
                    nameof(fields));
            }

            if (protocol == WireProtocol.Gemini && IsGenerationConfig(name))
            {
                if (value.ValueKind != JsonValueKind.Object)
                {
                    throw new ArgumentException($"The extra body field '{name}' must be an object (Gemini's GenerationConfig).", nameof(fields));
                }

                foreach (var member in value.EnumerateObject())
                {
                    if (s_geminiConfig.Contains(member.Name, StringComparer.Ordinal))
                    {
                        throw new ArgumentException(
                            $"The extra body field '{name}.{member.Name}' is one Bench writes itself (from the scenario's max_tokens and seed); remove it.",
                            nameof(fields));
                    }
                }
            }
        }
    }

    /// <summary>Whether <paramref name="name"/> is Gemini's generation config (REST accepts both spellings).</summary>
    internal static bool IsGenerationConfig(string name) => name is "generationConfig" or "generation_config";

    /// <summary>Writes every field except those <paramref name="skip"/> names, in the dictionary's order.</summary>
    internal static void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, JsonElement>? fields, Func<string, bool>? skip = null)
    {
        if (fields is null)
        {
            return;
        }

        foreach (var (name, value) in fields)
        {
            if (skip?.Invoke(name) == true)
            {
                continue;
            }

            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }
}
