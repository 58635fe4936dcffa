using Bench.Core.Statistics;

namespace Bench.Core.Tests.Statistics;

/// <summary>One-sided exact bounds against R's <c>binom.test(…, alternative = "greater"/"less")</c> and the
/// zero-failure sample size against its closed form.</summary>
public sealed class ProportionBoundTests
{
    [Fact]
    public void Lower_NoFailures_IsAlphaToTheOneOverN()
    {
        // binom.test(64, 64, alternative = "greater")$conf.int[1] = 0.05^(1/64) = 0.9542703.
        Assert.Equal(0.9542703, ProportionBound.Lower(64, 64), 6);
    }

    [Fact]
    public void Lower_SomeFailures_MatchesBinomTest()
    {
        // binom.test(5, 10, alternative = "greater")$conf.int[1] = 0.2224411
        Assert.Equal(0.2224411, ProportionBound.Lower(5, 10), 5);
        // binom.test(1, 100, alternative = "less")$conf.int[2] = 0.04655981
        Assert.Equal(0.04655981, ProportionBound.Upper(1, 100), 5);
    }

    [Fact]
    public void Lower_AtOneSided95_EqualsTheTwoSided90LowerBound()
    {
        Assert.Equal(BinomialInterval.ClopperPearson(17, 40, 0.90).Lower, ProportionBound.Lower(17, 40), 9);
        Assert.Equal(BinomialInterval.ClopperPearson(17, 40, 0.90).Upper, ProportionBound.Upper(17, 40), 9);
    }

    [Theory]
    [InlineData(0.995, 598)]
    [InlineData(0.99, 299)]
    [InlineData(0.95, 59)]
    [InlineData(0.954, 64)]
    public void ZeroFailureTrials_KnownTargets(double target, long trials)
    {
        Assert.Equal(trials, ProportionBound.ZeroFailureTrials(target));
    }

    [Fact]
    public void ZeroFailureTrials_IsTheFirstSampleWhoseLowerBoundReachesTheTarget()
    {
        var n = ProportionBound.ZeroFailureTrials(0.995);

        Assert.True(ProportionBound.Lower(n, n) >= 0.995);
        Assert.True(ProportionBound.Lower(n - 1, n - 1) < 0.995);
    }
}
