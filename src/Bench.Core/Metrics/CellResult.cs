using Bench.Core.Pricing;

namespace Bench.Core.Metrics;

/// <summary>
/// One cell (model × mode) as the catalogue reads it: its statistics and its cost. Every cell-level figure in
/// <see cref="MetricCatalog"/> is read from one of these.
/// </summary>
public sealed class CellResult
{
    /// <summary>Pairs a summary with its cost.</summary>
    public CellResult(CellSummary summary, CellCost cost)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(cost);
        Summary = summary;
        Cost = cost;
    }

    /// <summary>The cell's statistics.</summary>
    public CellSummary Summary { get; }

    /// <summary>The cell's cost.</summary>
    public CellCost Cost { get; }

    /// <summary>A <c>batch-api</c> cell's batch figures (turnaround, queue, polls), or null for the other modes and
    /// when no batch record was found.</summary>
    public BatchSummary? Batch { get; init; }

    /// <summary>The price used, or null when the model is not in the catalogue.</summary>
    public ModelPrice? Price => Cost.Price;

    /// <summary>Why there is no price (unknown model), or null.</summary>
    public string? Unpriced => Cost.Unpriced;

    /// <summary><c>cost_usd</c> (see <see cref="CellCost.CostUsd"/>).</summary>
    public decimal? CostUsd => Cost.CostUsd;

    /// <summary><c>cost_usd_per_1k_requests</c> (see <see cref="CellCost.CostUsdPer1kRequests"/>).</summary>
    public decimal? CostUsdPer1kRequests => Cost.CostUsdPer1kRequests;

    /// <summary><c>cost_usd_per_success</c> (see <see cref="CellCost.CostUsdPerSuccess"/>).</summary>
    public decimal? CostUsdPerSuccess => Cost.CostUsdPerSuccess;

    /// <summary>Prices <paramref name="summary"/> with <paramref name="prices"/> (a <c>batch-api</c> cell at batch
    /// prices) and joins a batch-api cell to its batch jobs among <paramref name="batches"/> by model.</summary>
    /// <param name="summary">The cell.</param>
    /// <param name="prices">The run's catalogue.</param>
    /// <param name="batches">The run's batch jobs, or null.</param>
    /// <param name="targets">Each target's billing and price file by target name (<see cref="TargetPricing.ForTargets"/>),
    /// or null: every cell at USD list price.</param>
    public static CellResult Create(CellSummary summary, PriceCatalog prices, IEnumerable<Batches.BatchRecord>? batches = null,
        IReadOnlyDictionary<string, TargetPricing>? targets = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new(summary, CellCost.Of(summary, prices, targets)) { Batch = BatchSummary.For(summary.Model, summary.Mode, batches) };
    }
}
