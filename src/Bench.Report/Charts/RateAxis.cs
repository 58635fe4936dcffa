using System.Globalization;
using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// The offered-rate axis of the sweep charts. A sweep doubles its rate and then bisects, and a cell that never meets
/// its SLOs bisects far down (20 → 0.3 req/s), so when the probed rates span more than a factor of
/// <see cref="LogRatio"/> the axis is logarithmic (ticks 1, 2, 5 per decade) and the probes spread out evenly;
/// otherwise it is linear from zero. Tick labels thin out as the decades grow, so they never overlap.
/// </summary>
internal sealed class RateAxis
{
    /// <summary>Above this ratio of highest to lowest probed rate the axis is logarithmic.</summary>
    public const double LogRatio = 10;

    private readonly double _min;
    private readonly double _max;

    /// <summary>Chooses the scale for the probed <paramref name="rates"/> (req/s, positive).</summary>
    public RateAxis(IEnumerable<double> rates)
    {
        var positive = rates.Where(r => r > 0 && double.IsFinite(r)).ToList();
        _min = positive.Count > 0 ? positive.Min() : 1;
        _max = positive.Count > 0 ? positive.Max() : 1;
        IsLog = _max / _min > LogRatio;
    }

    /// <summary>True when the axis is logarithmic.</summary>
    public bool IsLog { get; }

    /// <summary>The axis label.</summary>
    public string Label => IsLog ? "offered rate (req/s, log scale)" : "offered rate (req/s)";

    /// <summary>Where a rate goes on the plot's x coordinate.</summary>
    public double X(double rate) => IsLog ? Math.Log10(rate) : rate;

    /// <summary>Rates from the lowest to the highest probed, evenly spread on this axis (for drawing a curve such as
    /// the diagonal).</summary>
    public IReadOnlyList<double> Span(int count = 64) =>
        IsLog
            ? [.. Enumerable.Range(0, count).Select(i => Math.Pow(10, Math.Log10(_min / 1.15) + (i * (Math.Log10(_max * 1.15) - Math.Log10(_min / 1.15)) / (count - 1))))]
            : [0, _max * 1.05];

    /// <summary>Sets the x limits and, on a log axis, the 1–2–5 tick labels in req/s.</summary>
    public void Apply(Plot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        if (!IsLog)
        {
            plot.Axes.SetLimitsX(0, _max * 1.05);
            return;
        }

        var low = Math.Log10(_min / 1.15);
        var high = Math.Log10(_max * 1.15);
        // Labels thin out as decades are added, so they never run into each other: 1-2-5 up to 2.5 decades, 1-5 up to
        // 4, then powers of ten only (the other steps stay as unlabelled minor ticks).
        int[] labelled = (high - low) switch
        {
            <= 2.5 => [1, 2, 5],
            <= 4 => [1, 5],
            _ => [1],
        };
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var decade = (int)Math.Floor(low); decade <= (int)Math.Ceiling(high); decade++)
        {
            for (var step = 1; step <= 9; step++)
            {
                var rate = step * Math.Pow(10, decade);
                var x = Math.Log10(rate);
                if (x < low || x > high)
                {
                    continue;
                }

                if (labelled.Contains(step))
                {
                    ticks.AddMajor(x, rate.ToString(rate < 1 ? "0.###" : "#,0", CultureInfo.InvariantCulture));
                }
                else
                {
                    ticks.AddMinor(x);
                }
            }
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimitsX(low, high);
    }
}
