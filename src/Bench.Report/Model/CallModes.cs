using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;

namespace Bench.Report.Model;

/// <summary>One way of calling a model, as the three-modes table shows it: the cell and its monthly budget.</summary>
/// <param name="Cell">The measured cell.</param>
/// <param name="Monthly">Its budget at the report's monthly volume, or null when unpriced.</param>
public sealed record CallMode(CellResult Cell, Budget? Monthly)
{
    /// <summary>The mode.</summary>
    public Mode Mode => Cell.Summary.Mode;

    /// <summary>The wait this mode is judged on: TTFT when streaming, E2E (the whole answer) when not; null for
    /// batch-api, whose wait is its batches' turnaround (<see cref="CellResult.Batch"/>).</summary>
    public MetricStats? Wait => Metric.HasRequestLatency(Mode) ? Cell.Summary.Get(Metric.JudgedAs(Metric.Ttft, Mode)) : null;
}

/// <summary>
/// One model measured in batch-api and at least one synchronous mode: its three ways to call side by side (time to
/// first token, full answer, turnaround; success; cost per 1,000 requests at each mode's prices; monthly projection)
/// and the saving of batch against the cheaper synchronous mode. Computed once; the document only words it.
/// </summary>
/// <param name="Model">Model id.</param>
/// <param name="Modes">Its cells, streaming, non-streaming, batch-api (those measured; no resilience policy, or the
/// first policy when every cell had one).</param>
public sealed record CallModes(string Model, IReadOnlyList<CallMode> Modes)
{
    /// <summary>The batch-api cell.</summary>
    public CallMode Batch => Modes.Single(m => m.Mode == Mode.BatchApi);

    /// <summary>The priced synchronous mode with the lower cost per successful answer (non-streaming on a tie), or null.</summary>
    public CallMode? CheaperSynchronous => Modes
        .Where(m => m.Mode != Mode.BatchApi && m.Cell.CostUsdPerSuccess is not null)
        .OrderBy(m => m.Cell.CostUsdPerSuccess).ThenBy(m => m.Mode == Mode.NonStreaming ? 0 : 1)
        .FirstOrDefault();

    /// <summary>Cheaper synchronous − batch cost per successful answer, USD; null when either is unpriced or had no
    /// success. Per successful answer, not per request: failed lines a provider does not bill (expired, rejected) would
    /// otherwise make a batch with failures look cheaper than its prices are.</summary>
    public decimal? SavingPerSuccessUsd => Batch.Cell.CostUsdPerSuccess is { } batch && CheaperSynchronous?.Cell.CostUsdPerSuccess is { } sync ? sync - batch : null;

    /// <summary><see cref="SavingPerSuccessUsd"/> / the synchronous cost per successful answer × 100; null when unknown
    /// or the synchronous mode cost nothing.</summary>
    public decimal? SavingPercent => SavingPerSuccessUsd is { } saving && CheaperSynchronous!.Cell.CostUsdPerSuccess is { } sync && sync > 0 ? saving / sync * 100m : null;

    /// <summary>The saving at the monthly volume, USD per month; null when either budget is unknown.</summary>
    public decimal? SavingMonthlyUsd => Batch.Monthly is { } batch && CheaperSynchronous?.Monthly is { } sync ? sync.TotalCostUsd - batch.TotalCostUsd : null;

    /// <summary>One entry per model with a batch-api cell and a synchronous one, in run order; empty for a run without
    /// batch-api cells (its report reads as before).</summary>
    public static IReadOnlyList<CallModes> For(IReadOnlyList<CellResult> cells, Projection projection)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(projection);
        var list = new List<CallModes>();
        // Within one target: a model's batch-api cell is compared with the same target's synchronous cells.
        foreach (var (target, model) in cells.Where(c => c.Summary.Mode == Mode.BatchApi).Select(c => (c.Summary.Target, c.Summary.Model)).Distinct())
        {
            var own = cells.Where(c => c.Summary.Target == target).ToList();
            var policy = ModeComparison.PolicyCompared(own.Where(c => c.Summary.Model == model && c.Summary.Mode != Mode.BatchApi).Select(c => c.Summary.Policy));
            var modes = new List<CallMode>();
            foreach (var mode in new[] { Mode.Streaming, Mode.NonStreaming, Mode.BatchApi })
            {
                var cell = own.FirstOrDefault(c => c.Summary.Model == model && c.Summary.Mode == mode && (mode == Mode.BatchApi || c.Summary.Policy == policy));
                if (cell is not null)
                {
                    modes.Add(new CallMode(cell, projection.Cells.FirstOrDefault(x => ReferenceEquals(x.Cell, cell)).Budget));
                }
            }

            if (modes.Count > 1)
            {
                list.Add(new CallModes(model, modes));
            }
        }

        return list;
    }
}
