using Bench.Core.Statistics;

namespace Bench.Core.Tests.Statistics;

/// <summary>The smallest sample with a given number of failures that shows a target proportion.</summary>
public sealed class TrialsToShowTests
{
    [Theory]
    [InlineData(0, 0.995)]
    [InlineData(1, 0.95)]
    [InlineData(2, 0.95)]
    [InlineData(1, 0.995)]
    [InlineData(5, 0.9)]
    public void TrialsToShow_IsTheSmallestSampleWhoseLowerBoundReachesTheTarget(long failures, double target)
    {
        var n = ProportionBound.TrialsToShow(failures, target);

        Assert.True(ProportionBound.Lower(n - failures, n) >= target);
        Assert.True(ProportionBound.Lower(n - 1 - failures, n - 1) < target);
    }

    [Fact]
    public void TrialsToShow_NoFailures_IsTheZeroFailureFormula() =>
        Assert.Equal(598, ProportionBound.TrialsToShow(0, 0.995));

    [Fact]
    public void TrialsToShow_OneFailure_NearThePoissonRule()
    {
        // With one failure the one-sided 95 % upper bound on the failure count is about 4.74 (Poisson), so about
        // 4.74 / 0.05 ≈ 95 trials show 95 %; the exact binomial answer sits just below it.
        var n = ProportionBound.TrialsToShow(1, 0.95);
        Assert.InRange(n, 88, 95);
    }
}
