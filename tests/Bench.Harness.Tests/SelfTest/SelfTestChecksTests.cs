using Bench.Harness.SelfTest;

namespace Bench.Harness.Tests.SelfTest;

public sealed class SelfTestChecksTests
{
    private static DistributionUs Errors(long min, long p50) => new(100, p50, p50, p50 * 2, p50 * 3, min, p50 * 4);

    private static AccuracyResult Streaming(long joined = 100, DistributionUs? ttft = null, double achieved = 20) => new()
    {
        Mode = "streaming",
        Model = SelfTestProfiles.FixedModel,
        IntendedRatePerS = 20,
        AchievedSendRatePerS = achieved,
        Requests = 100,
        Successes = 100,
        Joined = joined,
        ProfileTtftMs = 100,
        ProfileE2eMs = 195,
        TtftErrorUs = ttft ?? Errors(40, 200),
        E2eErrorUs = Errors(60, 300),
    };

    [Fact]
    public void Evaluate_GoodRun_AllPass()
    {
        var checks = SelfTestChecks.Evaluate([Streaming()]);

        Assert.Equal(6, checks.Count);
        Assert.All(checks, c => Assert.True(c.Passed, c.Name));
    }

    [Fact]
    public void Evaluate_UnjoinedRequest_Fails()
    {
        var failed = Assert.Single(SelfTestChecks.Evaluate([Streaming(joined: 99)]), c => !c.Passed);

        Assert.Equal("100 sent, 100 succeeded, 99 joined", failed.Detail);
    }

    [Fact]
    public void Evaluate_NegativeError_Fails()
    {
        var failed = Assert.Single(SelfTestChecks.Evaluate([Streaming(ttft: Errors(-3, 200))]), c => !c.Passed);

        Assert.Equal("streaming: TTFT error never negative", failed.Name);
        Assert.Equal("min -3 µs", failed.Detail);
    }

    [Fact]
    public void Evaluate_SlowMedian_Fails()
    {
        var failed = Assert.Single(SelfTestChecks.Evaluate([Streaming(ttft: Errors(40, 5_001))]), c => !c.Passed);

        Assert.Equal("streaming: TTFT error p50 ≤ 5,000 µs", failed.Name);
    }

    [Theory]
    [InlineData(17.9, false)]
    [InlineData(18.0, true)]
    [InlineData(22.0, true)]
    [InlineData(22.1, false)]
    public void Evaluate_AchievedRate_WithinTenPercent(double achieved, bool passes)
    {
        var check = SelfTestChecks.Evaluate([Streaming(achieved: achieved)]).Single(c => c.Name.Contains("send rate", StringComparison.Ordinal));

        Assert.Equal(passes, check.Passed);
        Assert.Equal("streaming: achieved send rate within 10 % of 20 req/s", check.Name);
    }

    private static ScaleResult Scale(int streams, long p99Us, long successes = 100) => new()
    {
        Streams = streams,
        Model = SelfTestProfiles.ScaleModel,
        Requests = 100,
        Successes = successes,
        Joined = 100,
        ClientCpuPercent = 12.5,
        ServerCpuPercent = 20,
        TtftErrorUs = new DistributionUs(100, 500, 400, 900, p99Us, 100, p99Us + 10),
    };

    [Fact]
    public void Goals_TtftErrorP99At500Streams_MetAtTheBound_NotMetAbove()
    {
        var met = Assert.Single(SelfTestChecks.Goals([Scale(500, SelfTestChecks.GoalTtftErrorP99Us), Scale(10_000, 90_000)]));
        Assert.True(met.Passed);
        Assert.Equal("TTFT error p99 ≤ 2,000 µs at 500 concurrent streams", met.Name);
        Assert.Contains("p99 2,000 µs", met.Detail, StringComparison.Ordinal);
        Assert.Contains("client CPU 12.5 %", met.Detail, StringComparison.Ordinal);

        Assert.False(Assert.Single(SelfTestChecks.Goals([Scale(500, SelfTestChecks.GoalTtftErrorP99Us + 1)])).Passed);
        Assert.False(Assert.Single(SelfTestChecks.Goals([Scale(500, 100, successes: 99)])).Passed);
    }

    [Fact]
    public void Goals_StepSkipped_NotMet_WithTheReason_AndNoStepNoGoal()
    {
        var skipped = Assert.Single(SelfTestChecks.Goals([new ScaleResult { Streams = 500, Model = SelfTestProfiles.ScaleModel, SkippedReason = "too few descriptors" }]));
        Assert.False(skipped.Passed);
        Assert.Equal("not measured: too few descriptors", skipped.Detail);

        Assert.Empty(SelfTestChecks.Goals([Scale(20, 100)]));
    }
}
