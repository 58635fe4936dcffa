using BenchmarkDotNet.Attributes;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Micro.Records;

namespace Bench.Micro.Metrics;

/// <summary>
/// Recording latencies as a run does: one sample into a <see cref="LatencyHistogram"/> (HdrHistogram, µs, 3 significant
/// digits, plus sum, min and max), per sample; and one streaming record (<see cref="TypicalRecords"/>, 100 token events)
/// folded into a <see cref="CellAggregator"/> (every latency histogram, ITL from the token-event times, counters), per
/// record. Both fold into objects made once in <see cref="Setup"/>, the steady state of a long run.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class HistogramBenchmarks
{
    /// <summary>Samples per <see cref="HistogramRecord"/> invocation.</summary>
    private const int Samples = 4096;

    /// <summary>Records per <see cref="CellAggregatorAdd"/> invocation.</summary>
    private const int Records = 256;

    private readonly double[] _samplesMs = new double[Samples];
    private RequestRecord[] _records = [];
    private LatencyHistogram _histogram = null!;
    private CellAggregator _cell = null!;

    /// <summary>Draws the samples (seeded: 0.1 ms to 10 s, log-uniform) and the records; makes the histogram and the
    /// cell.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(17);
        for (var i = 0; i < Samples; i++)
        {
            _samplesMs[i] = Math.Pow(10, -1 + (5 * random.NextDouble()));
        }

        _records = TypicalRecords.Create(Records);
        _histogram = new LatencyHistogram();
        _cell = new CellAggregator(TypicalRecords.Model, Mode.Streaming);
    }

    /// <summary><see cref="LatencyHistogram.Record"/>, per sample.</summary>
    [Benchmark(OperationsPerInvoke = Samples)]
    public long HistogramRecord()
    {
        foreach (var sample in _samplesMs)
        {
            _histogram.Record(sample);
        }

        return _histogram.Count;
    }

    /// <summary><see cref="CellAggregator.Add"/> of a streaming record with 100 token events, per record.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public CellAggregator CellAggregatorAdd()
    {
        foreach (var record in _records)
        {
            _cell.Add(record);
        }

        return _cell;
    }
}
