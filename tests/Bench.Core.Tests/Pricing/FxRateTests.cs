using Bench.Core.Pricing;

namespace Bench.Core.Tests.Pricing;

public sealed class FxRateTests
{
    [Fact]
    public void TryParse_LabelWithQualifier_ReadsCurrencyAndRate()
    {
        Assert.True(FxRate.TryParse("CNY-relay=1.0", out var rate, out var error), error);

        Assert.Equal("CNY-relay", rate.Label);
        Assert.Equal("CNY", rate.Currency);
        Assert.Equal(1.0m, rate.UnitsPerUsd);
    }

    [Theory]
    [InlineData("CNY", "'CNY' is not an exchange rate: expected LABEL=UNITS_PER_USD, e.g. CNY=7.3 or CNY-relay=1.0.")]
    [InlineData("CNY=0", "'CNY=0': the rate must be a number > 0 (units of CNY per 1 USD, '.' as decimal point).")]
    [InlineData("CNY=7,3", "'CNY=7,3': the rate must be a number > 0 (units of CNY per 1 USD, '.' as decimal point).")]
    [InlineData("C1=7", "'C1=7': 'C1' is not a currency label: expected a 3-letter ISO 4217 code, optionally followed by '-' and a qualifier (CNY, CNY-relay).")]
    [InlineData("CNYrelay=1", "'CNYrelay=1': 'CNYrelay' is not a currency label: expected a 3-letter ISO 4217 code, optionally followed by '-' and a qualifier (CNY, CNY-relay).")]
    public void TryParse_BadInput_ExplainsWhy(string text, string expected)
    {
        Assert.False(FxRate.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void FromUsd_MarketAndRelayRates_ConvertExactly()
    {
        // $80 (10M gpt-4.1 output tokens) at ¥7.3 = ¥584.0; at the relay's ¥1.0 = ¥80.0
        Assert.Equal(584m, new FxRate("CNY", 7.3m).FromUsd(80m));
        Assert.Equal(80m, new FxRate("CNY-relay", 1.0m).FromUsd(80m));
    }

    [Fact]
    public void Savings_RelayVersusMarket_Is63Over73Exactly()
    {
        // SEED-FIGURES.md "Currency": 1 − 1/7.3 = 6.3/7.3 = 63/73 = 0.863013698630136986301369863013… (86.3 %)
        var savings = FxRate.Savings([new FxRate("CNY", 7.3m), new FxRate("CNY-relay", 1.0m), new FxRate("EUR", 0.92m)]);

        var saving = Assert.Single(savings);
        Assert.Equal("CNY", saving.Dearer.Label);
        Assert.Equal("CNY-relay", saving.Cheaper.Label);
        Assert.Equal(0.8630136986301369863013698630m, saving.Fraction);
        Assert.Equal(86.3m, Math.Round(saving.Percent, 1));
        Assert.Equal(504m, saving.SavedUnits(80m)); // ¥584 − ¥80
    }

    [Fact]
    public void Savings_CheaperRateGivenFirst_StillOrdersDearerFirst()
    {
        var saving = Assert.Single(FxRate.Savings([new FxRate("cny-relay", 1m), new FxRate("CNY", 7.3m)]));

        Assert.Equal("CNY", saving.Dearer.Label);
        Assert.Equal("CNY", saving.Currency);
    }

    [Fact]
    public void Savings_EqualRates_NoSaving()
    {
        Assert.Empty(FxRate.Savings([new FxRate("CNY", 7.3m), new FxRate("CNY-card", 7.3m)]));
    }
}
