using Bench.Simulator.Profiles;

namespace Bench.Simulator.Tests.Profiles;

public class LogNormalTests
{
    // Streaming TTFT mean and p95 (ms) per model, SEED-FIGURES.md.
    public static TheoryData<double, double> SeedTtfts => new()
    {
        { 487, 890 },
        { 534, 1020 },
        { 156, 287 },
        { 234, 412 },
    };

    [Theory]
    [MemberData(nameof(SeedTtfts))]
    public void FitMeanAndP95_SeedFigures_MeanAndP95ComeBack(double mean, double p95)
    {
        var fit = LogNormal.FitMeanAndP95(mean, p95);

        Assert.Equal(mean, fit.Mean, 1e-9);
        Assert.Equal(p95, fit.P95, 1e-9);
        Assert.InRange(fit.Sigma, 0, LogNormal.Z95);
    }

    [Fact]
    public void FitMeanAndP95_Gpt41_MatchesHandArithmetic()
    {
        // sigma = 1.6449 − sqrt(1.6449² − 2·ln(890/487)), mu = ln(487) − sigma²/2 (see gpt-4.1.json).
        var fit = LogNormal.FitMeanAndP95(487, 890);

        Assert.Equal(0.4203, fit.Sigma, 4);
        Assert.Equal(6.1000, fit.Mu, 4);
    }

    [Fact]
    public void Sample_FittedSeedFigure_EmpiricalMeanAndP95MatchWithinTwoPercent()
    {
        var fit = LogNormal.FitMeanAndP95(487, 890);
        var random = new Random(1);
        var samples = new double[200_000];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = fit.Sample(random);
        }

        Array.Sort(samples);
        Assert.Equal(487, samples.Average(), 487 * 0.02);
        Assert.Equal(890, samples[(int)(samples.Length * 0.95)], 890 * 0.02);
    }

    [Theory]
    [InlineData(100, 100, "the p95 must be greater than the mean for a log-normal fit")]
    [InlineData(100, 50, "the p95 must be greater than the mean for a log-normal fit")]
    [InlineData(0, 50, "the mean must be a positive number")]
    [InlineData(100, 400, "the p95 must be at most 386.813 (mean × exp(1.6449²/2)) for a log-normal fit")]
    public void CheckMeanAndP95_NoFit_SaysWhy(double mean, double p95, string expected)
    {
        Assert.Equal(expected, LogNormal.CheckMeanAndP95(mean, p95));
        Assert.Throws<ArgumentOutOfRangeException>(() => LogNormal.FitMeanAndP95(mean, p95));
    }

    [Fact]
    public void FromMeanAndCv_MeanOneCvThird_HasThatMeanAndVariance()
    {
        var distribution = LogNormal.FromMeanAndCv(1, 0.3);
        var variance = (Math.Exp(distribution.Sigma * distribution.Sigma) - 1) * distribution.Mean * distribution.Mean;

        Assert.Equal(1, distribution.Mean, 1e-12);
        Assert.Equal(0.3, Math.Sqrt(variance), 1e-12);
    }
}
