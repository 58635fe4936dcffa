using System.Globalization;
using System.Text.Json;
using Bench.Core.Client;
using Bench.Core.Configuration;

namespace Bench.Core.Prompts.Datasets;

/// <summary>One usable entry of a dataset.</summary>
/// <param name="Index">The entry's position in the file (0-based: a JSONL line's number minus one, counting blank
/// lines; a JSON array's element), recorded as <see cref="PromptDraw.SourceIndex"/>.</param>
/// <param name="Messages">The prompt to send.</param>
/// <param name="MaxTokens">The entry's own <c>max_tokens</c>, or null.</param>
/// <param name="Completion">ShareGPT: the answer that followed the prompt (its token count is the intended answer
/// length), or null.</param>
public sealed record DatasetEntry(long Index, IReadOnlyList<ChatMessage> Messages, int? MaxTokens, string? Completion);

/// <summary>
/// A file of the user's own prompts, read whole before anything is sent. Two formats:
/// <list type="bullet">
/// <item><c>messages</c>: JSONL, one <c>{"messages": [{"role": "system"|"user"|"assistant", "content": "…"}, …],
/// "max_tokens": N?}</c> a line (OpenAI's chat request body, as a fine-tuning or batch file has it).</item>
/// <item><c>sharegpt</c>: ShareGPT conversations, <c>{"conversations": [{"from": "human"|"gpt"|"system", "value": "…"},
/// …]}</c>, as a JSON array (the published <c>ShareGPT_V3_unfiltered_cleaned_split.json</c>) or JSONL. As vLLM's
/// <c>benchmarks/benchmark_dataset.py</c> (<c>ShareGPTDataset</c>) reads it: the first human turn is the prompt (after
/// a leading system turn, if any) and the gpt turn that follows it is the reference answer, whose token count is the
/// intended answer length (sent as <c>max_tokens</c>). Entries without both are skipped and counted
/// (<see cref="Skipped"/>).</item>
/// </list>
/// Errors (a line that is not JSON, an entry with no messages, a role that is not known) name the file and the line
/// (or entry) and are thrown together as a <see cref="ConfigException"/> (exit 2).
/// </summary>
public sealed class PromptDataset
{
    /// <summary>The <c>messages</c> format.</summary>
    public const string MessagesFormat = "messages";

    /// <summary>The <c>sharegpt</c> format.</summary>
    public const string ShareGptFormat = "sharegpt";

    private const int MaxErrors = 20;

    private PromptDataset(string path, string format, IReadOnlyList<DatasetEntry> entries, int skipped)
    {
        Path = path;
        Format = format;
        Entries = entries;
        Skipped = skipped;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary><see cref="MessagesFormat"/> or <see cref="ShareGptFormat"/>.</summary>
    public string Format { get; }

    /// <summary>The usable entries, in file order (at least one).</summary>
    public IReadOnlyList<DatasetEntry> Entries { get; }

    /// <summary>ShareGPT entries skipped for lacking a human turn followed by a gpt turn.</summary>
    public int Skipped { get; }

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format"><see cref="MessagesFormat"/>, <see cref="ShareGptFormat"/>, or null to tell from the file
    /// (a JSON array, or a first entry with <c>conversations</c>, is ShareGPT).</param>
    /// <exception cref="ConfigException">The file cannot be read, or has bad entries, or no usable one.</exception>
    public static PromptDataset Load(string path, string? format)
    {
        ArgumentNullException.ThrowIfNull(path);
        var errors = new ConfigErrors(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add("$", $"cannot read the dataset: {e.Message}");
            errors.ThrowIfAny();
            throw;
        }

        var entries = new List<DatasetEntry>();
        var skipped = 0;
        var trimmed = text.AsSpan().TrimStart();
        var isArray = trimmed.Length > 0 && trimmed[0] == '[';
        format ??= isArray ? ShareGptFormat : Detect(text);
        if (format is not (MessagesFormat or ShareGptFormat))
        {
            errors.Add("$", $"unknown dataset format '{format}'; expected {MessagesFormat} or {ShareGptFormat}");
            errors.ThrowIfAny();
        }

        void Read(JsonElement element, long index, string where)
        {
            if (errors.Count >= MaxErrors)
            {
                return;
            }

            var entry = format == ShareGptFormat ? ReadShareGpt(element, index, where, errors) : ReadMessages(element, index, where, errors);
            if (entry is not null)
            {
                entries.Add(entry);
            }
            else if (format == ShareGptFormat && errors.Count == 0)
            {
                skipped++;
            }
        }

        if (isArray)
        {
            if (format != ShareGptFormat)
            {
                errors.Add("$", "a JSON array is read as ShareGPT; a messages dataset is JSONL (one object a line)");
                errors.ThrowIfAny();
            }

            try
            {
                using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true });
                var i = 0;
                foreach (var element in document.RootElement.EnumerateArray())
                {
                    Read(element, i, $"entry {i}");
                    i++;
                }
            }
            catch (JsonException e)
            {
                errors.Add($"line {(e.LineNumber ?? 0) + 1}", $"not JSON: {Clean(e)}");
            }
        }
        else
        {
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length && errors.Count < MaxErrors; i++)
            {
                var line = lines[i].TrimEnd('\r');
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                try
                {
                    using var document = JsonDocument.Parse(line);
                    Read(document.RootElement, i, Line(i));
                }
                catch (JsonException e)
                {
                    errors.Add(Line(i), $"not JSON: {Clean(e)}");
                }
            }
        }

        if (errors.Count == 0 && entries.Count == 0)
        {
            errors.Add("$", format == ShareGptFormat
                ? $"no usable entry ({skipped} skipped: a ShareGPT entry needs a human turn followed by a gpt turn)"
                : "no entry: a messages dataset has one {\"messages\": [...]} object a line");
        }

        errors.ThrowIfAny();
        return new PromptDataset(path, format!, entries, skipped);
    }

    /// <summary>The parser's message without its zero-based position suffix (the line is named by the error's path).</summary>
    private static string Clean(JsonException e) =>
        e.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0].TrimEnd();

    private static string Line(int index) => string.Create(CultureInfo.InvariantCulture, $"line {index + 1}");

    private static string? Detect(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(raw);
                return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("conversations", out _)
                    ? ShareGptFormat
                    : MessagesFormat;
            }
            catch (JsonException)
            {
                return MessagesFormat; // the line's error is reported where it is read
            }
        }

        return MessagesFormat;
    }

    private static DatasetEntry? ReadMessages(JsonElement element, long index, string where, ConfigErrors errors)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("messages", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            errors.Add(where, "expected {\"messages\": [{\"role\": …, \"content\": …}, …]} with at least one message");
            return null;
        }

        var messages = new List<ChatMessage>();
        var m = 0;
        foreach (var message in list.EnumerateArray())
        {
            var role = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            var content = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (role is not ("system" or "user" or "assistant" or "developer") || content is null)
            {
                errors.Add(where, string.Create(CultureInfo.InvariantCulture,
                    $"messages[{m}]: needs a role (system, developer, user or assistant) and a string content"));
                return null;
            }

            messages.Add(new ChatMessage(role, content));
            m++;
        }

        int? maxTokens = null;
        if (element.TryGetProperty("max_tokens", out var max) && max.ValueKind != JsonValueKind.Null)
        {
            if (max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out var value) || value < 1)
            {
                errors.Add(where, "max_tokens: must be a whole number of at least 1");
                return null;
            }

            maxTokens = value;
        }

        return new DatasetEntry(index, messages, maxTokens, null);
    }

    private static DatasetEntry? ReadShareGpt(JsonElement element, long index, string where, ConfigErrors errors)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("conversations", out var turns) || turns.ValueKind != JsonValueKind.Array)
        {
            errors.Add(where, "expected {\"conversations\": [{\"from\": \"human\"|\"gpt\", \"value\": …}, …]}");
            return null;
        }

        string? system = null;
        string? prompt = null;
        foreach (var turn in turns.EnumerateArray())
        {
            var from = turn.ValueKind == JsonValueKind.Object && turn.TryGetProperty("from", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
            var value = turn.ValueKind == JsonValueKind.Object && turn.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (from is null || value is null)
            {
                return null; // a malformed turn: skipped, as vLLM filters what it cannot use
            }

            if (prompt is null)
            {
                if (from == "system")
                {
                    system = value;
                }
                else if (from is "human" or "user")
                {
                    prompt = value;
                }
                else
                {
                    return null; // the conversation does not start with the human
                }
            }
            else
            {
                if (from is not ("gpt" or "assistant") || value.Length == 0 || prompt.Length == 0)
                {
                    return null;
                }

                IReadOnlyList<ChatMessage> messages = system is null
                    ? [new ChatMessage("user", prompt)]
                    : [new ChatMessage("system", system), new ChatMessage("user", prompt)];
                return new DatasetEntry(index, messages, null, value);
            }
        }

        return null;
    }
}
