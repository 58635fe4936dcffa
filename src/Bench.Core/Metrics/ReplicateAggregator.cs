using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;

namespace Bench.Core.Metrics;

/// <summary>
/// Aggregates a run's records twice over: once for the whole run (<see cref="Combined"/>, every replicate together —
/// what a run without replicates reports) and once per replicate (<see cref="RequestRecord.Replicate"/>, 1..N, from
/// <c>bench run --repeat N</c>), each through its own <see cref="RunAggregator"/>, the one path by which summaries are
/// made. Records without a replicate (a run without <c>--repeat</c>) go only to <see cref="Combined"/>.
/// </summary>
public sealed class ReplicateAggregator
{
    private readonly SortedDictionary<int, RunAggregator> _replicates = [];
    private readonly IReadOnlyList<SloSet> _slos;

    /// <summary>Creates an aggregator judging every cell against <paramref name="slos"/> (may be empty).</summary>
    public ReplicateAggregator(IReadOnlyList<SloSet>? slos = null)
    {
        _slos = slos ?? [];
        Combined = new RunAggregator(_slos);
    }

    /// <summary>Every record of the run, replicates together.</summary>
    public RunAggregator Combined { get; }

    /// <summary>One aggregator per replicate, in replicate order (1, 2, …); empty for a run without replicates.</summary>
    public IReadOnlyList<(int Replicate, RunAggregator Aggregator)> Replicates => [.. _replicates.Select(kv => (kv.Key, kv.Value))];

    /// <summary>Adds one record to <see cref="Combined"/> and, when it has one, to its replicate's aggregator.</summary>
    public void Add(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Combined.Add(record);
        if (record.Replicate is { } replicate)
        {
            if (!_replicates.TryGetValue(replicate, out var aggregator))
            {
                aggregator = new RunAggregator(_slos);
                _replicates.Add(replicate, aggregator);
            }

            aggregator.Add(record);
        }
    }

    /// <summary>Aggregates a <c>records.jsonl</c> file, streaming it.</summary>
    public static (ReplicateAggregator Aggregator, RecordsReadResult Read) FromFile(string recordsPath, IReadOnlyList<SloSet>? slos = null)
    {
        var aggregator = new ReplicateAggregator(slos);
        var read = RecordsReader.Read(recordsPath, aggregator.Add);
        return (aggregator, read);
    }
}
