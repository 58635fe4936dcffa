using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;

namespace Bench.Core.Metrics;

/// <summary>
/// Routes records to one <see cref="CellAggregator"/> per target × model × mode × resilience policy (<see cref="CellKey"/>;
/// records without a target group as one unnamed target), in order of first appearance
/// (a batch-api cell beside its model's other cells). The one path by which summaries are made, whether from a live run
/// or from <c>records.jsonl</c> alone.
/// </summary>
public sealed class RunAggregator
{
    private readonly Dictionary<CellKey, CellAggregator> _cells = [];
    private readonly List<CellAggregator> _order = [];
    private readonly IReadOnlyList<SloSet> _slos;

    /// <summary>Creates an aggregator judging every cell against <paramref name="slos"/> (may be empty).</summary>
    public RunAggregator(IReadOnlyList<SloSet>? slos = null) => _slos = slos ?? [];

    /// <summary>Warm-up records seen (recorded, excluded from statistics).</summary>
    public long WarmupRecords { get; private set; }

    /// <summary>Cells in order of first appearance, a batch-api cell right after its model's last other cell
    /// at the same target.</summary>
    public IReadOnlyList<CellAggregator> Cells => _order;

    /// <summary>Adds one record.</summary>
    public void Add(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Phase != Phases.Measure)
        {
            // Warm-up is counted for the report; sweep probes are summarised by SweepAggregator.
            WarmupRecords += record.Phase == Phases.Warmup ? 1 : 0;
            return;
        }

        var key = CellKey.Of(record);
        if (!_cells.TryGetValue(key, out var cell))
        {
            cell = new CellAggregator(record.Model, record.Mode, _slos, policy: record.Policy, target: record.Target);
            _cells.Add(key, cell);
            // A batch-api cell's lines are written after every synchronous cell, yet the cell belongs beside its model's
            // synchronous cells: after that model's last cell at the same target. Every other cell keeps its order of first
            // appearance.
            var last = record.Mode == Mode.BatchApi ? _order.FindLastIndex(c => c.Model == record.Model && c.Target == record.Target) : -1;
            _order.Insert(last < 0 ? _order.Count : last + 1, cell);
        }

        cell.Add(record);
    }

    /// <summary>Summaries of every cell, in the order of <see cref="Cells"/>.</summary>
    public IReadOnlyList<CellSummary> Summarize() => _order.ConvertAll(c => c.Summarize());

    /// <summary>Aggregates a <c>records.jsonl</c> file, streaming it.</summary>
    public static (RunAggregator Aggregator, RecordsReadResult Read) FromFile(string recordsPath, IReadOnlyList<SloSet>? slos = null)
    {
        var aggregator = new RunAggregator(slos);
        var read = RecordsReader.Read(recordsPath, aggregator.Add);
        return (aggregator, read);
    }
}
