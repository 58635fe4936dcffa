using System.Text.Json;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;

namespace Bench.Core.Tests.Metrics;

public class MetricCatalogTests
{
    private static RequestRecord NonStreaming(double e2e) => new()
    {
        Model = "m", Mode = Mode.NonStreaming, SentMs = 100, FirstByteMs = 100 + e2e - 5, EndMs = 100 + e2e, Outcome = Outcome.Success,
        PromptTokens = 10, CompletionTokens = 5,
    };

    [Theory]
    [InlineData("ttft_ms_p99", "TTFT p99", "ms", MetricDirection.LowerIsBetter)]
    [InlineData("e2e_ms_p999", "E2E p99.9", "ms", MetricDirection.LowerIsBetter)]
    [InlineData("output_tps", "output tok/s", "tok/s", MetricDirection.HigherIsBetter)]
    [InlineData("cost_usd_per_1k_requests", "$ per 1k requests", "USD", MetricDirection.LowerIsBetter)]
    [InlineData("requests", "requests", "requests", MetricDirection.None)]
    [InlineData("failed_rate_limited", "failed: rate_limited", "requests", MetricDirection.LowerIsBetter)]
    public void Find_FixedId_ReturnsItsEntry(string id, string display, string unit, MetricDirection direction)
    {
        var metric = MetricCatalog.Find(id);

        Assert.Equal(id, metric.Id);
        Assert.Equal(display, metric.DisplayName);
        Assert.Equal(unit, metric.Unit);
        Assert.Equal(direction, metric.Direction);
        Assert.Equal(MetricLevel.Cell, metric.Level);
    }

    [Fact]
    public void Find_TemplatedId_InstantiatesTheTemplateForTheName()
    {
        var goodput = MetricCatalog.Find("goodput_rps_interactive");
        var met = MetricCatalog.Find("slo_interactive_met");

        Assert.Equal("goodput_rps_interactive", goodput.Id);
        Assert.Equal(MetricDirection.HigherIsBetter, goodput.Direction);
        Assert.True(goodput.ThresholdEligible);
        Assert.Equal(["/slos/*/goodput_rps"], goodput.JsonPaths);
        Assert.Equal("slo_interactive_met", met.Id);
        Assert.Equal("goodput_rps", MetricCatalog.Find("goodput_rps").Id); // the fixed id wins over the template
    }

    [Fact]
    public void TryFind_UnknownId_IsFalse_AndFindThrows()
    {
        Assert.False(MetricCatalog.TryFind("ttft_ms_p42", out _));
        Assert.Throws<KeyNotFoundException>(() => MetricCatalog.Find("nonsense"));
    }

    [Fact]
    public void Column_OfADistribution_IsTheCatalogueEntry()
    {
        var p999 = Metric.Ttft.Column(Statistic.P999);

        Assert.Same(MetricCatalog.Find("ttft_ms_p999"), p999);
        Assert.Equal("p99.9", p999.JsonName);
        Assert.Same(Metric.Ttft, p999.Distribution);
        Assert.Throws<KeyNotFoundException>(() => Metric.DecodeTps.Column(Statistic.P99));
    }

    [Fact]
    public void All_EveryEntryIsDescribed_AndReadable()
    {
        Assert.Equal(MetricCatalog.All.Count, MetricCatalog.All.Select(m => m.Id).Distinct().Count());
        Assert.All(MetricCatalog.All, m =>
        {
            Assert.False(string.IsNullOrWhiteSpace(m.DisplayName), m.Id);
            Assert.False(string.IsNullOrWhiteSpace(m.Definition), m.Id);
            Assert.False(string.IsNullOrWhiteSpace(m.Source), m.Id);
            Assert.NotEqual(MetricExports.None, m.Exports);
            Assert.True(m.Cell is not null || m.Request is not null || m.FromReplicates is not null, m.Id);
            Assert.Equal(m.Exports.HasFlag(MetricExports.SummaryJson), m.JsonPaths.Count > 0);
            Assert.Equal(m.Exports.HasFlag(MetricExports.RecordsCsv), m.Request is not null);
        });
    }

    [Fact]
    public void SloEligible_AreThePerRequestLatenciesAnSloMayName()
    {
        Assert.Equal(["ttfb_ms", "ttft_ms", "ttfo_ms", "tpot_ms", "e2e_ms", "response_ms"], Metric.SloEligible.Select(m => m.Id));
        Assert.Equal(Metric.SloEligible.Select(m => m.Id).Order(), MetricCatalog.All.Where(m => m.SloEligible).Select(m => m.Id).Order());
        Assert.False(MetricCatalog.Find("ttft_ms_p99").SloEligible);
        Assert.True(MetricCatalog.Find("ttft_ms_p99").ThresholdEligible);
        Assert.False(MetricCatalog.Find("model").ThresholdEligible);
    }

    [Theory]
    [InlineData("ttft_ms_p99", MetricReduce.Histogram)]
    [InlineData("ttft_ms_mean", MetricReduce.Recompute)]
    [InlineData("e2e_ms_max", MetricReduce.Max)]
    [InlineData("e2e_ms_count", MetricReduce.Sum)]
    [InlineData("requests", MetricReduce.Sum)]
    [InlineData("cost_usd", MetricReduce.Sum)]
    [InlineData("cost_usd_per_success", MetricReduce.Recompute)]
    [InlineData("success_rate", MetricReduce.Recompute)]
    [InlineData("slo_interactive_good_requests", MetricReduce.Sum)]
    [InlineData("model", MetricReduce.None)]
    [InlineData("price_source", MetricReduce.None)]
    [InlineData("e2e_ms", MetricReduce.None)]
    public void Reduce_IsDeclaredPerFigure_PercentilesFromHistograms(string id, MetricReduce reduce)
    {
        Assert.Equal(reduce, MetricCatalog.Find(id).Reduce);
    }

    [Theory]
    [InlineData(Mode.NonStreaming, "ttft_ms", "e2e_ms")]
    [InlineData(Mode.NonStreaming, "ttfo_ms", "e2e_ms")]
    [InlineData(Mode.NonStreaming, "tpot_ms", "tpot_ms")]
    [InlineData(Mode.Streaming, "ttft_ms", "ttft_ms")]
    [InlineData(Mode.Streaming, "e2e_ms", "e2e_ms")]
    public void JudgedAs_NonStreamingFirstToken_IsItsEnd(Mode mode, string metric, string judged)
    {
        Assert.Equal(judged, Metric.JudgedAs(Metric.Find(metric)!, mode).Id);
    }

    [Fact]
    public void SloValue_NonStreamingTtft_IsE2e_ClosedResponse_IsE2e_AndSloEvaluatorAgrees()
    {
        var r = NonStreaming(800);

        Assert.Null(RequestMetrics.TtftMs(r));
        Assert.Equal(800, Metric.SloValue(r, Metric.Ttft));
        Assert.Equal(800, Metric.SloValue(r, Metric.Response)); // closed load: no intended time
        Assert.Null(Metric.SloValue(r, Metric.Tpot));
        Assert.Equal(800, SloEvaluator.Value(r, "ttfo_ms"));
        Assert.Throws<ArgumentException>(() => Metric.SloValue(r, Metric.Itl));
        Assert.Throws<ArgumentException>(() => SloEvaluator.Value(r, "itl_ms"));
    }

    [Fact]
    public void Formats_CsvTextAndJsonNumber_RoundAlike()
    {
        var aggregator = new CellAggregator("m", Mode.NonStreaming);
        aggregator.Add(NonStreaming(1000));
        aggregator.Add(NonStreaming(2000));
        aggregator.Add(new RequestRecord { Model = "m", Mode = Mode.NonStreaming, SentMs = 0, EndMs = 3001, Outcome = Outcome.Timeout });
        var prices = PriceCatalog.Create("test", [new ModelPrice("m", 1m, null, 3m, null, null, "test source")]);
        var cell = CellResult.Create(aggregator.Summarize(), prices);

        foreach (var metric in MetricCatalog.All.Where(m => m.Cell is not null && m.JsonPaths.Count > 0))
        {
            var text = metric.Text(cell);
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                metric.WriteJson(json, cell);
                json.WriteEndObject();
            }

            var value = JsonDocument.Parse(buffer.ToArray()).RootElement.GetProperty(metric.JsonName);
            var fromJson = value.ValueKind switch
            {
                JsonValueKind.Null => "",
                JsonValueKind.String => value.GetString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => value.GetDecimal().ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            Assert.True(text == fromJson || decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture) == decimal.Parse(fromJson!, System.Globalization.CultureInfo.InvariantCulture),
                $"{metric.Id}: CSV {text}, JSON {fromJson}");
        }

        Assert.Equal("0.6667", MetricCatalog.SuccessRate.Text(cell));
        Assert.Equal("", MetricCatalog.Find("ttft_ms_mean").Text(cell)); // undefined: empty, never 0
    }

    [Fact]
    public void CellCost_PricesBilledTokens_PerRequestAndPerSuccess()
    {
        var aggregator = new CellAggregator("m", Mode.NonStreaming);
        aggregator.Add(NonStreaming(1000));
        aggregator.Add(new RequestRecord { Model = "m", Mode = Mode.NonStreaming, EndMs = 10, Outcome = Outcome.Timeout, PromptTokens = 10, CompletionTokens = 5 });
        var prices = PriceCatalog.Create("test", [new ModelPrice("m", 1m, null, 3m, null, null, "test source")]);

        var cost = CellCost.Of(aggregator.Summarize(), prices);
        var unpriced = CellCost.Of(aggregator.Summarize(), PriceCatalog.Create("empty", []));

        // 2 × (10 × $1 + 5 × $3) / 1M = $0.00005.
        Assert.Equal(0.00005m, cost.CostUsd);
        Assert.Equal(0.025m, cost.CostUsdPer1kRequests);
        Assert.Equal(0.00005m, cost.CostUsdPerSuccess);
        Assert.Null(unpriced.CostUsd);
        Assert.Contains("not in the price catalogue", unpriced.Unpriced, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordsCsv_PerRequestLatencies_AreTheDistributionsFormulas()
    {
        var r = NonStreaming(800);

        Assert.Equal("800", MetricCatalog.Find("e2e_ms").Text(r));
        Assert.Equal("", MetricCatalog.Find("ttft_ms").Text(r));
        Assert.Equal("non-streaming", MetricCatalog.Mode.Text(r));
    }

    [Theory]
    [InlineData("attempts", "attempts sent to the endpoint")]
    [InlineData("attempt_success_rate", "successful attempts / attempts sent")]
    [InlineData("attempts_failed_rate_limited", "attempts sent whose outcome was rate_limited")]
    [InlineData("attempts_cancelled", "hedging losers")]
    [InlineData("first_attempt_success_rate", "first attempt succeeded")]
    [InlineData("attempts_per_request", "attempts sent / attempted logical requests")]
    [InlineData("attempts_per_success", "attempts sent / successful logical requests")]
    [InlineData("retried_requests", "at least one retry")]
    [InlineData("hedged_requests", "at least one hedged attempt")]
    [InlineData("retry_added_ms_p50", "minus that attempt's own e2e")]
    [InlineData("retry_added_ms_p95", "minus that attempt's own e2e")]
    [InlineData("retry_added_ms_max", "minus that attempt's own e2e")]
    [InlineData("backoff_ms_total", "time waited between attempts")]
    [InlineData("rate_limited_ms_total", "plus waits for the client-side rate limiter")]
    [InlineData("retry_prompt_tokens", "did not end their logical request")]
    [InlineData("retry_cached_tokens", "did not end their logical request")]
    [InlineData("retry_completion_tokens", "did not end their logical request")]
    [InlineData("retry_cost_usd", "did not end their logical request")]
    [InlineData("retry_cost_usd_per_1k_requests", "retry_cost_usd / attempted logical requests")]
    [InlineData("retry_cost_percent", "retry_cost_usd / cost_usd")]
    public void AttemptView_EveryFigure_IsACellFigureWithItsDefinitionAndSource_InBothSummaries(string id, string definition)
    {
        var metric = MetricCatalog.Find(id);

        Assert.Equal(MetricLevel.Cell, metric.Level);
        Assert.Contains(definition, metric.Definition, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(metric.Source));
        Assert.True(metric.Exports.HasFlag(MetricExports.SummaryCsv | MetricExports.SummaryJson));
    }

    [Fact]
    public void Policy_IsALabelOfCellsAndRequests_EmptyForNone()
    {
        var metric = MetricCatalog.Policy;

        Assert.Equal(MetricExports.SummaryCsv | MetricExports.SummaryJson | MetricExports.RecordsCsv, metric.Exports);
        Assert.Equal("", metric.Text(NonStreaming(100)));
        var r = NonStreaming(100);
        r.Policy = "retries-3";
        Assert.Equal("retries-3", metric.Text(r));
        Assert.Equal("1", MetricCatalog.Find("attempt_count").Text(r));
        Assert.Equal("0", MetricCatalog.Find("retry_added_ms").Text(r));
    }
}
