using System.Text.Json;
using System.Text;
using Bench.Core.Client;
using Bench.Core.Wire;

namespace Bench.Simulator.Endpoints;

/// <summary>
/// Reads the request body of the Responses, Anthropic Messages and Gemini endpoints into the one request the simulator
/// answers (<see cref="ChatCompletionRequest"/>: model, stream flag, token limit, seed, prompt tokens), so every protocol
/// draws the same plan for the same request. Other fields are accepted and ignored. The prompt is read back into the
/// messages Bench's request writers made of it (the system text first, as <c>system</c>; Gemini's <c>model</c> role as
/// <c>assistant</c>) and counted as for chat (<see cref="ChatCompletionRequest.PromptTokens"/>), so the usage equals
/// Bench's local count in every protocol when the conversation has at most one system message (the writers join
/// several into one text, which the local count counts apart: 3 + 1 tokens per extra message, plus the joins).
/// </summary>
/// <remarks>Seeds: chat's <c>seed</c>; Gemini's <c>generationConfig.seed</c>; the Responses API and Anthropic have no
/// seed field, and the simulator reads a top-level <c>seed</c> (an extra body field, which a target's
/// <c>body_fields</c> can send) so one seed gives the same answer in every protocol.</remarks>
internal static class WireRequests
{
    /// <summary>Reads <paramref name="body"/> as <paramref name="protocol"/>'s request, or says what is wrong with it
    /// (an HTTP 400 in the protocol's shape). Gemini takes <paramref name="pathModel"/> and
    /// <paramref name="pathStream"/> from the URL.</summary>
    public static bool TryRead(
        WireProtocol protocol, JsonElement body, string? pathModel, bool pathStream, out ChatCompletionRequest? request, out ApiError error) =>
        protocol switch
        {
            WireProtocol.OpenAiResponses => TryReadResponses(body, out request, out error),
            WireProtocol.AnthropicMessages => TryReadMessages(body, out request, out error),
            WireProtocol.Gemini => TryReadGemini(body, pathModel!, pathStream, out request, out error),
            _ => ChatCompletionRequest.TryRead(body, out request, out error),
        };

    /// <summary>Responses (platform.openai.com/docs/api-reference/responses/create): <c>model</c>; <c>input</c>, a
    /// string or an array of items whose <c>content</c> is a string or parts with <c>text</c>; <c>instructions</c>;
    /// <c>max_output_tokens</c>; <c>stream</c>.</summary>
    private static bool TryReadResponses(JsonElement body, out ChatCompletionRequest? request, out ApiError error)
    {
        request = null;
        if (!TryReadModel(body, out var model, out error))
        {
            return false;
        }

        if (!body.TryGetProperty("input", out var input))
        {
            error = ApiError.MissingParameter("input");
            return false;
        }

        var prompt = new List<ChatMessage>();
        if (body.TryGetProperty("instructions", out var instructions) && TextOf(instructions) is { } system)
        {
            prompt.Add(new ChatMessage("system", system));
        }

        if (input.ValueKind == JsonValueKind.String)
        {
            prompt.Add(new ChatMessage("user", input.GetString()!));
        }
        else if (input.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in input.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("content", out var content))
                {
                    prompt.Add(new ChatMessage(RoleOr(item, "user"), TextOf(content) ?? ""));
                }
            }
        }
        else
        {
            error = ApiError.InvalidValue("input", "a string or an array of input items");
            return false;
        }

        if (!ChatCompletionRequest.TryReadBoolean(body, "stream", out var stream, out error)
            || !ChatCompletionRequest.TryReadMaxTokens(body, "max_output_tokens", out var maxTokens, out error)
            || !ChatCompletionRequest.TryReadSeed(body, out var seed, out error))
        {
            return false;
        }

        return ChatCompletionRequest.TryCreate(
            body, model!, stream, includeUsage: true, maxTokens ?? ChatCompletionRequest.DefaultMaxTokens, seed, prompt, cacheable: true, out request, out error);
    }

    /// <summary>Anthropic Messages (docs.anthropic.com/en/api/messages): <c>model</c>; <c>max_tokens</c>
    /// (required); <c>messages</c>, each <c>content</c> a string or blocks with <c>text</c>; <c>system</c>;
    /// <c>stream</c>.</summary>
    private static bool TryReadMessages(JsonElement body, out ChatCompletionRequest? request, out ApiError error)
    {
        request = null;
        if (!TryReadModel(body, out var model, out error))
        {
            return false;
        }

        if (!body.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            error = ApiError.InvalidValue("messages", "a non-empty array of messages");
            return false;
        }

        var prompt = new List<ChatMessage>();
        var cacheable = body.TryGetProperty("cache_control", out var topLevel) && topLevel.ValueKind == JsonValueKind.Object;
        if (body.TryGetProperty("system", out var system) && TextOf(system) is { } systemText)
        {
            prompt.Add(new ChatMessage("system", systemText));
            cacheable |= HasCacheControl(system);
        }

        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content))
            {
                prompt.Add(new ChatMessage(RoleOr(message, "user"), TextOf(content) ?? ""));
                cacheable |= HasCacheControl(content);
            }
        }

        if (!body.TryGetProperty("max_tokens", out _))
        {
            error = ApiError.MissingParameter("max_tokens");
            return false;
        }

        if (!ChatCompletionRequest.TryReadBoolean(body, "stream", out var stream, out error)
            || !ChatCompletionRequest.TryReadMaxTokens(body, "max_tokens", out var maxTokens, out error)
            || !ChatCompletionRequest.TryReadSeed(body, out var seed, out error))
        {
            return false;
        }

        return ChatCompletionRequest.TryCreate(body, model!, stream, includeUsage: true, maxTokens!.Value, seed, prompt, cacheable, out request, out error);
    }

    /// <summary>Gemini (ai.google.dev/api/generate-content): the model from the path; <c>contents</c>, each with
    /// <c>parts[{text}]</c>; <c>systemInstruction.parts</c>; <c>generationConfig.maxOutputTokens</c> and
    /// <c>generationConfig.seed</c>.</summary>
    private static bool TryReadGemini(JsonElement body, string model, bool stream, out ChatCompletionRequest? request, out ApiError error)
    {
        request = null;
        error = default;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = ApiError.InvalidJson;
            return false;
        }

        if (!body.TryGetProperty("contents", out var contents) || contents.ValueKind != JsonValueKind.Array || contents.GetArrayLength() == 0)
        {
            error = ApiError.InvalidValue("contents", "a non-empty array of contents");
            return false;
        }

        var prompt = new List<ChatMessage>();
        if (body.TryGetProperty("systemInstruction", out var system) && system.ValueKind == JsonValueKind.Object
            && system.TryGetProperty("parts", out var systemParts) && TextOf(systemParts) is { } systemText)
        {
            prompt.Add(new ChatMessage("system", systemText));
        }

        foreach (var content in contents.EnumerateArray())
        {
            if (content.ValueKind == JsonValueKind.Object && content.TryGetProperty("parts", out var parts))
            {
                var role = RoleOr(content, "user");
                prompt.Add(new ChatMessage(role == "model" ? "assistant" : role, TextOf(parts) ?? ""));
            }
        }

        int? maxTokens = null;
        long? seed = null;
        if (body.TryGetProperty("generationConfig", out var config) && config.ValueKind == JsonValueKind.Object
            && (!ChatCompletionRequest.TryReadMaxTokens(config, "maxOutputTokens", out maxTokens, out error)
                || !ChatCompletionRequest.TryReadSeed(config, out seed, out error)))
        {
            return false;
        }

        return ChatCompletionRequest.TryCreate(
            body, model, stream, includeUsage: true, maxTokens ?? ChatCompletionRequest.DefaultMaxTokens, seed, prompt, cacheable: true, out request, out error);
    }

    private static bool TryReadModel(JsonElement body, out string? model, out ApiError error)
    {
        model = null;
        error = default;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = ApiError.InvalidJson;
            return false;
        }

        if (!body.TryGetProperty("model", out var element))
        {
            error = ApiError.MissingParameter("model");
            return false;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            error = ApiError.InvalidValue("model", "a string");
            return false;
        }

        model = element.GetString();
        return true;
    }

    /// <summary>The text of a string, or of an array of parts/blocks whose <c>text</c> strings are joined; null for
    /// anything else.</summary>
    private static string? TextOf(JsonElement content)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString();
            case JsonValueKind.Array:
                var text = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var partText) && partText.ValueKind == JsonValueKind.String)
                    {
                        text.Append(partText.GetString());
                    }
                }

                return text.ToString();
            default:
                return null;
        }
    }

    /// <summary>An item's <c>role</c> when it is a string, else <paramref name="otherwise"/>.</summary>
    private static string RoleOr(JsonElement item, string otherwise) =>
        item.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String ? role.GetString()! : otherwise;

    /// <summary>Whether an Anthropic content (an array of blocks) marks a cache breakpoint: a block with a
    /// <c>cache_control</c> object.</summary>
    private static bool HasCacheControl(JsonElement content)
    {
        if (content.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var block in content.EnumerateArray())
        {
            if (block.ValueKind == JsonValueKind.Object && block.TryGetProperty("cache_control", out var control) && control.ValueKind == JsonValueKind.Object)
            {
                return true;
            }
        }

        return false;
    }
}
