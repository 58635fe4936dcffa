namespace Bench.Core.Results;

/// <summary>
/// <c>run.json</c>'s <c>client</c> section: how hard the client machine (Bench's own process) worked while the load ran,
/// summarised from samples taken every <see cref="IntervalMs"/> on the run clock (each sample is a row of
/// <c>client.csv</c>). The report judges from it whether the client, not the endpoint, limited the figures. Absent in
/// results folders written before it existed.
/// </summary>
public sealed class ClientSaturation
{
    /// <summary>Time between samples, ms.</summary>
    public double IntervalMs { get; set; }

    /// <summary>Samples taken.</summary>
    public int Samples { get; set; }

    /// <summary>Logical cores of the machine (the denominator of the CPU share).</summary>
    public int LogicalCores { get; set; }

    /// <summary>Mean CPU share over the samples, 0–1: the process's CPU time over the wall time times
    /// <see cref="LogicalCores"/> (1 = every core busy with Bench's process all the time).</summary>
    public double CpuShareMean { get; set; }

    /// <summary>90th percentile of the samples' CPU share, 0–1 (the busiest tenth of the run).</summary>
    public double CpuShareP90 { get; set; }

    /// <summary>Highest sample's CPU share, 0–1.</summary>
    public double CpuShareMax { get; set; }

    /// <summary>Median scheduler lag, ms: how late the sampler's timer woke against its due time.</summary>
    public double SchedulerLagP50Ms { get; set; }

    /// <summary>99th percentile of the scheduler lag, ms.</summary>
    public double SchedulerLagP99Ms { get; set; }

    /// <summary>Worst scheduler lag, ms.</summary>
    public double SchedulerLagMaxMs { get; set; }

    /// <summary>Mean thread-pool queue length (work items waiting for a thread) over the first quarter of the samples.</summary>
    public double ThreadPoolQueueFirstQuarterMean { get; set; }

    /// <summary>Mean thread-pool queue length over the last quarter of the samples.</summary>
    public double ThreadPoolQueueLastQuarterMean { get; set; }

    /// <summary>Longest thread-pool queue seen.</summary>
    public long ThreadPoolQueueMax { get; set; }

    /// <summary>Most thread-pool threads seen.</summary>
    public int ThreadPoolThreadsMax { get; set; }

    /// <summary>Most requests in flight seen.</summary>
    public int InFlightMax { get; set; }

    /// <summary>Open arrivals the client did not send over the run (<c>dropped</c> records).</summary>
    public long Dropped { get; set; }
}
