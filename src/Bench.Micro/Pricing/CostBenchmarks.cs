using BenchmarkDotNet.Attributes;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Micro.Records;

namespace Bench.Micro.Pricing;

/// <summary>
/// The cost model as the report runs it: <see cref="CostModel.RequestCostUsd(RequestRecord, ModelPrice, bool)"/> per
/// record (what a record costs, decimal USD), and <see cref="CellCost.Of"/> per cell (the cell's billed tokens priced,
/// retries, cache saving, the 95 % intervals of cost per 1k requests and per success) on the summary of 256
/// <see cref="TypicalRecords"/>, priced from <see cref="PriceCatalog.BuiltIn"/>.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class CostBenchmarks
{
    /// <summary>Records per <see cref="RecordCost"/> invocation.</summary>
    private const int Records = 256;

    private RequestRecord[] _records = [];
    private ModelPrice _price = null!;
    private CellSummary _cell = null!;

    /// <summary>Draws the records, looks the price up and summarises the cell.</summary>
    /// <exception cref="InvalidOperationException">The model is not in the built-in catalogue or a record is unpriced.</exception>
    [GlobalSetup]
    public void Setup()
    {
        _records = TypicalRecords.Create(Records);
        if (!PriceCatalog.BuiltIn.TryGet(TypicalRecords.Model, out var price))
        {
            throw new InvalidOperationException($"{TypicalRecords.Model} is not in the built-in catalogue.");
        }

        _price = price;
        var aggregator = new CellAggregator(TypicalRecords.Model, Mode.Streaming);
        foreach (var record in _records)
        {
            aggregator.Add(record);
        }

        _cell = aggregator.Summarize();
        if (RecordCost() <= 0 || CellCostOf().CostUsd is not > 0)
        {
            throw new InvalidOperationException("The typical records are unpriced.");
        }
    }

    /// <summary><see cref="CostModel.RequestCostUsd(RequestRecord, ModelPrice, bool)"/>, per record.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public decimal RecordCost()
    {
        var total = 0m;
        foreach (var record in _records)
        {
            total += CostModel.RequestCostUsd(record, _price) ?? 0m;
        }

        return total;
    }

    /// <summary><see cref="CellCost.Of"/>, per cell.</summary>
    [Benchmark]
    public CellCost CellCostOf() => CellCost.Of(_cell, PriceCatalog.BuiltIn);
}
