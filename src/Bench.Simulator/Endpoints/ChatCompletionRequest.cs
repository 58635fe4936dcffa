using System.Text.Json;
using Bench.Core.Text;

namespace Bench.Simulator.Endpoints;

/// <summary>
/// The fields of a <c>POST /v1/chat/completions</c> body the simulator uses; other fields are accepted and ignored.
/// </summary>
internal sealed class ChatCompletionRequest
{
    /// <summary>Completion token limit when the request sets neither <c>max_completion_tokens</c> nor
    /// <c>max_tokens</c>.</summary>
    public const int DefaultMaxTokens = 256;

    /// <summary><c>model</c>.</summary>
    public required string Model { get; init; }

    /// <summary><c>stream</c> (default false).</summary>
    public bool Stream { get; init; }

    /// <summary><c>stream_options.include_usage</c> (default false).</summary>
    public bool IncludeUsage { get; init; }

    /// <summary><c>max_completion_tokens</c>, else <c>max_tokens</c>, else <see cref="DefaultMaxTokens"/>.</summary>
    public int MaxTokens { get; init; }

    /// <summary><c>seed</c>, if given.</summary>
    public long? Seed { get; init; }

    /// <summary>Prompt tokens: <see cref="SyntheticText.CountTokens"/> over every message's text content.</summary>
    public int PromptTokens { get; init; }

    /// <summary>Reads a parsed body, or says what is wrong with it (an HTTP 400).</summary>
    /// <summary>This request with <paramref name="seed"/> as its seed (Bench's <c>X-Bench-Seed</c> header, for protocols
    /// whose body has no seed field).</summary>
    public ChatCompletionRequest WithSeed(long seed) => new()
    {
        Model = Model, Stream = Stream, IncludeUsage = IncludeUsage, MaxTokens = MaxTokens, Seed = seed, PromptTokens = PromptTokens,
    };

    public static bool TryRead(JsonElement body, out ChatCompletionRequest? request, out ApiError error)
    {
        request = null;
        error = default;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = ApiError.InvalidJson;
            return false;
        }

        if (!body.TryGetProperty("model", out var model))
        {
            error = ApiError.MissingParameter("model");
            return false;
        }

        if (model.ValueKind != JsonValueKind.String)
        {
            error = ApiError.InvalidValue("model", "a string");
            return false;
        }

        if (!body.TryGetProperty("messages", out var messages))
        {
            error = ApiError.MissingParameter("messages");
            return false;
        }

        if (!TryCountPromptTokens(messages, out var promptTokens, out error)
            || !TryReadBoolean(body, "stream", out var stream, out error)
            || !TryReadIncludeUsage(body, out var includeUsage, out error)
            || !TryReadMaxTokens(body, "max_completion_tokens", out var maxCompletionTokens, out error)
            || !TryReadMaxTokens(body, "max_tokens", out var maxTokens, out error)
            || !TryReadSeed(body, out var seed, out error))
        {
            return false;
        }

        request = new ChatCompletionRequest
        {
            Model = model.GetString()!,
            Stream = stream,
            IncludeUsage = includeUsage,
            MaxTokens = maxCompletionTokens ?? maxTokens ?? DefaultMaxTokens,
            Seed = seed,
            PromptTokens = promptTokens,
        };
        return true;
    }

    /// <summary>Counts the words of every message's <c>content</c>: a string, or an array of parts of which the
    /// <c>{"type":"text","text":…}</c> ones count; <c>null</c> or absent content counts 0.</summary>
    private static bool TryCountPromptTokens(JsonElement messages, out int tokens, out ApiError error)
    {
        tokens = 0;
        error = default;
        if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            error = ApiError.InvalidValue("messages", "a non-empty array of messages");
            return false;
        }

        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object)
            {
                error = ApiError.InvalidValue($"messages[{index}]", "a message object");
                return false;
            }

            if (message.TryGetProperty("content", out var content))
            {
                switch (content.ValueKind)
                {
                    case JsonValueKind.String:
                        tokens += SyntheticText.CountTokens(content.GetString());
                        break;
                    case JsonValueKind.Array:
                        foreach (var part in content.EnumerateArray())
                        {
                            if (part.ValueKind == JsonValueKind.Object
                                && part.TryGetProperty("type", out var type) && type.ValueEquals("text"u8)
                                && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                            {
                                tokens += SyntheticText.CountTokens(text.GetString());
                            }
                        }

                        break;
                    case JsonValueKind.Null:
                        break;
                    default:
                        error = ApiError.InvalidValue($"messages[{index}].content", "a string or an array of parts");
                        return false;
                }
            }

            index++;
        }

        return true;
    }

    internal static bool TryReadBoolean(JsonElement obj, string name, out bool value, out ApiError error)
    {
        value = false;
        error = default;
        if (!obj.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            value = element.GetBoolean();
            return true;
        }

        error = ApiError.InvalidValue(name, "a boolean");
        return false;
    }

    private static bool TryReadIncludeUsage(JsonElement body, out bool includeUsage, out ApiError error)
    {
        includeUsage = false;
        error = default;
        if (!body.TryGetProperty("stream_options", out var options) || options.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (options.ValueKind != JsonValueKind.Object)
        {
            error = ApiError.InvalidValue("stream_options", "an object");
            return false;
        }

        if (TryReadBoolean(options, "include_usage", out includeUsage, out error))
        {
            return true;
        }

        error = ApiError.InvalidValue("stream_options.include_usage", "a boolean");
        return false;
    }

    internal static bool TryReadMaxTokens(JsonElement body, string name, out int? value, out ApiError error)
    {
        value = null;
        error = default;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var integer) && integer >= 1)
        {
            value = integer;
            return true;
        }

        error = ApiError.InvalidValue(name, "an integer ≥ 1");
        return false;
    }

    internal static bool TryReadSeed(JsonElement body, out long? seed, out ApiError error)
    {
        seed = null;
        error = default;
        if (!body.TryGetProperty("seed", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var integer))
        {
            seed = integer;
            return true;
        }

        error = ApiError.InvalidValue("seed", "an integer");
        return false;
    }
}
