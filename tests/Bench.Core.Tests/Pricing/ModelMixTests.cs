using Bench.Core.Pricing;

namespace Bench.Core.Tests.Pricing;

public sealed class ModelMixTests
{
    [Theory]
    [InlineData("gpt-4.1:streaming=30%", "gpt-4.1", "streaming", "30", PriceTier.Standard)]
    [InlineData("deepseek-v3.2:non-streaming=70", "deepseek-v3.2", "non-streaming", "70", PriceTier.Standard)]
    [InlineData("gpt-4.1:Batch-API=12.5 %", "gpt-4.1", "batch-api", "12.5", PriceTier.Batch)]
    [InlineData("gemini-2.5-flash=100%", "gemini-2.5-flash", null, "100", PriceTier.Standard)]
    [InlineData("llama3:8b=20%", "llama3:8b", null, "20", PriceTier.Standard)]
    [InlineData("llama3:8b:streaming=20%", "llama3:8b", "streaming", "20", PriceTier.Standard)]
    public void TryParse_ValidShare_ReadsModelModeAndPercent(string text, string model, string? mode, string percent, PriceTier tier)
    {
        Assert.True(MixShare.TryParse(text, out var share, out var error), error);

        Assert.Equal(model, share.Model);
        Assert.Equal(mode, share.Mode);
        Assert.Equal(decimal.Parse(percent, System.Globalization.CultureInfo.InvariantCulture), share.Percent);
        Assert.Equal(tier, share.Tier);
    }

    [Theory]
    [InlineData("gpt-4.1@relay=40%", "gpt-4.1", null, "relay")]
    [InlineData("gpt-4.1:streaming@direct=60", "gpt-4.1", "streaming", "direct")]
    [InlineData("llama3:8b@*=20%", "llama3:8b", null, null)]
    [InlineData("claude-3-5-sonnet@20240620@vertex=20%", "claude-3-5-sonnet@20240620", null, "vertex")]
    public void TryParse_TargetSuffix_ReadsTheTarget(string text, string model, string? mode, string? target)
    {
        Assert.True(MixShare.TryParse(text, out var share, out var error), error);

        Assert.Equal((model, mode, target), (share.Model, share.Mode, share.Target));
        Assert.True(share.MatchesTarget(target ?? "anything"));
        Assert.Equal(target is null, share.MatchesTarget("other"));
        Assert.Equal(target is null, share.MatchesTarget(null));
    }

    [Fact]
    public void ToString_WithTarget_RoundTrips()
    {
        Assert.True(MixShare.TryParse("gpt-4.1:streaming@relay=40%", out var share, out _));

        Assert.Equal("gpt-4.1:streaming@relay=40%", share.ToString());
    }

    [Theory]
    [InlineData("gpt-4.1", "'gpt-4.1' is not a mix share: expected MODEL[:MODE]=PERCENT, e.g. gpt-4.1:streaming=30% (MODE: non-streaming, streaming, batch-api).")]
    [InlineData("gpt-4.1=0%", "'gpt-4.1=0%': the share must be a percentage > 0 and ≤ 100 (e.g. 30%).")]
    [InlineData("gpt-4.1=101%", "'gpt-4.1=101%': the share must be a percentage > 0 and ≤ 100 (e.g. 30%).")]
    [InlineData(":streaming=30%", "':streaming=30%': the model name is missing.")]
    public void TryParse_BadShare_ExplainsWhy(string text, string expected)
    {
        Assert.False(MixShare.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Create_SharesSumTo100_Succeeds()
    {
        var mix = ModelMix.Create([new MixShare("a", null, 33.3m), new MixShare("b", null, 33.3m), new MixShare("c", null, 33.4m)]);

        Assert.Equal(3, mix.Shares.Count);
    }

    [Fact]
    public void Create_SharesNotSumming100_ThrowsWithSum()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            ModelMix.Create([new MixShare("a", null, 30m), new MixShare("b", "turbo", 60m)]));

        Assert.Equal(
            "Invalid model mix: b:turbo=60%: mode must be one of non-streaming, streaming, batch-api; shares sum to 90 %, not 100 % (30 + 60).",
            e.Message);
    }

    [Fact]
    public void Create_NoShares_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelMix.Create([]));

        Assert.Equal("Invalid model mix: a mix needs at least one share.", e.Message);
    }

    [Fact]
    public void TryParseMix_CommaSeparatedShares_OneMixInOrder()
    {
        Assert.True(ModelMix.TryParse("gpt-4.1:streaming=30%, deepseek-v3.2:non-streaming=70%", out var mix, out var error), error);

        Assert.Equal("gpt-4.1:streaming=30% + deepseek-v3.2:non-streaming=70%", mix.ToString());
    }

    [Theory]
    [InlineData("gpt-4.1=30%,deepseek-v3.2=60%", "shares sum to 90 %, not 100 %")]
    [InlineData("gpt-4.1=30%,deepseek-v3.2", "'deepseek-v3.2' is not a mix share")]
    [InlineData("", "a mix needs at least one share")]
    public void TryParseMix_InvalidMix_SaysWhy(string text, string expected)
    {
        Assert.False(ModelMix.TryParse(text, out var mix, out var error));

        Assert.Null(mix);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
