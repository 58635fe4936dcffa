using Bench.Core.Pricing;
using Bench.Report.Charts;

namespace Bench.Report.Tests.Charts;

public class MoneyAxisTests
{
    private static readonly ReaderCurrency Usd = ReaderCurrency.Usd;

    [Theory]
    [InlineData(new[] { 100.0, 1000.0 }, false)] // exactly 10×: linear (log only when the largest / the smallest > 10)
    [InlineData(new[] { 100.0, 1000.1 }, true)]
    [InlineData(new[] { 21.0, 252.0 }, true)] // 12×
    [InlineData(new[] { 70.0, 360.0 }, false)] // 5.1×
    [InlineData(new[] { 42.0 }, false)] // one value: nothing to span
    [InlineData(new double[0], false)]
    public void LogOnlyBeyondTenfold(double[] values, bool log)
    {
        var axis = new MoneyAxis(values, Usd.Compact);

        Assert.Equal(log, axis.IsLog);
        Assert.False(axis.ZeroForcedLinear);
    }

    [Fact]
    public void AZero_KeepsItLinear_AndSaysWhy()
    {
        var spanning = new MoneyAxis([0, 70, 3600], Usd.Compact);
        var narrow = new MoneyAxis([0, 70, 360], Usd.Compact);
        var allZero = new MoneyAxis([0, 0], Usd.Compact);

        Assert.False(spanning.IsLog);
        Assert.True(spanning.ZeroForcedLinear);
        // Linear anyway (360/70 < 10): the zero changed nothing.
        Assert.False(narrow.ZeroForcedLinear);
        Assert.True(allZero.ZeroForcedLinear);
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(0.05, "0.05")]
    [InlineData(5, "5")]
    [InlineData(45.230769, "45.2")]
    [InlineData(252, "252")]
    [InlineData(1000, "1k")]
    [InlineData(1839.6, "1.84k")]
    [InlineData(12_500, "12.5k")]
    [InlineData(100_000, "100k")]
    [InlineData(2_500_000, "2.5M")]
    [InlineData(7_549_361, "7.55M")]
    [InlineData(3e9, "3B")]
    public void Compact_ThreeSignificantDigits_Suffixed(double amount, string expected) => Assert.Equal(expected, MoneyAxis.Compact(amount));

    [Fact]
    public void Currency_SymbolAndDescription()
    {
        Assert.Equal("$1k", Usd.Compact(1000));
        Assert.Equal("USD", Usd.Describe());
        var cny = ReaderCurrency.Of([new FxRate("CNY", 7.3m), new FxRate("EUR", 0.9m)]);
        Assert.Equal("¥100k", cny.Compact(100_000));
        Assert.Equal("CNY at 7.3 per USD", cny.Describe());
        Assert.Equal(73m, cny.FromUsd(10m));
        Assert.Equal("CNY at the CNY-relay rate, 1 per USD", ReaderCurrency.Of([new FxRate("CNY-relay", 1m)]).Describe());
        Assert.Equal("€2k", ReaderCurrency.Of([new FxRate("EUR", 0.9m)]).Compact(2000));
        Assert.Equal("CHF 2k", ReaderCurrency.Of([new FxRate("CHF", 0.8m)]).Compact(2000));
    }

    [Fact]
    public void LogTicks_AreMoney_ThinningWithTheSpan()
    {
        // $13 to $1,000 on a log axis: under 2.5 decades, 1-2-5 labelled.
        var axis = new MoneyAxis([21, 252], Usd.Compact);
        var labels = axis.Ticks(Math.Log10(13), Math.Log10(1000)).Where(t => t.Label is not null).Select(t => t.Label).ToList();
        Assert.Equal(["$20", "$50", "$100", "$200", "$500", "$1k"], labels);

        // Five decades: powers of ten only, the rest minor.
        var wide = new MoneyAxis([1, 100_000], Usd.Compact);
        var wideLabels = wide.Ticks(0, 5).Where(t => t.Label is not null).Select(t => t.Label).ToList();
        Assert.Equal(["$1", "$10", "$100", "$1k", "$10k", "$100k"], wideLabels);
        Assert.All(wide.Ticks(0, 5), t => Assert.DoesNotContain("E", t.Label ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public void LinearTicks_NiceSteps_FromZero()
    {
        var axis = new MoneyAxis([70, 360], Usd.Compact);

        // 0..558 / 6 ≈ 93 → steps of 100.
        Assert.Equal(["$0", "$100", "$200", "$300", "$400", "$500"], axis.Ticks(0, 558).Select(t => t.Label));
        Assert.Equal(2.5, MoneyAxis.NiceStep(2.1));
        Assert.Equal(5000, MoneyAxis.NiceStep(3000));
    }
}
