using Bench.Report.Charts;
using ScottPlot;

namespace Bench.Report.Tests.Charts;

public class RateAxisTests
{
    [Fact]
    public void Rates_WithinTenfold_LinearFromZero()
    {
        var axis = new RateAxis([20, 40, 80, 160, 120]);
        using var plot = new Plot();

        axis.Apply(plot);

        Assert.False(axis.IsLog);
        Assert.Equal("offered rate (req/s)", axis.Label);
        Assert.Equal(80, axis.X(80));
        Assert.Equal(0, plot.Axes.Bottom.Min);
        Assert.Equal(168, plot.Axes.Bottom.Max, 6);
        Assert.Equal([0, 168], axis.Span().Select(r => Math.Round(r, 6)));
    }

    [Fact]
    public void Rates_BeyondTenfold_Log_With125TicksInReqPerS()
    {
        var axis = new RateAxis([0.5, 1, 2, 4, 8, 16, 30]);
        using var plot = new Plot();

        axis.Apply(plot);

        Assert.True(axis.IsLog);
        Assert.Equal("offered rate (req/s, log scale)", axis.Label);
        Assert.Equal(1, axis.X(10), 9);
        var labels = Labels(plot);
        Assert.Equal(["0.5", "1", "2", "5", "10", "20"], labels);
        var span = axis.Span();
        Assert.True(span[0] < 0.5 && span[^1] > 30);
        Assert.All(span.Zip(span.Skip(1)), p => Assert.Equal(Math.Log10(span[1] / span[0]), Math.Log10(p.Second / p.First), 9));
    }

    [Fact]
    public void ManyDecades_LabelOnlyPowersOfTen()
    {
        var axis = new RateAxis([0.0006, 0.01, 1, 20, 160]);
        using var plot = new Plot();

        axis.Apply(plot);

        Assert.Equal(["0.001", "0.01", "0.1", "1", "10", "100"], Labels(plot));
    }

    [Fact]
    public void NonPositiveRates_AreIgnored()
    {
        Assert.False(new RateAxis([0, -1, 5, 40]).IsLog);
        Assert.True(new RateAxis([0, 1, 40]).IsLog);
    }

    /// <summary>The labelled ticks of the bottom axis, after a render (which is when ScottPlot lays ticks out).</summary>
    private static List<string> Labels(Plot plot)
    {
        using var image = plot.GetImage(960, 540);
        return [.. plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).OrderBy(t => t.Position).Select(t => t.Label)];
    }
}
