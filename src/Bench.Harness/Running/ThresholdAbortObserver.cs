using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Core.Thresholds;
using Bench.Load.Running;

namespace Bench.Harness.Running;

/// <summary>
/// k6's <c>abortOnFail</c> for Bench's cells: keeps a <see cref="RunAggregator"/> of the records of the cell that is
/// running and, as it finishes, judges the thresholds marked <c>abort_on_fail</c> on it (priced with
/// <see cref="CellResult.Create"/>, as the report will); when one fails (or has no data) it cancels the run, so no later
/// cell starts. Everything else passes through to the inner observer.
/// </summary>
internal sealed class ThresholdAbortObserver(ILoadObserver inner, IReadOnlyList<Threshold> thresholds, IReadOnlyList<SloSet> slos, PriceCatalog prices,
    CancellationTokenSource stop) : ILoadObserver
{
    private readonly Lock _gate = new();
    private RunAggregator _cell = new(slos);

    /// <summary>The first failing result that stopped the run, or null.</summary>
    public ThresholdResult? Failure { get; private set; }

    /// <summary>The observer to give the runner: this one when some threshold aborts, else <paramref name="inner"/>.</summary>
    public static ILoadObserver Wrap(ILoadObserver inner, IReadOnlyList<Threshold> thresholds, IReadOnlyList<SloSet> slos, PriceCatalog prices,
        CancellationTokenSource stop, out ThresholdAbortObserver? observer)
    {
        var aborting = thresholds.Where(t => t.AbortOnFail).ToList();
        observer = aborting.Count == 0 ? null : new ThresholdAbortObserver(inner, aborting, slos, prices, stop);
        return (ILoadObserver?)observer ?? inner;
    }

    /// <inheritdoc />
    public void CellStarted(Cell cell)
    {
        lock (_gate)
        {
            _cell = new RunAggregator(slos);
        }

        inner.CellStarted(cell);
    }

    /// <inheritdoc />
    public void RequestCompleted(Cell cell, RequestRecord record)
    {
        lock (_gate)
        {
            _cell.Add(record);
        }

        inner.RequestCompleted(cell, record);
    }

    /// <inheritdoc />
    public void CellFinished(Cell cell)
    {
        IReadOnlyList<CellSummary> summaries;
        lock (_gate)
        {
            summaries = _cell.Summarize();
        }

        foreach (var summary in summaries)
        {
            var result = CellResult.Create(summary, prices);
            var failed = thresholds.Select(t => ThresholdEvaluator.EvaluateCell(t, result)).FirstOrDefault(r => r is { Passed: false });
            if (failed is not null && Failure is null)
            {
                Failure = failed;
                stop.Cancel();
            }
        }

        inner.CellFinished(cell);
    }
}
