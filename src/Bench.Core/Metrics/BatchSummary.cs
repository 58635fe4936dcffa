using Bench.Core.Batches;
using Bench.Core.Records;

namespace Bench.Core.Metrics;

/// <summary>
/// The batch figures of one <c>batch-api</c> cell: its batch jobs (<c>batches.jsonl</c>, joined to the cell by model),
/// their turnaround and how they ran. A batch line has no latency of its own (<see cref="Metric.HasRequestLatency"/>):
/// the cell's latency is its batches' turnaround, on the provider's clock — simulated seconds on the embedded simulator
/// (<see cref="Simulated"/>, <see cref="TimeScale"/>), which every text says. Bench runs one batch per cell; with
/// several, the figures are exact nearest-rank percentiles over the batches that ended.
/// </summary>
public sealed class BatchSummary
{
    private BatchSummary(IReadOnlyList<BatchRecord> batches)
    {
        Batches = batches;
        var ended = batches.Where(b => b.TurnaroundS is not null).Select(b => b.TurnaroundS!.Value).Order().ToList();
        TurnaroundsS = ended;
        TurnaroundSP50 = Percentile(ended, 50);
        TurnaroundSP95 = Percentile(ended, 95);
        TurnaroundSMax = ended.Count > 0 ? ended[^1] : null;
        QueueS = Percentile([.. batches.Where(b => b.QueueS is not null).Select(b => b.QueueS!.Value).Order()], 50);
        LinesPerS = Percentile([.. batches.Where(b => b.LinesPerS is not null).Select(b => b.LinesPerS!.Value).Order()], 50);
        ObservedTurnaroundS = Percentile([.. batches.Where(b => b.ObservedTurnaroundS is not null).Select(b => b.ObservedTurnaroundS!.Value).Order()], 50);
        Polls = batches.Sum(b => (long)b.Polls);
        PollErrors = batches.Sum(b => (long)b.PollErrors);
        Simulated = batches.Any(b => b.Simulated);
        TimeScale = Simulated ? batches.Where(b => b.Simulated).Max(b => b.TimeScale) : 1;
    }

    /// <summary>The cell's batch jobs, in file order.</summary>
    public IReadOnlyList<BatchRecord> Batches { get; }

    /// <summary><c>batches</c>: batch jobs of the cell (one as Bench runs them).</summary>
    public int Count => Batches.Count;

    /// <summary>Batches that reached a terminal status while Bench waited (those with a turnaround).</summary>
    public int Ended => TurnaroundsS.Count;

    /// <summary>The turnaround of each ended batch, provider seconds, ascending.</summary>
    public IReadOnlyList<double> TurnaroundsS { get; }

    /// <summary><c>turnaround_s_p50</c>: median turnaround (created_at → terminal time), provider seconds; null when
    /// no batch ended. With one batch, its turnaround.</summary>
    public double? TurnaroundSP50 { get; }

    /// <summary><c>turnaround_s_p95</c>: nearest-rank 95th percentile of the turnarounds, provider seconds.</summary>
    public double? TurnaroundSP95 { get; }

    /// <summary><c>turnaround_s_max</c>: the longest turnaround, provider seconds.</summary>
    public double? TurnaroundSMax { get; }

    /// <summary><c>batch_queue_s</c>: median created_at → in_progress_at (validation and queueing), provider seconds.</summary>
    public double? QueueS { get; }

    /// <summary><c>batch_lines_per_s</c>: median over batches of lines run / (finalizing_at − in_progress_at), per
    /// provider second.</summary>
    public double? LinesPerS { get; }

    /// <summary><c>observed_turnaround_s</c>: median on Bench's clock, creation sent → terminal status seen, real
    /// seconds (polling granularity included).</summary>
    public double? ObservedTurnaroundS { get; }

    /// <summary><c>batch_polls</c>: status polls made, summed over the batches.</summary>
    public long Polls { get; }

    /// <summary>Polls that got no batch back, summed.</summary>
    public long PollErrors { get; }

    /// <summary><c>turnaround_simulated</c>: true when a batch's provider clock was the simulator's (time scale ≠ 1).</summary>
    public bool Simulated { get; }

    /// <summary><c>batch_time_scale</c>: simulated provider seconds per real second (1 for a real endpoint).</summary>
    public double TimeScale { get; }

    /// <summary>The batches of <paramref name="model"/>'s <c>batch-api</c> cell among <paramref name="batches"/>, or
    /// null when it has none (every cell of another mode, and a folder without <c>batches.jsonl</c>).</summary>
    public static BatchSummary? For(string model, Mode mode, IEnumerable<BatchRecord>? batches)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (mode != Mode.BatchApi || batches is null)
        {
            return null;
        }

        var own = batches.Where(b => string.Equals(b.Model, model, StringComparison.Ordinal)).ToList();
        return own.Count == 0 ? null : new BatchSummary(own);
    }

    /// <summary>The nearest-rank <paramref name="percent"/> percentile of ascending <paramref name="sorted"/>
    /// values (the smallest value with at least that share of values at or below it); null when empty.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
