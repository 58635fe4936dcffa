using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Bench.Core.Batches;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Core.Wire;
using Bench.Load.Running;

namespace Bench.Load.Batches;

/// <summary>
/// Runs a batch-api cell: one input file and one batch, never resubmitted. <see cref="SubmitAsync"/> builds the JSONL
/// from the same requests the other modes send (<see cref="ChatExecutor.Draw"/> and
/// <see cref="ChatExecutor.BuildRequest(long, string, Mode, Core.Prompts.PromptDraw)"/> in
/// <see cref="Mode.NonStreaming"/>, written by <see cref="ChatClient.WriteBody"/> (the target's model name and body fields); custom_id <c>bench-{id}</c>, url
/// <c>/v1/chat/completions</c>), uploads it and creates the batch — or, for a resumed run, adopts the batch a previous
/// run created (its id from run.json, else found by metadata <c>bench_run</c>/<c>bench_cell</c>).
/// <see cref="WaitAsync"/> polls until a terminal status or the batch timeout; <see cref="CollectAsync"/> downloads the
/// output and error files, joins their lines by custom_id and writes one <see cref="RequestRecord"/> per input line.
/// </summary>
/// <remarks>
/// <para>Polling: the first wait is <see cref="BatchRunOptions.PollInterval"/>; each poll that sees the same status
/// waits 1.5× longer, up to <see cref="BatchRunOptions.MaxPollInterval"/> (lines completing in between are progress, not
/// a change); a new status brings the interval back to the first; a poll refused with a wait asked (429, <c>Retry-After</c>) waits at least that long. All waits are on
/// the run clock. A poll that fails (after the client's own retries) is counted in <see cref="BatchRecord.PollErrors"/>
/// and polling goes on; a refusal that will not pass (401, 403, 404) ends the wait (<see cref="BatchEndings.PollFailed"/>).</para>
/// <para>A line's record (issue 12): Id = its request id, phase measure, mode batch-api, custom_id, batch id,
/// <c>sent_ms</c> = the creation request's, <c>end_ms</c> = when the files were read; no latency of its own. Outcome: a
/// line with a response is judged by <see cref="ChatClient.JudgeBatchLine"/> (the non-streaming rules); error
/// <c>batch_expired</c> → expired; a line of a batch cancelled at the timeout that never ran → timeout; an input line in
/// neither file → malformed.</para>
/// </remarks>
public sealed class BatchCellRunner
{
    /// <summary>Every line's endpoint.</summary>
    public const string LineUrl = "/v1/chat/completions";

    private readonly BatchApiClient _api;
    private readonly ChatClient _chat;
    private readonly ChatExecutor _executor;
    private readonly RunClock _clock;
    private readonly BatchRunOptions _options;
    private readonly IBatchObserver? _observer;

    /// <summary>Creates a runner.</summary>
    /// <param name="api">The Files and Batch API client.</param>
    /// <param name="chat">Judges each line's answer as a non-streaming answer, and says how requests go on the wire.</param>
    /// <param name="executor">Builds each line's request (the same prompts as the other modes).</param>
    /// <param name="clock">The run clock: record times and every wait.</param>
    /// <param name="options">Polling, timeout, run id.</param>
    /// <param name="observer">Sees every change (run.json, progress), or null.</param>
    public BatchCellRunner(BatchApiClient api, ChatClient chat, ChatExecutor executor, RunClock clock, BatchRunOptions options, IBatchObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(options);
        _api = api;
        _chat = chat;
        _executor = executor;
        _clock = clock;
        _options = options;
        _observer = observer;
    }

    /// <summary>
    /// Makes sure the job has a batch, never creating a second one: a batch id already known is kept; with only the
    /// input file's id, a batch listed with the job's metadata is adopted (the creation was sent but its answer lost),
    /// else one is created from that file; with nothing known, a listed batch is adopted when
    /// <see cref="BatchRunOptions.Resuming"/>, else the file is built, uploaded and the batch created. Upload and
    /// creation are sent once each. A failure leaves the job unsubmitted (<see cref="BatchJob.SubmitFailure"/>,
    /// ending <see cref="BatchEndings.NotSubmitted"/>).
    /// </summary>
    /// <exception cref="OperationCanceledException">The run was interrupted.</exception>
    public async Task SubmitAsync(BatchJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var record = job.Record;
        if (job.Submitted)
        {
            return;
        }

        record.UploadStartMs = _clock.NowMs();
        if (job.Submission.InputFileId is not null || _options.Resuming)
        {
            var found = await _api.FindByMetadataAsync(_options.RunId, job.Cell, cancellationToken).ConfigureAwait(false);
            if (found.Value is { } adopted)
            {
                Adopt(job, adopted);
                return;
            }

            if (found.Error is { } listError && job.Submission.InputFileId is not null)
            {
                // Unable to look: creating another batch from the same file might run the lines twice.
                NotSubmitted(job, $"could not list batches to find the one created for this cell ({listError.Message}); not creating another");
                return;
            }
        }

        if (job.Submission.InputFileId is null)
        {
            var path = Path.Combine(_options.WorkDirectory, $"batch-input-{Guid.NewGuid():N}.jsonl");
            try
            {
                record.InputBytes = await WriteInputAsync(job, path, cancellationToken).ConfigureAwait(false);
                await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);
                var upload = await _api.UploadAsync(file, $"bench-{Safe(job.Model)}.jsonl", cancellationToken).ConfigureAwait(false);
                if (upload.Error is { } uploadError)
                {
                    job.SubmitFailure = uploadError;
                    NotSubmitted(job, "upload refused: " + uploadError.Message);
                    return;
                }

                record.InputFileId = job.Submission.InputFileId = upload.Value!.Id;
                _observer?.Changed(job);
            }
            finally
            {
                TryDelete(path);
            }
        }
        else
        {
            record.InputFileId = job.Submission.InputFileId;
        }

        record.SubmittedMs = _clock.NowMs();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [BatchMetadata.Run] = _options.RunId,
            [BatchMetadata.Cell] = job.Cell,
        };
        var created = await _api.CreateAsync(record.InputFileId!, LineUrl, _options.CompletionWindow, metadata, cancellationToken).ConfigureAwait(false);
        if (created.Error is { Kind: BatchFailureKind.Network } lost
            && await _api.FindByMetadataAsync(_options.RunId, job.Cell, cancellationToken).ConfigureAwait(false) is { Value: { } createdAnyway })
        {
            // The creation's answer was lost but the batch exists: adopt it rather than create another.
            Adopt(job, createdAnyway);
            job.Record.Message = $"adopted: the creation's answer was lost ({lost.Message}); found by its metadata";
            return;
        }

        if (created.Error is { } createError)
        {
            job.SubmitFailure = createError;
            NotSubmitted(job, "batch creation refused: " + createError.Message);
            return;
        }

        Observe(job, created.Value!);
        record.BatchId = job.Submission.BatchId = created.Value!.Id;
        _observer?.Changed(job);
    }

    /// <summary>Polls a submitted job until its batch reaches a terminal status, the batch timeout (then
    /// <see cref="BatchRunOptions.OnTimeout"/>: cancel and wait, bounded, for <c>cancelled</c>; or leave it), or a
    /// refusal that will not pass. On the run's cancellation the batch is left running (ending
    /// <see cref="BatchEndings.Interrupted"/>) and this returns without throwing.</summary>
    /// <returns>True when the batch's files should be collected (it ended, or was cancelled at the timeout).</returns>
    public async Task<bool> WaitAsync(BatchJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var record = job.Record;
        if (!job.Submitted)
        {
            return false;
        }

        // Measured from the creation request (or, for an adopted batch, from now).
        var deadlineMs = (record.SubmittedMs ?? _clock.NowMs()) + _options.Timeout.TotalMilliseconds;
        try
        {
            var ended = await PollUntilAsync(job, deadlineMs, cancellationToken).ConfigureAwait(false);
            if (ended is not null)
            {
                return ended.Value;
            }

            // The timeout passed with the batch still running.
            if (_options.OnTimeout == BatchTimeoutAction.Leave)
            {
                Finish(job, BatchEndings.TimedOutLeft, $"still {record.Status} after the {Seconds(_options.Timeout)} batch timeout; left running (resume with bench run --resume)");
                return false;
            }

            var cancel = await _api.CancelAsync(record.BatchId!, cancellationToken).ConfigureAwait(false);
            if (cancel.Value is { } cancelling)
            {
                Observe(job, cancelling);
            }

            var cancelled = BatchStatuses.IsTerminal(record.Status)
                || await PollUntilAsync(job, _clock.NowMs() + _options.CancelWait.TotalMilliseconds, cancellationToken).ConfigureAwait(false) is not null;
            var why = $"not ended after the {Seconds(_options.Timeout)} batch timeout; cancelled"
                + (cancel.Error is { } cancelError ? $" (the cancel request failed: {cancelError.Message})" : "")
                + (cancelled ? "" : $"; still {record.Status} {Seconds(_options.CancelWait)} later, what had run was read");
            Finish(job, BatchEndings.TimedOutCancelled, why);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Finish(job, BatchEndings.Interrupted, $"the run was interrupted while the batch was {record.Status}; left running (resume with bench run --resume)");
            return false;
        }
    }

    /// <summary>Polls until a terminal status (true: collect), a refusal that ends the wait (false), or
    /// <paramref name="deadlineMs"/> (null).</summary>
    private async Task<bool?> PollUntilAsync(BatchJob job, double deadlineMs, CancellationToken cancellationToken)
    {
        var record = job.Record;
        var interval = _options.PollInterval;
        string? lastSeen = null;
        string? lastStatus = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var poll = await _api.GetAsync(record.BatchId!, cancellationToken).ConfigureAwait(false);
            record.Polls += poll.Attempts;
            record.PollErrors += poll.Attempts - (poll.Succeeded ? 1 : 0);
            var wait = interval;
            if (poll.Value is { } batch)
            {
                Observe(job, batch);
                if (BatchStatuses.IsTerminal(batch.Status))
                {
                    record.ObservedEndMs = _clock.NowMs();
                    _observer?.Changed(job);
                    return true;
                }

                // The back-off restarts only when the status changes: lines completing while in progress are progress,
                // and a large batch completes some between almost every two polls (resetting on them would poll at the
                // first interval for the whole day a batch may take).
                if (batch.Status == lastStatus)
                {
                    interval = TimeSpan.FromTicks(Math.Min(_options.MaxPollInterval.Ticks, (long)(interval.Ticks * 1.5)));
                }
                else
                {
                    interval = _options.PollInterval;
                }

                wait = interval;
                var seen = $"{batch.Status} {batch.RequestCounts?.Completed} {batch.RequestCounts?.Failed}";
                if (lastSeen is not null && seen != lastSeen)
                {
                    _observer?.Changed(job);
                }

                lastSeen = seen;
                lastStatus = batch.Status;
            }
            else if (poll.Error is { } error)
            {
                record.Message = "last poll failed: " + error.Message;
                if (!error.IsTransient)
                {
                    Finish(job, BatchEndings.PollFailed, $"status polls refused ({error.Message}); the batch may still be running");
                    return false;
                }

                if (error.RetryAfter is { } asked && asked > wait)
                {
                    wait = asked;
                }
            }

            var now = _clock.NowMs();
            if (now >= deadlineMs)
            {
                return null;
            }

            // Never past the deadline by more than the wait asked; the last poll happens at it.
            var untilDeadline = TimeSpan.FromMilliseconds(deadlineMs - now);
            await _clock.DelayAsync(wait < untilDeadline ? wait : untilDeadline, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Downloads the output and error files of a job <see cref="WaitAsync"/> said to collect, joins their lines
    /// by custom_id and sinks one record per input line; marks the submission collected.</summary>
    /// <exception cref="OperationCanceledException">The run was interrupted (nothing sunk).</exception>
    public async Task CollectAsync(BatchJob job, Action<RequestRecord> sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(sink);
        var record = job.Record;
        var lines = new Dictionary<long, BatchOutputLine>(job.Lines);
        var problems = new List<string>();
        foreach (var fileId in new[] { record.OutputFileId, record.ErrorFileId })
        {
            if (fileId is null)
            {
                continue;
            }

            var path = Path.Combine(_options.WorkDirectory, $"batch-file-{Guid.NewGuid():N}.jsonl");
            try
            {
                var download = await _api.DownloadAsync(fileId, path, _options.MaxDownloadBytes, cancellationToken).ConfigureAwait(false);
                if (download.Error is { } error)
                {
                    problems.Add($"file {fileId} could not be read: {error.Message}");
                    if (error.Kind != BatchFailureKind.TooLarge)
                    {
                        continue;
                    }
                }

                Join(job, path, lines);
            }
            finally
            {
                TryDelete(path);
            }
        }

        record.DownloadedMs = _clock.NowMs();
        var cancelledAtTimeout = record.Ending == BatchEndings.TimedOutCancelled;
        for (var i = 0; i < job.Lines; i++)
        {
            var id = job.FirstId + i;
            sink(LineRecord(job, id, lines.GetValueOrDefault(id), cancelledAtTimeout, problems));
        }

        if (problems.Count > 0)
        {
            record.Message = string.Join("; ", new[] { record.Message }.Where(m => m is not null).Concat(problems));
        }

        job.Submission.Collected = true;
        job.Submission.Status = record.Status;
        _observer?.Changed(job);
    }

    /// <summary>The record of input line <paramref name="id"/> given its output or error line (null when absent).</summary>
    private RequestRecord LineRecord(BatchJob job, long id, BatchOutputLine? line, bool cancelledAtTimeout, List<string> problems)
    {
        var batch = job.Record;
        var record = new RequestRecord
        {
            Id = id,
            Model = job.Model,
            Mode = Mode.BatchApi,
            Phase = Phases.Measure,
            CustomId = BatchJob.CustomIdOf(id),
            BatchId = batch.BatchId,
            SentMs = batch.SubmittedMs ?? batch.UploadStartMs,
            EndMs = batch.DownloadedMs ?? _clock.NowMs(),
        };

        // What the line meant (issue 15), as the synchronous modes stamp it: the same draw for the same id.
        var draw = _executor.Draw(id, job.Model, Mode.BatchApi);
        ChatExecutor.Stamp(record, draw);
        if (line?.Response is { } response)
        {
            var request = _chat.ForWire(_executor.BuildRequest(id, job.Model, Mode.NonStreaming, draw));
            var body = response.Body is { ValueKind: not JsonValueKind.Undefined } json ? Encoding.UTF8.GetBytes(json.GetRawText()) : [];
            _chat.JudgeBatchLine(record, request, response.StatusCode, body);
        }
        else if (line?.Error is { } error)
        {
            record.Outcome = error.Code switch
            {
                "batch_expired" => Outcome.Expired,
                "batch_cancelled" when cancelledAtTimeout => Outcome.Timeout,
                "batch_cancelled" => Outcome.Cancelled,
                _ => Outcome.ProviderError,
            };
            record.Error = record.Outcome == Outcome.Timeout
                ? new ErrorInfo(Names.Of(Outcome.Timeout), error.Code, "not run before the batch timeout; batch cancelled")
                : new ErrorInfo(null, _api.Mask(error.Code), _api.Mask(error.Message));
        }
        else if (cancelledAtTimeout)
        {
            record.Outcome = Outcome.Timeout;
            record.Error = new ErrorInfo(Names.Of(Outcome.Timeout), null, "not run before the batch timeout; batch cancelled");
        }
        else if (NotRun(batch) is { } notRun)
        {
            // The provider ran none of this batch's remaining lines, for a reason of the batch's own: the line is that
            // failure, not a line the provider lost.
            (record.Outcome, record.Error) = notRun;
        }
        else
        {
            record.Outcome = Outcome.Malformed;
            record.Error = new ErrorInfo(Names.Of(Outcome.Malformed), null, problems.Count > 0
                ? "missing from the batch's output and error files (" + problems[0] + ")"
                : "missing from the batch's output and error files");
            batch.MissingLines++;
        }

        return record;
    }

    /// <summary>What an input line absent from both files is when the batch itself says why it never ran: failed
    /// validation → the validation error (<c>token_limit_exceeded</c>, the provider's enqueued-token quota, is
    /// <see cref="Outcome.RateLimited"/>; any other code <see cref="Outcome.ClientError"/>: the provider refused the input);
    /// cancelled at the provider by someone else → <see cref="Outcome.Cancelled"/> (not run, not an attempt, outside every
    /// statistic; OpenAI does not list a cancelled batch's unrun lines). Null otherwise: a completed or expired batch
    /// accounts for every line in its files (OpenAI writes unrun lines of an expired batch to the error file as
    /// <c>batch_expired</c>), so an absent line is the provider's loss (<see cref="Outcome.Malformed"/>).</summary>
    private (Outcome, ErrorInfo)? NotRun(BatchRecord batch) => batch.Status switch
    {
        BatchStatuses.Failed when batch.Errors is { Count: > 0 } errors => (
            errors[0].Code == "token_limit_exceeded" ? Outcome.RateLimited : Outcome.ClientError,
            new ErrorInfo("batch_failed", _api.Mask(errors[0].Code), _api.Mask("the batch failed validation: " + errors[0].Message))),
        BatchStatuses.Failed => (Outcome.ClientError, new ErrorInfo("batch_failed", null, "the batch failed validation (no error given)")),
        BatchStatuses.Cancelled => (Outcome.Cancelled, new ErrorInfo(Names.Of(Outcome.Cancelled), "batch_cancelled", "not run: the batch was cancelled at the provider, not by Bench")),
        _ => null,
    };

    /// <summary>The longest output or error line read (17 Mi characters: a 16 MiB answer body and its envelope); a
    /// longer one is skipped unread past the cap and counted as unknown, never buffered whole.</summary>
    public const int MaxLineChars = 17 * 1024 * 1024;

    /// <summary>Reads one output or error file's lines into <paramref name="lines"/> by request id (through
    /// <see cref="JsonLinesReader"/>: bounded lines, never a throw on content); counts duplicates (the first is kept)
    /// and lines that are not valid, are too long or name no input line.</summary>
    private static void Join(BatchJob job, string path, Dictionary<long, BatchOutputLine> lines)
    {
        var record = job.Record;
        var read = JsonLinesReader.Read(path, BatchWireJson.Default.BatchOutputLine, "a batch output line", line =>
        {
            var known = line.CustomId is { } customId && customId.StartsWith("bench-", StringComparison.Ordinal)
                && long.TryParse(customId.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && id >= job.FirstId && id < job.FirstId + job.Lines && (line.Response is not null || line.Error is not null);
            return known ? (line, null) : (null, "no input line has its custom_id, or it has neither response nor error");
        }, line =>
        {
            var id = long.Parse(line.CustomId.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture);
            if (!lines.TryAdd(id, line))
            {
                record.DuplicateLines++;
            }
        }, MaxLineChars);
        record.UnknownLines += (int)Math.Min(int.MaxValue, read.Skipped);
    }

    /// <summary>Writes the job's JSONL input file; returns its size in bytes.</summary>
    private async Task<long> WriteInputAsync(BatchJob job, string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        var line = new ArrayBufferWriter<byte>(4096);
        var body = new ArrayBufferWriter<byte>(4096);
        for (var i = 0; i < job.Lines; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = job.FirstId + i;
            body.ResetWrittenCount();
            // The batch-api cell's source (cell_requests may name it), sent as the non-streaming body.
            _chat.WriteBody(body, _executor.BuildRequest(id, job.Model, Mode.NonStreaming, _executor.Draw(id, job.Model, Mode.BatchApi)));
            line.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(line))
            {
                json.WriteStartObject();
                json.WriteString("custom_id", BatchJob.CustomIdOf(id));
                json.WriteString("method", "POST");
                json.WriteString("url", LineUrl);
                json.WritePropertyName("body");
                json.WriteRawValue(body.WrittenSpan, skipInputValidation: true);
                json.WriteEndObject();
            }

            await file.WriteAsync(line.WrittenMemory, cancellationToken).ConfigureAwait(false);
            file.WriteByte((byte)'\n');
        }

        await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        return file.Length;
    }

    private void Adopt(BatchJob job, BatchObject batch)
    {
        var record = job.Record;
        Observe(job, batch);
        record.BatchId = job.Submission.BatchId = batch.Id;
        record.InputFileId = job.Submission.InputFileId = batch.InputFileId;
        record.SubmittedMs ??= _clock.NowMs();
        record.Message = "adopted: found by its metadata (bench_run, bench_cell), created by an earlier attempt of this run";
        _observer?.Changed(job);
    }

    private void NotSubmitted(BatchJob job, string message)
    {
        job.Record.Ending = BatchEndings.NotSubmitted;
        job.Record.Message = message;
        _observer?.Changed(job);
    }

    private void Finish(BatchJob job, string ending, string message)
    {
        job.Record.Ending = ending;
        job.Record.Message = message;
        job.Record.ObservedEndMs ??= _clock.NowMs();
        job.Submission.Status = job.Record.Status;
        _observer?.Changed(job);
    }

    /// <summary>Copies what a batch object says into the job's record and submission.</summary>
    private void Observe(BatchJob job, BatchObject batch)
    {
        job.Last = batch;
        var record = job.Record;
        record.Status = job.Submission.Status = batch.Status;
        record.OutputFileId = batch.OutputFileId ?? record.OutputFileId;
        record.ErrorFileId = batch.ErrorFileId ?? record.ErrorFileId;
        record.RequestCounts = batch.RequestCounts ?? record.RequestCounts;
        // Server texts are kept masked: a validation error may echo what it was sent.
        record.Errors = batch.Errors?.Data is { Count: > 0 } errors
            ? [.. errors.Take(100).Select(e => new BatchError { Code = _api.Mask(e.Code), Message = _api.Mask(e.Message), Param = _api.Mask(e.Param), Line = e.Line })]
            : record.Errors;
        record.CreatedAt = batch.CreatedAt > 0 ? batch.CreatedAt : record.CreatedAt;
        record.InProgressAt = batch.InProgressAt ?? record.InProgressAt;
        record.FinalizingAt = batch.FinalizingAt ?? record.FinalizingAt;
        record.CompletedAt = batch.CompletedAt ?? record.CompletedAt;
        record.FailedAt = batch.FailedAt ?? record.FailedAt;
        record.ExpiredAt = batch.ExpiredAt ?? record.ExpiredAt;
        record.CancellingAt = batch.CancellingAt ?? record.CancellingAt;
        record.CancelledAt = batch.CancelledAt ?? record.CancelledAt;
        record.ExpiresAt = batch.ExpiresAt ?? record.ExpiresAt;
        if (batch.Status == BatchStatuses.Failed && record.Errors is { Count: > 0 } validation)
        {
            record.Message = "batch failed validation: " + string.Join("; ", validation.Take(3).Select(e =>
                string.Join(" ", new[] { e.Code, e.Line is { } n ? $"(line {n})" : null, e.Message }.Where(s => !string.IsNullOrEmpty(s)))));
        }
    }

    private static string Safe(string model) => string.Concat(model.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A temporary file left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Idem.
        }
    }
}

/// <summary>How <see cref="BatchCellRunner"/> runs: the scenario's <see cref="BatchSpec"/> in effect, the run id and
/// where temporary files go.</summary>
public sealed record BatchRunOptions
{
    /// <summary>The run id (metadata <c>bench_run</c>).</summary>
    public required string RunId { get; init; }

    /// <summary>Where the input file is built and the output files are downloaded (deleted after use).</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>The first poll interval.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(BatchSpec.DefaultPollIntervalS);

    /// <summary>The longest poll interval.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for a batch, from its creation request.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(93_600);

    /// <summary>What to do at <see cref="Timeout"/>.</summary>
    public BatchTimeoutAction OnTimeout { get; init; } = BatchTimeoutAction.Cancel;

    /// <summary>How long to wait for <c>cancelled</c> after asking to cancel at the timeout. Default 600 s (OpenAI lets
    /// running lines finish for up to 10 minutes).</summary>
    public TimeSpan CancelWait { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>The <c>completion_window</c>.</summary>
    public string CompletionWindow { get; init; } = "24h";

    /// <summary>The cap on a downloaded output or error file. Default 2 GiB.</summary>
    public long MaxDownloadBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>A resumed run: before uploading, look for a batch a previous process created.</summary>
    public bool Resuming { get; init; }

    /// <summary>The options of <paramref name="spec"/> against the embedded simulator or a real endpoint.</summary>
    public static BatchRunOptions From(BatchSpec spec, bool simulator, string runId, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new BatchRunOptions
        {
            RunId = runId,
            WorkDirectory = workDirectory,
            PollInterval = TimeSpan.FromSeconds(spec.PollIntervalFor(simulator)),
            MaxPollInterval = TimeSpan.FromSeconds(Math.Max(spec.MaxPollIntervalS, spec.PollIntervalFor(simulator))),
            Timeout = TimeSpan.FromSeconds(spec.TimeoutS),
            OnTimeout = spec.OnTimeout,
            CompletionWindow = spec.CompletionWindow,
            // On the simulator a cancelled batch settles within a few polls; at a real provider within 10 minutes.
            CancelWait = TimeSpan.FromSeconds(simulator ? 30 : 600),
        };
    }
}
