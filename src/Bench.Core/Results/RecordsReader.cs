using System.Text.Json;
using Bench.Core.Records;

namespace Bench.Core.Results;

/// <summary>
/// Reads <c>records.jsonl</c> one line at a time (memory stays bounded however long the run). A line that is not a
/// record — typically the last, cut off when a run was killed, but also any corrupt or hand-edited line — is skipped
/// and counted in <see cref="RecordsReadResult.SkippedLines"/> with its reason, never fatal: whatever the file holds,
/// reading it does not throw (but for the file itself missing or unreadable).
/// </summary>
/// <remarks>
/// <para>A line is skipped when it is not JSON, not an object, holds a value of the wrong type (a fractional or
/// overflowing count, an unknown outcome, mode or phase, an outcome or mode given as a number outside the enum), or when
/// <c>sent_ms</c> or <c>end_ms</c> is not a time: NaN, ±Infinity (written as names) or further than
/// <see cref="MaxAbsTimeMs"/> from the run's origin.</para>
/// <para>A record that is kept is made safe to aggregate: a missing <c>model</c>, <c>phase</c> or
/// <c>tokens_source</c> gets its default; optional times that are not times become absent and such token event times are dropped; and its usage is checked by <see cref="UsageCheck.Apply"/> (negative, inconsistent or impossible counts
/// are flagged and not believed), so results written before that check existed are judged the same way.</para>
/// </remarks>
public static class RecordsReader
{
    /// <summary>The largest distance of a time from the run's origin, ms (about 31.7 years): anything further is not a
    /// time this run measured.</summary>
    public const double MaxAbsTimeMs = 1e12;

    /// <summary>A line longer than this (64 Mi characters) is skipped unread: a record, even of a 128 Ki-token stream
    /// with every token event's time, is a few megabytes.</summary>
    public const int MaxLineChars = 64 * 1024 * 1024;

    /// <summary>At most this many skipped lines keep their number and reason; the rest are only counted.</summary>
    public const int MaxSkippedLinesKept = 1000;

    /// <summary>Streams the records of <paramref name="path"/>, calling <paramref name="onRecord"/> for each.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static RecordsReadResult Read(string path, Action<RequestRecord> onRecord)
    {
        ArgumentNullException.ThrowIfNull(onRecord);
        var result = new RecordsReadResult();
        using var reader = new StreamReader(path);
        var lineNumber = 0;
        foreach (var (line, tooLong) in Lines(reader, MaxLineChars))
        {
            lineNumber++;
            if (tooLong)
            {
                result.Skip(lineNumber, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"longer than {MaxLineChars:N0} characters"));
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (TryParse(line, out var record, out var reason))
            {
                result.Records++;
                onRecord(record);
            }
            else
            {
                result.Skip(lineNumber, reason);
            }
        }

        return result;
    }

    /// <summary>The lines of <paramref name="reader"/> split at <c>\n</c> (a trailing <c>\r</c> dropped); a line longer
    /// than <paramref name="maxChars"/> is not kept (its text is null, <c>TooLong</c> true), so one endless line cannot
    /// exhaust memory.</summary>
    private static IEnumerable<(string? Line, bool TooLong)> Lines(TextReader reader, int maxChars)
    {
        var buffer = new char[64 * 1024];
        var line = new System.Text.StringBuilder();
        var tooLong = false;
        var pending = false;
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            while (start < read)
            {
                var newline = Array.IndexOf(buffer, '\n', start, read - start);
                var end = newline < 0 ? read : newline;
                pending = true;
                if (!tooLong && line.Length + (end - start) > maxChars)
                {
                    tooLong = true;
                    line.Clear();
                }
                else if (!tooLong)
                {
                    line.Append(buffer, start, end - start);
                }

                if (newline < 0)
                {
                    break;
                }

                yield return Take(line, ref tooLong);
                pending = false;
                start = newline + 1;
            }
        }

        if (pending)
        {
            yield return Take(line, ref tooLong);
        }

        static (string?, bool) Take(System.Text.StringBuilder line, ref bool tooLong)
        {
            if (line.Length > 0 && line[^1] == '\r')
            {
                line.Length--;
            }

            var taken = tooLong ? (null, true) : (line.ToString(), false);
            line.Clear();
            tooLong = false;
            return taken;
        }
    }

    /// <summary>Reads every record into a list (for small files and tests).</summary>
    public static List<RequestRecord> ReadAll(string path)
    {
        var list = new List<RequestRecord>();
        Read(path, list.Add);
        return list;
    }

    /// <summary>Parses one line into a record made safe to aggregate, or says why it is not a record.</summary>
    public static bool TryParse(string line, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RequestRecord? record, out string reason)
    {
        ArgumentNullException.ThrowIfNull(line);
        reason = "";
        try
        {
            record = JsonSerializer.Deserialize(line, ResultsJson.Default.RequestRecord);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException or OverflowException)
        {
            record = null;
            reason = $"not a record: {Trim(ex.Message)}";
            return false;
        }

        if (record is null)
        {
            reason = "not a record: null";
            return false;
        }

        if (!Enum.IsDefined(record.Outcome) || !Enum.IsDefined(record.Mode))
        {
            reason = $"unknown outcome or mode ({(int)record.Outcome}, {(int)record.Mode})";
            record = null;
            return false;
        }

        if (record.Phase is not (null or Phases.Measure or Phases.Warmup or Phases.Sweep))
        {
            reason = "unknown phase";
            record = null;
            return false;
        }

        if (!IsTime(record.SentMs) || !IsTime(record.EndMs))
        {
            reason = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"sent_ms or end_ms is not a time ({record.SentMs}, {record.EndMs})");
            record = null;
            return false;
        }

        Sanitize(record);
        UsageCheck.Apply(record);
        return true;
    }

    /// <summary>Defaults for missing required fields; absent for non-finite optional numbers.</summary>
    private static void Sanitize(RequestRecord record)
    {
        // The serializer sets null where the file says null, whatever the property's nullability.
        record.Model ??= "";
        record.Phase ??= Phases.Measure;
        record.TokensSource ??= TokenSources.None;
        record.TokenEventsMs ??= [];
        record.TokenEventsMs.RemoveAll(t => !IsTime(t));
        record.IntendedMs = Time(record.IntendedMs);
        record.FirstByteMs = Time(record.FirstByteMs);
        record.FirstTokenMs = Time(record.FirstTokenMs);
        record.FirstOutputTokenMs = Time(record.FirstOutputTokenMs);
        record.LastTokenMs = Time(record.LastTokenMs);
        record.ProbeRatePerS = record.ProbeRatePerS is { } rate && !double.IsFinite(rate) ? null : record.ProbeRatePerS;
    }

    /// <summary>A time on the run clock: finite and within <see cref="MaxAbsTimeMs"/> of the origin, so differences of
    /// two times stay finite.</summary>
    private static bool IsTime(double ms) => double.IsFinite(ms) && Math.Abs(ms) <= MaxAbsTimeMs;

    private static double? Time(double? ms) => ms is { } v && !IsTime(v) ? null : ms;

    private static string Trim(string message) => message.Length <= 200 ? message : string.Concat(message.AsSpan(0, 199), "…");
}

/// <summary>What <see cref="RecordsReader.Read"/> found.</summary>
public sealed class RecordsReadResult
{
    private readonly List<int> _skipped = [];
    private readonly List<string> _reasons = [];

    /// <summary>Records read.</summary>
    public long Records { get; set; }

    /// <summary>Lines that were not records (truncated or corrupt), all of them counted.</summary>
    public long Skipped { get; private set; }

    /// <summary>1-based numbers of lines that were not records (truncated or corrupt); the first
    /// <see cref="RecordsReader.MaxSkippedLinesKept"/> of them.</summary>
    public IReadOnlyList<int> SkippedLines => _skipped;

    /// <summary>Why each line of <see cref="SkippedLines"/> was skipped, in the same order.</summary>
    public IReadOnlyList<string> SkippedReasons => _reasons;

    /// <summary>Counts a skipped line, keeping its number and reason while fewer than
    /// <see cref="RecordsReader.MaxSkippedLinesKept"/> are kept.</summary>
    public void Skip(int lineNumber, string reason)
    {
        Skipped++;
        if (_skipped.Count < RecordsReader.MaxSkippedLinesKept)
        {
            _skipped.Add(lineNumber);
            _reasons.Add(reason);
        }
    }
}
