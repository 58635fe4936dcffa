using Bench.Core.Statistics;

namespace Bench.Core.Tests.Statistics;

/// <summary>The t interval against R's <c>t.test</c>; the delta-method ratio interval and the token-moment cost
/// intervals by seeded simulation (coverage near 95 %).</summary>
public sealed class MeanIntervalTests
{
    [Fact]
    public void Mean_OneToFive_MatchesTTest()
    {
        // t.test(1:5)$conf.int: 1.036757 4.963243 (mean 3, variance 2.5).
        var interval = MeanInterval.Mean(5, 3, 2.5)!.Value;

        Assert.Equal(1.036757, interval.Lower, 5);
        Assert.Equal(4.963243, interval.Upper, 5);
    }

    [Fact]
    public void Mean_FewerThanTwo_IsNull()
    {
        Assert.Null(MeanInterval.Mean(1, 3, 0));
        Assert.Null(MeanInterval.Ratio(1, 3, 1, 0, 0, 0));
        Assert.Null(MeanInterval.Ratio(10, 3, 0, 1, 0, 0));
    }

    [Fact]
    public void CostIntervals_SeededSimulation_CoverTheTrueMeansAbout95PercentOfTheTime()
    {
        // Requests: prompt ~ U[100, 300], cached = prompt / 2 half the time, completion ~ U[50, 450], success 90 %.
        // Rates $1/M prompt, −$0.5/M when cached, $4/M completion. True mean cost per request:
        // 200 × 1e-6 − 0.5 × 50 × 1e-6 + 250 × 4e-6 = 1.175e-3; per success 1.175e-3 / 0.9 (independent success).
        const double meanCost = 1.175e-3;
        var random = new Random(1234);
        int trials = 2000, coveredMean = 0, coveredRatio = 0;
        for (var t = 0; t < trials; t++)
        {
            var moments = new TokenMoments();
            for (var i = 0; i < 200; i++)
            {
                var prompt = random.Next(100, 301);
                var cached = random.NextDouble() < 0.5 ? prompt / 2 : 0;
                moments.Add(prompt, cached, random.Next(50, 451), random.NextDouble() < 0.9);
            }

            var (perRequest, perSuccess) = moments.CostIntervals(1e-6, -0.5e-6, 4e-6);
            coveredMean += perRequest!.Value.Lower <= meanCost && meanCost <= perRequest.Value.Upper ? 1 : 0;
            coveredRatio += perSuccess!.Value.Lower <= meanCost / 0.9 && meanCost / 0.9 <= perSuccess.Value.Upper ? 1 : 0;
        }

        // 95 % ± 1.5 points (the binomial SD of 2,000 coverage trials is 0.5 point).
        Assert.InRange(coveredMean / (double)trials, 0.935, 0.965);
        Assert.InRange(coveredRatio / (double)trials, 0.935, 0.965);
    }

    [Fact]
    public void CostIntervals_EqualTokenCounts_HaveNoWidthPerRequest()
    {
        var moments = new TokenMoments();
        for (var i = 0; i < 10; i++)
        {
            moments.Add(100, 0, 100, true);
        }

        var (perRequest, perSuccess) = moments.CostIntervals(1e-6, 0, 1e-6);

        Assert.Equal(2e-4, perRequest!.Value.Lower, 12);
        Assert.Equal(2e-4, perRequest.Value.Upper, 12);
        Assert.Equal(2e-4, perSuccess!.Value.Upper, 12);
    }
}
