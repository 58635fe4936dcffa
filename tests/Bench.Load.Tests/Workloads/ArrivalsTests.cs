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
}
