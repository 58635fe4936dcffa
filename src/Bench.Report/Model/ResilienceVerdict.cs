using Bench.Core.Metrics;
using Bench.Core.Resilience;

namespace Bench.Report.Model;

/// <summary>Where a resilience verdict's "without the policy" figures come from.</summary>
public enum ResilienceBaseline
{
    /// <summary>The cell's own first attempts (<c>first_attempt_success_rate</c>): the success rate the same requests
    /// would have had had nothing been retried or hedged; no latency or cost to compare.</summary>
    FirstAttempt,

    /// <summary>The run's cell of the same model × mode without a policy: its success rate, E2E p95 and cost, measured
    /// on the same endpoint in the same run.</summary>
    NoPolicyCell,
}

/// <summary>
/// What one cell's resilience policy did (issue 11): success without → with the policy, attempts per success, latency
/// added by retries, the cost of retries and time spent rate-limited, judged once here for the report's resilience
/// section, its verdict sentence and its chart.
/// </summary>
/// <param name="Cell">The cell run under the policy.</param>
/// <param name="Policy">The policy as <c>run.json</c> recorded it (<see cref="Core.Results.RunInfo.Resilience"/>), or null
/// when run.json does not list it (its name is then <see cref="CellSummary.Policy"/>).</param>
/// <param name="Baseline">Where the "without" figures come from.</param>
/// <param name="NoPolicy">The no-policy cell of the same model × mode, when the run has one.</param>
public sealed record ResilienceVerdict(CellResult Cell, ResiliencePolicy? Policy, ResilienceBaseline Baseline, CellResult? NoPolicy)
{
    /// <summary>The policy's name.</summary>
    public string PolicyName => Cell.Summary.Policy ?? Policy?.Name ?? "";

    /// <summary>Success rate without the policy, 0..1: the no-policy cell's when there is one, else the cell's
    /// first-attempt success rate.</summary>
    public double WithoutSuccessRate => NoPolicy?.Summary.SuccessRate ?? Cell.Summary.FirstAttemptSuccessRate;

    /// <summary>The cell's success rate, what the user saw under the policy, 0..1.</summary>
    public double WithSuccessRate => Cell.Summary.SuccessRate;

    /// <summary>Success rate with minus without, in fractions (0.0156 is +1.56 points).</summary>
    public double SuccessGain => WithSuccessRate - WithoutSuccessRate;

    /// <summary>The cell's E2E p95 (ms, over successful requests), or null when none succeeded.</summary>
    public double? E2eP95Ms => Cell.Summary.Get(Metric.E2e)?.P95;

    /// <summary>The no-policy cell's E2E p95 (ms), when there is such a cell with a success.</summary>
    public double? NoPolicyE2eP95Ms => NoPolicy?.Summary.Get(Metric.E2e)?.P95;

    /// <summary>What the policy added to p95 latency, ms: against the no-policy cell, the difference of the E2E p95s;
    /// otherwise the p95 of <c>retry_added_ms</c> (the wait retries added before the attempt that succeeded). Null
    /// when there is nothing to measure.</summary>
    public double? AddedP95Ms => Baseline == ResilienceBaseline.NoPolicyCell
        ? E2eP95Ms - NoPolicyE2eP95Ms
        : Cell.Summary.RetryAddedMs?.P95;

    /// <summary>What retries added to the cell's cost, percent of what its requests would have cost with one attempt
    /// each: retry_cost_usd / (cost_usd − retry_cost_usd) × 100; null when unpriced or nothing else was billed.</summary>
    public decimal? CostIncreasePercent => Cell.Cost.CostUsd is { } cost && Cell.Cost.RetryCostUsd is { } retry && cost - retry > 0
        ? retry / (cost - retry) * 100m
        : null;

    /// <summary>One verdict per cell run under a policy, in run order; empty when no cell had a policy.</summary>
    /// <param name="cells">The report's cells.</param>
    /// <param name="policies">The policies <c>run.json</c> lists.</param>
    public static IReadOnlyList<ResilienceVerdict> For(IReadOnlyList<CellResult> cells, IReadOnlyList<ResiliencePolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(policies);
        var list = new List<ResilienceVerdict>();
        foreach (var cell in cells)
        {
            var s = cell.Summary;
            if (s.Policy is not { } name)
            {
                continue;
            }

            var policy = policies.FirstOrDefault(p => p.Name == name);
            // A policy that does nothing (IsNone) is the raw endpoint under a name: it is the baseline, as a cell with
            // no policy is.
            var noPolicy = cells.FirstOrDefault(c => c != cell && c.Summary.Target == s.Target && c.Summary.Model == s.Model && c.Summary.Mode == s.Mode && c.Summary.Requests > 0
                && (c.Summary.Policy is null || policies.FirstOrDefault(p => p.Name == c.Summary.Policy) is { IsNone: true }));
            if (policy is { IsNone: true })
            {
                noPolicy = null;
            }

            list.Add(new ResilienceVerdict(cell, policy, noPolicy is null ? ResilienceBaseline.FirstAttempt : ResilienceBaseline.NoPolicyCell, noPolicy));
        }

        return list;
    }
}
