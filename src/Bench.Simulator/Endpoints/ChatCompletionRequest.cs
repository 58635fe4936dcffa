using System.Text.Json;
using System.Text;
using Bench.Core.Client;
using Bench.Core.Tokens;

namespace Bench.Simulator.Endpoints;

/// <summary>
/// The fields of a <c>POST /v1/chat/completions</c> body the simulator uses (and the one request every other
/// protocol's body is read into, <see cref="WireRequests"/>); other fields are accepted and ignored.
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

    /// <summary>Prompt tokens, as Bench counts a prompt locally (<see cref="TokenCounter.CountPrompt(IReadOnlyList{ChatMessage}, out bool)"/>,
    /// the OpenAI cookbook's formula): the model family's tokenizer (<see cref="TokenCounter.ForModel"/>) over every
    /// message's role and text, plus 3 per message and 3 priming the reply, so a simulator's <c>usage</c> equals the
    /// record's <c>tokenizer_prompt_tokens</c> in every protocol.</summary>
    public int PromptTokens { get; init; }

    /// <summary>The prompt's token ids in the chat template's order (<see cref="TokenCounter.EncodePrompt"/>), which the
    /// prefix cache hashes in blocks; fewer than <see cref="PromptTokens"/> only past the tokenizer's
    /// character budget.</summary>
    public IReadOnlyList<int> PromptIds { get; init; } = [];

    /// <summary>The prompt as messages (role, text), whatever the protocol's shape.</summary>
    public IReadOnlyList<ChatMessage> Messages { get; init; } = [];

    /// <summary>vLLM's <c>ignore_eos</c> (a top-level body field in every protocol): the answer runs to
    /// <see cref="MaxTokens"/> tokens.</summary>
    public bool IgnoreEos { get; init; }

    /// <summary>vLLM's <c>min_tokens</c> (a top-level body field in every protocol, 0 when absent): the answer has at
    /// least this many tokens (≤ <see cref="MaxTokens"/>).</summary>
    public int MinTokens { get; init; }

    /// <summary>Whether the prompt may be read from or written to the prefix cache: always, except in Anthropic
    /// Messages, which caches only when asked (<c>cache_control</c> at the top level, Anthropic's automatic caching, or
    /// on any block).</summary>
    public bool Cacheable { get; init; } = true;

    /// <summary>This request with <paramref name="seed"/> as its seed (Bench's <c>X-Bench-Seed</c> header, for protocols
    /// whose body has no seed field).</summary>
    public ChatCompletionRequest WithSeed(long seed) => new()
    {
        Model = Model, Stream = Stream, IncludeUsage = IncludeUsage, MaxTokens = MaxTokens, Seed = seed, PromptTokens = PromptTokens,
        PromptIds = PromptIds, Messages = Messages, IgnoreEos = IgnoreEos, MinTokens = MinTokens, Cacheable = Cacheable,
    };

    /// <summary>Reads a parsed body, or says what is wrong with it (an HTTP 400).</summary>
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

        if (!TryReadMessages(messages, out var prompt, out error)
            || !TryReadBoolean(body, "stream", out var stream, out error)
            || !TryReadIncludeUsage(body, out var includeUsage, out error)
            || !TryReadMaxTokens(body, "max_completion_tokens", out var maxCompletionTokens, out error)
            || !TryReadMaxTokens(body, "max_tokens", out var maxTokens, out error)
            || !TryReadSeed(body, out var seed, out error))
        {
            return false;
        }

        return TryCreate(
            body, model.GetString()!, stream, includeUsage, maxCompletionTokens ?? maxTokens ?? DefaultMaxTokens, seed, prompt, cacheable: true, out request, out error);
    }

    /// <summary>
    /// The request every protocol's reader ends with: reads the generation options every protocol takes as top-level
    /// body fields (<c>ignore_eos</c>, a boolean; <c>min_tokens</c>, an integer 0 … <paramref name="maxTokens"/>: vLLM's
    /// extra sampling parameters) and counts the prompt with the model family's tokenizer.
    /// </summary>
    internal static bool TryCreate(
        JsonElement body,
        string model,
        bool stream,
        bool includeUsage,
        int maxTokens,
        long? seed,
        List<ChatMessage> messages,
        bool cacheable,
        out ChatCompletionRequest? request,
        out ApiError error)
    {
        request = null;
        if (!TryReadBoolean(body, "ignore_eos", out var ignoreEos, out error))
        {
            return false;
        }

        var minTokens = 0;
        if (body.TryGetProperty("min_tokens", out var min) && min.ValueKind != JsonValueKind.Null)
        {
            if (min.ValueKind != JsonValueKind.Number || !min.TryGetInt32(out minTokens) || minTokens < 0 || minTokens > maxTokens)
            {
                error = ApiError.InvalidValue("min_tokens", $"an integer from 0 to max_tokens ({maxTokens})");
                return false;
            }
        }

        var ids = new List<int>();
        var promptTokens = TokenCounter.ForModel(model).EncodePrompt(messages, ids, out _);
        request = new ChatCompletionRequest
        {
            Model = model,
            Stream = stream,
            IncludeUsage = includeUsage,
            MaxTokens = maxTokens,
            Seed = seed,
            PromptTokens = promptTokens,
            PromptIds = ids,
            Messages = messages,
            IgnoreEos = ignoreEos,
            MinTokens = minTokens,
            Cacheable = cacheable,
        };
        return true;
    }

    /// <summary>Reads chat's <c>messages</c>: each a message object whose <c>role</c> (a string, else none) and
    /// <c>content</c> — a string, or an array of parts whose <c>{"type":"text","text":…}</c> ones are joined; <c>null</c>
    /// or absent is empty — make one <see cref="ChatMessage"/>.</summary>
    private static bool TryReadMessages(JsonElement messages, out List<ChatMessage> prompt, out ApiError error)
    {
        prompt = [];
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

            var text = "";
            if (message.TryGetProperty("content", out var content))
            {
                switch (content.ValueKind)
                {
                    case JsonValueKind.String:
                        text = content.GetString()!;
                        break;
                    case JsonValueKind.Array:
                        var parts = new StringBuilder();
                        foreach (var part in content.EnumerateArray())
                        {
                            if (part.ValueKind == JsonValueKind.Object
                                && part.TryGetProperty("type", out var type) && type.ValueEquals("text"u8)
                                && part.TryGetProperty("text", out var partText) && partText.ValueKind == JsonValueKind.String)
                            {
                                parts.Append(partText.GetString());
                            }
                        }

                        text = parts.ToString();
                        break;
                    case JsonValueKind.Null:
                        break;
                    default:
                        error = ApiError.InvalidValue($"messages[{index}].content", "a string or an array of parts");
                        return false;
                }
            }

            prompt.Add(new ChatMessage(RoleOf(message), text));
            index++;
        }

        return true;
    }

    /// <summary>A message object's <c>role</c> when it is a string, else empty.</summary>
    internal static string RoleOf(JsonElement message) =>
        message.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String ? role.GetString()! : "";

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
