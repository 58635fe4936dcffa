using Bench.Core.Batches;

namespace Bench.Simulator.Batches;

/// <summary>
/// One batch: its plan, drawn whole at creation (queue delay, the order its lines finish in, which lines fail), and
/// the one thing that can change it afterwards, a cancellation. Its status at any moment is a function of the batch
/// clock (<see cref="Evaluate"/>), so a status never goes backwards and every timestamp is the planned moment of its
/// transition, whenever it is observed. Times are simulated Unix seconds (fractional; reported floored).
/// </summary>
internal sealed class BatchJob
{
    /// <summary>Guards the cancellation and the files.</summary>
    public Lock Gate { get; } = new();

    /// <summary><c>batch_</c> and 24 letters and digits.</summary>
    public required string Id { get; init; }

    /// <summary>Creation order (1, 2, …): the seed of its draws, and the newest-first order of the list.</summary>
    public required long Number { get; init; }

    /// <summary>The input file.</summary>
    public required string InputFileId { get; init; }

    /// <summary>Always <c>/v1/chat/completions</c> here.</summary>
    public required string Endpoint { get; init; }

    /// <summary><c>24h</c>.</summary>
    public required string CompletionWindow { get; init; }

    /// <summary>The caller's metadata, or null.</summary>
    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>The one model of the lines (null when validation failed before a model was known).</summary>
    public string? Model { get; init; }

    /// <summary>The valid lines in input order (empty when validation failed).</summary>
    public required IReadOnlyList<BatchLine> Lines { get; init; }

    /// <summary>Validation errors, or null when the file is valid.</summary>
    public List<BatchError>? Errors { get; init; }

    /// <summary>The seed of the batch's draws and of its lines without a <c>seed</c>.</summary>
    public required int Seed { get; init; }

    /// <summary>Created.</summary>
    public required double CreatedS { get; init; }

    /// <summary>End of validation and queueing: <c>in_progress_at</c>, or <c>failed_at</c> when invalid.</summary>
    public required double QueueEndS { get; init; }

    /// <summary>Simulated seconds between two lines finishing (<c>60 / lines_per_minute</c>).</summary>
    public required double SecondsPerLine { get; init; }

    /// <summary>Finalizing (and cancelling) duration.</summary>
    public required double FinalizeS { get; init; }

    /// <summary>Created + the completion window.</summary>
    public required double ExpiresS { get; init; }

    /// <summary>Line indexes in the order they finish (a seeded shuffle of the input order).</summary>
    public required int[] FinishOrder { get; init; }

    /// <summary>Whether the line finishing at each position fails (HTTP 500).</summary>
    public required bool[] FailsAt { get; init; }

    /// <summary>When cancellation was asked, or null.</summary>
    public double? CancelS { get; set; }

    /// <summary>The output and error files once written (at finalizing, expiry or cancellation).</summary>
    public bool FilesWritten { get; set; }

    /// <summary>The output file (lines answered 2xx), null when none.</summary>
    public string? OutputFileId { get; set; }

    /// <summary>The error file (failed and expired lines), null when none.</summary>
    public string? ErrorFileId { get; set; }

    /// <summary>When every line has finished (if the window allowed).</summary>
    public double AllDoneS => QueueEndS + (Lines.Count * SecondsPerLine);

    /// <summary>The batch at simulated time <paramref name="nowS"/> (not earlier than any time already observed).</summary>
    public BatchState Evaluate(double nowS)
    {
        var inProgress = Errors is null && QueueEndS < ExpiresS ? QueueEndS : (double?)null;
        if (CancelS is { } cancel)
        {
            var cancelled = cancel + FinalizeS;
            var ran = inProgress <= cancel;
            return new BatchState(
                nowS >= cancelled ? BatchStatuses.Cancelled : BatchStatuses.Cancelling,
                ran ? inProgress : null,
                null,
                null,
                null,
                null,
                cancel,
                nowS >= cancelled ? cancelled : null,
                ran ? DoneBy(Math.Min(nowS, cancel)) : 0,
                ran,
                false,
                nowS >= cancelled ? cancelled : null);
        }

        if (Errors is not null)
        {
            return nowS < QueueEndS
                ? BatchState.Validating
                : BatchState.Validating with { Status = BatchStatuses.Failed, FailedS = QueueEndS };
        }

        if (inProgress is null || AllDoneS > ExpiresS)
        {
            // The window ends before the last line: the lines finished by then ran, the rest expire.
            if (nowS < ExpiresS)
            {
                return inProgress is { } start && nowS >= start
                    ? BatchState.Validating with { Status = BatchStatuses.InProgress, InProgressS = start, Done = DoneBy(nowS), Started = true }
                    : BatchState.Validating;
            }

            return BatchState.Validating with
            {
                Status = BatchStatuses.Expired,
                InProgressS = inProgress,
                ExpiredS = ExpiresS,
                Done = inProgress is null ? 0 : DoneBy(ExpiresS),
                Started = true,
                Expired = true,
                FilesAtS = ExpiresS,
            };
        }

        if (nowS < inProgress)
        {
            return BatchState.Validating;
        }

        var done = DoneBy(nowS);
        var finalizing = AllDoneS;
        var completed = finalizing + FinalizeS;
        var state = BatchState.Validating with { InProgressS = inProgress, Done = done, Started = true };
        return nowS < finalizing
            ? state with { Status = BatchStatuses.InProgress }
            : nowS < completed
                ? state with { Status = BatchStatuses.Finalizing, FinalizingS = finalizing, FilesAtS = finalizing }
                : state with { Status = BatchStatuses.Completed, FinalizingS = finalizing, CompletedS = completed, FilesAtS = finalizing };
    }

    /// <summary>Lines finished by simulated time <paramref name="timeS"/> (0 before in progress, at most all).</summary>
    public int DoneBy(double timeS)
    {
        if (Errors is not null || timeS < QueueEndS)
        {
            return 0;
        }

        // Line k (from 0) of the finish order ends at QueueEndS + (k + 1) × SecondsPerLine.
        var done = Math.Floor(((timeS - QueueEndS) / SecondsPerLine) + 1e-9);
        return (int)Math.Clamp(done, 0, Lines.Count);
    }

    /// <summary>The wire object for <paramref name="state"/>.</summary>
    public BatchObject ToWire(BatchState state)
    {
        var failed = 0;
        for (var k = 0; k < state.Done; k++)
        {
            failed += FailsAt[k] ? 1 : 0;
        }

        var expired = state.Expired ? Lines.Count - state.Done : 0;
        return new BatchObject
        {
            Id = Id,
            Endpoint = Endpoint,
            Model = Model,
            Errors = Errors is not null && state.Status == BatchStatuses.Failed ? new BatchErrors { Data = Errors } : null, // known when validation ends
            InputFileId = InputFileId,
            CompletionWindow = CompletionWindow,
            Status = state.Status,
            OutputFileId = OutputFileId,
            ErrorFileId = ErrorFileId,
            CreatedAt = BatchClock.Seconds(CreatedS),
            InProgressAt = Seconds(state.InProgressS),
            ExpiresAt = BatchClock.Seconds(ExpiresS),
            FinalizingAt = Seconds(state.FinalizingS),
            CompletedAt = Seconds(state.CompletedS),
            FailedAt = Seconds(state.FailedS),
            ExpiredAt = Seconds(state.ExpiredS),
            CancellingAt = Seconds(state.CancellingS),
            CancelledAt = Seconds(state.CancelledS),
            RequestCounts = new BatchRequestCounts
            {
                Total = state.Started ? Lines.Count : 0,
                Completed = state.Done - failed,
                Failed = failed + expired,
            },
            Metadata = Metadata,
        };
    }

    private static long? Seconds(double? unixS) => unixS is { } s ? BatchClock.Seconds(s) : null;
}

/// <summary>A batch at one moment (times simulated Unix seconds, null until reached).</summary>
/// <param name="Status">One of <see cref="BatchStatuses"/>.</param>
/// <param name="InProgressS"><c>in_progress_at</c>.</param>
/// <param name="FinalizingS"><c>finalizing_at</c>.</param>
/// <param name="CompletedS"><c>completed_at</c>.</param>
/// <param name="FailedS"><c>failed_at</c>.</param>
/// <param name="ExpiredS"><c>expired_at</c>.</param>
/// <param name="CancellingS"><c>cancelling_at</c>.</param>
/// <param name="CancelledS"><c>cancelled_at</c>.</param>
/// <param name="Done">Lines finished (in finish order).</param>
/// <param name="Started">Whether the batch went in progress (then <c>request_counts.total</c> is its lines).</param>
/// <param name="Expired">Whether the lines not done are expired (error-file lines).</param>
/// <param name="FilesAtS">When the output and error files are written (their <c>created_at</c>), once reached.</param>
internal readonly record struct BatchState(
    string Status,
    double? InProgressS,
    double? FinalizingS,
    double? CompletedS,
    double? FailedS,
    double? ExpiredS,
    double? CancellingS,
    double? CancelledS,
    int Done,
    bool Started,
    bool Expired,
    double? FilesAtS)
{
    /// <summary>Validating: nothing reached yet.</summary>
    public static BatchState Validating { get; } =
        new(BatchStatuses.Validating, null, null, null, null, null, null, null, 0, false, false, null);
}
