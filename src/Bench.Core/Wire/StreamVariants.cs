namespace Bench.Core.Wire;

/// <summary>
/// The ways a Chat Completions stream departed from (or chose among) the shapes OpenAI documents, as met while reading
/// it: which reasoning field, where <c>usage</c> came, how the SSE framing looked. Bench reads every one of them; the
/// set says which were met (<see cref="StreamAccumulator.Variants"/>, printed by <c>bench inspect</c> under the names
/// of <see cref="StreamVariantNames"/>).
/// </summary>
[Flags]
public enum StreamVariants
{
    /// <summary>None of the variants below.</summary>
    None = 0,

    /// <summary><c>delta.reasoning_content</c> (DeepSeek, vLLM, Qwen, llama.cpp).</summary>
    ReasoningContent = 1 << 0,

    /// <summary><c>delta.reasoning</c> (Groq, OpenRouter, Ollama, gpt-oss servers).</summary>
    Reasoning = 1 << 1,

    /// <summary><c>delta.content</c> as an array of content parts (<c>{"type":"text","text":…}</c>, Mistral).</summary>
    ContentParts = 1 << 2,

    /// <summary>Thinking parts in a content array: <c>{"type":"thinking","thinking":"…" | [parts]}</c> (Mistral Magistral).</summary>
    ThinkingParts = 1 << 3,

    /// <summary><c>usage</c> in a chunk of its own with <c>"choices": []</c> (OpenAI with
    /// <c>stream_options.include_usage</c>, vLLM).</summary>
    UsageSeparateChunk = 1 << 4,

    /// <summary><c>usage</c> in a chunk that still carries a choice: with the finish reason (DeepSeek, llama.cpp) or in an
    /// empty delta after it (OpenRouter).</summary>
    UsageOnFinalChunk = 1 << 5,

    /// <summary>Usage only under a vendor's extension object, e.g. Groq's <c>x_groq.usage</c>; the key is
    /// <see cref="StreamAccumulator.UsageVendorKey"/>.</summary>
    UsageVendorKey = 1 << 6,

    /// <summary>No usage at all: token counts must come from a local tokenizer.</summary>
    NoUsage = 1 << 7,

    /// <summary>The first chunk with a choice already carried a token: no role-only (or empty) prelude chunk (llama.cpp).</summary>
    NoRolePrelude = 1 << 8,

    /// <summary>Chunks after the first token whose delta carried nothing (empty content, only a role, encrypted reasoning
    /// details) and no finish reason or usage.</summary>
    EmptyDeltas = 1 << 9,

    /// <summary>SSE comment lines (<c>: keep-alive</c>, <c>: OPENROUTER PROCESSING</c>).</summary>
    Comments = 1 << 10,

    /// <summary><c>data:</c> followed directly by the value, without the optional space.</summary>
    NoSpaceAfterData = 1 << 11,

    /// <summary>An event made of several <c>data:</c> lines (joined with <c>\n</c>, as WHATWG says).</summary>
    MultiLineData = 1 << 12,

    /// <summary>Lines ended by <c>\r\n</c>.</summary>
    CrLfLineEndings = 1 << 13,

    /// <summary>Lines ended by a lone <c>\r</c>.</summary>
    CrLineEndings = 1 << 14,

    /// <summary>Events with an <c>event:</c> type other than <c>message</c> and <c>error</c>.</summary>
    NamedEvents = 1 << 15,

    /// <summary>An <c>event: error</c> event (Groq's <c>tool_use_failed</c>).</summary>
    ErrorEvent = 1 << 16,

    /// <summary>A <c>data:</c> JSON object with a non-null <c>error</c> member.</summary>
    ErrorObject = 1 << 17,

    /// <summary>The body ended without <c>data: [DONE]</c>.</summary>
    NoDone = 1 << 18,

    /// <summary>A non-standard SSE <c>error:</c> field (older llama.cpp servers: <c>error: {…}</c> then
    /// <c>data: [DONE]</c>), which the WHATWG parser ignores.</summary>
    ErrorField = 1 << 19,
}

/// <summary>The snake_case names of <see cref="StreamVariants"/>, as <c>bench inspect</c> prints them.</summary>
public static class StreamVariantNames
{
    private static readonly (StreamVariants Flag, string Name)[] s_names =
    [
        (StreamVariants.ReasoningContent, "reasoning_content"),
        (StreamVariants.Reasoning, "reasoning"),
        (StreamVariants.ContentParts, "content_parts"),
        (StreamVariants.ThinkingParts, "thinking_parts"),
        (StreamVariants.UsageSeparateChunk, "usage_separate_chunk"),
        (StreamVariants.UsageOnFinalChunk, "usage_on_final_chunk"),
        (StreamVariants.UsageVendorKey, "usage_vendor_key"),
        (StreamVariants.NoUsage, "no_usage"),
        (StreamVariants.NoRolePrelude, "no_role_prelude"),
        (StreamVariants.EmptyDeltas, "empty_deltas"),
        (StreamVariants.Comments, "comments"),
        (StreamVariants.NoSpaceAfterData, "no_space_after_data"),
        (StreamVariants.MultiLineData, "multi_line_data"),
        (StreamVariants.CrLfLineEndings, "crlf_line_endings"),
        (StreamVariants.CrLineEndings, "cr_line_endings"),
        (StreamVariants.NamedEvents, "named_events"),
        (StreamVariants.ErrorEvent, "error_event"),
        (StreamVariants.ErrorObject, "error_object"),
        (StreamVariants.NoDone, "no_done"),
        (StreamVariants.ErrorField, "error_field"),
    ];

    /// <summary>The names of the flags set in <paramref name="variants"/>, in declaration order.
    /// <see cref="StreamVariants.UsageVendorKey"/> is written <c>usage_vendor_key:KEY</c> when the key is known
    /// (<c>usage_vendor_key:x_groq</c>).</summary>
    public static IReadOnlyList<string> Of(StreamVariants variants, string? usageVendorKey = null)
    {
        var names = new List<string>();
        foreach (var (flag, name) in s_names)
        {
            if ((variants & flag) != 0)
            {
                names.Add(flag == StreamVariants.UsageVendorKey && usageVendorKey is not null ? $"{name}:{usageVendorKey}" : name);
            }
        }

        return names;
    }
}
