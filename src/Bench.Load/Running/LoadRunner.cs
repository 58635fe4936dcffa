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
public sealed class LoadRunner
{
    private readonly IRequestExecutor _executor;
    private readonly RunClock _clock;
    private readonly Action<RequestRecord> _sink;
    private readonly ILoadObserver? _observer;
    private readonly int _seed;
    private readonly IReadOnlyList<SloSet> _slos;
    private long _nextId;

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

    /// <summary>Runs a plan: its <see cref="Plan.Steps"/> for each of its <see cref="Plan.Cells"/>, one cell after
    /// another, in the plan's order.</summary>
    /// <exception cref="OperationCanceledException">The run was cancelled; records completed so far were sunk.</exception>
    public Task RunAsync(Plan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return RunAsync([.. plan.Cells.Select(c => new Cell(c.Model, c.Mode))], plan.Steps, cancellationToken);
    }

    /// <summary>Runs <paramref name="steps"/> for every cell, in order (raising the thread-pool floor first, see
    /// <see cref="ThreadPoolFloor"/>).</summary>
    /// <exception cref="OperationCanceledException">The run was cancelled; records completed so far were sunk.</exception>
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
                await Workload.RunAsync(step, context).ConfigureAwait(false);
            }

            _observer?.CellFinished(cell);
        }
    }

    /// <summary>Sends one request now and sinks its record (and hands it to the running sweep probe, if any).</summary>
    internal async Task SendAsync(StepContext context, string phase, double? intendedMs)
    {
        var id = Interlocked.Increment(ref _nextId) - 1;
        var record = await _executor.ExecuteAsync(new RequestTicket(context.Cell, id, phase, intendedMs), context.CancellationToken).ConfigureAwait(false);
        if (context.Probe is { } probe)
        {
            record.ProbeRatePerS = probe.RatePerS;
            probe.Add(record);
        }

        _sink(record);
        _observer?.RequestCompleted(context.Cell, record);
    }

    internal RunClock Clock => _clock;
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
}
