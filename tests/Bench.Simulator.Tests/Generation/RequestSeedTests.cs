using Bench.Simulator.Generation;

namespace Bench.Simulator.Tests.Generation;

public class RequestSeedTests
{
    [Fact]
    public void Derive_RequestSeedGiven_IgnoresRequestNumber() =>
        Assert.Equal(RequestSeed.Derive(42, "m", 7, 1), RequestSeed.Derive(42, "m", 7, 999));

    [Fact]
    public void Derive_AnyInputChanged_ChangesSeed()
    {
        var seeds = new[]
        {
            RequestSeed.Derive(42, "m", 7, 0),
            RequestSeed.Derive(43, "m", 7, 0),
            RequestSeed.Derive(42, "n", 7, 0),
            RequestSeed.Derive(42, "m", 8, 0),
            RequestSeed.Derive(42, "m", null, 7),
            RequestSeed.Derive(42, "m", null, 8),
        };

        Assert.Equal(seeds.Length, seeds.Distinct().Count());
    }

    [Fact]
    public void Derive_KnownInputs_StableAcrossRuns() =>
        Assert.Equal(RequestSeed.Derive(42, "gpt-4.1", 1, 0), RequestSeed.Derive(42, "gpt-4.1", 1, 0));
}
