using Bench.Core.Batches;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Statistics;

namespace Bench.Report.Model;

/// <summary>
/// A run with replicates (<c>bench run --repeat N</c>) seen replicate by replicate: every cell's summary in each
/// replicate (the rows of <c>replicates.csv</c>) and, per cell, the replicate-level statistics of every
/// threshold-eligible catalogue figure (<see cref="SampleSummary"/>: n, mean, sd, min, median, max, the 95 % t
/// interval of the mean, the coefficient of variation) — the run-level samples <c>bench compare</c> tests, because
/// requests within one run are correlated and replicates are not. Built once from a <see cref="ReplicateAggregator"/>;
/// immutable.
/// </summary>
public sealed class ReplicateReport
{
    private ReplicateReport(int repeat, IReadOnlyList<int> replicates, IReadOnlyList<int>? complete, IReadOnlyList<ReplicateCell> cells)
    {
        Repeat = repeat;
        Replicates = replicates;
        CompleteReplicates = complete;
        Cells = cells;
    }

    /// <summary>Replicates the plan asked for (run.json's <c>repeat</c>; else the highest replicate found).</summary>
    public int Repeat { get; }

    /// <summary>The replicates with records, in order.</summary>
    public IReadOnlyList<int> Replicates { get; }

    /// <summary>For an interrupted run: the replicates whose every cell ran to its end (run.json's
    /// <c>complete_replicates</c>); null when the run ended normally (every replicate is complete).</summary>
    public IReadOnlyList<int>? CompleteReplicates { get; }

    /// <summary>Per cell, in the report's cell order.</summary>
    public IReadOnlyList<ReplicateCell> Cells { get; }

    /// <summary>The figures described per cell: every threshold-eligible fixed figure, then those of the run's SLO sets.</summary>
    public static IReadOnlyList<MetricDefinition> Figures(IReadOnlyList<string> sloNames)
    {
        ArgumentNullException.ThrowIfNull(sloNames);
        return [.. MetricCatalog.All.Concat(sloNames.SelectMany(n => MetricCatalog.SloTemplates.Select(t => t.For(n)))).Where(m => m.ThresholdEligible && !m.IsIntervalBound)];
    }

    /// <summary>The replicate view of a run, or null for a run without replicates (no record carries one).</summary>
    /// <param name="aggregator">The run's records, aggregated per replicate.</param>
    /// <param name="combined">The report's cells (every replicate together): the cell order.</param>
    /// <param name="prices">Prices, as for the combined cells.</param>
    /// <param name="batches">The run's batch jobs, joined by model as for the combined cells.</param>
    /// <param name="run">run.json (<c>repeat</c>, <c>complete_replicates</c>).</param>
    /// <param name="sloNames">The run's SLO sets, whose figures are described too.</param>
    /// <param name="billing">Each target's billing, as for the combined cells (<see cref="RunReport.TargetBillingOf"/>).</param>
    public static ReplicateReport? Build(ReplicateAggregator aggregator, IReadOnlyList<CellResult> combined, PriceCatalog prices,
        IReadOnlyList<BatchRecord>? batches, RunInfo run, IReadOnlyList<string> sloNames, IReadOnlyDictionary<string, TargetPricing>? billing = null)
    {
        ArgumentNullException.ThrowIfNull(aggregator);
        ArgumentNullException.ThrowIfNull(combined);
        ArgumentNullException.ThrowIfNull(run);
        if (aggregator.Replicates.Count == 0)
        {
            return null;
        }

        var perReplicate = aggregator.Replicates
            .Select(r => (r.Replicate, Cells: r.Aggregator.Summarize().Select(s => CellResult.Create(s, prices, batches, billing)).ToList()))
            .ToList();
        var figures = Figures(sloNames);
        var cells = combined.Select(cell =>
        {
            var key = Key(cell.Summary);
            List<(int Replicate, CellResult Result)> rows = [.. perReplicate
                .SelectMany(r => r.Cells.Where(c => Key(c.Summary) == key).Select(c => (r.Replicate, c)))];
            List<ReplicateFigure> stats = [.. figures
                .Select(f => (f, SampleSummary.Of(rows.Select(r => f.Value(r.Result)).OfType<double>())))
                .Where(x => x.Item2 is not null)
                .Select(x => new ReplicateFigure(x.f, x.Item2!))];
            return new ReplicateCell(cell, rows, stats);
        }).Where(c => c.Replicates.Count > 0).ToList();
        return new ReplicateReport(run.Repeat ?? perReplicate[^1].Replicate, [.. perReplicate.Select(r => r.Replicate)],
            run.Interrupted is null ? null : run.CompleteReplicates ?? [], cells);
    }

    private static CellKey Key(CellSummary s) => s.Key;
}

/// <summary>One cell across replicates.</summary>
/// <param name="Combined">The cell with every replicate together (what summary.csv shows).</param>
/// <param name="Replicates">The cell in each replicate that has records of it, in replicate order.</param>
/// <param name="Figures">The replicate-level statistics of each threshold-eligible figure with a value in some
/// replicate, in catalogue order.</param>
public sealed record ReplicateCell(CellResult Combined, IReadOnlyList<(int Replicate, CellResult Result)> Replicates, IReadOnlyList<ReplicateFigure> Figures)
{
    /// <summary>The statistics of the figure with catalogue id <paramref name="id"/>, or null when it has none.</summary>
    public ReplicateFigure? Figure(string id) => Figures.FirstOrDefault(f => f.Metric.Id == id);
}

/// <summary>A figure's replicate-level statistics.</summary>
/// <param name="Metric">The catalogue figure.</param>
/// <param name="Statistics">Its per-replicate values described.</param>
public sealed record ReplicateFigure(MetricDefinition Metric, SampleSummary Statistics);
