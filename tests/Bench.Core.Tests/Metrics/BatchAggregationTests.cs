using Bench.Core.Batches;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Metrics;

/// <summary>Batch-api lines in the numbers: counted, billed and priced like any record, in no latency distribution
/// (<see cref="Metric.HasRequestLatency"/>), their cell's latency its batches' turnaround.</summary>
public class BatchAggregationTests
{
    /// <summary>A line as the batch client records it: sent = the batch's submission, end = its download, no token
    /// times.</summary>
    private static RequestRecord Line(long id, Outcome outcome = Outcome.Success, int prompt = 100, int completion = 170) => new()
    {
        Id = id, Model = "gpt-4.1", Mode = Mode.BatchApi, CustomId = $"bench-{id}", BatchId = "batch_1", SentMs = 1_000, EndMs = 3_601_000,
        HttpStatus = outcome == Outcome.Success ? 200 : null, Outcome = outcome,
        PromptTokens = outcome == Outcome.Success ? prompt : null, CompletionTokens = outcome == Outcome.Success ? completion : null,
        TokensSource = outcome == Outcome.Success ? TokenSources.Usage : TokenSources.None,
    };

    [Fact]
    public void Summarize_BatchLines_CountedAndBilled_InNoLatencyDistribution()
    {
        var cell = new CellAggregator("gpt-4.1", Mode.BatchApi);
        for (var i = 0; i < 10; i++)
        {
            cell.Add(Line(i, i < 8 ? Outcome.Success : Outcome.Expired));
        }

        var s = cell.Summarize();

        Assert.Equal(10, s.Requests);
        Assert.Equal(8, s.Successes);
        Assert.Equal(0.8, s.SuccessRate);
        Assert.Equal(2, s.Outcomes[Outcome.Expired]);
        Assert.Equal(new TokenCounts(800, 0, 1360), s.BilledTokens);
        Assert.Equal(100, s.PromptTokensMean);
        Assert.Empty(s.Latency);
        Assert.All(Metric.Latencies, m => Assert.Null(s.Get(m)));
        Assert.Null(s.DecodeTpsMean);
        Assert.Contains(s.FailureGroups, g => g.Outcome == Outcome.Expired && g.Count == 2);
    }

    [Fact]
    public void PerRequest_BatchLine_EveryLatencyNull_AndTheSameFiguresForASynchronousRecord()
    {
        var line = Line(1);
        var synchronous = Line(2);
        synchronous.Mode = Mode.NonStreaming;

        Assert.All(Metric.Latencies.Where(m => m.PerRequest is not null), m => Assert.Null(m.PerRequest!(line)));
        Assert.Equal(3_600_000, Metric.E2e.PerRequest!(synchronous));
        Assert.Null(Metric.SloValue(line, Metric.E2e));
        Assert.False(Metric.HasRequestLatency(Mode.BatchApi));
        Assert.True(Metric.HasRequestLatency(Mode.Streaming) && Metric.HasRequestLatency(Mode.NonStreaming));
    }

    [Fact]
    public void Slo_LatencyLimit_BatchLineNeverGood_CellNotMet_WithTheReason()
    {
        var latency = new SloSet { Name = "fast", MaxMs = new Dictionary<string, double> { ["e2e_ms"] = 900 } };
        var successOnly = new SloSet { Name = "reliable", MinSuccessRate = 0.5 };
        var cell = new CellAggregator("gpt-4.1", Mode.BatchApi, [latency, successOnly]);
        cell.Add(Line(1));
        cell.Add(Line(2));

        var s = cell.Summarize();

        Assert.False(SloEvaluator.IsGood(Line(3), latency));
        Assert.True(SloEvaluator.IsGood(Line(3), successOnly));
        Assert.False(s.Slos[0].Met);
        Assert.Contains("no latency of its own", s.Slos[0].Why);
        Assert.True(s.Slos[1].Met);
    }

    [Fact]
    public void BatchSummary_OneBatch_ItsTurnaround_QueueRate_Simulated()
    {
        var batch = Batch("gpt-4.1", turnaroundS: 1080, timeScale: 600);

        var summary = BatchSummary.For("gpt-4.1", Mode.BatchApi, [batch, Batch("other", 5)])!;

        Assert.Equal(1, summary.Count);
        Assert.Equal(1080, summary.TurnaroundSP50);
        Assert.Equal(1080, summary.TurnaroundSP95);
        Assert.Equal(1080, summary.TurnaroundSMax);
        Assert.Equal(60, summary.QueueS);
        Assert.Equal(64.0 / 1000, summary.LinesPerS!.Value, 9);
        Assert.Equal(1.8, summary.ObservedTurnaroundS!.Value, 9);
        Assert.True(summary.Simulated);
        Assert.Equal(600, summary.TimeScale);
        Assert.Null(BatchSummary.For("gpt-4.1", Mode.NonStreaming, [batch]));
        Assert.Null(BatchSummary.For("gpt-4.1", Mode.BatchApi, null));
    }

    [Fact]
    public void BatchSummary_SeveralBatches_NearestRankPercentiles_UnfinishedLeftOut()
    {
        var unfinished = Batch("m", 100, timeScale: 1);
        unfinished.CompletedAt = null;
        unfinished.Status = BatchStatuses.InProgress;
        BatchRecord[] batches = [Batch("m", 300, timeScale: 1), Batch("m", 100, timeScale: 1), Batch("m", 7200, timeScale: 1), Batch("m", 200, timeScale: 1), unfinished];

        var summary = BatchSummary.For("m", Mode.BatchApi, batches)!;

        Assert.Equal(5, summary.Count);
        Assert.Equal(4, summary.Ended);
        Assert.Equal(200, summary.TurnaroundSP50);
        Assert.Equal(7200, summary.TurnaroundSP95);
        Assert.Equal(7200, summary.TurnaroundSMax);
        Assert.False(summary.Simulated);
        Assert.Equal(35, summary.Polls);
    }

    [Fact]
    public void CellCost_BatchCell_AtBatchPrices_ToTheCent_CheckedByHand()
    {
        var cell = new CellAggregator("gpt-4.1", Mode.BatchApi);
        for (var i = 0; i < 64; i++)
        {
            cell.Add(Line(i));
        }

        var cost = CellCost.Of(cell.Summarize(), PriceCatalog.BuiltIn);

        // 64 × 100 prompt tokens × 1.00 USD/1M + 64 × 170 completion tokens × 4.00 USD/1M
        // = 0.0064 + 0.04352 = 0.04992 USD; per 1,000 requests 0.04992 / 64 × 1,000 = 0.78 USD.
        Assert.Equal(PriceTier.Batch, cost.Tier);
        Assert.Equal(0.04992m, cost.CostUsd);
        Assert.Equal(0.78m, cost.CostUsdPer1kRequests);
        Assert.Equal(0.00078m, cost.CostUsdPerSuccess);

        // The same lines synchronously, at standard prices (2.00/8.00): exactly twice as much.
        var synchronous = new CellAggregator("gpt-4.1", Mode.NonStreaming);
        for (var i = 0; i < 64; i++)
        {
            var r = Line(i);
            r.Mode = Mode.NonStreaming;
            synchronous.Add(r);
        }

        Assert.Equal(1.56m, CellCost.Of(synchronous.Summarize(), PriceCatalog.BuiltIn).CostUsdPer1kRequests);
    }

    [Fact]
    public void CellCost_BatchCell_ModelWithoutBatchPrices_Unpriced_NeverAtStandardPrices()
    {
        var cell = new CellAggregator("claude-sonnet-4.5", Mode.BatchApi);
        var line = Line(1);
        line.Model = "claude-sonnet-4.5";
        cell.Add(line);

        var cost = CellCost.Of(cell.Summarize(), PriceCatalog.BuiltIn);

        Assert.Null(cost.CostUsd);
        Assert.Null(cost.CostUsdPer1kRequests);
        Assert.Null(cost.Price);
        Assert.Equal(PriceTier.Batch, cost.Tier);
        Assert.StartsWith("no Batch API price for claude-sonnet-4.5 in the catalogue (", cost.Unpriced);
        Assert.EndsWith("): not priced in batch, never guessed", cost.Unpriced);
    }

    [Fact]
    public void RunAggregator_BatchAndSynchronousCells_Separate()
    {
        var run = new RunAggregator();
        run.Add(Line(1));
        var synchronous = Line(2);
        synchronous.Mode = Mode.Streaming;
        run.Add(synchronous);

        Assert.Equal([Mode.BatchApi, Mode.Streaming], run.Summarize().Select(s => s.Mode));
    }

    [Fact]
    public void RunAggregator_BatchLinesWrittenLast_CellBesideItsModelsOtherCells_OthersInOrderOfAppearance()
    {
        var run = new RunAggregator();
        foreach (var (model, mode) in new[] { ("b", Mode.Streaming), ("a", Mode.Streaming), ("a", Mode.NonStreaming), ("b", Mode.NonStreaming), ("b", Mode.BatchApi), ("a", Mode.BatchApi), ("c", Mode.BatchApi) })
        {
            var record = Line(1);
            (record.Model, record.Mode) = (model, mode);
            run.Add(record);
        }

        Assert.Equal(["b streaming", "a streaming", "a non-streaming", "a batch-api", "b non-streaming", "b batch-api", "c batch-api"],
            run.Summarize().Select(s => $"{s.Model} {Names.Of(s.Mode)}"));
    }

    internal static BatchRecord Batch(string model, double turnaroundS, double timeScale = 600)
    {
        const long created = 1_767_225_600;
        return new BatchRecord
        {
            Model = model, BatchId = $"batch_{model}_{turnaroundS}", Status = BatchStatuses.Completed, Lines = 64,
            RequestCounts = new BatchRequestCounts { Total = 64, Completed = 60, Failed = 4 },
            SubmittedMs = 1_000, ObservedEndMs = 1_000 + (turnaroundS / timeScale * 1000),
            CreatedAt = created, InProgressAt = created + 60, FinalizingAt = created + 1060, CompletedAt = created + (long)turnaroundS,
            Polls = 7, TimeScale = timeScale,
        };
    }
}
