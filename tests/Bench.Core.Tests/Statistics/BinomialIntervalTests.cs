using Bench.Core.Statistics;

namespace Bench.Core.Tests.Statistics;

/// <summary>The exact (Clopper–Pearson) interval against values published for R's <c>binom.test</c> and the closed
/// forms at the edges.</summary>
public sealed class BinomialIntervalTests
{
    [Theory]
    // binom.test(5, 10)$conf.int: 0.1870860 0.8129140
    [InlineData(5, 10, 0.1870860, 0.8129140)]
    // binom.test(1, 100)$conf.int: 0.0002531460 0.0544593854
    [InlineData(1, 100, 0.0002531460, 0.0544593854)]
    // k = 0: lower 0, upper 1 − (α/2)^(1/n) = 1 − 0.025^(1/10)
    [InlineData(0, 10, 0, 0.3084971)]
    // k = n: lower (α/2)^(1/n) = 0.025^(1/10), upper 1
    [InlineData(10, 10, 0.6915029, 1)]
    public void ClopperPearson_KnownValues(long successes, long trials, double lower, double upper)
    {
        var interval = BinomialInterval.ClopperPearson(successes, trials);

        Assert.Equal(lower, interval.Lower, 6);
        Assert.Equal(upper, interval.Upper, 6);
    }

    [Fact]
    public void ClopperPearson_WiderAtHigherConfidence_AndContainsTheObservedShare()
    {
        var at95 = BinomialInterval.ClopperPearson(17, 10_000);
        var at99 = BinomialInterval.ClopperPearson(17, 10_000, 0.99);

        Assert.True(at99.Lower < at95.Lower && at99.Upper > at95.Upper);
        Assert.True(at95.Contains(0.0017));
        Assert.True(at95.Contains(0.0018));
        Assert.False(at95.Contains(0.0031));
    }

    [Theory]
    [InlineData(1, 0, 0.95)]
    [InlineData(-1, 10, 0.95)]
    [InlineData(11, 10, 0.95)]
    [InlineData(1, 10, 1)]
    [InlineData(1, 10, 0)]
    public void ClopperPearson_OutOfRange_Throws(long successes, long trials, double confidence) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialInterval.ClopperPearson(successes, trials, confidence));
}
