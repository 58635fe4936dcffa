using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Scenarios;

namespace Bench.Core.Tests.Metrics;

public class CellAggregatorTests
{
    private static RequestRecord Ok(double sentMs, double ttftMs, double e2eMs, int prompt = 100, int completion = 11) => new()
    {
        Model = "m",
        Mode = Mode.Streaming,
        SentMs = sentMs,
        FirstByteMs = sentMs + 1,
        FirstTokenMs = sentMs + ttftMs,
        FirstOutputTokenMs = sentMs + ttftMs,
        LastTokenMs = sentMs + e2eMs - 1,
        EndMs = sentMs + e2eMs,
        TokenEventsMs = [sentMs + ttftMs, sentMs + e2eMs - 1],
        PromptTokens = prompt,
        CompletionTokens = completion,
        Outcome = Outcome.Success,
    };

    [Fact]
    public void Summarize_ServerUsageAndTokenizerCounts_MeanDifferenceOverRequestsWithBoth()
    {
        var cell = new CellAggregator("m", Mode.Streaming);
        RequestRecord With(int server, int? local, string source = TokenSources.Usage)
        {
            var r = Ok(0, 100, 1000, completion: server);
            r.TokenizerCompletionTokens = local;
            r.TokensSource = source;
            return r;
        }

        cell.Add(With(110, 100));
        cell.Add(With(50, 40));
        cell.Add(With(30, null));                           // no local count: not compared
        cell.Add(With(25, 25, TokenSources.Tokenizer));     // the counts are the tokenizer's own: not compared

        var s = cell.Summarize();

        Assert.Equal(2, s.TokenizerComparedRequests);
        Assert.Equal(10, s.CompletionTokenDiffMean!.Value, 9);          // ((110 − 100) + (50 − 40)) / 2
        Assert.Equal(100.0 * 20 / 140, s.CompletionTokenDiffPercent!.Value, 9);
    }

    [Fact]
    public void Summarize_DecodeTps_MedianResistsABurstThatPullsTheMeanUp()
    {
        var cell = new CellAggregator("m", Mode.Streaming);
        // 11 tokens decoded over 100 ms: 110 tokens/s, four times; once the last events arrived together 1 ms apart.
        for (var i = 0; i < 4; i++)
        {
            cell.Add(Ok(0, 100, 201));
        }

        cell.Add(Ok(0, 100, 102));

        var s = cell.Summarize();

        Assert.Equal((4 * 110 + 11_000) / 5.0, s.DecodeTpsMean!.Value, 6);
        Assert.Equal(110, s.DecodeTpsP50!.Value, 0);
    }

    [Fact]
    public void Summarize_GoodputRps_CountsRequestsThatMetEverySloSet()
    {
        var fast = new SloSet { Name = "fast", MaxMs = new Dictionary<string, double> { ["ttft_ms"] = 150 }, Percentile = 50 };
        var short_ = new SloSet { Name = "short", MaxMs = new Dictionary<string, double> { ["e2e_ms"] = 1500 }, Percentile = 50 };
        var cell = new CellAggregator("m", Mode.Streaming, [fast, short_]);
        cell.Add(Ok(0, 100, 1000));      // good in both
        cell.Add(Ok(0, 200, 1000));      // too slow to first token
        cell.Add(Ok(0, 100, 2000));      // too long in all: the run spans 0 → 2000 ms

        var s = cell.Summarize();

        Assert.Equal(2.0, s.DurationS, 9);
        Assert.Equal(0.5, s.GoodputRps!.Value, 9);                               // 1 request in 2 s
        Assert.Equal(1.0, s.Slos.Single(x => x.Name == "fast").GoodputRps, 9);   // 2 requests in 2 s
        Assert.Equal(1.0, s.Slos.Single(x => x.Name == "short").GoodputRps, 9);
        Assert.Null(new CellAggregator("m", Mode.Streaming).Summarize().GoodputRps);
    }

    [Fact]
    public void Summarize_NoTokenizerCounts_DifferenceAbsent()
    {
        var cell = new CellAggregator("m", Mode.Streaming);
        cell.Add(Ok(0, 100, 1000));

        var s = cell.Summarize();

        Assert.Equal(0, s.TokenizerComparedRequests);
        Assert.Null(s.CompletionTokenDiffMean);
        Assert.Null(s.CompletionTokenDiffPercent);
    }

    [Fact]
    public void Summarize_HandComputedRecords_MatchesArithmetic()
    {
        var cell = new CellAggregator("m", Mode.Streaming);
        cell.Add(Ok(0, 100, 1000));
        cell.Add(Ok(500, 200, 1500));
        cell.Add(Ok(1000, 300, 2000, prompt: 130, completion: 21));
        cell.Add(new RequestRecord { Model = "m", Mode = Mode.Streaming, SentMs = 1200, EndMs = 1300, Outcome = Outcome.RateLimited, HttpStatus = 429 });
        cell.Add(new RequestRecord { Model = "m", Mode = Mode.Streaming, SentMs = 0, EndMs = 99_999, Phase = Phases.Warmup, Outcome = Outcome.Success });

        var s = cell.Summarize();

        Assert.Equal(4, s.Requests);
        Assert.Equal(3, s.Successes);
        Assert.Equal(0.75, s.SuccessRate);
        Assert.Equal(1, s.Outcomes[Outcome.RateLimited]);
        var ttft = s.Get(Metric.Ttft)!;
        Assert.Equal(3, ttft.Count);
        Assert.Equal(200, ttft.Mean, 6);
        Assert.Equal(200, ttft.P50, 0.2);   // HdrHistogram, 3 significant digits
        Assert.Equal(300, ttft.Max);
        Assert.Equal(100, ttft.Min);
        Assert.Equal(1500, s.Get(Metric.E2e)!.Mean, 6);
        // TPOT per request: (e2e − 1 − ttft) / (completion − 1) = 899/10, 1299/10, 1699/20 → mean 96.95
        Assert.Equal((89.9 + 129.9 + 84.95) / 3, s.Get(Metric.Tpot)!.Mean, 6);
        Assert.Equal(110, s.PromptTokensMean!.Value, 6);
        Assert.Equal(43.0 / 3, s.CompletionTokensMean!.Value, 6);
        // Duration: first sent 0 → last end 3000 (warm-up excluded) = 3 s.
        Assert.Equal(3, s.DurationS, 6);
        Assert.Equal(4 / 3.0, s.Rps, 6);
        Assert.Equal(43 / 3.0, s.OutputTps, 6);
        Assert.Equal(new TokenCounts(330, 0, 43), s.BilledTokens);
        Assert.Equal(1, s.RequestsWithoutUsage);
    }

    [Fact]
    public void Add_OtherCellOrWarmup_IsIgnored()
    {
        var cell = new CellAggregator("m", Mode.Streaming);
        cell.Add(new RequestRecord { Model = "other", Mode = Mode.Streaming, Outcome = Outcome.Success });
        cell.Add(new RequestRecord { Model = "m", Mode = Mode.NonStreaming, Outcome = Outcome.Success });
        cell.Add(new RequestRecord { Model = "m", Mode = Mode.Streaming, Phase = Phases.Warmup, Outcome = Outcome.Success });
        Assert.Equal(0, cell.Summarize().Requests);
    }

    [Fact]
    public void LatencyHistogram_Percentiles_WithinHdrPrecision()
    {
        var h = new LatencyHistogram();
        for (var i = 1; i <= 1000; i++)
        {
            h.Record(i); // 1..1000 ms
        }

        var s = h.ToStats()!;
        Assert.Equal(500.5, s.Mean, 6);
        Assert.InRange(s.P50, 500 * 0.999, 500 * 1.001);
        Assert.InRange(s.P99, 990 * 0.999, 990 * 1.001);
        Assert.InRange(s.P999, 999 * 0.999, 999 * 1.001);
        Assert.Equal(1000, s.Max);
    }
}
