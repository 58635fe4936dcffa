using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Report.Document;
using Bench.Report.Exporters;
using Bench.Report.Model;
using Bench.Report.Tests.Charts;

namespace Bench.Report.Tests.Document;

/// <summary>"Three ways to call, per model": streaming TTFT, non-streaming E2E and batch turnaround side by side, at
/// each mode's prices, with the saving of batch and the words a team lead reads.</summary>
public sealed class CallModesSectionTests
{
    private static readonly PriceCatalog Prices = ChartBuilderTests.BatchPrices();

    [Fact]
    public void OneSimulatedBatch_ThreeRows_TurnaroundLabelledSimulated_SavingAgainstTheCheaperSynchronousMode()
    {
        using var run = TestRun.Standard();
        run.AddBatch(TestRun.Alpha, lines: 12, turnaroundS: 1080, timeScale: 600);

        var report = run.Report(Prices);
        var text = MarkdownSections.Of(MarkdownExporter.Render(report), "Three ways to call, per model");

        var model = Assert.Single(report.CallModes);
        Assert.Equal([Mode.Streaming, Mode.NonStreaming, Mode.BatchApi], model.Modes.Select(m => m.Mode));
        // Alpha: 100 prompt + 20 completion tokens a request. Synchronous 100 × 2 + 20 × 8 = 360 USD per 1M requests
        // (0.36 per 1k) in both modes; batch 100 × 1 + 20 × 4 = 180 (0.18 per 1k): half.
        Assert.Equal(0.36m, model.CheaperSynchronous!.Cell.CostUsdPer1kRequests);
        Assert.Equal(Mode.NonStreaming, model.CheaperSynchronous.Mode);
        Assert.Equal(0.18m, model.Batch.Cell.CostUsdPer1kRequests);
        Assert.Equal(0.00018m, model.SavingPerSuccessUsd);
        Assert.Equal(50m, model.SavingPercent);
        Assert.Equal(180m, model.SavingMonthlyUsd);

        Assert.Contains("| streaming | first token (TTFT) |", text, StringComparison.Ordinal);
        Assert.Contains("| non-streaming | full answer (E2E) |", text, StringComparison.Ordinal);
        Assert.Contains("| batch-api | turnaround (one batch) | 18 min (simulated, 600× time scale) | one batch | 100 % | $0.1800 | 180.00 | batch |", text, StringComparison.Ordinal);
        Assert.Contains("Interactive traffic belongs on streaming", text, StringComparison.Ordinal);
        Assert.Contains("Work that can wait belongs in the Batch API: its batch came back in 18 min (simulated, 600× time scale)", text, StringComparison.Ordinal);
        Assert.Contains("**50 % less**", text, StringComparison.Ordinal);
        Assert.Contains("180.00 USD per month saved at 1,000,000 requests", text, StringComparison.Ordinal);
        Assert.Contains("The turnaround is simulated", text, StringComparison.Ordinal);
        // The batch's own row: id, status, counts, queue.
        Assert.Contains("`batch_alpha-model_0`", text, StringComparison.Ordinal);
        Assert.Contains("1 min (simulated, 600× time scale)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" 0 ms", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralRealBatches_P50P95Max_NoSimulatedLabel_ExpiredLinesSaid()
    {
        using var run = TestRun.Standard();
        run.AddBatch(TestRun.Alpha, lines: 4, turnaroundS: 600, timeScale: 1);
        run.AddBatch(TestRun.Alpha, lines: 4, turnaroundS: 5400, timeScale: 1);
        run.AddBatch(TestRun.Alpha, lines: 4, turnaroundS: 9000, timeScale: 1, expired: 1);

        var report = run.Report(Prices);
        var text = MarkdownSections.Of(MarkdownExporter.Render(report), "Three ways to call, per model");

        var batch = report.CallModes.Single().Batch.Cell.Batch!;
        Assert.Equal(3, batch.Count);
        // 11 of 12 lines succeeded; the expired one is not billed. Per request the batch would look 54 % cheaper
        // (11 × 0.18 / 12 = 0.165 against 0.36 per 1k); per successful answer it is the price list's 50 %.
        Assert.Equal(50m, report.CallModes.Single().SavingPercent);
        Assert.Equal(5400, batch.TurnaroundSP50);
        Assert.Equal(9000, batch.TurnaroundSP95);
        Assert.Contains("| batch-api | turnaround (3 batches, max 2.5 h) | 1.5 h | 2.5 h |", text, StringComparison.Ordinal);
        Assert.Contains("its batches came back in 1.5 h (median; the slowest 2.5 h)", text, StringComparison.Ordinal);
        Assert.Contains("Only 91.67 % of its lines succeeded (1 expired) against 100 % synchronously", text, StringComparison.Ordinal);
        Assert.DoesNotContain("simulated", text, StringComparison.Ordinal);
        Assert.Contains("expired", text, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchWithoutBatchPrices_UnpricedInWords_NoSaving()
    {
        using var run = TestRun.Standard();
        run.AddBatch(TestRun.Beta, lines: 8, turnaroundS: 300);

        var report = run.Report(Prices);
        var text = MarkdownSections.Of(MarkdownExporter.Render(report), "Three ways to call, per model");

        var model = report.CallModes.Single();
        Assert.Null(model.SavingPercent);
        Assert.Contains("| batch-api | turnaround (one batch) | 5 min (simulated, 600× time scale) | one batch | 100 % | not priced | not priced | no batch price |", text, StringComparison.Ordinal);
        Assert.Contains("it is not priced in batch (no Batch API price for beta-model in the catalogue (test prices with batch): not priced in batch, never guessed), so its saving cannot be stated", text, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchOnlyModel_AndABatchLeftRunning_FiguresWithoutComparison_NoTurnaroundInvented()
    {
        using var run = TestRun.Standard();
        var left = run.AddBatch("gamma-model", lines: 6, turnaroundS: 3600, timeScale: 1, expired: 6);
        left.ExpiredAt = null;
        left.Status = Bench.Core.Batches.BatchStatuses.InProgress;
        left.Ending = Bench.Core.Batches.BatchEndings.TimedOutLeft;
        left.Message = "--batch-timeout passed; the batch was left running";

        var report = run.Report(Prices);
        var text = MarkdownSections.Of(MarkdownExporter.Render(report), "Three ways to call, per model");

        Assert.Empty(report.CallModes);
        Assert.Null(report.Cells.Single(c => c.Summary.Model == "gamma-model").Batch!.TurnaroundSP50);
        Assert.Contains("**gamma-model**: only batch-api was measured; 0 % of 6 lines succeeded, not priced per 1,000 requests.", text, StringComparison.Ordinal);
        Assert.Contains("| in_progress (timed out left) | 6 | 0 / 0 | – |", text, StringComparison.Ordinal);
        Assert.Contains("--batch-timeout passed; the batch was left running", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SummaryAndCost_BatchCell_NoLatencyColumns_BatchPricesMarked()
    {
        using var run = TestRun.Standard();
        run.AddBatch(TestRun.Alpha, lines: 12, turnaroundS: 1080);

        var markdown = MarkdownExporter.Render(run.Report(Prices));

        Assert.Contains("A batch-api line has no latency of its own", MarkdownSections.Of(markdown, "Summary"), StringComparison.Ordinal);
        Assert.Contains("| alpha-model | batch-api | 1.00 batch | 4.00 batch |", MarkdownSections.Of(markdown, "Cost per 1,000 requests"), StringComparison.Ordinal);
    }

    [Fact]
    public void RunWithoutBatches_NoBatchSectionOrWords()
    {
        using var run = TestRun.Standard();

        var report = run.Report(TestRun.Prices);
        var markdown = MarkdownExporter.Render(report);

        Assert.Empty(report.CallModes);
        Assert.Empty(report.Routing);
        Assert.DoesNotContain("Three ways to call", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("batch", markdown, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(ReportDocumentBuilder.Build(report).Sections, s => s.Id is ReportDocumentBuilder.Ids.CallModes or ReportDocumentBuilder.Ids.Routing);
    }

    [Theory]
    [InlineData(0.25, "250 ms")]
    [InlineData(4.25, "4.3 s")]
    [InlineData(42.0, "42 s")]
    [InlineData(1080.0, "18 min")]
    [InlineData(8640.0, "2.4 h")]
    [InlineData(93_600.0, "26 h")]
    [InlineData(null, "–")]
    [InlineData(double.NaN, "–")]
    public void HumanDuration_PicksTheUnit(double? seconds, string expected) =>
        Assert.Equal(expected, ReportDocumentBuilder.HumanDuration(seconds));
}
