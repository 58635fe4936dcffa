using Bench.Report.Charts;
using ScottPlot;

namespace Bench.Report.Tests.Charts;

public class LatencyLogAxisTests
{
    [Fact]
    public void MillisecondsToHours_OneLabelPerDecade_ThenMinutesAndHours()
    {
        var axis = new LatencyLogAxis([0.18, 0.8, 1080, 7200]);
        using var plot = new Plot();

        axis.Apply(plot);

        Assert.Equal(["1 s", "10 s", "1 min", "10 min", "1 h", "6 h"], Labels(plot));
        Assert.Equal(Math.Log10(0.18 / 1.6), plot.Axes.Left.Min, 9);
        Assert.Equal(Math.Log10(7200) + (0.2 * Math.Log10(7200 / 0.18)), plot.Axes.Left.Max, 9); // headroom: a fifth of the span
        Assert.Equal(LatencyLogAxis.Y(60), Math.Log10(60), 12);
    }

    [Fact]
    public void WithinADecade_Every125Step()
    {
        var axis = new LatencyLogAxis([0.2, 0.4, 0.9]);
        using var plot = new Plot();

        axis.Apply(plot);

        Assert.Equal(["200 ms", "500 ms", "1 s"], Labels(plot));
    }

    [Fact]
    public void OneValue_SpansADecade_StillLabelled()
    {
        var axis = new LatencyLogAxis([1080]);
        using var plot = new Plot();

        axis.Apply(plot);

        Assert.True(axis.High - axis.Low >= 1);
        Assert.NotEmpty(Labels(plot));
        Assert.Contains("20 min", Labels(plot));
    }

    [Fact]
    public void NonPositiveOrNotFinite_Ignored()
    {
        var axis = new LatencyLogAxis([0, -1, double.NaN, double.PositiveInfinity, 2]);

        Assert.True(double.IsFinite(axis.Low) && double.IsFinite(axis.High));
        Assert.InRange(Math.Pow(10, axis.Low), 0.1, 2);
    }

    /// <summary>The labelled ticks of the left axis, after a render (which is when ScottPlot lays ticks out).</summary>
    private static List<string> Labels(Plot plot)
    {
        using var image = plot.GetImage(960, 540);
        return [.. plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).OrderBy(t => t.Position).Select(t => t.Label)];
    }
}
