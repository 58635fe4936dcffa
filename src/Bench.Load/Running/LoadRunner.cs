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
    private bool _congruent;
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

    /// <summary>
    /// The slice of the plan this runner sends (<c>bench run --shard I/N</c>), or null for all of it. With a shard:
    /// <list type="bullet">
    /// <item>Every request a cell's step intends (sent or dropped) has an index k from 0 in schedule order; the shard
    /// sends or drops exactly the k with <see cref="ShardSpec.Takes"/>. Open steps (inject, ramping_inject, poisson,
    /// gamma, iterations_for_inject, trace) enumerate the whole arrival sequence with the same seed and the same use of
    /// the random generator, so each arrival keeps its unsharded intended offset; the in-flight cap is ceil(cap / N) per
    /// shard. <c>iterations_for_constant</c> sends its share of the count (request k with Takes(k)) with its share of the
    /// workers (worker w with Takes(w), at least 1 when it has requests).</item>
    /// <item>Ids: while every step so far fixed its count (iteration steps, open steps without sessions, traces),
    /// request k gets the unsharded run's id (its first id plus the requests before it) and so its draw (prompt and
    /// seed): the shards' union equals the unsharded run's requests, and <c>--shard 1/1</c> is the unsharded run.
    /// From the first step whose requests depend on timing even unsharded (<c>keep_constant</c>,
    /// <c>ramping_constant</c>, or any step with multi-turn sessions) to the run's end, shard I's ids are congruent to
    /// I − 1 mod N (unique and disjoint across shards, not the unsharded ids, which then depend on timing too).</item>
    /// <item>Duration-bound closed steps run the shard's share of <c>copies</c> (worker w with Takes(w)); a shard with
    /// none waits out the step's duration so that the shards stay in step.</item>
    /// <item>Sessions: session n (from 1 per cell) belongs to shard ((n − 1) mod N) + 1 and its turns go with it.</item>
    /// <item>Every record carries <see cref="RequestRecord.Shard"/> = I. Sweep steps are refused.</item>
    /// </list>
    /// </summary>
    public ShardSpec? Shard { get; init; }

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
        if (Shard is { } shard && steps.FirstOrDefault(s => s.Kind == StepKind.Sweep) is not null)
        {
            throw new ArgumentException($"A sweep step cannot run in shard {shard}: it chooses each next rate from results the shards do not share.", nameof(steps));
        }

        ThreadPoolFloor.Ensure();
        try
        {
            await RunCellsAsync(cells, steps, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Barrier?.Leave();
        }
    }

    private async Task RunCellsAsync(IReadOnlyList<Cell> cells, IReadOnlyList<WorkloadStep> steps, CancellationToken cancellationToken)
    {
        var g = 0L;
        for (var c = 0; c < cells.Count; c++)
        {
            var cell = cells[c];
            _observer?.CellStarted(cell);
            var context = new StepContext(this, cell, cancellationToken, _seed + c, _slos);
            if (c == 0 && StartAtMs is { } startAtMs)
            {
                // The shared start, as late as possible: the first step's schedule begins at this instant in every shard
                // (or, with a barrier, when the last shard is ready if that is later: a shard slow to start delays all).
                var beginMs = Barrier is { } first ? Math.Max(startAtMs, await first.ArriveAsync(0, cancellationToken).ConfigureAwait(false)) : startAtMs;
                await _clock.DelayUntilAsync(beginMs, cancellationToken).ConfigureAwait(false);
                StartLatenessMs = _clock.NowMs() - startAtMs;
            }

            foreach (var step in steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // The shards meet: each step starts at one instant in all of them (the first, with a shared start, met
                // above at the later of the two).
                if (Barrier is { } barrier && !(g == 0 && StartAtMs is not null))
                {
                    await _clock.DelayUntilAsync(await barrier.ArriveAsync(g, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                }

                g++;

                await Workload.RunAsync(step, context).ConfigureAwait(false);
            }

            _observer?.CellFinished(cell);
        }
    }

    /// <summary>Where the shards meet before every step (<see cref="IStepBarrier"/>; with <see cref="StartAtMs"/>, the
    /// first step at the later of the two); null: each step starts when the one before it has drained.</summary>
    public IStepBarrier? Barrier { get; init; }

    /// <summary>When the first step of the first cell starts (ms on the run clock): the shared start of a sharded run
    /// (<c>--start-at</c>); null: at once.</summary>
    public double? StartAtMs { get; init; }

    /// <summary>How late the first step started against <see cref="StartAtMs"/> (ms on the run clock; 0 or more), once
    /// it has; null before, or without a shared start.</summary>
    public double? StartLatenessMs { get; private set; }

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
    internal async Task<RequestRecord> SendAsync(StepContext context, string phase, double? intendedMs, Core.Prompts.PromptDraw? draw = null, string? sessionId = null, int? turn = null, int? sessionTurns = null, long? id = null)
    {
        var token = context.CancellationToken;
        token.ThrowIfCancellationRequested();
        var ticket = new RequestTicket(context.Cell, id ?? NextId(), phase, intendedMs, draw, sessionId, turn, sessionTurns);
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
    /// <param name="id">The request's id; null: the next one.</param>
    internal void Drop(StepContext context, string phase, double intendedMs, string reason, Core.Prompts.PromptDraw? draw = null, string? sessionId = null, int? turn = null, int? sessionTurns = null, long? id = null)
    {
        var ticket = new RequestTicket(context.Cell, id ?? NextId(), phase, intendedMs, draw, sessionId, turn, sessionTurns);
        Interlocked.Increment(ref _dropped);
        var record = NotAttempted(ticket, Outcome.Dropped, _clock.NowMs(), reason);
        ChatExecutor.Stamp(record, ticket);
        Complete(context, record);
    }

    /// <summary>The next id: +1 each, or +N each once a shard's ids are congruent to I − 1 mod N (see <see cref="Shard"/>).</summary>
    private long NextId()
    {
        var stride = _congruent ? Shard!.Count : 1;
        return Interlocked.Add(ref _nextId, stride) - stride;
    }

    /// <summary>A shard's step whose requests are canonical: the id of its request k is block + k,
    /// with block the id of its request 0; null once the shard's ids are congruent (then <see cref="NextId"/>).</summary>
    internal long? CanonicalBlock() => _congruent ? null : Interlocked.Read(ref _nextId);

    /// <summary>After a shard's canonical step of <paramref name="count"/> requests (sent, dropped or another shard's):
    /// the next id is the one the unsharded run gives the step's next request.</summary>
    internal void EndCanonicalBlock(long block, long count)
    {
        if (!_congruent)
        {
            Interlocked.Exchange(ref _nextId, block + count);
        }
    }

    /// <summary>A shard reaches a step whose requests depend on timing even unsharded: from here on its ids are
    /// congruent to I − 1 mod N (the first at or after the next id). Steps run one after another, so this is never
    /// called with requests in flight.</summary>
    internal void BecomeCongruent()
    {
        if (Shard is not { } shard || _congruent)
        {
            return;
        }

        var next = Interlocked.Read(ref _nextId);
        var aligned = (((next + shard.Count - 1) / shard.Count) * shard.Count) + shard.Index - 1;
        Interlocked.Exchange(ref _nextId, aligned);
        _congruent = true;
    }

    /// <summary>A shard's share of <paramref name="count"/> items shared round-robin (item k with Takes(k)): ⌊count/N⌋, +1
    /// for the first count mod N shards; count itself without a shard.</summary>
    internal long ShareOf(long count) => Shard?.Share(count) ?? count;

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

        if (Shard is { } shard)
        {
            record.Shard = shard.Index;
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
    private bool _sessionsDiverged;

    /// <summary>The next session number of this cell (from 1, across its steps) for a closed step's worker. In a shard
    /// (<see cref="LoadRunner.Shard"/>): the next number after the last one the cell used that belongs to this shard
    /// (((n − 1) mod N) + 1 = I); how many a closed step starts depends on timing, so from then on the cell's numbers
    /// are the shard's own, not the unsharded run's.</summary>
    public long NextSession()
    {
        if (Runner.Shard is not { } shard)
        {
            return Interlocked.Increment(ref _sessions);
        }

        lock (this)
        {
            _sessionsDiverged = true;
            _sessions = NextOwn(shard, _sessions);
            return _sessions;
        }
    }

    /// <summary>The session an open step's arrival <paramref name="k"/> (from 0 in the step) starts, and whether this
    /// shard runs it. Unsharded, or in a shard while the cell's numbers are still the unsharded run's: the cell's next
    /// number, run by the shard it belongs to. After a closed session step in the cell (its count depends on timing):
    /// the shard runs the arrivals with <see cref="ShardSpec.Takes"/>(k), numbered by its own next numbers.</summary>
    public long OpenSession(long k, out bool mine)
    {
        if (Runner.Shard is not { } shard)
        {
            mine = true;
            return Interlocked.Increment(ref _sessions);
        }

        lock (this)
        {
            if (!_sessionsDiverged)
            {
                _sessions++;
                mine = ((_sessions - 1) % shard.Count) == shard.Index - 1;
                return _sessions;
            }

            mine = shard.Takes(k);
            if (mine)
            {
                _sessions = NextOwn(shard, _sessions);
            }

            return _sessions;
        }
    }

    /// <summary>The first session number after <paramref name="last"/> that belongs to <paramref name="shard"/>.</summary>
    private static long NextOwn(ShardSpec shard, long last)
    {
        var n = last + 1;
        var offset = ((shard.Index - 1) - ((n - 1) % shard.Count) + shard.Count) % shard.Count;
        return n + offset;
    }
}
