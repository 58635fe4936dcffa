using System.Text.Json;
using Bench.Core.Records;

namespace Bench.Core.Results;

/// <summary>
/// Reads <c>records.jsonl</c> one line at a time (memory stays bounded however long the run). A line that is not a
/// record — typically the last, cut off when a run was killed — is skipped and counted in
/// <see cref="RecordsReadResult.SkippedLines"/>, never fatal.
/// </summary>
public static class RecordsReader
{
    /// <summary>Streams the records of <paramref name="path"/>, calling <paramref name="onRecord"/> for each.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static RecordsReadResult Read(string path, Action<RequestRecord> onRecord)
    {
        ArgumentNullException.ThrowIfNull(onRecord);
        var result = new RecordsReadResult();
        using var reader = new StreamReader(path);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            RequestRecord? record = null;
            try
            {
                record = JsonSerializer.Deserialize(line, ResultsJson.Default.RequestRecord);
            }
            catch (JsonException)
            {
            }

            if (record is null)
            {
                result.SkippedLines.Add(lineNumber);
                continue;
            }

            result.Records++;
            onRecord(record);
        }

        return result;
    }

    /// <summary>Reads every record into a list (for small files and tests).</summary>
    public static List<RequestRecord> ReadAll(string path)
    {
        var list = new List<RequestRecord>();
        Read(path, list.Add);
        return list;
    }
}

/// <summary>What <see cref="RecordsReader.Read"/> found.</summary>
public sealed class RecordsReadResult
{
    /// <summary>Records read.</summary>
    public long Records { get; set; }

    /// <summary>1-based numbers of lines that were not records (truncated or corrupt).</summary>
    public List<int> SkippedLines { get; } = [];
}
