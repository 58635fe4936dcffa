using Bench.Core.Metrics;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Metrics;

/// <summary>The "shown / not met / inconclusive" rule against the one-sided exact bounds R's <c>binom.test</c> gives.</summary>
public sealed class SloEvidenceTests
{
    private static readonly SloSet Strict = new() { Name = "strict", MinSuccessRate = 0.995 };
    private static readonly SloSet Loose = new() { Name = "loose", MinSuccessRate = 0.95 };
    private static readonly SloSet Latency = new() { Name = "interactive", MaxMs = new Dictionary<string, double> { ["ttft_ms"] = 500 }, Percentile = 95 };

    [Fact]
    public void Evidence_64Of64AgainstA995Target_IsInconclusive()
    {
        // 64 of 64 shows only ≥ 0.05^(1/64) = 95.4 %.
        Assert.Equal(SloEvidence.Inconclusive, SloEvaluator.Evidence(Strict, 64, 64, 64));
    }

    [Fact]
    public void Evidence_64Of64AgainstA95Target_IsShown()
    {
        Assert.Equal(SloEvidence.Shown, SloEvaluator.Evidence(Loose, 64, 64, 64));
    }

    [Fact]
    public void Evidence_598FailureFreeRequests_ShowA995Target_And597DoNot()
    {
        Assert.Equal(SloEvidence.Shown, SloEvaluator.Evidence(Strict, 598, 598, 598));
        Assert.Equal(SloEvidence.Inconclusive, SloEvaluator.Evidence(Strict, 597, 597, 597));
    }

    [Fact]
    public void Evidence_ClearlyBelowTheTarget_IsNotMet()
    {
        // 80 of 100 good: binom.test(80, 100, alternative = "less") upper bound 0.8633 < 0.95.
        Assert.Equal(SloEvidence.NotMet, SloEvaluator.Evidence(Latency, 80, 100, 100));
    }

    [Fact]
    public void Evidence_MissesWithinNoise_IsInconclusive()
    {
        // 18 of 20 good (90 %) misses 95 % on the point, but its one-sided upper bound (0.9819) reaches it.
        Assert.Equal(SloEvidence.Inconclusive, SloEvaluator.Evidence(Latency, 18, 20, 20));
    }

    [Fact]
    public void Evidence_BatchCellUnderALatencySet_OrNoRequests_IsNotMet()
    {
        Assert.Equal(SloEvidence.NotMet, SloEvaluator.Evidence(Latency, 100, 100, 100, latencyJudgeable: false));
        Assert.Equal(SloEvidence.NotMet, SloEvaluator.Evidence(Loose, 0, 0, 0));
    }
}
