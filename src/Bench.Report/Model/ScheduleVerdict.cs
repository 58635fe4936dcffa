using Bench.Core.Metrics;

namespace Bench.Report.Model;

/// <summary>How well the client kept an open schedule.</summary>
public enum ScheduleKeeping
{
    /// <summary>99 % of requests left within <see cref="ScheduleVerdict.LagWarningMs"/> of their intended time.</summary>
    OnSchedule,

    /// <summary>The rate was kept but some requests left late (p99 lag above <see cref="ScheduleVerdict.LagWarningMs"/>).</summary>
    LateSends,

    /// <summary>The client fell behind: it sent less than <see cref="ScheduleVerdict.RateShortfall"/> of the intended
    /// rate, or the median request left late.</summary>
    Behind,
}

/// <summary>Schedule accuracy of one open-load cell: its <c>queue_ms</c> (send lag), <c>intended_rps</c> and
/// <c>achieved_send_rps</c>, judged.</summary>
/// <param name="Cell">The cell.</param>
/// <param name="Queue">Its <c>queue_ms</c> distribution.</param>
/// <param name="Keeping">The verdict.</param>
public sealed record ScheduleVerdict(CellResult Cell, MetricStats Queue, ScheduleKeeping Keeping)
{
    /// <summary>Lag a client shows when a late request is sent (queue) above which the report warns, ms.</summary>
    public const double LagWarningMs = 10;

    /// <summary>Below this share of the intended rate, the client did not deliver the offered load.</summary>
    public const double RateShortfall = 0.95;

    /// <summary>The verdict for a cell's summary; <see cref="ScheduleKeeping.OnSchedule"/> for closed load (no
    /// <c>queue_ms</c>).</summary>
    public static ScheduleKeeping Judge(CellSummary s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var queue = s.Get(Metric.Queue);
        if (queue is null)
        {
            return ScheduleKeeping.OnSchedule;
        }

        var shortfall = s.IntendedRatePerS is > 0 && s.AchievedSendRatePerS is { } sent && sent < RateShortfall * s.IntendedRatePerS.Value;
        return shortfall || queue.P50 > LagWarningMs ? ScheduleKeeping.Behind
            : queue.P99 > LagWarningMs ? ScheduleKeeping.LateSends
            : ScheduleKeeping.OnSchedule;
    }

    /// <summary>One verdict per open-load cell, in run order.</summary>
    public static IReadOnlyList<ScheduleVerdict> For(IReadOnlyList<CellResult> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return [.. cells.Where(c => c.Summary.Get(Metric.Queue) is not null)
            .Select(c => new ScheduleVerdict(c, c.Summary.Get(Metric.Queue)!, Judge(c.Summary)))];
    }
}
