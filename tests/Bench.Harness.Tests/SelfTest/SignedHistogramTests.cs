using Bench.Harness.SelfTest;

namespace Bench.Harness.Tests.SelfTest;

public sealed class SignedHistogramTests
{
    [Fact]
    public void ToDistribution_SamplesOnBothSidesOfZero_PercentilesInOrder()
    {
        var histogram = new SignedHistogram();
        for (var v = -50; v <= 49; v++)
        {
            histogram.Record(v * 10);
        }

        var d = histogram.ToDistribution()!;

        Assert.Equal(100, d.Count);
        Assert.Equal(50, histogram.NegativeCount);
        Assert.Equal(-500, d.MinUs);
        Assert.Equal(490, d.MaxUs);
        Assert.Equal(-10, d.P50Us); // the 50th of 100 sorted values
        Assert.Equal(390, d.P90Us);
        Assert.Equal(480, d.P99Us);
        Assert.Equal(-5, d.MeanUs);
    }

    [Fact]
    public void RecordMs_RoundsToTheMicrosecond()
    {
        var histogram = new SignedHistogram();
        histogram.RecordMs(0.1234);
        histogram.RecordMs(-0.0016);

        var d = histogram.ToDistribution()!;

        Assert.Equal(-2, d.MinUs);
        Assert.Equal(123, d.MaxUs);
    }

    [Fact]
    public void ToDistribution_Empty_IsNull() => Assert.Null(new SignedHistogram().ToDistribution());
}
