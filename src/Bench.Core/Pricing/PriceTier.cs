namespace Bench.Core.Pricing;

/// <summary>Which of a model's price lists applies (ARCHITECTURE.md, "Modes").</summary>
public enum PriceTier
{
    /// <summary>Synchronous calls, <c>non-streaming</c> or <c>streaming</c>: the same (standard) prices.</summary>
    Standard,

    /// <summary>The asynchronous OpenAI Batch API (<c>batch-api</c>): the model's batch prices.</summary>
    Batch,
}

/// <summary>What to do when Batch API prices are asked for a model that has none.</summary>
public enum BatchPriceFallback
{
    /// <summary>Refuse: throw <see cref="MissingBatchPriceException"/>. The default.</summary>
    Fail,

    /// <summary>Use the standard prices, and flag the result (<see cref="CostBreakdown.StandardPricesUsedForBatch"/>
    /// and a note) so that the report says so.</summary>
    UseStandardPrices,
}
