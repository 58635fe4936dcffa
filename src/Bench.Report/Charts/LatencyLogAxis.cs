using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// A logarithmic latency axis in seconds, so a first token in milliseconds and a batch turnaround in hours fit one
/// chart. ScottPlot 5 has no native log axis: values are plotted as log10(seconds) (<see cref="Y"/>) and the tick
/// generator is given human durations at their log positions (as <see cref="RateAxis"/> does for rates). Labels are
/// the durations a reader uses — 100 ms, 1 s, 10 s, 1 min, 10 min, 1 h, 6 h, 24 h — and thin out as the span grows;
/// the in-between steps stay unlabelled minor ticks.
/// </summary>
internal sealed class LatencyLogAxis
{
    /// <summary>Every tick candidate, seconds, ascending: 1–2–5 per decade below a minute, then minutes and hours.</summary>
    private static readonly double[] Candidates =
    [
        0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30,
        60, 120, 300, 600, 1200, 1800, 3600, 7200, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600, 48 * 3600,
    ];

    /// <summary>The labelled ticks when the axis spans many decades: one per decade below a minute, then 1 min, 10 min,
    /// 1 h, 6 h, 24 h.</summary>
    private static readonly double[] Anchors = [0.001, 0.01, 0.1, 1, 10, 60, 600, 3600, 6 * 3600, 24 * 3600];

    private readonly double _low;
    private readonly double _high;

    /// <summary>Spans the positive, finite <paramref name="seconds"/> with some room either side.</summary>
    public LatencyLogAxis(IEnumerable<double> seconds)
    {
        var positive = seconds.Where(s => s > 0 && double.IsFinite(s)).ToList();
        var min = positive.Count > 0 ? positive.Min() : 0.1;
        var max = positive.Count > 0 ? positive.Max() : 1;
        _low = Math.Log10(min / 1.6);
        // Headroom above the slowest point for its name and the chart's note (top left), a fifth of the span at least.
        _high = Math.Log10(max) + Math.Max(Math.Log10(1.6), 0.2 * (Math.Log10(max) - Math.Log10(min)));
        if (_high - _low < 1)
        {
            // At least a decade, so that some durations fall in range and are labelled.
            var middle = (_low + _high) / 2;
            (_low, _high) = (middle - 0.5, middle + 0.5);
        }
    }

    /// <summary>The lowest plotted coordinate (log10 seconds).</summary>
    public double Low => _low;

    /// <summary>The highest plotted coordinate (log10 seconds).</summary>
    public double High => _high;

    /// <summary>Where a latency in seconds goes on the plot's coordinate.</summary>
    public static double Y(double seconds) => Math.Log10(seconds);

    /// <summary>The labelled ticks, seconds, ascending.</summary>
    public IReadOnlyList<double> Labelled
    {
        get
        {
            var inRange = Candidates.Where(InRange).ToList();
            // Every 1-2-5 step while the span is short; anchors only when it is long, so labels never collide.
            return _high - _low <= 2.2 ? inRange : [.. inRange.Where(s => Anchors.Contains(s))];
        }
    }

    /// <summary>Sets the left axis: limits in log10 seconds and the duration tick labels (<see cref="Document.ReportDocumentBuilder.HumanDuration"/>).</summary>
    public void Apply(Plot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        var labelled = Labelled;
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var seconds in Candidates.Where(InRange))
        {
            if (labelled.Contains(seconds))
            {
                ticks.AddMajor(Y(seconds), Document.ReportDocumentBuilder.HumanDuration(seconds));
            }
            else
            {
                ticks.AddMinor(Y(seconds));
            }
        }

        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimitsY(_low, _high);
    }

    private bool InRange(double seconds) => Y(seconds) >= _low && Y(seconds) <= _high;
}
