using System.Text.Json.Serialization;

namespace Bench.Core.Batches;

/// <summary>
/// Everything Bench observed about one batch job of a <c>batch-api</c> cell: one line of <c>batches.jsonl</c>, written
/// when the batch has ended (or was given up). Its lines are <see cref="Records.RequestRecord"/>s in
/// <c>records.jsonl</c> with <see cref="Records.RequestRecord.BatchId"/> set to <see cref="BatchId"/>.
/// </summary>
/// <remarks>
/// Two clocks meet here. <c>*_ms</c> fields are Bench's run clock (ms from the run's origin, like a request record's);
/// <c>*_at</c> fields are the provider's Unix seconds copied from the last batch object Bench read. The turnaround the
/// report gives is the provider's (<see cref="TurnaroundS"/>, from <see cref="CreatedAt"/> to the terminal time): on
/// the embedded simulator that is simulated time (<see cref="TimeScale"/> simulated seconds per real second), stated as
/// such; <see cref="ObservedTurnaroundS"/> is Bench's own view on its clock (real seconds, polling granularity included).
/// </remarks>
public sealed class BatchRecord
{
    /// <summary>Model of every line.</summary>
    public string Model { get; set; } = "";

    /// <summary>The provider's batch id, or null when none was created (the upload or the creation failed).</summary>
    public string? BatchId { get; set; }

    /// <summary>The uploaded input file's id, or null when the upload failed.</summary>
    public string? InputFileId { get; set; }

    /// <summary>The output file's id, when the batch had one.</summary>
    public string? OutputFileId { get; set; }

    /// <summary>The error file's id, when the batch had one.</summary>
    public string? ErrorFileId { get; set; }

    /// <summary>The last status read (<see cref="BatchStatuses"/>); null when no batch was created.</summary>
    public string? Status { get; set; }

    /// <summary>How Bench's wait ended (<see cref="BatchEndings"/>).</summary>
    public string Ending { get; set; } = BatchEndings.Ended;

    /// <summary>Why, in words, when the batch did not complete (validation errors, the timeout, the provider's
    /// refusal); never contains the API key.</summary>
    public string? Message { get; set; }

    /// <summary>Lines in the input file.</summary>
    public int Lines { get; set; }

    /// <summary>Bytes of the input file.</summary>
    public long InputBytes { get; set; }

    /// <summary>Input lines found in neither the output nor the error file (recorded as <c>malformed</c>).</summary>
    public int MissingLines { get; set; }

    /// <summary>Output or error lines whose <c>custom_id</c> had already been joined (the first was kept).</summary>
    public int DuplicateLines { get; set; }

    /// <summary>Output or error lines whose <c>custom_id</c> was not one of the input's, or that were not valid lines.</summary>
    public int UnknownLines { get; set; }

    /// <summary>The provider's last <c>request_counts</c>.</summary>
    public BatchRequestCounts? RequestCounts { get; set; }

    /// <summary>Validation errors (status failed), as the provider gave them.</summary>
    public List<BatchError>? Errors { get; set; }

    /// <summary>Run clock, ms: the upload began.</summary>
    public double UploadStartMs { get; set; }

    /// <summary>Run clock, ms: the batch creation request was sent (the batch's "sent" time; its lines'
    /// <c>sent_ms</c>).</summary>
    public double? SubmittedMs { get; set; }

    /// <summary>Run clock, ms: the first poll that saw a terminal status (or when Bench stopped waiting).</summary>
    public double? ObservedEndMs { get; set; }

    /// <summary>Run clock, ms: the output and error files were read (the lines' <c>end_ms</c>).</summary>
    public double? DownloadedMs { get; set; }

    /// <summary>Provider clock, Unix seconds: <c>created_at</c>.</summary>
    public long? CreatedAt { get; set; }

    /// <summary>Provider clock: <c>in_progress_at</c>.</summary>
    public long? InProgressAt { get; set; }

    /// <summary>Provider clock: <c>finalizing_at</c>.</summary>
    public long? FinalizingAt { get; set; }

    /// <summary>Provider clock: <c>completed_at</c>.</summary>
    public long? CompletedAt { get; set; }

    /// <summary>Provider clock: <c>failed_at</c>.</summary>
    public long? FailedAt { get; set; }

    /// <summary>Provider clock: <c>expired_at</c>.</summary>
    public long? ExpiredAt { get; set; }

    /// <summary>Provider clock: <c>cancelling_at</c>.</summary>
    public long? CancellingAt { get; set; }

    /// <summary>Provider clock: <c>cancelled_at</c>.</summary>
    public long? CancelledAt { get; set; }

    /// <summary>Provider clock: <c>expires_at</c>.</summary>
    public long? ExpiresAt { get; set; }

    /// <summary>Status polls made (<c>GET /v1/batches/{id}</c>).</summary>
    public int Polls { get; set; }

    /// <summary>Polls that got no batch back (network error, 5xx, 429), retried after a back-off.</summary>
    public int PollErrors { get; set; }

    /// <summary>Simulated provider seconds per real second: the embedded simulator's batch time scale (e.g. 600); 1
    /// against a real endpoint, whose times are real.</summary>
    public double TimeScale { get; set; } = 1;

    /// <summary>True when the provider's times are simulated (<see cref="TimeScale"/> ≠ 1, the embedded simulator).</summary>
    [JsonIgnore]
    public bool Simulated => TimeScale != 1;

    /// <summary>The batch's terminal time on the provider clock: completed, failed, expired or cancelled at; null while
    /// it had not ended.</summary>
    [JsonIgnore]
    public long? EndedAt => CompletedAt ?? ExpiredAt ?? CancelledAt ?? FailedAt;

    /// <summary><c>turnaround_s</c>: created_at → the terminal time, provider seconds (simulated on the simulator); null
    /// when the batch did not end while Bench waited.</summary>
    [JsonIgnore]
    public double? TurnaroundS => CreatedAt is { } created && EndedAt is { } ended ? ended - created : null;

    /// <summary><c>batch_queue_s</c>: created_at → in_progress_at (validation and queueing), provider seconds.</summary>
    [JsonIgnore]
    public double? QueueS => CreatedAt is { } created && InProgressAt is { } started ? started - created : null;

    /// <summary><c>batch_lines_per_s</c>: lines that ran (completed + failed) / (finalizing_at − in_progress_at), per
    /// provider second; null when the span is unknown or shorter than <see cref="MinLinesPerSSpanS"/> (the provider's
    /// timestamps are whole seconds, so a 1.5 s run could read as 1 s: 50 % too fast).</summary>
    [JsonIgnore]
    public double? LinesPerS => RequestCounts is { } counts && InProgressAt is { } started && FinalizingAt is { } finalizing && finalizing - started >= MinLinesPerSSpanS
        ? (counts.Completed + counts.Failed) / (double)(finalizing - started)
        : null;

    /// <summary>The shortest processing span (provider seconds) <see cref="LinesPerS"/> is given for: 10 s, where the
    /// timestamps' one-second resolution errs by at most 10 %.</summary>
    public const int MinLinesPerSSpanS = 10;

    /// <summary><c>observed_turnaround_s</c>: Bench's clock, creation request sent → terminal status seen, real seconds
    /// (includes up to one poll interval).</summary>
    [JsonIgnore]
    public double? ObservedTurnaroundS => SubmittedMs is { } sent && ObservedEndMs is { } seen && BatchStatuses.IsTerminal(Status) ? (seen - sent) / 1000.0 : null;
}

/// <summary>Values of <see cref="BatchRecord.Ending"/>: how Bench's wait for a batch ended.</summary>
public static class BatchEndings
{
    /// <summary>The batch reached a terminal status (completed, failed, expired, cancelled) and its files were read.</summary>
    public const string Ended = "ended";

    /// <summary><c>--batch-timeout</c> passed; Bench asked the provider to cancel and read what ran.</summary>
    public const string TimedOutCancelled = "timed_out_cancelled";

    /// <summary><c>--batch-timeout</c> passed; the batch was left running (its id is in run.json for
    /// <c>bench run --resume</c>).</summary>
    public const string TimedOutLeft = "timed_out_left";

    /// <summary>The run was interrupted while waiting; the batch was left running (resume it).</summary>
    public const string Interrupted = "interrupted";

    /// <summary>Bench could no longer read the batch (its status polls were refused: 401/403/404, or failed until the
    /// batch timeout); the batch may still be running at the provider (its id is in run.json).</summary>
    public const string PollFailed = "poll_failed";

    /// <summary>The endpoint has no Batch API (404 on <c>/files</c> or <c>/batches</c>) or refused the upload or the
    /// creation; nothing ran.</summary>
    public const string NotSubmitted = "not_submitted";
}
