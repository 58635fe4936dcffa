using Bench.Core.Faults;
using Bench.Core.Records;
using Bench.Simulator.Faults;
using Bench.Simulator.Generation;
using Bench.Simulator.Profiles;
using Microsoft.Extensions.Time.Testing;

namespace Bench.Simulator.Tests.Faults;

/// <summary><c>scenarios/profiles/seed-relay.json</c> injects the seed articles' failure taxonomy, each where the article
/// saw it, and the engine draws it at those rates.</summary>
public class SeedRelayProfileTests
{
    private static ModelProfile Profile => ProfileLoader.Load(Path.Combine(TestPaths.Profiles, "seed-relay.json"));

    [Fact]
    public void Load_SeedRelay_HasTheArticlesTaxonomyPerMode()
    {
        var profile = Profile;

        Assert.Equal("seed-relay", profile.Model);
        Assert.Equal(
            [
                (FaultKind.HangBeforeHeaders, 0.0031, "NonStreaming", (double?)null),
                (FaultKind.RateLimited, 0.0018, "NonStreaming", null),
                (FaultKind.ServerError, 0.0004, "NonStreaming", null),
                (FaultKind.Disconnect, 0.0012, "Streaming", null),
            ],
            profile.Faults.Select(f => (f.Kind, f.Rate, string.Join(",", f.Modes), f.DurationS)));
        Assert.Null(profile.RateLimits);
    }

    [Theory]
    [InlineData(Mode.NonStreaming, 0.9947)]
    [InlineData(Mode.Streaming, 0.9988)]
    public void Draw_SeedRelay_ReproducesTheArticlesSuccessRatesWithinSamplingError(Mode mode, double success)
    {
        // 200,000 requests through the profile's own sampler and the engine, as the endpoint draws them.
        var time = new FakeTimeProvider();
        var engine = new FaultEngine([Profile], [], null, new FaultClock(time), 42, null, time);
        var sampler = new ProfileSampler(Profile, time.TimestampFrequency);
        const int requests = 200_000;
        var counts = new Dictionary<FaultKind, int>();
        for (var i = 0; i < requests; i++)
        {
            var seed = RequestSeed.Derive(42, "seed-relay", i, 0);
            var plan = sampler.Draw(new Random(seed), 200);
            if (engine.Draw("seed-relay", mode == Mode.Streaming, false, plan, seed, 1, null) is { } fault)
            {
                counts[fault.Kind] = counts.GetValueOrDefault(fault.Kind) + 1;
            }
        }

        // Four standard errors of a proportion near 0.5 %: 4 × sqrt(0.005 × 0.995 / 200,000) ≈ 0.0006.
        Assert.Equal(1 - success, counts.Values.Sum() / (double)requests, 0.0006);
        if (mode == Mode.NonStreaming)
        {
            Assert.Equal(0.0031, counts.GetValueOrDefault(FaultKind.HangBeforeHeaders) / (double)requests, 0.0005);
            Assert.Equal(0.0018, counts.GetValueOrDefault(FaultKind.RateLimited) / (double)requests, 0.0004);
            Assert.Equal(0.0004, counts.GetValueOrDefault(FaultKind.ServerError) / (double)requests, 0.0002);
            Assert.False(counts.ContainsKey(FaultKind.Disconnect));
        }
        else
        {
            Assert.Equal(FaultKind.Disconnect, Assert.Single(counts).Key);
        }
    }
}
