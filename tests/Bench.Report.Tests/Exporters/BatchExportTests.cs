using System.Text.Json;
using Bench.Report.Exporters;
using Bench.Report.Terminal;
using Bench.Report.Tests.Charts;

namespace Bench.Report.Tests.Exporters;

/// <summary><c>bench report DIR</c> rebuilds the batch figures from <c>records.jsonl</c> and <c>batches.jsonl</c>
/// alone, into every file; the terminal table shows turnaround for a batch cell, never a latency it does not have.</summary>
public sealed class BatchExportTests
{
    [Fact]
    public void Write_FolderWithBatches_BatchFiguresInSummaryJsonCsvAndRecordsCsv()
    {
        using var run = TestRun.Standard();
        run.AddBatch(TestRun.Alpha, lines: 12, turnaroundS: 1080, expired: 2);
        run.Save();

        var report = ReportBuilder.Write(run.Directory, run.Run, ChartBuilderTests.BatchPrices());

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(run.Directory, SummaryJsonExporter.FileName)));
        var cell = json.RootElement.GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("mode").GetString() == "batch-api");
        var batch = cell.GetProperty("batch");
        Assert.Equal(1, batch.GetProperty("batches").GetInt32());
        Assert.Equal(1080, batch.GetProperty("turnaround_s_p50").GetDouble());
        Assert.Equal(1080, batch.GetProperty("turnaround_s_max").GetDouble());
        Assert.Equal(60, batch.GetProperty("batch_queue_s").GetDouble());
        Assert.True(batch.GetProperty("turnaround_simulated").GetBoolean());
        Assert.Equal(600, batch.GetProperty("batch_time_scale").GetDouble());
        Assert.Equal("batch", cell.GetProperty("cost").GetProperty("price_tier").GetString());
        Assert.Equal(2, cell.GetProperty("outcomes").GetProperty("expired").GetInt32());
        Assert.False(cell.GetProperty("latency").EnumerateObject().Any());
        Assert.False(json.RootElement.GetProperty("cells").EnumerateArray().First().TryGetProperty("batch", out _));

        var csv = File.ReadAllLines(Path.Combine(run.Directory, "summary.csv"));
        var header = csv[0].Split(',');
        var row = csv.Single(l => l.Contains(",batch-api,", StringComparison.Ordinal)).Split(',');
        Assert.Equal("1080", row[Array.IndexOf(header, "turnaround_s_p50")]);
        Assert.Equal("", row[Array.IndexOf(header, "e2e_ms_p50")]);
        Assert.Equal("2", row[Array.IndexOf(header, "failed_expired")]);

        var records = File.ReadAllLines(Path.Combine(run.Directory, RecordsCsvExporter.FileName));
        var recordHeader = records[0].Split(',');
        var line = records.First(l => l.Contains("batch_alpha-model_0", StringComparison.Ordinal)).Split(',');
        Assert.StartsWith("bench-", line[Array.IndexOf(recordHeader, "custom_id")], StringComparison.Ordinal);
        Assert.Equal("batch_alpha-model_0", line[Array.IndexOf(recordHeader, "batch_id")]);
        Assert.Equal("", line[Array.IndexOf(recordHeader, "e2e_ms")]);
        Assert.Single(report.CallModes);
    }

    [Fact]
    public void Write_BatchesJsonlWithACutOffLine_Skipped_SaidInTheHeader_TurnaroundUnknown()
    {
        using var run = TestRun.Standard();
        run.AddBatch(TestRun.Alpha, lines: 4, turnaroundS: 1080);
        run.Save();
        var path = Path.Combine(run.Directory, Bench.Core.Results.ResultsDirectory.BatchesFile);
        var line = File.ReadAllText(path).Trim();
        File.WriteAllText(path, line[..(line.Length / 2)] + "\n");

        var report = ReportBuilder.Write(run.Directory, run.Run, ChartBuilderTests.BatchPrices());

        var markdown = File.ReadAllText(Path.Combine(run.Directory, "report.md"));
        Assert.Contains("Batch jobs: 0 (batches.jsonl); 1 unreadable line(s) skipped (lines 1): those batches' turnaround is unknown", markdown, StringComparison.Ordinal);
        Assert.Null(report.Cells.Single(c => c.Summary.Mode == Bench.Core.Records.Mode.BatchApi).Batch);
        Assert.Contains("no batch record (`batches.jsonl`) was found for this cell", markdown, StringComparison.Ordinal);
        Assert.Contains("| batch-api | turnaround (no batch record) | – | – |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void SummaryTable_BatchCell_TurnaroundUnderE2e_Marked_NoLatencyFigures()
    {
        using var run = TestRun.Standard();
        run.AddBatch(TestRun.Alpha, lines: 12, turnaroundS: 1080);
        var output = new StringWriter();

        SummaryTable.Print(run.Report(ChartBuilderTests.BatchPrices()), output);

        var text = output.ToString();
        var row = text.Split('\n').Single(l => l.Contains("batch-api", StringComparison.Ordinal) && l.Contains("alpha", StringComparison.Ordinal));
        Assert.Contains("18 min *", row, StringComparison.Ordinal);
        Assert.Contains("12/12", row, StringComparison.Ordinal);
        Assert.Contains("$0.1800", row, StringComparison.Ordinal);
        Assert.DoesNotContain(" ms", row, StringComparison.Ordinal);
        Assert.Contains("* batch-api: batch turnaround (created → ended; p50 under E2E mean, max under E2E p95), not a per-request E2E; simulated (600× time scale).", text, StringComparison.Ordinal);
    }
}
