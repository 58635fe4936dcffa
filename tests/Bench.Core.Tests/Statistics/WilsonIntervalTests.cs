using Bench.Core.Statistics;

namespace Bench.Core.Tests.Statistics;

/// <summary>The Wilson score interval against Newcombe (1998), Table I, method 3 (the score interval without
/// continuity correction), which R's <c>prop.test(x, n, correct = FALSE)</c> reproduces.</summary>
public sealed class WilsonIntervalTests
{
    [Theory]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void Compute_NewcombeTable_Matches(long successes, long trials, double lower, double upper)
    {
        var interval = WilsonInterval.Compute(successes, trials);

        Assert.Equal(lower, interval.Lower, 4);
        Assert.Equal(upper, interval.Upper, 4);
    }

    [Fact]
    public void Compute_AllSuccesses_UpperIsOneAndLowerBelowTheShare()
    {
        // prop.test(64, 64, correct = FALSE)$conf.int: 0.9434 1 (lower = n / (n + z²)).
        var interval = WilsonInterval.Compute(64, 64);

        Assert.Equal(1, interval.Upper);
        Assert.Equal(64 / (64 + (1.959964 * 1.959964)), interval.Lower, 5);
    }

    [Fact]
    public void Compute_BadCounts_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Compute(5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Compute(6, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Compute(1, 5, 1.5));
    }
}
