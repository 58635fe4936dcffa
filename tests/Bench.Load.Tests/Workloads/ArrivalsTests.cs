using Bench.Load.Workloads;

namespace Bench.Load.Tests.Workloads;

public class ArrivalsTests
{
    [Fact]
    public void Even_20PerSecondFor1s_Is20EvenlySpaced()
    {
        var arrivals = Arrivals.Even(20, 1000, long.MaxValue).ToList();
        Assert.Equal(20, arrivals.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(k => k * 50.0), arrivals);
    }

    [Fact]
    public void Even_CountLimited_StopsAtCount() =>
        Assert.Equal(7, Arrivals.Even(1000, double.PositiveInfinity, 7).Count());

    [Fact]
    public void Ramp_0To10PerSecondOver10s_SendsTheIntegralOfTheRate()
    {
        // N(t) = 10 t² / 20: 50 requests by t = 10 s; the 50th falls exactly at the end, so 49 are sent.
        var arrivals = Arrivals.Ramp(0, 10, 10_000).ToList();
        Assert.Equal(49, arrivals.Count);
        Assert.Equal(Math.Sqrt(2) * 1000, arrivals[0], 6); // N(t) = 1 at t = √2 s
        Assert.True(arrivals.Zip(arrivals.Skip(1)).All(p => p.Second > p.First));
        // The rate rises: gaps shrink.
        Assert.True(arrivals[1] - arrivals[0] > arrivals[^1] - arrivals[^2]);
    }

    [Fact]
    public void Ramp_ConstantRate_IsEven()
    {
        var arrivals = Arrivals.Ramp(4, 4, 1000).ToList();
        Assert.Equal([250.0, 500.0, 750.0], arrivals);
    }

    [Fact]
    public void Poisson_Seeded_HasExponentialGapsAtTheRate()
    {
        var arrivals = Arrivals.Poisson(100, double.PositiveInfinity, 20_000, new Random(1)).ToList();
        var gaps = arrivals.Zip(arrivals.Skip(1), (a, b) => b - a).ToList();
        var mean = gaps.Average();
        var sd = Math.Sqrt(gaps.Sum(g => (g - mean) * (g - mean)) / (gaps.Count - 1));

        Assert.InRange(mean, 9.7, 10.3);   // 1/rate = 10 ms; standard error ≈ 0.07 ms
        Assert.InRange(sd / mean, 0.95, 1.05); // exponential: coefficient of variation 1
        Assert.Equal(arrivals, Arrivals.Poisson(100, double.PositiveInfinity, 20_000, new Random(1)));
    }

    /// <summary>Gamma gaps (vLLM's burstiness): mean 1/rate whatever the burstiness k, coefficient of variation 1/√k.
    /// Over n = 40,000 gaps the mean's relative standard error is CV/√n (1 % at k = 0.25), and the sample variance's is
    /// √((2 + 6/k)/n) (gamma's fourth central moment 3k(k+2)θ⁴), so the sample CV's is about 1.5 % at k = 0.25 and
    /// 0.5 % at k = 4. Bounds: the mean within 4 standard errors, the CV within 10 % (≥ 6 standard errors).</summary>
    [Theory]
    [InlineData(0.25, 3)]
    [InlineData(0.5, 11)]
    [InlineData(1.0, 5)]
    [InlineData(4.0, 7)]
    public void Gamma_Seeded_HasMeanGapOneOverRate_AndCvOneOverSqrtBurstiness(double burstiness, int seed)
    {
        const int N = 40_000;
        var arrivals = Arrivals.Gamma(100, burstiness, double.PositiveInfinity, N + 1, new Random(seed)).ToList();
        var gaps = arrivals.Zip(arrivals.Skip(1), (a, b) => b - a).ToList();
        var mean = gaps.Average();
        var sd = Math.Sqrt(gaps.Sum(g => (g - mean) * (g - mean)) / (gaps.Count - 1));
        var cv = 1 / Math.Sqrt(burstiness);

        Assert.Equal(N, gaps.Count);
        Assert.InRange(mean, 10 * (1 - (4 * cv / Math.Sqrt(N))), 10 * (1 + (4 * cv / Math.Sqrt(N))));
        Assert.InRange(sd / mean, cv * 0.9, cv * 1.1);
        Assert.Equal(arrivals, Arrivals.Gamma(100, burstiness, double.PositiveInfinity, N + 1, new Random(seed)));
    }

    [Fact]
    public void Gamma_StopsAtTheDurationOrTheCount()
    {
        var byTime = Arrivals.Gamma(50, 0.5, 2000, long.MaxValue, new Random(1)).ToList();
        Assert.All(byTime, t => Assert.InRange(t, 0, 1999.999));
        Assert.InRange(byTime.Count, 40, 160); // 100 expected; a renewal count's variance ≈ CV²·t/mean gap = 200: ±4 sd
        Assert.Equal(17, Arrivals.Gamma(50, 0.5, double.PositiveInfinity, 17, new Random(1)).Count());
    }

    /// <summary>Marsaglia–Tsang against the gamma's moments, without the arrival wrapper: shape 2.5, scale 3 →
    /// mean 7.5, variance 22.5; 50,000 draws give a standard error of the mean of 0.021 and of the variance about
    /// 0.24 (fourth central moment 3k(k+2)θ⁴ = 2733.75); tolerance ≈ 5 standard errors.</summary>
    [Fact]
    public void GammaSampler_HasTheGammaMoments()
    {
        var random = new Random(9);
        var draws = Enumerable.Range(0, 50_000).Select(_ => GammaSampler.Next(random, 2.5, 3)).ToList();
        var mean = draws.Average();
        var variance = draws.Sum(x => (x - mean) * (x - mean)) / (draws.Count - 1);
        Assert.InRange(mean, 7.4, 7.6);
        Assert.InRange(variance, 21.3, 23.7);
        Assert.All(draws, x => Assert.True(x > 0));
    }
}
