using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Load.Running;

namespace Bench.Load.Workloads;

/// <summary>
/// The <c>sweep</c> step: finds, for the cell, the highest request rate whose goodput meets an SLO set. Each probe
/// is an open <c>inject</c> at one rate for the step's duration (records get phase <c>sweep</c> and the probe's
/// rate). The rate doubles from <c>start_rate</c> while probes meet the SLOs (up to <c>max_rate</c>), then bisects
/// between the highest rate that met and the lowest that failed until they are within <c>precision</c>.
/// </summary>
internal static class SweepWorkload
{
    /// <summary>A safety net: no sweep runs more probes than this.</summary>
    public const int MaxProbes = 16;

    /// <summary>Fewest requests a probe must hold to judge a percentile SLO: the search never goes below the rate
    /// that gives a probe this many.</summary>
    public const int MinProbeRequests = 20;

    public static async Task RunAsync(WorkloadStep step, StepContext context)
    {
        var slo = context.Slos.FirstOrDefault(s => s.Name == step.Slo) ?? context.Slos[0];
        var plan = new SweepPlan(step.StartRate!.Value, step.MaxRate, step.Precision, MinProbeRequests / step.Duration!.Value.TotalSeconds);
        for (var probes = 0; probes < MaxProbes && plan.Next is { } rate; probes++)
        {
            var probe = new SweepProbe(context.Cell, rate, slo);
            context.Probe = probe;
            try
            {
                var inject = new WorkloadStep { Kind = StepKind.Inject, Rate = rate, Duration = step.Duration, MaxConcurrency = step.MaxConcurrency };
                await OpenWorkload.RunAsync(inject, Arrivals.Even(rate, step.Duration!.Value.TotalMilliseconds, long.MaxValue), context, Phases.Sweep).ConfigureAwait(false);
            }
            finally
            {
                context.Probe = null;
            }

            plan.Record(rate, probe.Met());
        }

        context.LastRatePerS = plan.Highest ?? 0;
    }
}

/// <summary>The search of a sweep: doubling while probes pass, then bisection, never below <paramref name="minRate"/>
/// (when even that fails, nothing is sustainable within the search). Pure, so it is tested on its own.</summary>
internal sealed class SweepPlan(double startRate, double? maxRate, double precision, double minRate = 0)
{
    private double? _highestMet;
    private double? _lowestFailed;

    /// <summary>The rate to probe next, or null when the search is over.</summary>
    public double? Next { get; private set; } = startRate;

    /// <summary>Highest rate that met the SLOs so far.</summary>
    public double? Highest => _highestMet;

    public void Record(double rate, bool met)
    {
        if (met)
        {
            _highestMet = Math.Max(_highestMet ?? 0, rate);
        }
        else
        {
            _lowestFailed = Math.Min(_lowestFailed ?? double.PositiveInfinity, rate);
        }

        var low = _highestMet ?? 0;
        if (_lowestFailed is not { } high)
        {
            // Still climbing: double, capped at max_rate; stop once max_rate itself has met.
            var next = rate * 2;
            Next = maxRate is { } max ? (rate >= max ? null : Math.Min(next, max)) : next;
            return;
        }

        // Bracketed: bisect until the bracket is narrower than the precision (relative to the failing rate). Below
        // the floor a probe holds too few requests to judge: a failing floor ends the search with nothing met.
        var middle = (low + high) / 2;
        Next = (high - low) / high <= precision ? null
            : middle >= minRate ? middle
            : high > minRate && _highestMet is null ? minRate
            : null;
    }
}

/// <summary>Collects one probe's records and judges them against the SLO set.</summary>
internal sealed class SweepProbe(Cell cell, double ratePerS, SloSet slo)
{
    private readonly Lock _lock = new();
    private readonly CellAggregator _aggregator = new(cell.Model, cell.Mode, [slo], Phases.Sweep);

    public double RatePerS { get; } = ratePerS;

    public void Add(RequestRecord record)
    {
        lock (_lock)
        {
            _aggregator.Add(record);
        }
    }

    public bool Met()
    {
        lock (_lock)
        {
            return _aggregator.Summarize().Slos[0].Met;
        }
    }
}
