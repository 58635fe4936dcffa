using Bench.Core.Batches;

namespace Bench.Core.Results;

/// <summary>
/// <c>batches.jsonl</c> (<see cref="ResultsDirectory.BatchesFile"/>): one <see cref="BatchRecord"/> per batch job,
/// appended when the batch ends or is given up. Read like <c>records.jsonl</c>: never throws on content; a line that is
/// not a batch record (cut off, corrupt, negative counts, times that are not finite) is skipped with its number and
/// reason.
/// </summary>
public static class BatchesFile
{
    /// <summary>A line longer than this (1 Mi characters: a batch's validation errors are kept) is not a batch record.</summary>
    public const int MaxLineChars = 1024 * 1024;

    /// <summary>Opens the folder's <c>batches.jsonl</c> for appending.</summary>
    public static JsonLinesWriter<BatchRecord> OpenWriter(string directory) =>
        new(Path.Combine(directory, ResultsDirectory.BatchesFile), ResultsJson.Default.BatchRecord);

    /// <summary>Writes <paramref name="records"/> as the jobs of <paramref name="models"/>: a job's earlier line (a run
    /// interrupted while waiting, now resumed; or a batch not submitted then) is replaced, every other line is kept as
    /// it was, and the file is replaced at once (written beside it, then renamed), so a killed process leaves either the
    /// old file or the new one. One line per batch job, as a reader expects.</summary>
    /// <param name="directory">The results folder.</param>
    /// <param name="models">The models whose jobs <paramref name="records"/> are (one batch per batch-api cell).</param>
    /// <param name="records">The jobs' records, appended in order.</param>
    public static void Replace(string directory, IReadOnlySet<string> models, IEnumerable<BatchRecord> records)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(records);
        var path = Path.Combine(directory, ResultsDirectory.BatchesFile);
        var temporary = Path.Combine(directory, ResultsDirectory.BatchesFileTemporary);
        File.Delete(temporary);
        using (var writer = new JsonLinesWriter<BatchRecord>(temporary, ResultsJson.Default.BatchRecord))
        {
            if (File.Exists(path))
            {
                JsonLinesReader.Read(path, ResultsJson.Default.BatchRecord, "a batch record", Check, b =>
                {
                    if (!models.Contains(b.Model))
                    {
                        writer.Append(b);
                    }
                }, MaxLineChars);
            }

            foreach (var record in records)
            {
                writer.Append(record);
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Every batch job of the folder, in file order, and the lines skipped; none when the folder has no
    /// <c>batches.jsonl</c> (a run without batch-api cells). A job written twice (interrupted while waiting, then
    /// collected by <c>bench run --resume</c>) is one job: its last record, in the place of its last record.</summary>
    public static (List<BatchRecord> Batches, RecordsReadResult Read) ReadAll(string directory)
    {
        var list = new List<BatchRecord>();
        var path = Path.Combine(directory, ResultsDirectory.BatchesFile);
        if (!File.Exists(path))
        {
            return (list, new RecordsReadResult());
        }

        var read = JsonLinesReader.Read(path, ResultsJson.Default.BatchRecord, "a batch record", Check, list.Add, MaxLineChars);
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].BatchId is { } id)
            {
                last[id] = i;
            }
        }

        return ([.. list.Where((b, i) => b.BatchId is not { } id || last[id] == i)], read);
    }

    private static (BatchRecord? Item, string? Reason) Check(BatchRecord batch) =>
        batch.Lines < 0 || batch.Polls < 0 || batch.PollErrors < 0 || !double.IsFinite(batch.UploadStartMs) || !double.IsFinite(batch.TimeScale) || batch.TimeScale <= 0
            || batch.RequestCounts is { Total: < 0 } or { Completed: < 0 } or { Failed: < 0 }
            ? (null, "negative counts, a time that is not finite or a time scale that is not positive")
            : (batch, null);
}
