using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Statistics;

namespace Bench.Report.Model;

/// <summary>
/// The per-request samples a target comparison reads: bounded, seeded uniform samples of each cell's successful
/// measured requests (<see cref="Charts.RunSamples"/> keyed by target once targets exist), in milliseconds; null when
/// the cell has none.
/// </summary>
public interface ITargetSamples
{
    /// <summary>TTFT samples of the cell target · model · mode · policy (streaming cells), or null.</summary>
    IReadOnlyList<double>? TtftMs(string target, string model, Mode mode, string? policy);

    /// <summary>E2E samples of the cell target · model · mode · policy, or null.</summary>
    IReadOnlyList<double>? E2eMs(string target, string model, Mode mode, string? policy);
}

/// <summary>One failure class (outcome, and the provider's code when there is one) and its count in each target.</summary>
/// <param name="Failure">The class, e.g. <c>server_error</c> or <c>provider_error overloaded_error</c>.</param>
/// <param name="Baseline">Failed requests of the class in the baseline target's cell.</param>
/// <param name="Other">Failed requests of the class in the other target's cell.</param>
public sealed record FailureSideBySide(string Failure, long Baseline, long Other);

/// <summary>
/// Two targets that served the same model × mode × policy in one run (issue 14, "relay against direct"): the other
/// target's TTFT and E2E shift against the baseline's with 95 % intervals (<see cref="ShiftInterval"/>: Hodges–Lehmann
/// with the Mann–Whitney interval), success rates side by side with Newcombe's interval of the difference
/// (<see cref="ProportionDifference"/>, other − baseline), failure classes side by side, and cost per successful request
/// in each target's billing and in USD at the market rate (<see cref="BilledCost"/>). Judgements only; the words are in
/// <c>ReportDocumentBuilder.Targets.cs</c>.
/// </summary>
public sealed record TargetComparison
{
    /// <summary>The overhead the articles claim for a relay (SEED-FIGURES.md: "under 50 ms"), milliseconds.</summary>
    public const double ClaimedOverheadMs = 50;

    /// <summary>The model compared.</summary>
    public required string Model { get; init; }

    /// <summary>The mode compared.</summary>
    public required Mode Mode { get; init; }

    /// <summary>The policy compared, or null.</summary>
    public string? Policy { get; init; }

    /// <summary>The baseline target's cell (the target named first in the run, e.g. <c>direct</c>).</summary>
    public required CellResult Baseline { get; init; }

    /// <summary>The other target's cell (e.g. <c>relay</c>).</summary>
    public required CellResult Other { get; init; }

    /// <summary>The baseline target's name.</summary>
    public string BaselineTarget => Baseline.Summary.Target ?? "";

    /// <summary>The other target's name.</summary>
    public string OtherTarget => Other.Summary.Target ?? "";

    /// <summary>TTFT shift other − baseline (streaming cells with at least <see cref="ShiftInterval.MinCount"/>
    /// samples each), or null.</summary>
    public ShiftInterval? Ttft { get; init; }

    /// <summary>E2E shift other − baseline, or null.</summary>
    public ShiftInterval? E2e { get; init; }

    /// <summary>Success rate other − baseline with its 95 % Newcombe interval, or null when a cell attempted nothing.</summary>
    public ProportionDifference? SuccessRateDifference { get; init; }

    /// <summary>Every failure class of either cell, the larger total first.</summary>
    public IReadOnlyList<FailureSideBySide> Failures { get; init; } = [];

    /// <summary>How much less (positive) or more (negative) a successful request costs at the other target than at the
    /// baseline, both in USD at the market rate, percent; null when either is unpriced or has no success.</summary>
    public decimal? CostSavingPercent =>
        Baseline.Cost.Billed.CostUsdPerSuccess is { } b && Other.Cost.Billed.CostUsdPerSuccess is { } o && b > 0
            ? (1m - (o / b)) * 100m
            : null;

    /// <summary>Whether the TTFT overhead (or E2E when the mode has no TTFT) is within <see cref="ClaimedOverheadMs"/>:
    /// true when the interval's upper bound is at most the claim, false when its lower bound exceeds it, null when the
    /// interval straddles it or is missing.</summary>
    public bool? WithinClaim => (Ttft ?? E2e) is { } shift
        ? shift.Upper <= ClaimedOverheadMs ? true : shift.Lower > ClaimedOverheadMs ? false : null
        : null;

    /// <summary>
    /// Every pair of targets that served the same model × mode × policy among <paramref name="cells"/>; within a pair
    /// the baseline is the target that appears first in <paramref name="cells"/> (the scenario's order). Cells without
    /// a target are skipped.
    /// </summary>
    public static IReadOnlyList<TargetComparison> Compare(IReadOnlyList<CellResult> cells, ITargetSamples samples)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(samples);
        var order = cells.Select(c => c.Summary.Target).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var result = new List<TargetComparison>();
        foreach (var group in cells.Where(c => c.Summary.Target is not null).GroupBy(c => (c.Summary.Model, c.Summary.Mode, c.Summary.Policy)))
        {
            var byTarget = group.OrderBy(c => order.IndexOf(c.Summary.Target!)).ToList();
            for (var i = 0; i < byTarget.Count; i++)
            {
                for (var j = i + 1; j < byTarget.Count; j++)
                {
                    result.Add(Pair(byTarget[i], byTarget[j], samples));
                }
            }
        }

        return result;
    }

    private static TargetComparison Pair(CellResult baseline, CellResult other, ITargetSamples samples)
    {
        var a = baseline.Summary;
        var b = other.Summary;
        ShiftInterval? Shift(Func<string, IReadOnlyList<double>?> read) =>
            read(a.Target!) is { } x && read(b.Target!) is { } y ? ShiftInterval.Compute(x, y) : null;

        return new TargetComparison
        {
            Model = a.Model,
            Mode = a.Mode,
            Policy = a.Policy,
            Baseline = baseline,
            Other = other,
            Ttft = a.Mode == Mode.Streaming ? Shift(t => samples.TtftMs(t, a.Model, a.Mode, a.Policy)) : null,
            E2e = Shift(t => samples.E2eMs(t, a.Model, a.Mode, a.Policy)),
            SuccessRateDifference = a.Requests > 0 && b.Requests > 0
                ? ProportionDifference.Newcombe(b.Successes, b.Requests, a.Successes, a.Requests)
                : null,
            Failures = FailureClasses(a, b),
        };
    }

    private static List<FailureSideBySide> FailureClasses(CellSummary baseline, CellSummary other)
    {
        static Dictionary<string, long> Classes(CellSummary s) => s.FailureGroups
            .GroupBy(g => g.Code is { Length: > 0 } code ? $"{Names.Of(g.Outcome)} {code}" : Names.Of(g.Outcome), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(x => x.Count), StringComparer.Ordinal);

        var a = Classes(baseline);
        var b = Classes(other);
        return [.. a.Keys.Union(b.Keys, StringComparer.Ordinal)
            .Select(k => new FailureSideBySide(k, a.GetValueOrDefault(k), b.GetValueOrDefault(k)))
            .OrderByDescending(f => f.Baseline + f.Other).ThenBy(f => f.Failure, StringComparer.Ordinal)];
    }
}
