using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;

namespace Bench.Report.Model;

/// <summary>
/// One share of a routing plan: its monthly requests on its model × mode, priced at that cell's measured mean billed
/// tokens per request and its tier (batch prices for batch-api), and — for a batch-api share — what the same requests
/// would cost synchronously, on the model's cheaper synchronous cell.
/// </summary>
/// <param name="Share">The share as given (<c>gpt-4.1:batch-api=70%</c>).</param>
/// <param name="Requests">Requests per month on this share.</param>
/// <param name="Cell">The measured cell it is priced on, or null when this run did not measure it.</param>
/// <param name="Cost">Its monthly budget, or null when it could not be priced (<paramref name="Unpriced"/> says why).</param>
/// <param name="Synchronous">The cell that stands for it all-synchronous: itself for a synchronous share; for a
/// batch-api share the model's synchronous cell with the lower cost per 1,000 requests (non-streaming on a tie, as
/// <see cref="CallModes.CheaperSynchronous"/>); null when none was measured and
/// priced.</param>
/// <param name="SynchronousCost">Its monthly budget all-synchronous, or null.</param>
/// <param name="Unpriced">Why the share has no price (not measured; no Batch API price), or null.</param>
public sealed record RoutingLine(MixShare Share, decimal Requests, CellResult? Cell, Budget? Cost, CellResult? Synchronous, Budget? SynchronousCost, string? Unpriced)
{
    /// <summary>True for a share sent through the Batch API.</summary>
    public bool IsBatch => Share.Tier == PriceTier.Batch;
}

/// <summary>
/// The articles' hybrid advice made concrete: a <c>--mix</c> with <c>batch-api</c> shares ("interactive share
/// streaming, bulk share batch") priced as one monthly budget at the run's measured token mix per mode, against the
/// same volume sent all-synchronously (each batch share on its model's cheaper synchronous cell). Exact decimal
/// arithmetic. An unpriced share is said, never guessed: the plan then has no total and no saving.
/// </summary>
/// <param name="Mix">The mix.</param>
/// <param name="MonthlyRequests">Requests per month across the shares.</param>
/// <param name="Lines">One line per share, in the mix's order.</param>
public sealed record RoutingPlan(ModelMix Mix, decimal MonthlyRequests, IReadOnlyList<RoutingLine> Lines)
{
    /// <summary>True when every share is priced.</summary>
    public bool Complete => Lines.All(l => l.Cost is not null);

    /// <summary>The plan's budget, USD per month; null unless <see cref="Complete"/>.</summary>
    public decimal? TotalUsd => Complete ? Lines.Sum(l => l.Cost!.TotalCostUsd) : null;

    /// <summary>The priced shares' budget, USD per month (a lower bound when a share is unpriced).</summary>
    public decimal PricedUsd => Lines.Where(l => l.Cost is not null).Sum(l => l.Cost!.TotalCostUsd);

    /// <summary>The same volume all-synchronous, USD per month; null when a share cannot be priced either way.</summary>
    public decimal? SynchronousUsd => Complete && Lines.All(l => l.SynchronousCost is not null) ? Lines.Sum(l => l.SynchronousCost!.TotalCostUsd) : null;

    /// <summary>All-synchronous − the plan, USD per month; null when either is unknown.</summary>
    public decimal? SavingUsd => TotalUsd is { } total && SynchronousUsd is { } sync ? sync - total : null;

    /// <summary><see cref="SavingUsd"/> / all-synchronous × 100; null when unknown or all-synchronous costs nothing.</summary>
    public decimal? SavingPercent => SavingUsd is { } saving && SynchronousUsd is { } sync && sync > 0 ? saving / sync * 100m : null;

    /// <summary>True when <paramref name="mix"/> has a batch-api share (a routing plan, not a plain mix).</summary>
    public static bool Routes(ModelMix mix)
    {
        ArgumentNullException.ThrowIfNull(mix);
        return mix.Shares.Any(s => s.Tier == PriceTier.Batch);
    }

    /// <summary>One plan per mix with a batch-api share, in the order given.</summary>
    public static IReadOnlyList<RoutingPlan> For(IReadOnlyList<CellResult> cells, decimal monthlyRequests, IReadOnlyList<ModelMix> mixes)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(mixes);
        return [.. mixes.Where(Routes).Select(mix => new RoutingPlan(mix, monthlyRequests, [.. mix.Shares.Select(share => Line(cells, share, monthlyRequests * share.Fraction))]))];
    }

    private static RoutingLine Line(IReadOnlyList<CellResult> cells, MixShare share, decimal requests)
    {
        var own = cells.Where(c => c.Summary.Model == share.Model && c.Summary.Policy is null && share.MatchesTarget(c.Summary.Target));
        var cell = share.Mode is null
            ? own.FirstOrDefault(c => c.Cost.Tier == PriceTier.Standard)
            : own.FirstOrDefault(c => Names.Of(c.Summary.Mode) == share.Mode);
        var synchronous = share.Tier == PriceTier.Batch
            ? own.Where(c => c.Cost.Tier == PriceTier.Standard && c.CostUsdPer1kRequests is not null).OrderBy(c => c.CostUsdPer1kRequests).ThenBy(c => c.Summary.Mode == Mode.NonStreaming ? 0 : 1).FirstOrDefault()
            : cell;
        var cost = cell is null ? null : Price(cell, requests);
        var unpriced = cell is null
            ? $"{share.Model} · {share.Mode ?? "synchronous"}{(share.Target is null ? "" : " at " + share.Target)} was not measured in this run"
            : cost is null ? cell.Unpriced ?? "not priced" : null;
        return new RoutingLine(share, requests, cell, cost, synchronous, synchronous is null ? null : Price(synchronous, requests), unpriced);
    }

    private static Budget? Price(CellResult cell, decimal requests) =>
        Projection.Volume(cell, requests) is { } volume
            ? MonthlyProjection.Price(volume, cell.Price!, cell.Cost.Tier, requestedModel: cell.Summary.Model)
            : null;
}
