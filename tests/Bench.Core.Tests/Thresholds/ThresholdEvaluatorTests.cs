using Bench.Core.Metrics;
using Bench.Core.Planning;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Thresholds;

namespace Bench.Core.Tests.Thresholds;

public class ThresholdEvaluatorTests
{
    private static readonly PriceCatalog Prices = PriceCatalog.Create("test", [new ModelPrice("m", 1m, null, 3m, null, null, "test source")]);

    /// <summary>A successful streaming request: first token at <paramref name="ttft"/>, end at <paramref name="e2e"/>.</summary>
    private static RequestRecord Streamed(double ttft, double e2e, string model = "m", double? intended = null) => new()
    {
        Model = model, Mode = Mode.Streaming, SentMs = 100, IntendedMs = intended, FirstByteMs = 100 + ttft - 1, FirstTokenMs = 100 + ttft, FirstOutputTokenMs = 100 + ttft,
        LastTokenMs = 100 + e2e - 1, EndMs = 100 + e2e, TokenEventsMs = [100 + ttft, 100 + e2e - 1], Outcome = Outcome.Success, PromptTokens = 10, CompletionTokens = 5,
    };

    private static RequestRecord Whole(double e2e, Mode mode = Mode.NonStreaming, Outcome outcome = Outcome.Success, string model = "m") => new()
    {
        Model = model, Mode = mode, SentMs = 100, FirstByteMs = 100 + e2e - 5, EndMs = 100 + e2e, Outcome = outcome,
        PromptTokens = outcome == Outcome.Success ? 10 : null, CompletionTokens = outcome == Outcome.Success ? 5 : null,
    };

    private static CellResult Cell(string model, Mode mode, params RequestRecord[] records)
    {
        var aggregator = new CellAggregator(model, mode);
        foreach (var record in records)
        {
            aggregator.Add(record);
        }

        return CellResult.Create(aggregator.Summarize(), Prices);
    }

    private static Threshold T(string text, params string[] cells) => new ThresholdSpec { Expression = text, Cells = cells }.ToThreshold();

    [Fact]
    public void Evaluate_StreamingTtft_PassesAndFailsOnTheFigureAsWritten()
    {
        var cell = Cell("m", Mode.Streaming, Streamed(200, 900), Streamed(300, 1000));

        var results = ThresholdEvaluator.Evaluate([T("ttft_ms_max<300"), T("ttft_ms_max<=300"), T("ttft_ms_max==300"), T("ttft_ms_max!=300")], [cell]);

        Assert.Equal([ThresholdStatus.Failed, ThresholdStatus.Passed, ThresholdStatus.Passed, ThresholdStatus.Failed], results.Select(r => r.Status));
        Assert.All(results, r => Assert.Equal(300, r.Value));
        Assert.Equal("300 is not < 300", results[0].Reason);
        Assert.Equal("300 <= 300", results[1].Reason);
        Assert.Equal(new CellKey(null, "m", Mode.Streaming, null), results[0].Cell);
    }

    [Fact]
    public void Evaluate_SuccessRate_ExactBoundary()
    {
        var cell = Cell("m", Mode.NonStreaming, Whole(100), Whole(100), Whole(100), Whole(100, outcome: Outcome.Timeout));

        var results = ThresholdEvaluator.Evaluate([T("success_rate>=0.75"), T("success_rate>0.75"), T("failed_timeout<1")], [cell]);

        Assert.Equal([true, false, false], results.Select(r => r.Passed));
        Assert.Equal(0.75, results[0].Value);
    }

    [Fact]
    public void Evaluate_NonStreamingTtft_IsJudgedOnItsE2e()
    {
        var cell = Cell("m", Mode.NonStreaming, Whole(800), Whole(800));

        var result = Assert.Single(ThresholdEvaluator.Evaluate([T("ttft_ms_max<500")], [cell]));

        Assert.Equal(("ttft_ms_max", "e2e_ms_max", 800.0, ThresholdStatus.Failed), (result.MetricId, result.JudgedAs, result.Value!.Value, result.Status));
        Assert.Contains("first token arrives with its end", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_TpotOfANonStreamingCell_IsNotApplicable_WhileTheStreamingCellIsJudged()
    {
        var streaming = Cell("m", Mode.Streaming, Streamed(200, 900), Streamed(300, 1000));
        var whole = Cell("m", Mode.NonStreaming, Whole(800));

        var results = ThresholdEvaluator.Evaluate([T("tpot_ms_p50<10000")], [streaming, whole]);

        var only = Assert.Single(results);
        Assert.Equal(Mode.Streaming, only.Cell!.Mode);
        Assert.True(only.Passed);
    }

    [Fact]
    public void Evaluate_AThresholdThatAppliesToNoCell_FailsWithoutACell()
    {
        var whole = Cell("m", Mode.NonStreaming, Whole(800));
        var batch = Cell("m", Mode.BatchApi, Whole(800, Mode.BatchApi));

        var results = ThresholdEvaluator.Evaluate([T("tpot_ms_p95<100"), T("ttft_ms_p95{m:batch-api}<100"), T("e2e_ms_p50<1", "other-model")], [whole, batch]);

        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.Equal((ThresholdStatus.NoData, (CellKey?)null), (r.Status, r.Cell)));
        Assert.Equal("no cell has tpot_ms_p95 (tpot_ms exists only for streaming)", results[0].Reason);
        Assert.StartsWith("no cell has ttft_ms_p95 (a batch-api line has no ttft_ms", results[1].Reason, StringComparison.Ordinal);
        Assert.Equal("no cell of the run matches other-model", results[2].Reason);
    }

    [Fact]
    public void Evaluate_ACellWithoutSuccess_HasNoData_AndFails()
    {
        var failing = Cell("m", Mode.Streaming, Whole(100, Mode.Streaming, Outcome.ServerError), Whole(100, Mode.Streaming, Outcome.ServerError));

        var result = Assert.Single(ThresholdEvaluator.Evaluate([T("ttft_ms_p95<500")], [failing]));

        Assert.Equal((ThresholdStatus.NoData, (double?)null, false), (result.Status, result.Value, result.Passed));
        Assert.Equal("no ttft_ms_p95: no successful request", result.Reason);
    }

    [Fact]
    public void Evaluate_CostOfAnUnpricedModel_HasNoData_SayingWhy()
    {
        var unpriced = Cell("mystery", Mode.NonStreaming, Whole(100, model: "mystery"));
        var priced = Cell("m", Mode.NonStreaming, Whole(100));

        var results = ThresholdEvaluator.Evaluate([T("cost_usd_per_1k_requests<1")], [priced, unpriced]);

        // m: (10 × 1 + 5 × 3) USD per 1M tokens per request = 0.000025 USD; × 1000 requests.
        Assert.Equal(0.025, results[0].Value);
        Assert.True(results[0].Passed);
        Assert.Equal(ThresholdStatus.NoData, results[1].Status);
        Assert.StartsWith("no cost_usd_per_1k_requests: unpriced", results[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_QueueOfAClosedCell_IsNotApplicable_AndItsResponseIsE2e()
    {
        var closed = Cell("m", Mode.Streaming, Streamed(200, 900));
        var open = Cell("o", Mode.Streaming, Streamed(200, 900, "o", intended: 90));

        var results = ThresholdEvaluator.Evaluate([T("queue_ms_max<5"), T("response_ms_max<=900")], [closed, open]);

        Assert.Equal(3, results.Count);
        Assert.Equal(("o", "queue_ms_max", 10.0, false), (results[0].Cell!.Model, results[0].JudgedAs, results[0].Value!.Value, results[0].Passed));
        Assert.Equal(("m", "e2e_ms_max", 900.0, true), (results[1].Cell!.Model, results[1].JudgedAs, results[1].Value!.Value, results[1].Passed));
        Assert.Equal(("o", "response_ms_max", 910.0, false), (results[2].Cell!.Model, results[2].JudgedAs, results[2].Value!.Value, results[2].Passed));
    }

    [Fact]
    public void Evaluate_SelectorsPickCells_AndTheCellsFieldAddsToTheBraces()
    {
        var a = Cell("a", Mode.Streaming, Streamed(100, 200, "a"));
        var b = Cell("b", Mode.Streaming, Streamed(100, 200, "b"));
        var c = Cell("c", Mode.NonStreaming, Whole(200, model: "c"));

        var results = ThresholdEvaluator.Evaluate([T("e2e_ms_p50{a}<1000", "*:non-streaming")], [a, b, c]);

        Assert.Equal(["a", "c"], results.Select(r => r.Cell!.Model));
        Assert.Equal("e2e_ms_p50{a}<1000 [cells: *:non-streaming]", results[0].Expression);
    }

    [Fact]
    public void EvaluateCell_NotSelectedOrNotApplicable_IsNull()
    {
        var whole = Cell("m", Mode.NonStreaming, Whole(800));

        Assert.Null(ThresholdEvaluator.EvaluateCell(T("e2e_ms_p50<1", "x"), whole));
        Assert.Null(ThresholdEvaluator.EvaluateCell(T("tpot_ms_p50<1"), whole));
        Assert.False(ThresholdEvaluator.EvaluateCell(T("e2e_ms_p50<1"), whole)!.Passed);
    }

    [Fact]
    public void Evaluate_TargetSelector_JudgesOnlyThatTargetsCell_AndAnUnknownTargetMatchesNothing()
    {
        var relay = CellAt("relay", Streamed(400, 900), Streamed(500, 1000));
        var direct = CellAt("direct", Streamed(100, 600), Streamed(200, 700));

        var results = ThresholdEvaluator.Evaluate([T("ttft_ms_max<300", "m:streaming@relay"), T("ttft_ms_max{m@dir*}<300"), T("ttft_ms_max<300", "m@nowhere")], [relay, direct]);

        Assert.Equal(3, results.Count);
        Assert.Equal((ThresholdStatus.Failed, "relay"), (results[0].Status, results[0].Cell?.Target));
        Assert.Equal((ThresholdStatus.Passed, "direct"), (results[1].Status, results[1].Cell?.Target));
        Assert.Equal(ThresholdStatus.NoData, results[2].Status);
        Assert.Contains("no cell of the run matches m@nowhere", results[2].Reason, StringComparison.Ordinal);
    }

    private static CellResult CellAt(string target, params RequestRecord[] records)
    {
        var aggregator = new CellAggregator("m", Mode.Streaming, target: target);
        foreach (var record in records)
        {
            record.Target = target;
            aggregator.Add(record);
        }

        return CellResult.Create(aggregator.Summarize(), Prices);
    }
}
