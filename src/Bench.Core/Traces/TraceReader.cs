using System.Globalization;
using System.Text.Json;
using Bench.Core.Client;
using Bench.Core.Configuration;

namespace Bench.Core.Traces;

/// <summary>
/// Reads a trace file (<see cref="TraceFormat"/>) whole, before anything is sent. Every problem is reported as
/// <c>file: line N: reason</c> in one <see cref="ConfigException"/> (the run exits 2): a line that is not a JSON object,
/// a missing or negative timestamp, a length that is not a positive whole number, a timestamp before the previous
/// line's (a trace is replayed in file order, so an unsorted one is refused rather than silently reordered: sort it,
/// e.g. <c>jq -s -c 'sort_by(.timestamp)[]'</c>), an empty file.
/// </summary>
public static class TraceReader
{
    /// <summary>The longest prompt a trace line may ask for, in tokens (about 16 times the largest context windows
    /// offered; a typo like 1e9 is refused before a gigabyte of prompt is built).</summary>
    public const int MaxInputLength = 16 * 1024 * 1024;

    /// <summary>The longest answer a trace line may ask for, in tokens.</summary>
    public const int MaxOutputLength = 1024 * 1024;

    /// <summary>Errors reported at most; past them the reader stops (the rest is probably the same mistake).</summary>
    public const int MaxErrors = 20;

    /// <summary>Loads <paramref name="path"/>.</summary>
    /// <param name="path">The trace file.</param>
    /// <param name="format"><c>bench</c>, <c>mooncake</c> (every line must then have <c>input_length</c> and
    /// <c>hash_ids</c>), or null: read by the bench rules, which accept Mooncake's lines as they are (a bench line may
    /// carry <c>hash_ids</c>), and called Mooncake when every line is one.</param>
    /// <exception cref="ConfigException">The file is missing or unreadable, empty, or has bad lines (each listed with
    /// its number).</exception>
    public static TraceFile Load(string path, string? format = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        IEnumerable<string> lines;
        try
        {
            if (!File.Exists(path))
            {
                throw new ConfigException([new ConfigError(path, "$", "the trace file does not exist")]);
            }

            lines = File.ReadLines(path);
            return Parse(lines, path, format);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException([new ConfigError(path, "$", $"the trace file cannot be read: {e.Message}")]);
        }
    }

    /// <summary>Loads the trace of every <c>trace</c> step in <paramref name="steps"/> once (by path), before a run sends
    /// anything; every file's problems are reported together.</summary>
    /// <exception cref="ConfigException">A trace cannot be used (each problem listed).</exception>
    public static IReadOnlyDictionary<string, TraceFile> LoadAll(IEnumerable<Scenarios.WorkloadStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var traces = new Dictionary<string, TraceFile>(StringComparer.Ordinal);
        var errors = new List<ConfigError>();
        foreach (var spec in steps.Select(s => s.Trace).OfType<Scenarios.TraceSpec>())
        {
            if (traces.ContainsKey(spec.Path))
            {
                continue;
            }

            try
            {
                traces[spec.Path] = Load(spec.Path, spec.Format);
            }
            catch (ConfigException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        return errors.Count > 0 ? throw new ConfigException(errors) : traces;
    }

    /// <summary>Reads trace lines from text (<paramref name="file"/> names it in errors).</summary>
    /// <exception cref="ConfigException">See <see cref="Load"/>.</exception>
    public static TraceFile Parse(IEnumerable<string> text, string file, string? format = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new List<ConfigError>();
        var result = new List<TraceLine>();
        TraceFormat? kind = format switch
        {
            null => null,
            "bench" => TraceFormat.Bench,
            "mooncake" => TraceFormat.Mooncake,
            _ => throw new ConfigException([new ConfigError(file, "$", $"unknown trace format '{format}' (bench or mooncake)")]),
        };
        var number = 0;
        double? previous = null;
        foreach (var raw in text)
        {
            number++;
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            void Fail(string reason) => errors.Add(new ConfigError(file, string.Create(CultureInfo.InvariantCulture, $"line {number}"), reason));
            try
            {
                using var document = JsonDocument.Parse(raw);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    Fail($"a trace line is a JSON object, not {Kind(root)}");
                }
                else
                {
                    if (Read(root, kind ?? TraceFormat.Bench, result.Count, number, Fail) is { } line)
                    {
                        if (previous is { } before && line.TimestampMs < before)
                        {
                            Fail(string.Create(CultureInfo.InvariantCulture,
                                $"timestamp {line.TimestampMs} is before the previous line's ({before}): a trace is replayed in file order; sort it by timestamp"));
                        }

                        previous = line.TimestampMs;
                        result.Add(line);
                    }
                }
            }
            catch (JsonException e)
            {
                Fail($"not JSON ({e.Message})");
            }

            if (errors.Count >= MaxErrors)
            {
                errors.Add(new ConfigError(file, string.Create(CultureInfo.InvariantCulture, $"line {number}"), $"stopped reading after {MaxErrors} errors"));
                break;
            }
        }

        if (errors.Count == 0 && result.Count == 0)
        {
            errors.Add(new ConfigError(file, "$", "the trace has no lines"));
        }

        return errors.Count > 0 ? throw new ConfigException(errors) : new TraceFile(file, kind ?? Detect(result), result);
    }

    /// <summary>Without a given format every line is read by the bench rules (a Mooncake line is a bench line with
    /// <c>hash_ids</c>); the trace is called Mooncake when every line is one: a length, hash ids, no session.</summary>
    private static TraceFormat Detect(List<TraceLine> lines) =>
        lines.All(l => l.HashIds is not null && l.InputLength is not null && l.SessionId is null) ? TraceFormat.Mooncake : TraceFormat.Bench;

    private static TraceLine? Read(JsonElement line, TraceFormat format, long index, int number, Action<string> fail)
    {
        var ok = true;
        void Bad(string reason)
        {
            ok = false;
            fail(reason);
        }

        double timestamp = 0;
        if (!line.TryGetProperty("timestamp", out var ts))
        {
            Bad("no timestamp (milliseconds)");
        }
        else if (ts.ValueKind != JsonValueKind.Number || !ts.TryGetDouble(out timestamp) || double.IsInfinity(timestamp) || timestamp < 0)
        {
            Bad($"timestamp must be a number of milliseconds ≥ 0, not {Text(ts)}");
        }

        int? Length(string name, int max, bool required)
        {
            if (!line.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Bad($"no {name} (tokens)");
                }

                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n >= 1 && n <= max)
            {
                return (int)n;
            }

            Bad(string.Create(CultureInfo.InvariantCulture, $"{name} must be a whole number of tokens from 1 to {max:N0}, not {Text(value)}"));
            return null;
        }

        var input = Length("input_length", MaxInputLength, format == TraceFormat.Mooncake);
        var output = Length("output_length", MaxOutputLength, required: true);
        string? prompt = null;
        IReadOnlyList<ChatMessage>? messages = null;
        string? session = null;
        IReadOnlyList<long>? hashIds = null;
        if (line.TryGetProperty("prompt", out var p))
        {
            if (p.ValueKind == JsonValueKind.String && p.GetString() is { Length: > 0 } text)
            {
                prompt = text;
            }
            else
            {
                Bad($"prompt must be a non-empty string, not {Text(p)}");
            }
        }

        if (line.TryGetProperty("messages", out var m))
        {
            messages = Messages(m, Bad);
        }

        var given = (input is null ? 0 : 1) + (line.TryGetProperty("prompt", out _) ? 1 : 0) + (line.TryGetProperty("messages", out _) ? 1 : 0);
        if (format == TraceFormat.Bench && given != 1 && ok)
        {
            Bad(given == 0
                ? "needs one of input_length (tokens), prompt (text) or messages (a conversation)"
                : "gives more than one of input_length, prompt and messages; give one");
        }

        if (line.TryGetProperty("session_id", out var s))
        {
            session = s.ValueKind switch
            {
                JsonValueKind.String when s.GetString() is { Length: > 0 } id => id,
                JsonValueKind.Number => s.GetRawText(),
                _ => null,
            };
            if (session is null)
            {
                Bad($"session_id must be a non-empty string or a number, not {Text(s)}");
            }
        }

        if (line.TryGetProperty("hash_ids", out var h))
        {
            hashIds = HashIds(h, Bad);
            if (input is null && hashIds is not null && ok)
            {
                Bad("hash_ids need input_length (they name its 512-token blocks)");
            }
        }
        else if (format == TraceFormat.Mooncake)
        {
            Bad("no hash_ids (a Mooncake line names its prompt's 512-token blocks)");
        }

        if (hashIds is not null && input is { } length && hashIds.Count > (length + TraceLine.BlockTokens - 1) / TraceLine.BlockTokens)
        {
            Bad(string.Create(CultureInfo.InvariantCulture,
                $"{hashIds.Count} hash_ids name more 512-token blocks than input_length {length} fills ({(length + TraceLine.BlockTokens - 1) / TraceLine.BlockTokens})"));
        }

        return ok ? new TraceLine(index, number, timestamp, input, prompt, messages, output!.Value, session, hashIds) : null;
    }

    private static List<ChatMessage>? Messages(JsonElement value, Action<string> bad)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            bad($"messages must be a non-empty array of {{\"role\", \"content\"}}, not {Text(value)}");
            return null;
        }

        var list = new List<ChatMessage>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object
                && item.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String && role.GetString() is { Length: > 0 } r
                && item.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
            {
                list.Add(new ChatMessage(r, content.GetString()!));
            }
            else
            {
                bad(string.Create(CultureInfo.InvariantCulture, $"messages[{i}] must be {{\"role\": string, \"content\": string}}"));
                return null;
            }

            i++;
        }

        return list;
    }

    private static List<long>? HashIds(JsonElement value, Action<string> bad)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            bad($"hash_ids must be an array of whole numbers, not {Text(value)}");
            return null;
        }

        var list = new List<long>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var id) || id < 0)
            {
                bad($"hash_ids must be whole numbers ≥ 0, not {Text(item)}");
                return null;
            }

            list.Add(id);
        }

        return list;
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Text(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
    }
}
