using Bench.Core.Metrics;
using Bench.Report.Comparison;
using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;
using Pragmastat;

namespace Bench.Report.Tests.Comparison;

public sealed class ComparerTests
{
    private static ComparisonRow Row(string unit = "ms", MetricDirection direction = MetricDirection.LowerIsBetter) => new()
    {
        Cell = "m · streaming", MetricId = "ttft_ms_p50", Unit = unit, Direction = direction, FailOn = true,
    };

    [Fact]
    public void MannWhitney_FiveAboveFive_ExactPValueIs1Over252()
    {
        // R: wilcox.test(c(11,12,13,14,15), c(1,2,3,4,5), alternative = "greater")$p.value = 0.003968 (1/252).
        var p = MannWhitneyTest.Instance.GetPValue(new Sample([11, 12, 13, 14, 15]), new Sample([1, 2, 3, 4, 5]), AlternativeHypothesis.Greater, Threshold.Zero);

        Assert.Equal(1.0 / 252, p.Value, 1e-6);
    }

    [Fact]
    public void SmallestPValue_IsOneOverBinomial()
    {
        Assert.Equal(1.0 / 252, Comparer.SmallestPValue(5, 5), 12);
        Assert.Equal(1.0 / 20, Comparer.SmallestPValue(3, 3), 12);
        Assert.Equal(5, Comparer.MinSamplesPerSide(0.01)); // 4 a side: 1/70 = 0.014
    }

    [Fact]
    public void JudgeSamples_CurrentWellAbove_LowerIsBetter_Slower_HigherIsBetter_Faster()
    {
        double[] baseline = [100, 101, 99, 100.5, 99.5, 100.2, 99.8];
        var current = baseline.Select(v => v * 1.3).ToArray();

        var slower = Comparer.JudgeSamples(Row(), baseline, current, ComparisonMethod.Replicates, new ComparisonSettings());
        var faster = Comparer.JudgeSamples(Row("tok/s", MetricDirection.HigherIsBetter), baseline, current, ComparisonMethod.Replicates, new ComparisonSettings());

        Assert.Equal(Verdict.Slower, slower.Verdict);
        Assert.Equal(Verdict.Faster, faster.Verdict);
        Assert.True(slower.PValueGreater < 0.01);
    }

    [Fact]
    public void JudgeSamples_ShiftBelowThreshold_Same_AndBelowNoise_Same()
    {
        double[] baseline = [100, 101, 99, 100.5, 99.5, 100.2, 99.8];

        var small = Comparer.JudgeSamples(Row(), baseline, [.. baseline.Select(v => v * 1.02)], ComparisonMethod.Replicates, new ComparisonSettings());
        // 0.5 ms on 1 ms figures is +50 %, far past 5 %, yet under the 1 ms noise floor.
        double[] tiny = [1, 1.01, 0.99, 1.005, 0.995, 1.002, 0.998];
        var noisy = Comparer.JudgeSamples(Row(), tiny, [.. tiny.Select(v => v + 0.5)], ComparisonMethod.Replicates, new ComparisonSettings());

        Assert.Equal(Verdict.Same, small.Verdict);
        Assert.Equal(Verdict.Same, noisy.Verdict);
        Assert.Contains("noise", noisy.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void JudgeSamples_ThreeASideAtAlpha001_UnknownNotSame()
    {
        double[] baseline = [100, 101, 99];

        var row = Comparer.JudgeSamples(Row(), baseline, [.. baseline.Select(v => v * 1.2)], ComparisonMethod.Replicates, new ComparisonSettings());

        Assert.Equal(Verdict.Unknown, row.Verdict);
    }

    [Fact]
    public void JudgeSamples_PerRequestMethod_UsesTheConservativeDefault()
    {
        double[] baseline = [100, 101, 99, 100.5, 99.5, 100.2, 99.8];

        var row = Comparer.JudgeSamples(Row(), baseline, [.. baseline.Select(v => v * 1.07)], ComparisonMethod.Requests, new ComparisonSettings());
        var replicates = Comparer.JudgeSamples(Row(), baseline, [.. baseline.Select(v => v * 1.07)], ComparisonMethod.Replicates, new ComparisonSettings());

        Assert.Equal("10%", row.Threshold);
        Assert.Equal(Verdict.Same, row.Verdict); // +7 % is inside 10 %
        Assert.Equal(Verdict.Slower, replicates.Verdict); // and beyond 5 %
    }

    [Fact]
    public void JudgeSamples_AbsoluteThreshold_AppliesOnlyToItsUnit()
    {
        var settings = new ComparisonSettings { Threshold = CompareThreshold.Parse("20ms") };

        Assert.Equal("20ms", settings.ThresholdFor("ms", ComparisonMethod.Replicates).Text);
        Assert.Equal(0.02, settings.ThresholdFor("s", ComparisonMethod.Replicates).AbsoluteIn("s"));
        Assert.Equal("5%", settings.ThresholdFor("tok/s", ComparisonMethod.Replicates).Text);
        Assert.Equal("0", settings.NoiseFor("tok/s").Text);
        Assert.Equal("5ms", settings.NoiseFor("ms").Text);
        Assert.Equal("0", settings.NoiseFor("ns").Text);
    }

    [Theory]
    [InlineData("5%", 0.05, "%")]
    [InlineData("20ms", 20, "ms")]
    [InlineData("0.5s", 500, "ms")]
    [InlineData("1pp", 0.01, "")]
    [InlineData("3", 3, "")]
    [InlineData("100B", 100, "B")]
    public void CompareThreshold_Parse_ValueAndUnit(string text, double value, string unit)
    {
        var t = CompareThreshold.Parse(text);

        Assert.Equal(value, t.Value, 12);
        Assert.Equal(unit, t.Unit);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("-5%")]
    [InlineData("")]
    public void CompareThreshold_TryParse_Refuses(string text) => Assert.False(CompareThreshold.TryParse(text, out _, out _));

    [Fact]
    public void Fails_Globs()
    {
        var settings = new ComparisonSettings { FailOn = ["ttft_ms_*", "success_rate"] };

        Assert.True(settings.Fails("ttft_ms_p95"));
        Assert.True(settings.Fails("success_rate"));
        Assert.False(settings.Fails("attempt_success_rate"));
        Assert.True(new ComparisonSettings().Fails("anything"));
    }
}
