using System.Diagnostics;
using Bench.Simulator.Generation;
using Bench.Simulator.Profiles;

namespace Bench.Simulator.Tests.Generation;

public class ProfileSamplerTests
{
    // SEED-FIGURES.md: model, non-streaming E2E mean and p95 (ms).
    public static TheoryData<string, double, double> SeedE2E => new()
    {
        { "gpt-4.1", 2847, 4120 },
        { "claude-sonnet-4.5", 3156, 4890 },
        { "gemini-2.5-flash", 892, 1340 },
        { "deepseek-v3.2", 1203, 1890 },
    };

    [Theory]
    [MemberData(nameof(SeedE2E))]
    public void Draw_ShippedProfileDefaultRequest_NonStreamingE2EMatchesSeedFigures(
        string model, double meanMs, double p95Ms)
    {
        var sampler = new ProfileSampler(ProfileLoader.Load(Path.Combine(TestPaths.Profiles, model + ".json")));
        var random = new Random(7);
        var e2e = new double[40_000];
        for (var i = 0; i < e2e.Length; i++)
        {
            var plan = sampler.Draw(random, maxTokens: 200);
            e2e[i] = plan.CompletionDeadline(0, tokensPerChunk: 1) * 1000.0 / Stopwatch.Frequency;
        }

        Array.Sort(e2e);
        Assert.Equal(meanMs, e2e.Average(), meanMs * 0.02);
        Assert.Equal(p95Ms, e2e[(int)(e2e.Length * 0.95)], p95Ms * 0.04);
    }

    [Fact]
    public void Draw_NaturalLengthAboveMaxTokens_ClipsWithFinishReasonLength()
    {
        var sampler = new ProfileSampler(TestSimulator.Fast());

        var clipped = sampler.Draw(new Random(1), maxTokens: 5);
        var natural = sampler.Draw(new Random(1), maxTokens: 12);

        Assert.Equal((5, "length"), (clipped.CompletionTokens, clipped.FinishReason));
        Assert.Equal((12, "stop"), (natural.CompletionTokens, natural.FinishReason));
    }

    [Fact]
    public void Draw_FirstDraw_IsTheFaultDrawUniform()
    {
        var sampler = new ProfileSampler(TestSimulator.Fast());

        var plan = sampler.Draw(new Random(3), 10);

        Assert.Equal(new Random(3).NextDouble(), plan.FaultDraw);
    }

    [Fact]
    public void Draw_SameRandomSeed_SamePlan()
    {
        var sampler = new ProfileSampler(TestSimulator.Varied());

        Assert.Equal(sampler.Draw(new Random(11), 100), sampler.Draw(new Random(11), 100));
    }
}
