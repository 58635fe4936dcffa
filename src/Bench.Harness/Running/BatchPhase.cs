using System.Globalization;
using Bench.Core.Batches;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Load.Batches;
using Bench.Load.Running;

namespace Bench.Harness.Running;

/// <summary>
/// The batch-api cells of one <c>bench run</c> (or <c>--resume</c>): one <see cref="BatchJob"/> per cell, submitted
/// before the synchronous cells run, polled while they run and collected after them, so the batches' turnaround
/// overlaps the synchronous load and each batch's end is seen when it happens. Keeps run.json's <see cref="RunInfo.Batches"/> current (rewritten as soon as an input file id, then a batch id,
/// exists, and at each status change), says on the output what it waits for (one line per status change, not per
/// poll), and appends one <see cref="BatchRecord"/> per job to batches.jsonl at the end.
/// </summary>
internal sealed class BatchPhase : IBatchObserver, IDisposable
{
    private readonly Lock _gate = new();
    private readonly string _directory;
    private readonly RunInfo _run;
    private readonly TextWriter _output;
    private readonly BatchCellRunner _runner;
    private readonly string _work;
    private readonly Dictionary<BatchJob, string?> _shown = [];
    private readonly HashSet<BatchJob> _collectedBefore;
    private List<BatchJob>? _pending;
    private Task<bool[]>? _waiting;

    private BatchPhase(string directory, RunInfo run, TextWriter output, IReadOnlyList<BatchJob> jobs, Func<IBatchObserver, string, BatchCellRunner> runner)
    {
        _directory = directory;
        _run = run;
        _output = output;
        Jobs = jobs;
        _collectedBefore = [.. jobs.Where(j => j.Collected)];
        _work = Directory.CreateTempSubdirectory("bench-batch-").FullName;
        _runner = runner(this, _work);
    }

    /// <summary>The jobs, in plan order.</summary>
    public IReadOnlyList<BatchJob> Jobs { get; }

    /// <summary>Creates the phase for <paramref name="submissions"/> (run.json's entries: fresh, or a resumed run's),
    /// each becoming a job; a runner over <paramref name="http"/> and <paramref name="endpoint"/>.</summary>
    public static BatchPhase Create(string directory, RunInfo run, TextWriter output, IReadOnlyList<BatchSubmission> submissions,
        HttpClient http, Endpoint endpoint, ChatClient chat, ChatExecutor executor, RunClock clock, BatchSpec spec, bool simulator, bool resuming)
    {
        var timeScale = simulator ? spec.EffectiveTimeScale : 1;
        var jobs = submissions.Select(s => new BatchJob(s, timeScale)).ToList();
        return new BatchPhase(directory, run, output, jobs, (observer, work) => new BatchCellRunner(
            new BatchApiClient(http, endpoint, clock.Timers),
            chat,
            executor,
            clock,
            BatchRunOptions.From(spec, simulator, run.RunId, work) with { Resuming = resuming },
            observer));
    }

    /// <summary>A resumed run against a new embedded simulator: a batch the first process submitted lived in that
    /// process's simulator and cannot be found again. Each such job ends <see cref="BatchEndings.PollFailed"/> with a
    /// message saying so (its lines are lost, never resubmitted); a job that had submitted nothing is run afresh.</summary>
    public void MarkLostWithTheSimulator()
    {
        foreach (var job in Jobs.Where(j => !j.Collected && (j.Submitted || j.Submission.InputFileId is not null)))
        {
            job.Record.Ending = BatchEndings.PollFailed;
            job.Record.Message = $"batch {job.Record.BatchId ?? "(created or not)"} of input file {job.Record.InputFileId} lived in the embedded simulator of the "
                + "process that started this run, which has ended: its lines cannot be collected (bench run --resume recovers batches only from a real endpoint)";
            Say($"{job.Cell}: {job.Record.Message}");
        }
    }

    /// <summary>Uploads and creates every job's batch (or adopts an existing one), in order.</summary>
    /// <exception cref="OperationCanceledException">Interrupted.</exception>
    public async Task SubmitAsync(CancellationToken cancellationToken)
    {
        foreach (var job in Jobs.Where(j => !j.Collected && j.Record.Ending == BatchEndings.Ended))
        {
            await _runner.SubmitAsync(job, cancellationToken).ConfigureAwait(false);
            if (job.SubmitFailure is not null || job.Record.Ending == BatchEndings.NotSubmitted)
            {
                Say($"{job.Cell}: not submitted — {job.Record.Message}");
            }
            else if (job.Submitted)
            {
                Say($"{job.Cell}: batch {job.Record.BatchId} submitted ({job.Lines.ToString(CultureInfo.InvariantCulture)} lines), {job.Record.Status}");
            }
        }
    }

    /// <summary>Starts polling every submitted job at once, in the background, so each batch's end is seen when it
    /// happens (its <see cref="BatchRecord.ObservedEndMs"/> then measures the batch, not the synchronous cells that run
    /// meanwhile). Polls are a few small GETs, spaced by the back-off, beside the synchronous load.</summary>
    public void BeginWaiting(CancellationToken cancellationToken)
    {
        _pending = Jobs.Where(j => j.Submitted && !j.Collected && j.Record.Ending == BatchEndings.Ended).ToList();
        _waiting = _pending.Count == 0 ? Task.FromResult(Array.Empty<bool>()) : Task.WhenAll(_pending.Select(j => _runner.WaitAsync(j, cancellationToken)));
    }

    /// <summary>Waits for every submitted job (polling since <see cref="BeginWaiting"/>, or from now), then collects the
    /// lines of those that ended into <paramref name="sink"/>. On an interrupt the batches are left running (their
    /// records say so).</summary>
    public async Task WaitAndCollectAsync(Action<RequestRecord> sink, CancellationToken cancellationToken)
    {
        if (_waiting is null)
        {
            BeginWaiting(cancellationToken);
        }

        var pending = _pending!;
        if (pending.Count == 0)
        {
            return;
        }

        var running = pending.Where(j => !BatchStatuses.IsTerminal(j.Record.Status)).ToList();
        if (running.Count > 0)
        {
            Say($"Waiting for {running.Count.ToString(CultureInfo.InvariantCulture)} batch{(running.Count == 1 ? "" : "es")}: "
                + string.Join(", ", running.Select(j => $"{j.Model} ({j.Record.Status})")));
        }

        var collect = await _waiting!.ConfigureAwait(false);
        for (var i = 0; i < pending.Count; i++)
        {
            if (collect[i] && !cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await _runner.CollectAsync(pending[i], sink, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    pending[i].Record.Ending = BatchEndings.Interrupted;
                    pending[i].Record.Message = "the run was interrupted while the batch's files were read; resume with bench run --resume";
                }
            }
        }
    }

    /// <summary>Marks every job that was submitted but neither ended nor given up as interrupted (the run stopped
    /// before it waited), then appends each job's record to batches.jsonl (a collected job of an earlier process is
    /// not written again) and rewrites run.json.</summary>
    public async Task FinishAsync()
    {
        // An interrupt ended the synchronous cells before the wait was awaited: the polls end on the same token, each
        // marking its job interrupted (WaitAsync never throws it); let them finish so their records say so.
        if (_waiting is { } waiting)
        {
            await waiting.ConfigureAwait(false);
        }

        foreach (var job in Jobs.Where(j => j.Submitted && !j.Collected && j.Record.Ending == BatchEndings.Ended))
        {
            job.Record.Ending = BatchEndings.Interrupted;
            job.Record.Message ??= $"the run was interrupted before the batch ended ({job.Record.Status}); left running — resume with bench run --resume";
        }

        // A job collected by an earlier process has its record in the file already; this process's jobs replace any
        // earlier line of theirs (interrupted while waiting, or not submitted then), so the file holds one line per job.
        var mine = Jobs.Where(j => !_collectedBefore.Contains(j)).ToList();
        BatchesFile.Replace(_directory, mine.Select(j => j.Model).ToHashSet(StringComparer.Ordinal), mine.Select(j => j.Record));

        WriteRunInfo();
    }

    /// <inheritdoc />
    public void Changed(BatchJob job)
    {
        WriteRunInfo();
        string? line = null;
        lock (_gate)
        {
            var status = job.Record.Status;
            // The first status is said by SubmitAsync's line; later changes here.
            if (job.Submitted && _shown.TryGetValue(job, out var shown) && shown is not null && shown != status)
            {
                var counts = job.Record.RequestCounts is { } c
                    ? $" ({c.Completed.ToString(CultureInfo.InvariantCulture)}/{job.Lines.ToString(CultureInfo.InvariantCulture)} done, {c.Failed.ToString(CultureInfo.InvariantCulture)} failed)"
                    : "";
                line = $"{job.Cell}: batch {job.Record.BatchId} {status}{counts}";
            }

            _shown[job] = status;
        }

        if (line is not null)
        {
            Say(line);
        }
    }

    private void WriteRunInfo()
    {
        lock (_gate)
        {
            ResultsDirectory.WriteRunInfo(_directory, _run);
        }
    }

    private void Say(string line)
    {
        lock (_gate)
        {
            _output.WriteLine(line);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // Temporary files; harmless.
        }
    }
}
