using System.Text.Json;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Report.Tests.Charts;
using Bench.Report.Exporters;

namespace Bench.Report.Tests.Model;

/// <summary>The report's "Conversations: per turn": per cell and turn, requests, success, TTFT, prompt and cached tokens
/// and cost per request from records carrying turns, through the one report path (<see cref="ReportBuilder"/>); the
/// keys of summary.json's <c>conversations</c> block are the catalogue's. Expected values worked by hand.</summary>
public sealed class ConversationsReportTests : IDisposable
{
    // $2/M uncached input, $1/M cached input, $8/M output.
    private static readonly PriceCatalog Prices = PriceCatalog.Create("conversation prices",
        [new ModelPrice(TestRun.Alpha, 2m, 1m, 8m, null, null, "test source")]);

    private readonly TestRun _run = new();

    public void Dispose() => _run.Dispose();

    private RequestRecord Turn(string session, int turn, int drawn, Outcome outcome = Outcome.Success, int prompt = 0, int cached = 0, string phase = Phases.Measure)
    {
        var record = _run.Add(TestRun.Alpha, Mode.Streaming, 1000 * _run.Records.Count, phase, 0, outcome); // TTFT 400 ms, 20 completion tokens
        record.SessionId = session;
        record.Turn = turn;
        record.SessionTurns = drawn;
        if (outcome == Outcome.Success)
        {
            record.PromptTokens = prompt;
            record.CachedTokens = cached;
        }

        return record;
    }

    private void Sessions()
    {
        Turn("s0", 1, 3, prompt: 999, phase: Phases.Warmup); // warm-up: not shown
        Turn("s1", 1, 3, prompt: 100);
        Turn("s1", 2, 3, prompt: 250, cached: 100);
        Turn("s1", 3, 3, prompt: 400, cached: 200); // complete
        Turn("s2", 1, 3, prompt: 100);
        Turn("s2", 2, 3, Outcome.RateLimited); // ended early
        Turn("s3", 1, 3, prompt: 100); // cut
        var dropped = Turn("s4", 1, 2, Outcome.Dropped); // ended early, not an attempt
        dropped.HttpStatus = null;
    }

    [Fact]
    public void Write_RecordsWithTurns_PerTurnFiguresAndSessionEndings()
    {
        Sessions();
        _run.Save();

        var report = ReportBuilder.Write(_run.Directory, _run.Run, Prices);

        var cell = Assert.Single(report.Conversations);
        Assert.Equal((TestRun.Alpha, Mode.Streaming), (cell.Cell.Model, cell.Cell.Mode));
        Assert.Equal((4L, 1L, 2L, 1L), (cell.Sessions, cell.Complete, cell.EndedEarly, cell.Cut));
        Assert.Equal([1, 2, 3], cell.Turns.Select(t => t.Turn));
        Assert.Equal([3L, 2L, 1L], cell.Turns.Select(t => t.Requests));
        Assert.Equal([3L, 1L, 1L], cell.Turns.Select(t => t.Successes));
        Assert.Equal([100.0, 250.0, 400.0], cell.Turns.Select(t => t.MeanPromptTokens!.Value));
        Assert.Equal([0.0, 100.0, 200.0], cell.Turns.Select(t => t.MeanCachedTokens!.Value));
        Assert.All(cell.Turns, t => Assert.InRange(t.Ttft!.P50, 399.5, 400.5)); // HdrHistogram, 3 significant digits
        // Turn 1: 100 × $2/M + 20 × $8/M = $0.00036. Turn 3: 200 uncached × $2/M + 200 cached × $1/M + 20 × $8/M = $0.00076.
        Assert.Equal(0.00036m, cell.Turns[0].MeanCostUsd);
        Assert.Equal(0.00076m, cell.Turns[2].MeanCostUsd);
        Assert.Equal(0.00076m / 0.00036m, cell.CostGrowth);

        var markdown = File.ReadAllText(Path.Combine(_run.Directory, "report.md"));
        Assert.Contains("Conversations: per turn", markdown, StringComparison.Ordinal);
        Assert.Contains("4 sessions, 1 complete, 2 ended early, 1 cut", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void SummaryJson_Conversations_EveryKeyIsDeclaredInTheCatalogue_InItsOrder()
    {
        Sessions();
        _run.Save();

        ReportBuilder.Write(_run.Directory, _run.Run, Prices);

        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_run.Directory, SummaryJsonExporter.FileName)));
        var cells = document.RootElement.GetProperty(MetricCatalog.ConversationsJsonKey).EnumerateArray().ToList();
        var cell = Assert.Single(cells);
        Assert.Equal(MetricCatalog.ConversationJsonFields.Select(f => f.Name), cell.EnumerateObject().Select(p => p.Name));
        var turns = cell.GetProperty("turns").EnumerateArray().ToList();
        Assert.Equal(3, turns.Count);
        Assert.All(turns, t => Assert.Equal(MetricCatalog.ConversationTurnJsonFields.Select(f => f.Name), t.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(0.5, turns[1].GetProperty("success_rate").GetDouble());
        Assert.Equal(0.00076m, turns[2].GetProperty("cost_usd_per_request").GetDecimal());
    }

    [Fact]
    public void Write_RecordsWithoutTurns_NoSectionAndNoKey()
    {
        using var run = TestRun.Standard();
        run.Save();

        var report = ReportBuilder.Write(run.Directory, run.Run, TestRun.Prices);

        Assert.Empty(report.Conversations);
        Assert.DoesNotContain("Conversations: per turn", File.ReadAllText(Path.Combine(run.Directory, "report.md")), StringComparison.Ordinal);
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(run.Directory, SummaryJsonExporter.FileName)));
        Assert.False(document.RootElement.TryGetProperty(MetricCatalog.ConversationsJsonKey, out _));
    }
}
