using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Report.Exporters;
using Bench.Report.Model;
using CsvHelper;

namespace Bench.Report.Tests.Exporters;

public class SummaryExportersTests
{
    private static readonly PriceCatalog Prices = PriceCatalog.Create("test prices", [new ModelPrice("m", 2m, null, 8m, null, null, "test source")]);

    private static RequestRecord Record(Mode mode, Outcome outcome, double sent, double? ttft, double e2e, int? prompt, int? completion) => new()
    {
        Model = "m",
        Mode = mode,
        SentMs = sent,
        FirstByteMs = sent + 5,
        FirstTokenMs = ttft is { } t ? sent + t : null,
        FirstOutputTokenMs = ttft is { } t2 ? sent + t2 : null,
        LastTokenMs = ttft is null ? null : sent + e2e - 10,
        EndMs = sent + e2e,
        TokenEventsMs = ttft is { } t3 ? [sent + t3, sent + e2e - 10] : [],
        PromptTokens = prompt,
        CompletionTokens = completion,
        Outcome = outcome,
    };

    private static RunReport Report(params RequestRecord[] records)
    {
        var aggregator = new RunAggregator();
        foreach (var r in records)
        {
            aggregator.Add(r);
        }

        return RunReport.Build(new RunInfo { RunId = "r1", Scenario = "s" }, aggregator, new RecordsReadResult { Records = records.Length }, Prices);
    }

    private static List<Dictionary<string, string>> Csv(RunReport report)
    {
        var text = new StringWriter();
        SummaryCsvExporter.Write(report, text);
        using var csv = new CsvReader(new StringReader(text.ToString()), CultureInfo.InvariantCulture);
        return [.. csv.GetRecords<dynamic>().Select(r => ((IDictionary<string, object>)r).ToDictionary(kv => kv.Key, kv => (string)kv.Value))];
    }

    [Fact]
    public void Csv_HasRequiredColumns_InOrder()
    {
        var rows = Csv(Report(Record(Mode.Streaming, Outcome.Success, 0, 100, 1000, 100, 50)));
        string[] required = ["model", "mode", "requests", "successes", "success_rate", "ttft_ms_mean", "ttft_ms_p50", "ttft_ms_p95", "ttft_ms_p99",
            "e2e_ms_mean", "e2e_ms_p50", "e2e_ms_p95", "e2e_ms_p99", "tpot_ms_p50", "prompt_tokens_mean", "completion_tokens_mean", "cost_usd_per_1k_requests"];
        Assert.All(required, c => Assert.Contains(c, rows[0].Keys));
    }

    [Fact]
    public void Csv_Arithmetic_MatchesHandComputedValues()
    {
        var rows = Csv(Report(
            Record(Mode.Streaming, Outcome.Success, 0, 100, 1000, 100, 50),
            Record(Mode.Streaming, Outcome.Success, 100, 300, 2000, 100, 50),
            Record(Mode.Streaming, Outcome.RateLimited, 200, null, 50, null, null),
            Record(Mode.NonStreaming, Outcome.Success, 0, null, 3000, 100, 50)));

        var streaming = rows.Single(r => r["mode"] == "streaming");
        Assert.Equal("3", streaming["requests"]);
        Assert.Equal("2", streaming["successes"]);
        Assert.Equal("0.6667", streaming["success_rate"]);
        Assert.Equal("1", streaming["failed_rate_limited"]);
        Assert.Equal("200", streaming["ttft_ms_mean"]);
        Assert.Equal("1500", streaming["e2e_ms_mean"]);
        // TPOT per request: (990 − 100)/49 and (1990 − 300)/49; the p50 of two is the lower, within HdrHistogram's
        // 3 significant digits (0.1 %).
        var tpotP50 = double.Parse(streaming["tpot_ms_p50"], CultureInfo.InvariantCulture);
        Assert.InRange(tpotP50, 890 / 49.0, 890 / 49.0 * 1.001);
        Assert.Equal("100", streaming["prompt_tokens_mean"]);
        Assert.Equal("50", streaming["completion_tokens_mean"]);
        // Billed: 200 prompt × $2/1M + 100 completion × $8/1M = $0.0012 over 3 attempted requests → $0.4 per 1k.
        Assert.Equal("0.0012", streaming["cost_usd"]);
        Assert.Equal("0.4", streaming["cost_usd_per_1k_requests"]);
        Assert.Equal("0.0006", streaming["cost_usd_per_success"]);
        Assert.Equal("test source", streaming["price_source"]);

        var whole = rows.Single(r => r["mode"] == "non-streaming");
        Assert.Equal("", whole["ttft_ms_mean"]);   // undefined for non-streaming: empty, not 0
        Assert.Equal("", whole["tpot_ms_p50"]);
        Assert.Equal("3000", whole["e2e_ms_mean"]);
        // 100 × 2 + 50 × 8 = 600 per 1M → $0.0006 per request → $0.6 per 1k.
        Assert.Equal("0.6", whole["cost_usd_per_1k_requests"]);
    }

    [Fact]
    public void Unknown_Model_IsReportedUnpriced_NotZero()
    {
        var aggregator = new RunAggregator();
        aggregator.Add(new RequestRecord { Model = "mystery-1", Mode = Mode.Streaming, Outcome = Outcome.Success, PromptTokens = 1, CompletionTokens = 1, EndMs = 1 });
        var report = RunReport.Build(new RunInfo(), aggregator, new RecordsReadResult(), Prices);

        var cell = Assert.Single(report.Cells);
        Assert.Null(cell.CostUsdPer1kRequests);
        Assert.Contains("mystery-1", cell.Unpriced, StringComparison.Ordinal);
        Assert.Contains("not priced", MarkdownExporter.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_ComparesStreamingWithNonStreaming_InPlainWords()
    {
        var md = MarkdownExporter.Render(Report(
            Record(Mode.Streaming, Outcome.Success, 0, 500, 3000, 100, 50),
            Record(Mode.NonStreaming, Outcome.Success, 0, null, 3000, 100, 50)));

        Assert.Contains("## Streaming against non-streaming", md, StringComparison.Ordinal);
        Assert.Contains("**m**: streaming shows the first token after 500 ms on average", md, StringComparison.Ordinal);
        Assert.Contains("2,500 ms (83 %) sooner than a non-streaming response arrives whole", md, StringComparison.Ordinal);
        Assert.DoesNotContain("× sooner", md, StringComparison.Ordinal);
        Assert.Contains("about as long either way", md, StringComparison.Ordinal);
        Assert.Contains("| m | streaming | 1 | 100 % (20.7–100) | 500 |", md, StringComparison.Ordinal);
        Assert.Contains("test source", md, StringComparison.Ordinal);
    }
}
