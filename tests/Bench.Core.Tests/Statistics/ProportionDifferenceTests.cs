using Bench.Core.Statistics;

namespace Bench.Core.Tests.Statistics;

public sealed class ProportionDifferenceTests
{
    /// <summary>Newcombe (1998), Statistics in Medicine 17:873–890, Table II, method 10 (hybrid score, no continuity
    /// correction), 95 % intervals for the paper's examples (a)–(h).</summary>
    [Theory]
    [InlineData(56, 70, 48, 80, 0.0524, 0.3339)]
    [InlineData(9, 10, 3, 10, 0.1705, 0.8090)]
    [InlineData(6, 7, 2, 7, 0.0582, 0.8062)]
    [InlineData(5, 56, 0, 29, -0.0381, 0.1926)]
    [InlineData(0, 10, 0, 20, -0.1611, 0.2775)]
    [InlineData(0, 10, 0, 10, -0.2775, 0.2775)]
    [InlineData(10, 10, 0, 20, 0.6791, 1.0000)]
    [InlineData(10, 10, 0, 10, 0.6075, 1.0000)]
    public void Newcombe_PublishedExamples(long k1, long n1, long k2, long n2, double lower, double upper)
    {
        var d = ProportionDifference.Newcombe(k1, n1, k2, n2);

        Assert.Equal(lower, d.Lower, 0.00051);
        Assert.Equal(upper, d.Upper, 0.00051);
        Assert.Equal(((double)k1 / n1) - ((double)k2 / n2), d.Difference, 12);
    }

    [Fact]
    public void Newcombe_Simulation_CoversNearItsLevel()
    {
        // 2,000 pairs of binomial samples (n = 80 and 60, p = 0.9 and 0.85, fixed seed): a 95 % interval should cover
        // the true difference 0.05 about 95 % of the time (Newcombe reports ~0.95 mean coverage for method 10).
        var random = new Random(20261130);
        var covered = 0;
        const int trials = 2000;
        for (var t = 0; t < trials; t++)
        {
            var k1 = Enumerable.Range(0, 80).Count(_ => random.NextDouble() < 0.9);
            var k2 = Enumerable.Range(0, 60).Count(_ => random.NextDouble() < 0.85);
            var d = ProportionDifference.Newcombe(k1, 80, k2, 60);
            covered += d.Lower <= 0.05 && 0.05 <= d.Upper ? 1 : 0;
        }

        Assert.InRange((double)covered / trials, 0.93, 0.97);
    }

    [Fact]
    public void Newcombe_BadCounts_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProportionDifference.Newcombe(1, 0, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProportionDifference.Newcombe(3, 2, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProportionDifference.Newcombe(1, 2, 1, 1, 1.5));
    }
}
