namespace Bench.Load.Saturation;

/// <summary>What the client-saturation sampler reads from its own process at each sample: the boundary a test replaces
/// to check the sampler's arithmetic with readings of its choosing.</summary>
public interface IClientReadings
{
    /// <summary>CPU time the process has used since it started (user and kernel, every thread).</summary>
    TimeSpan ProcessorTime { get; }

    /// <summary>Work items queued on the thread pool, waiting for a thread.</summary>
    long ThreadPoolQueue { get; }

    /// <summary>Threads the thread pool has now.</summary>
    int ThreadPoolThreads { get; }

    /// <summary>Logical cores the process may run on.</summary>
    int LogicalCores { get; }
}

/// <summary>This process's readings: <see cref="Environment.CpuUsage"/> (the same figure as
/// <c>Process.TotalProcessorTime</c>, without a <c>Process</c> object to refresh), <see cref="ThreadPool.PendingWorkItemCount"/>,
/// <see cref="ThreadPool.ThreadCount"/> and <see cref="Environment.ProcessorCount"/>. Each is a cheap call.</summary>
public sealed class ProcessReadings : IClientReadings
{
    /// <summary>The one instance.</summary>
    public static ProcessReadings Instance { get; } = new();

    private ProcessReadings()
    {
    }

    /// <inheritdoc />
    public TimeSpan ProcessorTime => Environment.CpuUsage.TotalTime;

    /// <inheritdoc />
    public long ThreadPoolQueue => ThreadPool.PendingWorkItemCount;

    /// <inheritdoc />
    public int ThreadPoolThreads => ThreadPool.ThreadCount;

    /// <inheritdoc />
    public int LogicalCores => Environment.ProcessorCount;
}

/// <summary>One sample of the client machine's own load: a row of <c>client.csv</c>.</summary>
/// <param name="TimeMs">When it was taken, ms on the run clock.</param>
/// <param name="SchedulerLagMs">How late the sampler's timer woke against its due time, ms (never negative).</param>
/// <param name="CpuShare">The process's CPU time since the previous sample over the wall time since then times the
/// logical cores, 0–1.</param>
/// <param name="ThreadPoolQueue">Work items waiting for a thread-pool thread.</param>
/// <param name="ThreadPoolThreads">Thread-pool threads.</param>
/// <param name="InFlight">Requests in flight.</param>
/// <param name="Dropped">Open arrivals not sent so far in the run (cumulative).</param>
public readonly record struct ClientSample(double TimeMs, double SchedulerLagMs, double CpuShare, long ThreadPoolQueue, int ThreadPoolThreads,
    int InFlight, long Dropped);
