using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;

namespace Bench.Report.Model;

/// <summary>
/// What the run's measured token mix would cost at a monthly request volume: per cell (each with its own mean billed
/// tokens per attempted request, so failures' billed tokens count; a batch-api cell at batch prices), per model mix
/// (shares of the monthly requests, each on its own cell's mix; a mix with a batch-api share is a
/// <see cref="RoutingPlan"/> instead) — in USD and in every FX rate given, with the saving between two rates of one currency.
/// Exact decimal arithmetic throughout (<see cref="MonthlyProjection"/>); rounding happens only when printed.
/// </summary>
public sealed class Projection
{
    /// <summary>Requests per month projected.</summary>
    public required decimal MonthlyRequests { get; init; }

    /// <summary>FX rates to show amounts in (units per USD).</summary>
    public required IReadOnlyList<FxRate> Fx { get; init; }

    /// <summary>Savings between two rates of the same currency (e.g. market CNY against a relay's CNY).</summary>
    public IReadOnlyList<FxSaving> Savings => FxRate.Savings(Fx);

    /// <summary>One budget per priced cell.</summary>
    public required IReadOnlyList<(CellResult Cell, Budget Budget)> Cells { get; init; }

    /// <summary>One budget per mix that could be priced from this run's cells.</summary>
    public required IReadOnlyList<Budget> Mixes { get; init; }

    /// <summary>Why a mix could not be priced (a share's model × mode was not measured or not priced).</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    /// <summary>Builds the projection.</summary>
    public static Projection Build(IReadOnlyList<CellResult> cells, decimal monthlyRequests, IReadOnlyList<FxRate> fx, IReadOnlyList<ModelMix> mixes)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(mixes);
        var budgets = new List<(CellResult, Budget)>();
        foreach (var cell in cells)
        {
            if (Volume(cell, monthlyRequests) is { } volume)
            {
                budgets.Add((cell, MonthlyProjection.Price(volume, cell.Price!, cell.Cost.Tier, requestedModel: cell.Summary.Model)));
            }
        }

        var mixBudgets = new List<Budget>();
        var problems = new List<string>();
        // A mix with a batch-api share is a routing plan (RoutingPlan): priced there, against all-synchronous.
        foreach (var mix in mixes.Where(m => !RoutingPlan.Routes(m)))
        {
            var lines = new List<BudgetLine>();
            foreach (var share in mix.Shares)
            {
                var cell = cells.FirstOrDefault(c => c.Summary.Model == share.Model && share.MatchesTarget(c.Summary.Target)
                    && (share.Mode is null ? c.Cost.Tier == share.Tier : Names.Of(c.Summary.Mode) == share.Mode));
                if (cell is null || Volume(cell, monthlyRequests * share.Fraction) is not { } volume)
                {
                    problems.Add($"{mix}: {share.Model}{(share.Mode is null ? "" : " · " + share.Mode)}{(share.Target is null ? "" : " at " + share.Target)} was not measured and priced in this run");
                    continue;
                }

                var line = MonthlyProjection.Price(volume, cell.Price!, cell.Cost.Tier, requestedModel: share.Model).Lines[0];
                lines.Add(line with { Mode = Names.Of(cell.Summary.Mode), SharePercent = share.Percent });
            }

            if (lines.Count == mix.Shares.Count)
            {
                mixBudgets.Add(new Budget(mix.ToString(), IsMix: true, lines));
            }
        }

        return new Projection { MonthlyRequests = monthlyRequests, Fx = fx ?? [], Cells = budgets, Mixes = mixBudgets, Problems = problems };
    }

    /// <summary>The cell's measured mix — mean billed prompt, cached (cache-read), cache-write and completion tokens per
    /// attempted request — × <paramref name="requests"/>, or null when unpriced (priced at the cell's tier:
    /// <see cref="CellCost.Tier"/>). Uncached input is what remains of the prompt (<see cref="MonthlyTokens.UncachedInputTokens"/>),
    /// so a cell whose prompts hit or wrote the provider's cache is projected at the prices of its own mix: the same
    /// formula <see cref="CellCost"/> bills the measured requests with, scaled.</summary>
    internal static MonthlyTokens? Volume(CellResult cell, decimal requests)
    {
        var s = cell.Summary;
        if (cell.Price is null || s.Requests == 0)
        {
            return null;
        }

        decimal PerRequest(long total) => (decimal)total / s.Requests;
        return MonthlyTokens.FromRequests(requests, PerRequest(s.BilledTokens.PromptTokens), PerRequest(s.BilledTokens.CompletionTokens), PerRequest(s.BilledTokens.CachedTokens), PerRequest(s.BilledTokens.CacheWriteTokens));
    }
}
