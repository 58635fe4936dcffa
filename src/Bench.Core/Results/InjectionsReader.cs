using System.Text.Json;
using Bench.Core.Faults;

namespace Bench.Core.Results;

/// <summary>
/// Reads <c>injections.jsonl</c> (<see cref="InjectionsWriter"/>) one line at a time. Like
/// <see cref="RecordsReader"/> it never throws on content: a line that is not an injection (the last one cut off when
/// a run was killed, a corrupt or hand-edited line, an unknown fault kind, a negative attempt, a time that is not
/// finite) is skipped and counted with its number and reason.
/// </summary>
public static class InjectionsReader
{
    /// <summary>A line longer than this (64 Ki characters) is not an injection (one is a few hundred bytes).</summary>
    public const int MaxLineChars = 64 * 1024;

    /// <summary>Streams the injections of <paramref name="path"/>, calling <paramref name="onInjection"/> for each;
    /// returns how many were read and which lines were skipped (in <see cref="RecordsReadResult"/>'s shape:
    /// <see cref="RecordsReadResult.Records"/> counts injections).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static RecordsReadResult Read(string path, Action<InjectionRecord> onInjection)
    {
        ArgumentNullException.ThrowIfNull(onInjection);
        var result = new RecordsReadResult();
        using var reader = new StreamReader(path);
        var lineNumber = 0;
        var buffer = new char[MaxLineChars + 1];
        while (ReadLine(reader, buffer, out var line, out var tooLong, out var end))
        {
            lineNumber++;
            if (tooLong)
            {
                result.Skip(lineNumber, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"longer than {MaxLineChars:N0} characters"));
            }
            else if (!string.IsNullOrWhiteSpace(line))
            {
                if (TryParse(line, out var injection, out var reason))
                {
                    result.Records++;
                    onInjection(injection);
                }
                else
                {
                    result.Skip(lineNumber, reason);
                }
            }

            if (end)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>Reads every injection into a list (for small files and tests).</summary>
    public static List<InjectionRecord> ReadAll(string path)
    {
        var list = new List<InjectionRecord>();
        Read(path, list.Add);
        return list;
    }

    /// <summary>Parses one line, or says why it is not an injection.</summary>
    public static bool TryParse(string line, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out InjectionRecord? injection, out string reason)
    {
        ArgumentNullException.ThrowIfNull(line);
        reason = "";
        try
        {
            injection = JsonSerializer.Deserialize(line, ResultsJson.Default.InjectionRecord);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException or OverflowException)
        {
            injection = null;
            reason = "not an injection: " + (ex.Message.Length <= 200 ? ex.Message : string.Concat(ex.Message.AsSpan(0, 199), "…"));
            return false;
        }

        if (injection is null)
        {
            reason = "not an injection: null";
            return false;
        }

        if (!Enum.IsDefined(injection.Kind) || injection.Attempt < 0 || !double.IsFinite(injection.AtMs))
        {
            reason = "not an injection: unknown kind, a negative attempt or a time that is not finite";
            injection = null;
            return false;
        }

        // An absent attempt reads as 0 (the serializer does not keep the initializer of an init-only property): the
        // record's own rule is 1 when absent.
        if (injection.Attempt == 0 || injection.Model is null)
        {
            injection = injection with { Attempt = Math.Max(1, injection.Attempt), Model = injection.Model ?? "" };
        }

        return true;
    }

    /// <summary>One line of at most <see cref="MaxLineChars"/> characters (longer lines are consumed and reported as
    /// too long); false at the end of the file.</summary>
    private static bool ReadLine(StreamReader reader, char[] buffer, out string? line, out bool tooLong, out bool end)
    {
        var length = 0;
        tooLong = false;
        end = false;
        line = null;
        var any = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            any = true;
            if (c == '\n')
            {
                break;
            }

            if (length < buffer.Length)
            {
                buffer[length++] = (char)c;
            }
            else
            {
                tooLong = true;
            }
        }

        if (c < 0)
        {
            end = true;
        }

        if (!any)
        {
            return false;
        }

        tooLong |= length > MaxLineChars;
        if (!tooLong)
        {
            line = new string(buffer, 0, length > 0 && buffer[length - 1] == '\r' ? length - 1 : length);
        }

        return true;
    }
}
