using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Report.Document;
using Bench.Report.Exporters;
using Bench.Report.Model;
using CsvHelper;

namespace Bench.Report.Tests.Document;

/// <summary>The report explains failures: per cell, outcome × HTTP status with counts and the most common messages;
/// a cell without successes says so; the streaming comparison flags differing success rates and never gives a ratio;
/// usage that was not believed is listed; records.csv carries the message.</summary>
public sealed class FailureReportTests : IDisposable
{
    private static readonly PriceCatalog Prices = PriceCatalog.Create("test prices", [new ModelPrice("m", 2m, null, 8m, null, null, "test source")]);

    private readonly string _dir = Directory.CreateTempSubdirectory("bench-failures-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static long s_id;

    private static RequestRecord Ok(Mode mode, double ttft, double e2e) => new()
    {
        Id = Interlocked.Increment(ref s_id),
        Model = "m",
        Mode = mode,
        Outcome = Outcome.Success,
        SentMs = 0,
        FirstByteMs = 5,
        FirstTokenMs = mode == Mode.Streaming ? ttft : null,
        FirstOutputTokenMs = mode == Mode.Streaming ? ttft : null,
        LastTokenMs = mode == Mode.Streaming ? e2e - 1 : null,
        TokenEventsMs = mode == Mode.Streaming ? [ttft, e2e - 1] : [],
        EndMs = e2e,
        PromptTokens = 10,
        CompletionTokens = 5,
        TokensSource = TokenSources.Usage,
    };

    private static RequestRecord Failed(Mode mode, Outcome outcome, int? status, string? message) => new()
    {
        Id = Interlocked.Increment(ref s_id),
        Model = "m",
        Mode = mode,
        Outcome = outcome,
        HttpStatus = status,
        SentMs = 0,
        EndMs = 20,
        Error = new ErrorInfo(Names.Of(outcome), null, message),
    };

    private static RunReport Report(IEnumerable<RequestRecord> records)
    {
        var aggregator = new RunAggregator();
        var list = records.ToList();
        list.ForEach(aggregator.Add);
        return RunReport.Build(new RunInfo { RunId = "r1", Scenario = "s" }, aggregator, new RecordsReadResult { Records = list.Count }, Prices);
    }

    [Fact]
    public void Failures_PerCell_OutcomeStatusCountAndTopThreeMessages()
    {
        var records = Enumerable.Range(0, 5).Select(_ => Ok(Mode.Streaming, 100, 1000))
            .Concat(Enumerable.Range(0, 6).Select(_ => Failed(Mode.Streaming, Outcome.ClientError, 401, "Incorrect API key provided: sk-***")))
            .Concat(Enumerable.Range(0, 3).Select(_ => Failed(Mode.Streaming, Outcome.RateLimited, 429, "Rate limit reached | retry in 20s")))
            .Concat(Enumerable.Range(0, 4).Select(i => Failed(Mode.Streaming, Outcome.ServerError, 502, $"upstream {i % 4}\n\n  failed")))
            .Append(Failed(Mode.Streaming, Outcome.ServerError, 502, "upstream 0 failed"))
            .Append(Failed(Mode.Streaming, Outcome.ConnectionError, null, null))
            .Append(Failed(Mode.Streaming, Outcome.StreamInterrupted, 200, new string('x', 400)))
            .ToList();

        foreach (var refused in records.Where(r => r.HttpStatus == 401))
        {
            refused.Error = new ErrorInfo("invalid_request_error", "invalid_api_key", refused.Error!.Message);
        }

        var md = MarkdownExporter.Render(Report(records));

        Assert.Contains("**m · streaming**: 16 of 21 attempted requests failed (76.19 %).", md, StringComparison.Ordinal);
        Assert.Contains("| outcome | HTTP status | provider code | requests | most common messages |", md, StringComparison.Ordinal);
        Assert.Contains("| `client_error` | 401 | `invalid_api_key` | 6 | Incorrect API key provided: sk-*** (×6) |", md, StringComparison.Ordinal);
        Assert.Contains("| `server_error` | 502 | – | 5 | upstream 0 failed (×2); upstream 1 failed (×1); upstream 2 failed (×1); 1 other message(s) (×1) |", md, StringComparison.Ordinal);
        Assert.Contains("| `rate_limited` | 429 | – | 3 | Rate limit reached \\| retry in 20s (×3) |", md, StringComparison.Ordinal);
        Assert.Contains("| `connection_error` | none | – | 1 | connection_error (×1) |", md, StringComparison.Ordinal);
        Assert.Contains($"| `stream_interrupted` | 200 | – | 1 | {new string('x', FailureTally.MaxMessageChars - 1)}… (×1) |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_FailureTable_ShowsServerTextEscaped()
    {
        var report = Report([Ok(Mode.Streaming, 100, 1000), Failed(Mode.Streaming, Outcome.ServerError, 502, "<script>alert(1)</script> & more")]);

        var html = File.ReadAllText(Bench.Report.Html.HtmlExporter.Write(report, _dir, []));

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more (×1)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.Contains("<code>server_error</code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_CellWithoutSuccess_SaysSoPlainly()
    {
        var md = MarkdownExporter.Render(Report(Enumerable.Range(0, 4).Select(_ => Failed(Mode.Streaming, Outcome.ClientError, 401, "bad key"))));

        Assert.Contains("| m | streaming | 4 | 0 % (0–49) | no success | – |", md, StringComparison.Ordinal);
        Assert.Contains("> **No request succeeded** in m · streaming (4 attempted): there is no latency to report; see the failures below for why.", md, StringComparison.Ordinal);
        Assert.Contains("**m · streaming**: every one of 4 attempted requests failed.", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Comparison_SuccessRatesDiffer_SaysSoFirst()
    {
        var records = Enumerable.Range(0, 2).Select(_ => Ok(Mode.Streaming, 100, 1000))
            .Concat(Enumerable.Range(0, 3).Select(_ => Failed(Mode.Streaming, Outcome.Timeout, null, "No complete response within 5 s.")))
            .Concat(Enumerable.Range(0, 5).Select(_ => Ok(Mode.NonStreaming, 0, 900)));

        var comparison = Assert.Single(Report(records).Comparisons);
        var text = MarkdownExporter.Inline(ReportDocumentBuilder.Comparison(comparison));

        Assert.StartsWith("**m**: **Streaming succeeded 40.0 % vs 100 % non-streaming: each mode's latency covers only the requests that succeeded.** streaming shows", text, StringComparison.Ordinal);
        Assert.Contains("800 ms (89 %) sooner than a non-streaming response arrives whole", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Comparison_FirstTokenAfterTheWholeAnswer_SaysLaterInMillisecondsNotARatio()
    {
        var records = Enumerable.Range(0, 3).Select(_ => Ok(Mode.Streaming, 1300, 1500))
            .Concat(Enumerable.Range(0, 3).Select(_ => Ok(Mode.NonStreaming, 0, 1000)));

        var text = MarkdownExporter.Inline(ReportDocumentBuilder.Comparison(Assert.Single(Report(records).Comparisons)));

        Assert.Contains("after 1,300 ms on average (p95 1,300 ms), 300 ms (30 %) later than a non-streaming response arrives whole", text, StringComparison.Ordinal);
        Assert.DoesNotContain("×", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Streaming succeeded", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Comparison_OneModeWithoutSuccess_NamesItInsteadOfComparing()
    {
        var records = Enumerable.Range(0, 3).Select(_ => Failed(Mode.Streaming, Outcome.Malformed, 200, "not SSE"))
            .Concat(Enumerable.Range(0, 3).Select(_ => Ok(Mode.NonStreaming, 0, 1000)));

        var text = MarkdownExporter.Inline(ReportDocumentBuilder.Comparison(Assert.Single(Report(records).Comparisons)));

        Assert.Contains("not compared: streaming had no successful request (3 attempted). Success: 0 % streaming (3 malformed), 100 % non-streaming (no failures).", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_FlaggedRequests_ListedPerCellAndCountedInSummaryJson()
    {
        var flagged = Ok(Mode.Streaming, 100, 1000);
        flagged.CompletionTokens = -5;
        var other = Ok(Mode.Streaming, 100, 1000);
        other.CachedTokens = 50;
        var report = Report([flagged, other, Ok(Mode.Streaming, 100, 1000)]);

        var md = MarkdownExporter.Render(report);
        SummaryJsonExporter.Write(report, _dir);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, SummaryJsonExporter.FileName)));

        Assert.Contains("## Usage the server reported that could not be believed", md, StringComparison.Ordinal);
        Assert.Contains($"| m | streaming | 2 | 2 | negative ×2 | {flagged.Id}, {other.Id} |", md, StringComparison.Ordinal);
        Assert.Equal(2, json.RootElement.GetProperty("cells")[0].GetProperty("usage_flagged").GetInt64());
        var cell = Assert.Single(report.Cells);
        Assert.Equal(new TokenCounts(10, 0, 5), cell.Summary.BilledTokens); // only the believable request is billed
    }

    [Fact]
    public void RecordsCsv_HasTheMessageAndTheUsageIssue()
    {
        var failed = Failed(Mode.Streaming, Outcome.ServerError, 500, "model overloaded, \"retry\"");
        var flagged = Ok(Mode.Streaming, 100, 1000);
        flagged.UsageIssue = "negative: usage.completion_tokens = -5";
        using (var csv = new RecordsCsvExporter(_dir))
        {
            csv.Add(failed);
            csv.Add(flagged);
        }

        using var reader = new CsvReader(new StreamReader(Path.Combine(_dir, RecordsCsvExporter.FileName)), CultureInfo.InvariantCulture);
        var rows = reader.GetRecords<dynamic>().Select(r => (IDictionary<string, object>)r).ToList();

        Assert.Equal("model overloaded, \"retry\"", rows[0]["message"]);
        Assert.Equal("", rows[1]["message"]);
        Assert.Equal("negative: usage.completion_tokens = -5", rows[1]["usage_issue"]);
    }
}
