using Bench.Core.Statistics;

namespace Bench.Core.Tests.Statistics;

public sealed class SampleSummaryTests
{
    [Fact]
    public void Of_OneToFive_MatchesRsTTest()
    {
        // R: x <- 1:5; mean(x) 3, sd(x) 1.581139, t.test(x)$conf.int 1.036757 4.963243.
        var s = SampleSummary.Of([5, 1, 4, 2, 3])!;

        Assert.Equal(5, s.N);
        Assert.Equal(3, s.Mean, 12);
        Assert.Equal(1.581139, s.Sd!.Value, 6);
        Assert.Equal((1.0, 3.0, 5.0), (s.Min, s.Median, s.Max));
        Assert.Equal(1.036757, s.MeanCiLow!.Value, 6);
        Assert.Equal(4.963243, s.MeanCiHigh!.Value, 6);
        Assert.Equal(1.581139 / 3, s.Cv!.Value, 6);
    }

    [Theory]
    [InlineData(3, 4.302653)]
    [InlineData(5, 2.776445)]
    [InlineData(10, 2.262157)]
    [InlineData(30, 2.045230)]
    public void Of_NValues_HalfWidthIsTheTablesTQuantileTimesTheStandardError(int n, double t975)
    {
        // Student's t table (R: qt(0.975, n - 1)).
        var s = SampleSummary.Of([.. Enumerable.Range(1, n).Select(i => (double)(i * i))])!;

        var halfWidth = (s.MeanCiHigh!.Value - s.MeanCiLow!.Value) / 2;
        Assert.Equal(t975, halfWidth / (s.Sd!.Value / Math.Sqrt(n)), tolerance: 1e-5);
        Assert.Equal(s.Mean, (s.MeanCiHigh.Value + s.MeanCiLow.Value) / 2, 9);
    }

    [Fact]
    public void Of_EvenCount_MedianIsTheMeanOfTheMiddleTwo()
    {
        Assert.Equal(2.5, SampleSummary.Of([4, 1, 3, 2])!.Median);
    }

    [Fact]
    public void Of_OneValue_HasNoSpreadOrInterval_AndNoValuesIsNull()
    {
        var s = SampleSummary.Of([7.0])!;

        Assert.Equal((1, 7.0, 7.0, 7.0, 7.0), (s.N, s.Mean, s.Min, s.Median, s.Max));
        Assert.Null(s.Sd);
        Assert.Null(s.MeanCiLow);
        Assert.Null(s.Cv);
        Assert.Null(SampleSummary.Of([]));
    }

    [Fact]
    public void Of_NormalSamples_IntervalCoversTheMeanAbout95PercentOfTheTime()
    {
        // 4,000 samples of 5 from N(100, 10²) (Box–Muller, fixed seed): a 95 % interval covers 100 in 95 % ± 1 %.
        var random = new Random(20261130);
        double Normal() => 100 + (10 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        var covered = 0;
        const int trials = 4000;
        for (var i = 0; i < trials; i++)
        {
            var s = SampleSummary.Of([.. Enumerable.Range(0, 5).Select(_ => Normal())])!;
            if (s.MeanCiLow <= 100 && s.MeanCiHigh >= 100)
            {
                covered++;
            }
        }

        Assert.InRange(covered / (double)trials, 0.94, 0.96);
    }
}
