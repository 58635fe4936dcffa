using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Report.Exporters;
using Bench.Report.Model;
using CsvHelper;

namespace Bench.Report.Tests.Exporters;

/// <summary>The server's completion tokens against the local tokenizer's count, per model, in report.md and
/// summary.csv.</summary>
public class TokenCountExportTests
{
    private static RequestRecord Record(string model, Mode mode, int server, int? local) => new()
    {
        Model = model,
        Mode = mode,
        SentMs = 0,
        FirstByteMs = 5,
        EndMs = 100,
        PromptTokens = 10,
        CompletionTokens = server,
        TokensSource = TokenSources.Usage,
        TokenizerEncoding = local is null ? null : "o200k_base",
        TokenizerCompletionTokens = local,
        Outcome = Outcome.Success,
    };

    private static RunReport Report(params RequestRecord[] records)
    {
        var aggregator = new RunAggregator();
        foreach (var r in records)
        {
            aggregator.Add(r);
        }

        return RunReport.Build(new RunInfo { RunId = "r1", Scenario = "s" }, aggregator, new RecordsReadResult { Records = records.Length },
            PriceCatalog.Create("none", []));
    }

    [Fact]
    public void Markdown_ModesTogetherPerModel_MeanDifferenceAndPercent()
    {
        var report = Report(
            Record("relay-model", Mode.Streaming, 120, 100),
            Record("relay-model", Mode.NonStreaming, 130, 100),
            Record("honest-model", Mode.Streaming, 50, 50));

        var md = MarkdownExporter.Render(report);

        Assert.Contains("## Token counts: server against local tokenizer", md, StringComparison.Ordinal);
        Assert.Contains("| relay-model | 2 | 125.0 | 100.0 | +25.0 | +25.0 % |", md, StringComparison.Ordinal);
        Assert.Contains("| honest-model | 1 | 50.0 | 50.0 | 0.0 | 0.0 % |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_NoTokenizerCounts_NoSection()
    {
        var md = MarkdownExporter.Render(Report(Record("m", Mode.Streaming, 10, null)));

        Assert.DoesNotContain("Token counts: server against local tokenizer", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_PerCell_DifferenceColumns()
    {
        var report = Report(Record("m", Mode.Streaming, 90, 100), Record("m", Mode.Streaming, 100, 100));
        var text = new StringWriter();
        SummaryCsvExporter.Write(report, text);
        using var csv = new CsvReader(new StringReader(text.ToString()), CultureInfo.InvariantCulture);
        var row = csv.GetRecords<dynamic>().Select(r => (IDictionary<string, object>)r).Single();

        Assert.Equal("2", row["tokenizer_compared_requests"]);
        Assert.Equal("-5", row["completion_tokens_vs_tokenizer_diff_mean"]);
        Assert.Equal("-5", row["completion_tokens_vs_tokenizer_diff_pct"]);
    }
}
