using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Core.Statistics;

namespace Bench.Report.Model;

/// <summary>
/// Builds the budget holder's <see cref="BudgetPlan"/> (issue 18) from a run's cells and its recommendations: one
/// <see cref="TrafficClass"/> per SLO set with its monthly volume, per class every cell shown to meet it priced at that
/// volume as paid, the choice and runner-up of the set's <see cref="Recommendation"/>, the current setup on the same
/// volume, the choice's <see cref="Risk"/>, notes on ties and small samples, the plan's break-even against a flat
/// current spend, and which targets were simulated. Pure and exact (decimal money, USD as paid).
/// </summary>
public static class BudgetPlanBuilder
{
    /// <summary>
    /// The plan of a run, or null when it has no SLO sets (no traffic classes) or no measured cell.
    /// </summary>
    /// <param name="run">run.json: its <see cref="RunInfo.Report"/> gives the monthly volume (and whether it was given on
    /// a command line), <c>--current</c> and the targets (which were simulated).</param>
    /// <param name="cells">The run's cells, priced.</param>
    /// <param name="recommendations">One per SLO set (<see cref="Recommendation.For"/>), in the scenario's order: the
    /// traffic classes.</param>
    /// <param name="fx">The report's FX rates (the first is the reader's currency; a non-USD <c>--current</c> spend is
    /// converted with its currency's rate).</param>
    /// <remarks>
    /// <para><b>Volumes</b> (<see cref="SloSet.Share"/>, <see cref="SloSet.MonthlyRequests"/>): with shares, class
    /// volume = <c>--monthly-requests</c> × share / 100. With own volumes, each class keeps its own and the plan's total
    /// is their sum — unless <c>--monthly-requests</c> N was given on a command line
    /// (<see cref="ReportSettings.MonthlyRequestsGiven"/>): then class volume = own × N / Σ own (proportions kept).
    /// With neither, a single set is the whole traffic (100 %); several sets are each priced alone at the whole volume,
    /// the plan has no total and <see cref="BudgetPlan.Problems"/> says why.</para>
    /// <para><b>Money</b>: an option's monthly cost = class requests × the cell's mean billed tokens per attempted
    /// request, priced exactly (<see cref="Projection.Volume"/>, <see cref="MonthlyProjection.Price"/>; batch prices for
    /// batch-api) × <see cref="BilledCost.UsdPerListUsd"/>.</para>
    /// <para><b>Break-even</b>: a flat current spend S (USD/month) against the plan's cost, which grows in proportion to
    /// volume, cost(V) = total × V / plan volume: V* = S × plan volume / total. A current cell grows in proportion too,
    /// so two such lines never cross (none).</para>
    /// </remarks>
    public static BudgetPlan? Build(RunInfo run, IReadOnlyList<CellResult> cells, IReadOnlyList<Recommendation> recommendations, IReadOnlyList<FxRate> fx)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(recommendations);
        ArgumentNullException.ThrowIfNull(fx);
        if (recommendations.Count == 0 || cells.Count == 0)
        {
            return null;
        }

        var problems = new List<string>();
        var (classes, planVolume) = Classes(recommendations.Select(r => r.Set).ToList(), run.Report, problems);

        CurrentSetup? current = null;
        CellResult? currentCell = null;
        if (run.Report.Current is { Length: > 0 } text)
        {
            if (!CurrentSetup.TryParse(text, fx, out current, out var error))
            {
                problems.Add(error);
            }
            else if (current.Selector is not null)
            {
                if (current.MatchCell([.. cells.Select(c => c.Summary.Key)], out var key, out error))
                {
                    currentCell = cells.First(c => c.Summary.Key == key);
                    if (Price(currentCell, 1m) is null)
                    {
                        problems.Add($"the current setup {Lead(currentCell)} has no price ({currentCell.Unpriced ?? "no price at its target's billing"}): the saving against it is unknown");
                    }
                }
                else
                {
                    problems.Add(error);
                }
            }
        }

        var choices = new List<ClassChoice>();
        for (var i = 0; i < recommendations.Count; i++)
        {
            choices.Add(Choose(classes[i], recommendations[i], currentCell, problems));
        }

        var plan = new BudgetPlan(choices, planVolume, fx, current, SimulatedTargets(run, cells), problems);
        return plan with { BreakEven = BreakEvenOf(plan) };
    }

    /// <summary>The traffic classes of <paramref name="sets"/> and the plan's monthly volume (see <see cref="Build"/>'s
    /// rules).</summary>
    public static (IReadOnlyList<TrafficClass> Classes, decimal MonthlyRequests) Classes(IReadOnlyList<SloSet> sets, ReportSettings settings, List<string>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(settings);
        var n = settings.MonthlyRequests;
        if (sets.Count > 0 && sets.All(s => s.Share is not null))
        {
            return ([.. sets.Select(s => new TrafficClass(s, n * s.Share!.Value / 100m, s.Share))], n);
        }

        if (sets.Count > 0 && sets.All(s => s.MonthlyRequests is not null))
        {
            var sum = sets.Sum(s => s.MonthlyRequests!.Value);
            var total = settings.MonthlyRequestsGiven ? n : sum;
            return ([.. sets.Select(s => new TrafficClass(s,
                settings.MonthlyRequestsGiven ? s.MonthlyRequests!.Value * n / sum : s.MonthlyRequests!.Value,
                s.MonthlyRequests!.Value / sum * 100m))], total);
        }

        if (sets.Count == 1)
        {
            return ([new TrafficClass(sets[0], n, 100m)], n);
        }

        problems?.Add(string.Create(CultureInfo.InvariantCulture,
            $"the scenario's {sets.Count} SLO sets give no share or monthly_requests, so each is priced alone at the whole volume ({n:#,0.##} requests a month) and the plan has no total; give every set a \"share\" (percent, adding up to 100) or its \"monthly_requests\""));
        return ([.. sets.Select(s => new TrafficClass(s, n, null))], n);
    }

    /// <summary>One class's decision (see <see cref="ClassChoice"/>).</summary>
    private static ClassChoice Choose(TrafficClass @class, Recommendation recommendation, CellResult? currentCell, List<string> problems)
    {
        var volume = @class.MonthlyRequests;
        var ranked = recommendation.Ranked.Select(c => Price(c, volume)).OfType<PricedOption>().ToList();
        var options = ranked.OrderBy(o => o.MonthlyUsd).ThenBy(o => ranked.IndexOf(o)).ToList();
        var choice = recommendation.Best is { } best ? ranked.FirstOrDefault(o => o.Cell == best) : null;
        var runnerUp = recommendation.RunnerUp is { } second ? ranked.FirstOrDefault(o => o.Cell == second) : null;
        var current = currentCell is null ? null : Price(currentCell, volume);
        var notes = new List<PlanNote>();

        if (choice is null)
        {
            var why = recommendation.NotShown.Count > 0
                ? $"{recommendation.NotShown.Count} cell{(recommendation.NotShown.Count == 1 ? "" : "s")} meet{(recommendation.NotShown.Count == 1 ? "s" : "")} it on this sample's point estimate, but the sample is too small to show it"
                : recommendation.MetUnpriced.Count > 0
                    ? $"the cells that meet it have no price ({string.Join(", ", recommendation.MetUnpriced.Select(Lead))})"
                    : "no measured cell meets it";
            notes.Add($"No option is shown to meet {@class.Name} in this run: {why}.");
            problems.Add($"{@class.Name}: no option is shown to meet it ({why}), so the plan has no total");
        }

        if (recommendation.Tie is { } tie && choice is not null)
        {
            var other = Lead(tie.Other);
            notes.Add(tie.By switch
            {
                TieBreak.Latency => $"{Lead(choice.Cell)} and {other} cost the same per successful request within this sample's noise (their 95 % intervals overlap); {Lead(choice.Cell)} is chosen because it is faster (p95 intervals of {Recommendation.KeyMetric(choice.Cell, @class.Set).Named.Id} apart).",
                _ => $"{Lead(choice.Cell)} and {other} cost the same per successful request within this sample's noise (their 95 % intervals overlap) and nothing in this run tells them apart; {Lead(choice.Cell)} is listed first on the point estimate"
                    + (tie.RequestsToSeparate is { } n ? string.Create(CultureInfo.InvariantCulture, $"; about {n:#,0} requests per cell would separate them.") : "."),
            });
        }

        // A cheaper cell the sample cannot show: the cheapest one is named (with the sample that would show it).
        var cheaperNotShown = recommendation.NotShown
            .Select(x => (Option: Price(x.Cell, volume), x.Shortfalls))
            .Where(x => x.Option is not null && (choice is null || x.Option.MonthlyUsd < choice.MonthlyUsd))
            .OrderBy(x => x.Option!.MonthlyUsd)
            .ToList();
        if (cheaperNotShown.Count > 0)
        {
            var (option, shortfalls) = cheaperNotShown[0];
            var needed = shortfalls.Count == 0 ? (long?)null : shortfalls.Max(s => s.TrialsNeeded);
            var more = needed is { } k ? string.Create(CultureInfo.InvariantCulture, $"; about {k:#,0} requests with no more misses than now would") : "";
            var others = cheaperNotShown.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({cheaperNotShown.Count - 1} more cell{(cheaperNotShown.Count == 2 ? "" : "s")} {(choice is null ? "meet" : "cheaper than the choice meet")} it on the point estimate only)") : "";
            notes.Add(new PlanNote($"{Lead(option!.Cell)} would cost ", option.MonthlyUsd, string.Create(CultureInfo.InvariantCulture,
                $"{(choice is null ? "" : ", less than the choice,")} and meets {@class.Name} on this sample's point estimate, but {option.Cell.Summary.Requests:#,0} requests are too few to show it{more}{others}.")));
        }

        if (choice is not null && runnerUp is not null && runnerUp.MonthlyUsd < choice.MonthlyUsd)
        {
            notes.Add($"{Lead(runnerUp.Cell)} costs less a month at this volume but more per successful request: its failures are billed too, and the choice is made on what a success costs.");
        }

        if (currentCell is not null)
        {
            if (current is null)
            {
                notes.Add($"The current setup {Lead(currentCell)} has no price, so the saving against it is unknown.");
            }

            var failed = recommendation.Failed.FirstOrDefault(f => f.Cell == currentCell);
            var notShown = recommendation.NotShown.FirstOrDefault(f => f.Cell == currentCell);
            if (failed.Cell is not null)
            {
                notes.Add($"The current setup does not meet {@class.Name}: {failed.Why}.");
            }
            else if (notShown.Cell is not null)
            {
                notes.Add($"The current setup does not meet {@class.Name} as far as this run shows: it meets it on the point estimate, but {currentCell.Summary.Requests:#,0} requests are too few to show it.");
            }
            else if (!recommendation.Ranked.Contains(currentCell) && !recommendation.MetUnpriced.Contains(currentCell))
            {
                notes.Add($"The current setup does not meet {@class.Name}: it was not judged against it in this run.");
            }
        }

        return new ClassChoice(@class, recommendation, options, choice, runnerUp, current, choice is null ? null : RiskOf(choice.Cell), notes);
    }

    /// <summary>The cell priced at <paramref name="monthlyRequests"/> as paid, or null when it has no price (or no
    /// market rate for its billing).</summary>
    public static PricedOption? Price(CellResult cell, decimal monthlyRequests)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (Projection.Volume(cell, monthlyRequests) is not { } volume || cell.Cost.Billed.UsdPerListUsd is not { } paid)
        {
            return null;
        }

        return new PricedOption(cell, MonthlyProjection.Price(volume, cell.Price!, cell.Cost.Tier, requestedModel: cell.Summary.Model), paid);
    }

    /// <summary>The risk of choosing <paramref name="cell"/>: its failure rate with the one-sided 95 % exact upper
    /// bound (<see cref="ProportionBound.Upper"/>), its failures by outcome, and the attempts answered 429 (every
    /// attempt, retried ones included: <see cref="CellSummary.AttemptOutcomes"/>). A choice is always shown to meet its
    /// class, so its evidence is <see cref="SloEvidence.Shown"/>.</summary>
    public static Risk RiskOf(CellResult cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var s = cell.Summary;
        var failures = s.Requests - s.Successes;
        var kinds = s.Outcomes
            .Where(kv => kv.Key != Outcome.Success && kv.Key.IsAttempt() && kv.Value > 0)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => Names.Of(kv.Key), StringComparer.Ordinal)
            .Select(kv => (Names.Of(kv.Key), kv.Value))
            .ToList();
        var rateLimited = Math.Max(s.AttemptOutcomes.GetValueOrDefault(Outcome.RateLimited), s.Outcomes.GetValueOrDefault(Outcome.RateLimited));
        return new Risk(
            s.Requests,
            s.Successes,
            s.Requests == 0 ? 0 : (double)failures / s.Requests,
            s.Requests == 0 ? 1 : ProportionBound.Upper(failures, s.Requests, SloEvaluator.Confidence),
            kinds,
            rateLimited,
            SloEvidence.Shown,
            null);
    }

    /// <summary>The break-even volume of a complete plan against a flat current spend (see <see cref="Build"/>), or null.</summary>
    public static BreakEven? BreakEvenOf(BudgetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Current?.MonthlySpendUsd is not { } spend || plan.TotalUsd is not { } total || total <= 0 || spend <= 0)
        {
            return null;
        }

        return new BreakEven(spend * plan.MonthlyRequests / total, spend);
    }

    /// <summary>The targets whose figures are simulated: run.json's targets whose base URL is the embedded simulator,
    /// or — for a run.json from before targets — every target when <see cref="RunInfo.Target"/> starts with it.</summary>
    public static IReadOnlyList<string> SimulatedTargets(RunInfo run, IReadOnlyList<CellResult> cells)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(cells);
        if (run.Targets is { Count: > 0 } targets)
        {
            return [.. targets.Where(t => string.Equals(t.BaseUrl, TargetInfo.EmbeddedSimulator, StringComparison.Ordinal)).Select(t => t.Name)];
        }

        if (run.Target.StartsWith(TargetInfo.EmbeddedSimulator, StringComparison.Ordinal))
        {
            var named = cells.Select(c => c.Summary.Target).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            return named.Count > 0 ? named : ["simulator"];
        }

        return [];
    }

    /// <summary>A cell in words: <c>target · model · mode</c> (<see cref="CellKey.ToString"/>).</summary>
    private static string Lead(CellResult cell) => cell.Summary.Key.ToString();
}
