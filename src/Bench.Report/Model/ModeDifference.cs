using Bench.Core.Metrics;
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

/// <summary>Collects E2E samples per model × mode during the report's single pass over the records (bounded:
/// at most <see cref="SampleSize"/> per cell) and tests each model's two modes.</summary>
internal sealed class ModeDifferenceTest
{
    /// <summary>Most E2E values kept per cell (a seeded uniform sample beyond that).</summary>
    public const int SampleSize = 5_000;

    /// <summary>Fewest requests per mode for a test (below, the report says nothing about significance).</summary>
    public const int MinCount = 5;

    private readonly Dictionary<(string Model, Mode Mode), Reservoir<double>> _samples = [];

    /// <summary>Offers a record: only successful requests of the measured phase count, as in <see cref="CellSummary"/>.</summary>
    public void Add(RequestRecord record)
    {
        if (record.Phase != Phases.Measure || record.Outcome != Outcome.Success)
        {
            return;
        }

        var e2e = RequestMetrics.E2eMs(record);
        if (!_samples.TryGetValue((record.Model, record.Mode), out var sample))
        {
            sample = new Reservoir<double>(SampleSize, seed: _samples.Count + 1);
            _samples[(record.Model, record.Mode)] = sample;
        }

        sample.Add(e2e);
    }

    /// <summary>The test per model that has at least <see cref="MinCount"/> requests in both modes.</summary>
    public IReadOnlyDictionary<string, ModeDifference> Results()
    {
        var pairs = new List<(string Model, Reservoir<double> Streaming, Reservoir<double> Whole)>();
        foreach (var model in _samples.Keys.Select(k => k.Model).Distinct())
        {
            if (_samples.GetValueOrDefault((model, Mode.Streaming)) is { Items.Count: >= MinCount } streaming
                && _samples.GetValueOrDefault((model, Mode.NonStreaming)) is { Items.Count: >= MinCount } whole)
            {
                pairs.Add((model, streaming, whole));
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
