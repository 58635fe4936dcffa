using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Results;

namespace Bench.Report.Model;

/// <summary>A way the client machine (Bench's own process) limited a run's figures.</summary>
public enum ClientLimit
{
    /// <summary>The process kept the machine's cores busy: its CPU share's p90 was above
    /// <see cref="ClientVerdict.CpuShareLimit"/>.</summary>
    Cpu,

    /// <summary>Its timers woke late: scheduler lag p99 above <see cref="ClientVerdict.SchedulerLagLimitMs"/>.</summary>
    SchedulerLag,

    /// <summary>Open arrivals were dropped: the in-flight cap was reached or the client fell behind a step's end.</summary>
    Dropped,

    /// <summary>The thread-pool queue grew through the run (see <see cref="ClientVerdict.QueueGrowing"/>).</summary>
    ThreadPoolQueue,
}

/// <summary>
/// Whether the client machine, not the endpoint, limited a run's figures: the <c>client</c> section of
/// <c>run.json</c> (<see cref="ClientSaturation"/>) and the dropped arrivals, judged against thresholds. Any limit found
/// means the figures describe the client as much as the endpoint: latencies include the client's own delays (late
/// timestamps, late sends) and the endpoint was offered less load than the scenario asked for.
/// </summary>
/// <param name="Measured">The sampler's summary; null for a results folder written before Bench measured itself (the
/// verdict then rests on the dropped arrivals alone).</param>
/// <param name="Dropped">Open arrivals the client did not send.</param>
/// <param name="Limits">What limited the figures, in <see cref="ClientLimit"/> order; empty when the client kept up.</param>
public sealed record ClientVerdict(ClientSaturation? Measured, long Dropped, IReadOnlyList<ClientLimit> Limits)
{
    /// <summary>CPU share (of every logical core) above which the process is judged CPU-bound: 0.85. Past it, the
    /// runnable threads that read sockets, take timestamps and fire schedule timers start waiting for a core, so every
    /// time Bench records runs late by that wait; the margin below 100 % allows for the kernel's and other processes'
    /// share and for the 250 ms samples averaging out short saturated bursts. Judged on the p90 of the samples: the
    /// client was CPU-bound for at least a tenth of the run, not for a moment of start-up or JIT compilation.</summary>
    public const double CpuShareLimit = 0.85;

    /// <summary>Scheduler lag p99 (ms) above which the client's own timers are judged late: 5 ms. An idle .NET process on
    /// Linux wakes a timer within about 1–2 ms of its due time (the timer queue's millisecond granularity plus a
    /// thread-pool hop), so a p99 of several times that means threads waited for a core or the pool; the same wait
    /// delays open sends and the timestamps of arriving bytes, and at 5 ms it is a visible share of a fast TTFT.</summary>
    public const double SchedulerLagLimitMs = 5;

    /// <summary>Thread-pool queue length (work items waiting for a thread) that a growing queue must reach to count: 100.
    /// Each waiting item is a continuation (a socket read, a timer) that runs late; a hundred of them behind a
    /// handful of threads is milliseconds of delay, the order of <see cref="SchedulerLagLimitMs"/>.</summary>
    public const long ThreadPoolQueueLimit = 100;

    /// <summary>True when the client limited the figures in any way.</summary>
    public bool Limited => Limits.Count > 0;

    /// <summary>The thread-pool queue grew: the mean of the last quarter of the samples is more than twice the first
    /// quarter's and at least <see cref="ThreadPoolQueueLimit"/> — a backlog building up, not a burst.</summary>
    public static bool QueueGrowing(ClientSaturation measured)
    {
        ArgumentNullException.ThrowIfNull(measured);
        return measured.ThreadPoolQueueLastQuarterMean >= ThreadPoolQueueLimit
            && measured.ThreadPoolQueueLastQuarterMean > 2 * measured.ThreadPoolQueueFirstQuarterMean;
    }

    /// <summary>The verdict of a run: null when there is nothing to judge (no <c>client</c> section and no arrival
    /// dropped: an old results folder).</summary>
    /// <param name="run">The run's metadata (its <see cref="RunInfo.Client"/>).</param>
    /// <param name="cells">The measured cells (their dropped counts, for a folder without a <c>client</c> section).</param>
    public static ClientVerdict? For(RunInfo run, IReadOnlyList<CellResult> cells)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(cells);
        var measured = run.Client;
        var dropped = measured?.Dropped ?? cells.Sum(c => c.Summary.Outcomes.GetValueOrDefault(Outcome.Dropped));
        if (measured is null && dropped == 0)
        {
            return null;
        }

        var limits = new List<ClientLimit>();
        if (measured is { Samples: > 0 })
        {
            if (measured.CpuShareP90 > CpuShareLimit)
            {
                limits.Add(ClientLimit.Cpu);
            }

            if (measured.SchedulerLagP99Ms > SchedulerLagLimitMs)
            {
                limits.Add(ClientLimit.SchedulerLag);
            }
        }

        if (dropped > 0)
        {
            limits.Add(ClientLimit.Dropped);
        }

        if (measured is { Samples: > 0 } && QueueGrowing(measured))
        {
            limits.Add(ClientLimit.ThreadPoolQueue);
        }

        return new ClientVerdict(measured, dropped, limits);
    }
}
