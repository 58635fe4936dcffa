using Bench.Core.Hosting;
using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Load.Workloads;

namespace Bench.Load.Running;

/// <summary>
/// Runs workload steps for each cell in turn: cells are measured one after another, so they never compete for the
/// client machine or the endpoint. Every completed request goes to the sink as soon as it completes (the sink writes
/// <c>records.jsonl</c>), so a run that dies keeps every completed record.
/// </summary>
/// <remarks>
/// Every request the scheduler meant to send ends as exactly one record: an attempt's (whatever the endpoint did), a
/// <see cref="Outcome.Dropped"/> one for an open arrival the client did not send (see <see cref="Workloads.OpenWorkload"/>),
/// or a <see cref="Outcome.Cancelled"/> one for a request in flight when the run's token was cancelled (Ctrl-C,
/// SIGTERM). On cancellation no new request is sent, every request in flight ends as a cancelled record in the sink,
/// and only then does <see cref="RunAsync(IReadOnlyList{Cell}, IReadOnlyList{WorkloadStep}, CancellationToken)"/> throw
/// <see cref="OperationCanceledException"/> — so the caller can close <c>records.jsonl</c> knowing nothing more will
/// be appended.
/// </remarks>
public sealed class LoadRunner : ILoadGauge
{
    private readonly IRequestExecutor _executor;
    private readonly RunClock _clock;
    private readonly Action<RequestRecord> _sink;
    private readonly ILoadObserver? _observer;
    private readonly int _seed;
    private readonly IReadOnlyList<SloSet> _slos;
    private long _nextId;
    private int _inFlight;
    private long _dropped;

    /// <summary>Creates a runner.</summary>
    /// <param name="executor">Sends each request.</param>
    /// <param name="clock">The run clock: intended send times are on it, and every wait of a schedule (open arrivals,
    /// closed deadlines, ramp re-targeting, pauses) runs on its <see cref="RunClock.TimeProvider"/>.</param>
    /// <param name="sink">Receives every completed record (must be thread-safe).</param>
    /// <param name="observer">Optional progress observer.</param>
    /// <param name="seed">Seed for random arrivals (poisson).</param>
    /// <param name="slos">The scenario's SLO sets (a sweep judges its probes against one).</param>
    public LoadRunner(IRequestExecutor executor, RunClock clock, Action<RequestRecord> sink, ILoadObserver? observer = null, int seed = 42, IReadOnlyList<SloSet>? slos = null)
    {
        _slos = slos ?? [];
        _executor = executor;
        _clock = clock;
        _sink = sink;
        _observer = observer;
        _seed = seed;
    }

    /// <summary>Multi-turn sessions (<c>request.conversation</c>), or null: every step then sends single requests. With a
    /// plan, closed steps run whole sessions per worker (<c>iterations</c> still counts requests) and each open arrival
    /// starts a session (the rate is session starts); see <see cref="Workloads.Sessions.Session"/>.</summary>
    public Workloads.Sessions.SessionPlan? Sessions { get; init; }

    /// <summary>The id of the first request sent (then +1 each): 0 unless set, e.g. past the ids a run reserved for
    /// its batch lines, or past the highest id of a resumed run's records.</summary>
    public long FirstId
    {
        get => Interlocked.Read(ref _nextId);
        init => _nextId = value;
    }

    /// <summary>Runs a plan: its <see cref="Plan.Steps"/> for each of its <see cref="Plan.SynchronousOrder"/> (every
    /// synchronous cell of each replicate), one cell after another, in the plan's order (batch-api cells are one batch each, run by <c>BatchCellRunner</c>).</summary>
    /// <exception cref="OperationCanceledException">The run was cancelled; records completed so far were sunk.</exception>
    public Task RunAsync(Plan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return RunAsync([.. plan.SynchronousOrder.Select(p => new Cell(p.Cell.Model, p.Cell.Mode, p.Cell.Policy, p.Replicate, p.Cell.Target))], plan.Steps, cancellationToken);
    }

    /// <summary>Runs <paramref name="steps"/> for every cell, in order (raising the thread-pool floor first, see
    /// <see cref="ThreadPoolFloor"/>). A cell with a <see cref="Cell.Replicate"/> stamps it on every record it sinks;
    /// replicates are cells like any other here, listed in the plan's order (<see cref="Plan.SynchronousOrder"/>).</summary>
    /// <exception cref="OperationCanceledException">The run was cancelled; records completed so far were sunk, and every
    /// request in flight then was sunk as <see cref="Outcome.Cancelled"/> before this is thrown.</exception>
    public async Task RunAsync(IReadOnlyList<Cell> cells, IReadOnlyList<WorkloadStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(steps);
        ThreadPoolFloor.Ensure();
        for (var c = 0; c < cells.Count; c++)
        {
            var cell = cells[c];
            _observer?.CellStarted(cell);
            var context = new StepContext(this, cell, cancellationToken, _seed + c, _slos);
            foreach (var step in steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await Workload.RunAsync(step, context).ConfigureAwait(false);
            }

            _observer?.CellFinished(cell);
        }
    }

    /// <inheritdoc />
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <inheritdoc />
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Sends one request now and sinks its record (and hands it to the running sweep probe, if any). When the run's
    /// token is cancelled before the request is sent, nothing is sent or sunk; when it is cancelled while the request is
    /// in flight, the executor's <see cref="OperationCanceledException"/> is turned into a <see cref="Outcome.Cancelled"/>
    /// record (sent when it was handed to the executor, ended now) that is sunk like any other, and then rethrown so the
    /// workload stops sending.
    /// </summary>
    /// <exception cref="OperationCanceledException">The run's token was cancelled.</exception>
    /// <returns>The record sunk.</returns>
    internal async Task<RequestRecord> SendAsync(StepContext context, string phase, double? intendedMs, Core.Prompts.PromptDraw? draw = null, string? sessionId = null, int? turn = null, int? sessionTurns = null)
    {
        var token = context.CancellationToken;
        token.ThrowIfCancellationRequested();
        var ticket = new RequestTicket(context.Cell, Interlocked.Increment(ref _nextId) - 1, phase, intendedMs, draw, sessionId, turn, sessionTurns);
        var sentMs = _clock.NowMs();
        Interlocked.Increment(ref _inFlight);
        RequestRecord record;
        try
        {
            record = await _executor.ExecuteAsync(ticket, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            Complete(context, NotAttempted(ticket, Outcome.Cancelled, sentMs, "cancelled: the run was interrupted while the request was in flight"));
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }

        // Whatever the executor stamped, the record names its session (an executor need not know sessions).
        record.SessionId ??= ticket.SessionId;
        record.Turn ??= ticket.Turn;
        record.SessionTurns ??= ticket.SessionTurns;
        Complete(context, record);
        return record;
    }

    /// <summary>Records an open arrival the client did not send (<see cref="Outcome.Dropped"/>), at the clock's now.</summary>
    /// <param name="context">The step's context.</param>
    /// <param name="phase">The step's phase.</param>
    /// <param name="intendedMs">When the schedule meant to send it.</param>
    /// <param name="reason">Why it was not sent, e.g. <c>in-flight cap of 1000 reached</c>.</param>
    /// <param name="draw">What it would have sent (a trace line), stamped on the record like a sent one's.</param>
    /// <param name="sessionId">Its session (a trace line's, or a session's turn), or null.</param>
    /// <param name="turn">A session's turn: the turn.</param>
    /// <param name="sessionTurns">A session's turn: the session's drawn turns.</param>
    internal void Drop(StepContext context, string phase, double intendedMs, string reason, Core.Prompts.PromptDraw? draw = null, string? sessionId = null, int? turn = null, int? sessionTurns = null)
    {
        var ticket = new RequestTicket(context.Cell, Interlocked.Increment(ref _nextId) - 1, phase, intendedMs, draw, sessionId, turn, sessionTurns);
        Interlocked.Increment(ref _dropped);
        var record = NotAttempted(ticket, Outcome.Dropped, _clock.NowMs(), reason);
        ChatExecutor.Stamp(record, ticket);
        Complete(context, record);
    }

    private RequestRecord NotAttempted(RequestTicket ticket, Outcome outcome, double sentMs, string reason) => new()
    {
        Id = ticket.Id,
        Model = ticket.Cell.Model,
        Mode = ticket.Cell.Mode,
        Policy = ticket.Cell.Policy, // else a policy cell's drops and cancellations would form a phantom no-policy cell
        Replicate = ticket.Cell.Replicate,
        Target = ticket.Cell.Target,
        Phase = ticket.Phase,
        IntendedMs = ticket.IntendedMs,
        SentMs = sentMs,
        EndMs = _clock.NowMs(),
        Outcome = outcome,
        Error = new ErrorInfo(Names.Of(outcome), null, reason),
        SessionId = ticket.SessionId,
        Turn = ticket.Turn,
        SessionTurns = ticket.SessionTurns,
    };

    private void Complete(StepContext context, RequestRecord record)
    {
        // Every record of a cell names its target, whichever executor sent it.
        if (context.Cell.Target is { } target)
        {
            record.Target = target;
        }

        if (context.Cell.Replicate is { } replicate)
        {
            record.Replicate = replicate;
        }

        if (context.Probe is { } probe)
        {
            record.ProbeRatePerS = probe.RatePerS;
            probe.Add(record);
        }

        _sink(record);
        _observer?.RequestCompleted(context.Cell, record);
    }

    internal RunClock Clock => _clock;

    /// <summary>The run's seed (prompts built from a trace line are seeded by it).</summary>
    internal int Seed => _seed;

    /// <summary>The trace files of the plan's <c>trace</c> steps, loaded before the run (by <see cref="TraceSpec.Path"/>,
    /// as the step names it); a step whose file is not here is loaded when it starts.</summary>
    public IReadOnlyDictionary<string, Core.Traces.TraceFile> Traces { get; init; } = new Dictionary<string, Core.Traces.TraceFile>();
}

/// <summary>What a workload step needs: the cell, the runner and the state carried from step to step.</summary>
internal sealed class StepContext(LoadRunner runner, Cell cell, CancellationToken cancellationToken, int seed, IReadOnlyList<SloSet> slos)
{
    public IReadOnlyList<SloSet> Slos { get; } = slos;

    /// <summary>The sweep probe in progress, or null.</summary>
    public SweepProbe? Probe { get; set; }

    public LoadRunner Runner { get; } = runner;

    public Cell Cell { get; } = cell;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public RunClock Clock => Runner.Clock;

    public Random Random { get; } = new(seed);

    /// <summary>Copies in flight at the end of the last closed step (where a ramp starts).</summary>
    public int LastCopies { get; set; }

    /// <summary>Rate per second at the end of the last open step (where a ramp starts).</summary>
    public double LastRatePerS { get; set; }

    private long _sessions;

    /// <summary>The next session number of this cell, from 1 (across its steps).</summary>
    public long NextSession() => Interlocked.Increment(ref _sessions);
}
