using Bench.Core.Batches;
using Bench.Core.Records;
using Bench.Core.Results;

namespace Bench.Load.Batches;

/// <summary>
/// One batch-api cell's batch as <see cref="BatchCellRunner"/> drives it: its lines (request ids
/// <see cref="FirstId"/> … <see cref="FirstId"/> + <see cref="Lines"/> − 1), the <see cref="BatchSubmission"/> run.json
/// keeps (updated in place as the file and batch ids become known) and the <see cref="BatchRecord"/> written to
/// batches.jsonl at the end.
/// </summary>
public sealed class BatchJob
{
    /// <summary>Creates a job for <paramref name="submission"/> (a fresh one, or run.json's on resume).</summary>
    /// <param name="submission">The run.json entry: model, lines, first id, and whatever ids a previous run learned.</param>
    /// <param name="timeScale">Simulated provider seconds per real second (1 for a real endpoint).</param>
    /// <exception cref="ArgumentException">The submission has no first id or no lines.</exception>
    public BatchJob(BatchSubmission submission, double timeScale)
    {
        ArgumentNullException.ThrowIfNull(submission);
        Submission = submission;
        FirstId = submission.FirstId ?? throw new ArgumentException("A batch submission needs its first request id.", nameof(submission));
        if (submission.Lines < 1)
        {
            throw new ArgumentException("A batch submission needs at least one line.", nameof(submission));
        }

        Record = new BatchRecord
        {
            Model = submission.Model,
            Lines = submission.Lines,
            BatchId = submission.BatchId,
            InputFileId = submission.InputFileId,
            Status = submission.Status,
            TimeScale = timeScale,
        };
    }

    /// <summary>The cell's model.</summary>
    public string Model => Submission.Model;

    /// <summary>The cell's name, <c>{model} · batch-api</c>: the <c>bench_cell</c> metadata value.</summary>
    public string Cell => $"{Model} · {Names.Of(Mode.BatchApi)}";

    /// <summary>The first line's request id.</summary>
    public long FirstId { get; }

    /// <summary>Lines in the batch.</summary>
    public int Lines => Submission.Lines;

    /// <summary>run.json's entry, updated as the job goes.</summary>
    public BatchSubmission Submission { get; }

    /// <summary>batches.jsonl's line, filled as the job goes.</summary>
    public BatchRecord Record { get; }

    /// <summary>The last batch object read.</summary>
    public BatchObject? Last { get; internal set; }

    /// <summary>Why the batch could not be submitted (upload or creation refused, no Batch API), or null.</summary>
    public BatchFailure? SubmitFailure { get; internal set; }

    /// <summary>True once a batch exists for the cell (created or adopted).</summary>
    public bool Submitted => Record.BatchId is not null;

    /// <summary>True once its lines are in records.jsonl.</summary>
    public bool Collected => Submission.Collected;

    /// <summary>The custom_id of request <paramref name="id"/>: <c>bench-{id}</c>.</summary>
    public static string CustomIdOf(long id) => "bench-" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Sees a batch job change: its file or batch id became known, its status or counts changed, it ended. The
/// harness rewrites run.json and updates live progress.</summary>
public interface IBatchObserver
{
    /// <summary>The job changed (called on the runner's task; keep it short).</summary>
    void Changed(BatchJob job);
}
