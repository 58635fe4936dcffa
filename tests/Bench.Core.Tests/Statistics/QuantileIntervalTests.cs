using Bench.Core.Metrics;
using Bench.Core.Statistics;

namespace Bench.Core.Tests.Statistics;

/// <summary>Order-statistic ranks against the published median intervals (Conover, Table A3: n = 20 → X₍₆₎..X₍₁₅₎;
/// Hahn &amp; Meeker: n = 100 → X₍₄₀₎..X₍₆₁₎) and coverage by seeded simulation through the latency histogram.</summary>
public sealed class QuantileIntervalTests
{
    [Theory]
    [InlineData(20, 0.5, 6, 15)]
    [InlineData(100, 0.5, 40, 61)]
    [InlineData(100, 0.95, 90, 100)]
    [InlineData(30, 0.95, 26, 31)] // 31 = n + 1: 30 requests cannot bound their p95 from above
    [InlineData(1000, 0.99, 983, 997)]
    public void Ranks_PublishedAndExactBinomial(long n, double p, long lower, long upper)
    {
        Assert.Equal((lower, upper), QuantileInterval.Ranks(n, p));
    }

    [Fact]
    public void HistogramIntervals_SeededExponential_CoverTheTrueP95About95PercentOfTheTime()
    {
        // Exponential latencies with mean 200 ms: true p95 = −200·ln 0.05 = 599.15 ms.
        var truth = -200 * Math.Log(0.05);
        var random = new Random(42);
        int trials = 1000, covered = 0;
        for (var t = 0; t < trials; t++)
        {
            var histogram = new LatencyHistogram();
            for (var i = 0; i < 400; i++)
            {
                histogram.Record(-200 * Math.Log(1 - random.NextDouble()));
            }

            var p95 = histogram.ToQuantileIntervals()!.P95;
            covered += p95.Lower <= truth && truth <= p95.Upper ? 1 : 0;
        }

        // Exact order-statistic intervals cover at least 95 %; the histogram's 3 significant digits move a bound by
        // at most 0.1 %. 1,000 trials: ±1.4 points for a binomial SD of 0.7.
        Assert.InRange(covered / (double)trials, 0.936, 0.99);
    }

    [Fact]
    public void HistogramIntervals_SmallSample_HasNoUpperBoundForP99()
    {
        var histogram = new LatencyHistogram();
        for (var i = 1; i <= 30; i++)
        {
            histogram.Record(i * 10);
        }

        var ci = histogram.ToQuantileIntervals()!;
        Assert.Equal(double.PositiveInfinity, ci.P99.Upper);
        Assert.Equal(100, ci.P50.Lower, 0); // rank 10 of 30 → 100 ms
    }
}
