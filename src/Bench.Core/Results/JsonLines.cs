using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Bench.Core.Results;

/// <summary>
/// Appends objects to a JSON Lines file, one per line in the snake_case of <see cref="ResultsJson"/>. Each line is
/// written and flushed to the OS before <see cref="Append"/> returns, so a run that dies or is cancelled keeps every
/// line appended before it stopped. Thread-safe: lines never interleave.
/// </summary>
/// <typeparam name="T">The line's type.</typeparam>
public sealed class JsonLinesWriter<T> : IDisposable
{
    private readonly Lock _gate = new();
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;
    private readonly JsonTypeInfo<T> _type;
    private bool _closed;
    private long _written;

    /// <summary>Opens (creating or appending to) <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="type">How a line is written (a <see cref="ResultsJson"/> contract).</param>
    public JsonLinesWriter(string path, JsonTypeInfo<T> type)
    {
        _type = type ?? throw new ArgumentNullException(nameof(type));
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 16 * 1024);
        _json = new Utf8JsonWriter(_file, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>Lines written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Writes <paramref name="item"/> as one line and flushes it. After <see cref="Dispose"/> it does nothing.</summary>
    public void Append(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            JsonSerializer.Serialize(_json, item, _type);
            _json.Flush();
            _json.Reset();
            _file.WriteByte((byte)'\n');
            _file.Flush();
            Interlocked.Increment(ref _written);
        }
    }

    /// <summary>Closes the file; later <see cref="Append"/> calls are ignored.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _json.Dispose();
            _file.Dispose();
        }
    }
}

/// <summary>
/// Reads a JSON Lines file one line at a time without ever throwing on content: a line that is not a valid item (the
/// last one cut off when a run was killed, a corrupt or hand-edited line, one the caller's check refuses) is skipped
/// and counted with its number and reason in a <see cref="RecordsReadResult"/> (whose <c>Records</c> counts the items
/// read).
/// </summary>
public static class JsonLinesReader
{
    /// <summary>Streams the items of <paramref name="path"/>, calling <paramref name="onItem"/> for each.</summary>
    /// <typeparam name="T">The line's type.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="type">How a line is read.</param>
    /// <param name="what">What an item is called in a skip reason (<c>an injection</c>).</param>
    /// <param name="check">Returns the item to keep (possibly normalised), or null with the reason it is refused.</param>
    /// <param name="onItem">Receives each item kept.</param>
    /// <param name="maxLineChars">A longer line is skipped as too long.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static RecordsReadResult Read<T>(string path, JsonTypeInfo<T> type, string what, Func<T, (T? Item, string? Reason)> check, Action<T> onItem, int maxLineChars)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(onItem);
        var result = new RecordsReadResult();
        using var reader = new StreamReader(path);
        var lineNumber = 0;
        var buffer = new char[maxLineChars + 1];
        while (ReadLine(reader, buffer, maxLineChars, out var line, out var tooLong, out var end))
        {
            lineNumber++;
            if (tooLong)
            {
                result.Skip(lineNumber, string.Create(CultureInfo.InvariantCulture, $"longer than {maxLineChars:N0} characters"));
            }
            else if (!string.IsNullOrWhiteSpace(line))
            {
                if (TryParse(line, type, what, check, out var item, out var reason))
                {
                    result.Records++;
                    onItem(item);
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

    /// <summary>Parses one line, or says why it is not an item.</summary>
    public static bool TryParse<T>(string line, JsonTypeInfo<T> type, string what, Func<T, (T? Item, string? Reason)> check,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? item, out string reason)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(check);
        reason = "";
        T? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(line, type);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException or OverflowException)
        {
            item = null;
            reason = $"not {what}: " + (ex.Message.Length <= 200 ? ex.Message : string.Concat(ex.Message.AsSpan(0, 199), "…"));
            return false;
        }

        if (parsed is null)
        {
            item = null;
            reason = $"not {what}: null";
            return false;
        }

        (item, var refused) = check(parsed);
        if (item is null)
        {
            reason = $"not {what}: {refused}";
            return false;
        }

        return true;
    }

    /// <summary>One line of at most <paramref name="maxLineChars"/> characters (longer lines are consumed and reported
    /// as too long); false at the end of the file.</summary>
    private static bool ReadLine(StreamReader reader, char[] buffer, int maxLineChars, out string? line, out bool tooLong, out bool end)
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

        tooLong |= length > maxLineChars;
        if (!tooLong)
        {
            line = new string(buffer, 0, length > 0 && buffer[length - 1] == '\r' ? length - 1 : length);
        }

        return true;
    }
}
