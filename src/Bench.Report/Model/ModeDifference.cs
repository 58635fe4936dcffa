using Bench.Core.Records;
using Bench.Report.Charts;
using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;
using Pragmastat;

namespace Bench.Report.Model;

/// <summary>
/// Whether a model's streaming and non-streaming E2E latencies differ beyond noise: a two-sided Mann–Whitney U test
/// (Perfolizer) on uniform samples of each mode's successful measured requests, so the report never calls a
/// difference real that a small run cannot show.
/// </summary>
/// <param name="PValue">Two-sided p-value (probability of a difference at least this large if both modes had the same
/// E2E distribution).</param>
/// <param name="StreamingCount">Streaming requests tested.</param>
/// <param name="NonStreamingCount">Non-streaming requests tested.</param>
/// <param name="Comparisons">How many models were tested in the same report (the family of comparisons).</param>
public sealed record ModeDifference(double PValue, int StreamingCount, int NonStreamingCount, int Comparisons = 1)
{
    /// <summary>Family-wise significance level: the chance that any model's difference is called real when none is.</summary>
    public const double Alpha = 0.05;

    /// <summary>The p-value below which this comparison counts as significant: <see cref="Alpha"/> divided by
    /// <see cref="Comparisons"/> (Bonferroni), so testing four models does not quadruple the false alarms.</summary>
    public double Threshold => Alpha / Math.Max(1, Comparisons);

    /// <summary>Whether <see cref="PValue"/> is below <see cref="Threshold"/>.</summary>
    public bool Significant => PValue < Threshold;
}

/// <summary>Tests each model's two modes on the E2E samples the charts already draw (<see cref="RunSamples"/>: seeded
/// uniform samples of each cell's successful measured requests, bounded per cell).</summary>
internal static class ModeDifferenceTest
{
    /// <summary>Fewest requests per mode for a test (below, the report says nothing about significance).</summary>
    public const int MinCount = 5;

    /// <summary>The test per model and target (<see cref="ModeComparison.Key"/>) that has at least
    /// <see cref="MinCount"/> sampled requests in both modes: the two modes are compared within one target.</summary>
    public static IReadOnlyDictionary<string, ModeDifference> Results(RunSamples samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var pairs = new List<(string Model, Reservoir<double> Streaming, Reservoir<double> Whole)>();
        foreach (var (target, model) in samples.Cells.Select(c => (c.Target, c.Model)).Distinct())
        {
            // The same cells ModeComparison compares: the model's modes at one target under one policy (none, when
            // run without).
            var policy = ModeComparison.PolicyCompared(samples.Cells.Where(c => c.Model == model && c.Target == target).Select(c => c.Policy));
            if (samples.For(model, Mode.Streaming, policy, target)?.E2eMs is { Items.Count: >= MinCount } streaming
                && samples.For(model, Mode.NonStreaming, policy, target)?.E2eMs is { Items.Count: >= MinCount } whole)
            {
                pairs.Add((ModeComparison.Key(target, model), streaming, whole));
            }
        }

        var results = new Dictionary<string, ModeDifference>();
        foreach (var (model, streaming, whole) in pairs)
        {
            var result = MannWhitneyTest.Instance.Perform(
                new Sample([.. streaming.Items]), new Sample([.. whole.Items]), AlternativeHypothesis.TwoSides, Threshold.Zero);
            results[model] = new ModeDifference(result.PValue, streaming.Items.Count, whole.Items.Count, pairs.Count);
        }

        return results;
    }
}
