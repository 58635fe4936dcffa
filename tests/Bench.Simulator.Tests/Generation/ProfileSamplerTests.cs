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
            var plan = sampler.Draw(random, maxTokens: 200, stream: false);
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

        var clipped = sampler.Draw(new Random(1), maxTokens: 5, stream: true);
        var natural = sampler.Draw(new Random(1), maxTokens: 12, stream: true);

        Assert.Equal((5, "length"), (clipped.CompletionTokens, clipped.FinishReason));
        Assert.Equal((12, "stop"), (natural.CompletionTokens, natural.FinishReason));
    }

    [Fact]
    public void Draw_FaultRates_DrawsEachFaultAtItsRateAndInterruptsOnlyStreams()
    {
        var sampler = new ProfileSampler(TestSimulator.Fast() with { Faults = new FaultRates(0.2, 0.1, 0.3) });
        var random = new Random(3);
        const int draws = 20_000;

        var streaming = Enumerable.Range(0, draws).Select(_ => sampler.Draw(random, 10, stream: true).Fault).ToList();
        var nonStreaming = Enumerable.Range(0, draws).Select(_ => sampler.Draw(random, 10, stream: false).Fault).ToList();

        Assert.Equal(0.2, streaming.Count(f => f == Fault.RateLimited) / (double)draws, 0.015);
        Assert.Equal(0.1, streaming.Count(f => f == Fault.ServerError) / (double)draws, 0.015);
        Assert.Equal(0.3, streaming.Count(f => f == Fault.StreamInterrupted) / (double)draws, 0.015);
        Assert.DoesNotContain(Fault.StreamInterrupted, nonStreaming);
        Assert.Equal(0.7, nonStreaming.Count(f => f == Fault.None) / (double)draws, 0.015);
    }

    [Fact]
    public void Draw_SameRandomSeed_SamePlan()
    {
        var sampler = new ProfileSampler(TestSimulator.Varied());

        Assert.Equal(sampler.Draw(new Random(11), 100, true), sampler.Draw(new Random(11), 100, true));
    }
}
