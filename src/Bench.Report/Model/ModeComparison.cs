using Bench.Core.Metrics;
using Bench.Core.Records;

namespace Bench.Report.Model;

/// <summary>What a model's streaming E2E is, against its non-streaming E2E.</summary>
public enum E2eVerdict
{
    /// <summary>Not enough successful requests in both modes to compare.</summary>
    NotComparable,

    /// <summary>About as long either way: within 5 % without a test, or not significant with one.</summary>
    AboutTheSame,

    /// <summary>Streaming takes longer.</summary>
    Longer,

    /// <summary>Streaming takes less time.</summary>
    Shorter,
}

/// <summary>
/// One model measured in both modes: how much sooner streaming shows the first token than a non-streaming answer
/// arrives whole, and whether the whole answer takes longer when streamed — called real only when the Mann–Whitney
/// test (<see cref="Test"/>) says so; without a test, a difference under 5 % is "about the same".
/// </summary>
/// <param name="Model">Model id.</param>
/// <param name="Streaming">The streaming cell.</param>
/// <param name="NonStreaming">The non-streaming cell.</param>
/// <param name="Test">The E2E test, or null when either mode has too few samples.</param>
public sealed record ModeComparison(string Model, CellSummary Streaming, CellSummary NonStreaming, ModeDifference? Test)
{
    /// <summary>Below this relative E2E difference, an untested difference is "about the same" and a significant one
    /// is "slight".</summary>
    public const double SmallDifference = 0.05;

    /// <summary>Streaming TTFT.</summary>
    public MetricStats? StreamingTtft => Streaming.Get(Metric.Ttft);

    /// <summary>Streaming E2E.</summary>
    public MetricStats? StreamingE2e => Streaming.Get(Metric.E2e);

    /// <summary>Non-streaming E2E (its first token: <see cref="Metric.FirstTokenArrivesWithEnd"/>).</summary>
    public MetricStats? NonStreamingE2e => NonStreaming.Get(Metric.E2e);

    /// <summary>Non-streaming E2E mean − streaming TTFT mean, ms: how much sooner the first token shows (negative:
    /// later); null when not comparable.</summary>
    public double? FirstTokenLeadMs => Verdict == E2eVerdict.NotComparable ? null : NonStreamingE2e!.Mean - StreamingTtft!.Mean;

    /// <summary><see cref="FirstTokenLeadMs"/> / non-streaming E2E mean: the share of the wait streaming saves before
    /// the first token (negative: adds); null when not comparable.</summary>
    public double? FirstTokenLeadFraction => Verdict == E2eVerdict.NotComparable || NonStreamingE2e!.Mean <= 0
        ? null
        : FirstTokenLeadMs / NonStreamingE2e.Mean;

    /// <summary>True when the two modes' success rates differ: each mode's latency then covers a different share of
    /// its requests (only the successful ones), and the report says so beside any comparison.</summary>
    public bool SuccessRatesDiffer => Streaming.Successes * NonStreaming.Requests != NonStreaming.Successes * Streaming.Requests;

    /// <summary>(streaming E2E mean − non-streaming E2E mean) / non-streaming E2E mean; null when not comparable.</summary>
    public double? E2eDelta => Verdict == E2eVerdict.NotComparable ? null : (StreamingE2e!.Mean - NonStreamingE2e!.Mean) / NonStreamingE2e.Mean;

    /// <summary>True when a significant difference is under <see cref="SmallDifference"/>.</summary>
    public bool Slight => Verdict is E2eVerdict.Longer or E2eVerdict.Shorter && Math.Abs(E2eDelta!.Value) < SmallDifference;

    /// <summary>The verdict on the whole answer's time.</summary>
    public E2eVerdict Verdict
    {
        get
        {
            if (StreamingTtft is null || StreamingE2e is null || NonStreamingE2e is null)
            {
                return E2eVerdict.NotComparable;
            }

            var delta = (StreamingE2e.Mean - NonStreamingE2e.Mean) / NonStreamingE2e.Mean;
            var same = Test is null ? Math.Abs(delta) < SmallDifference : !Test.Significant;
            return same ? E2eVerdict.AboutTheSame : delta > 0 ? E2eVerdict.Longer : E2eVerdict.Shorter;
        }
    }

    /// <summary>The policy under which a model's two modes are compared, given its cells' policies in run order: none
    /// (the raw endpoint) when the run has such cells, else the first policy. One comparison per model.</summary>
    public static string? PolicyCompared(IEnumerable<string?> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var list = policies.ToList();
        return list.Count == 0 || list.Contains(null) ? null : list[0];
    }

    /// <summary>The target whose two modes are compared (null for records without one): modes are compared within a
    /// target, never across.</summary>
    public string? Target => Streaming.Target;

    /// <summary>The model at its target in text: <c>target · model</c>, or the model alone without a target (the key
    /// of <see cref="ModeDifferenceTest.Results"/>).</summary>
    public string Label => Key(Target, Model);

    /// <summary><c>target · model</c>, or <paramref name="model"/> alone when <paramref name="target"/> is null or
    /// empty.</summary>
    public static string Key(string? target, string model) => string.IsNullOrEmpty(target) ? model : $"{target} · {model}";

    /// <summary>One comparison per model and target measured in both modes, in run order (under
    /// <see cref="PolicyCompared"/>): streaming at one target is never compared with non-streaming at another.</summary>
    public static IReadOnlyList<ModeComparison> For(IReadOnlyList<CellResult> cells, IReadOnlyDictionary<string, ModeDifference> tests)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(tests);
        var list = new List<ModeComparison>();
        foreach (var (target, model) in cells.Select(c => (c.Summary.Target, c.Summary.Model)).Distinct())
        {
            var own = cells.Where(c => c.Summary.Model == model && c.Summary.Target == target).ToList();
            var policy = PolicyCompared(own.Select(c => c.Summary.Policy));
            var streaming = own.FirstOrDefault(c => c.Summary.Mode == Mode.Streaming && c.Summary.Policy == policy)?.Summary;
            var whole = own.FirstOrDefault(c => c.Summary.Mode == Mode.NonStreaming && c.Summary.Policy == policy)?.Summary;
            if (streaming is not null && whole is not null)
            {
                list.Add(new ModeComparison(model, streaming, whole, tests.GetValueOrDefault(Key(target, model))));
            }
        }

        return list;
    }
}
