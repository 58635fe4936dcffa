using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Report.Exporters;
using Bench.Report.Model;

namespace Bench.Report.Tests.Exporters;

/// <summary>The report tells an open run that kept its schedule from one with a few late sends and from one whose
/// client fell behind (coordinated omission made visible, never hidden).</summary>
public class ScheduleVerdictTests
{
    /// <summary>100 requests intended every 50 ms (20/s); <paramref name="lagMs"/> gives each one's send lag;
    /// <paramref name="dropped"/> picks the arrivals the client dropped instead of sending.</summary>
    private static RunReport OpenRun(Func<int, double> lagMs, Func<int, bool>? dropped = null)
    {
        var aggregator = new RunAggregator();
        for (var i = 0; i < 100; i++)
        {
            var intended = i * 50.0;
            var sent = intended + lagMs(i);
            aggregator.Add(dropped?.Invoke(i) == true
                ? new RequestRecord { Id = i, Model = "m", Mode = Mode.NonStreaming, IntendedMs = intended, SentMs = intended, EndMs = intended, Outcome = Outcome.Dropped }
                : new RequestRecord
                {
                    Id = i, Model = "m", Mode = Mode.NonStreaming, IntendedMs = intended, SentMs = sent, FirstByteMs = sent + 90,
                    EndMs = sent + 100, PromptTokens = 10, CompletionTokens = 10, Outcome = Outcome.Success,
                });
        }

        return RunReport.Build(new RunInfo { RunId = "r", Scenario = "s" }, aggregator, new RecordsReadResult { Records = 100 },
            PriceCatalog.Create("none", []));
    }

    private static string Markdown(RunReport report) => MarkdownExporter.Render(report);

    [Fact]
    public void OnTime_IsOnSchedule()
    {
        var report = OpenRun(_ => 0.5);

        Assert.Equal(ScheduleKeeping.OnSchedule, ScheduleVerdict.Judge(report.Cells.Single().Summary));
        Assert.Contains("on schedule (99 % within 0.5 ms)", Markdown(report), StringComparison.Ordinal);
    }

    [Fact]
    public void AFewLateSends_KeepTheRate_AndAreNamed()
    {
        var report = OpenRun(i => i % 50 == 7 ? 150 : 0.5); // 2 of 100 requests leave 150 ms late

        Assert.Equal(ScheduleKeeping.LateSends, ScheduleVerdict.Judge(report.Cells.Single().Summary));
        var md = Markdown(report);
        Assert.Contains("**late sends**", md, StringComparison.Ordinal);
        Assert.Contains("worst 150 ms", md, StringComparison.Ordinal);
        Assert.DoesNotContain("fell behind", md, StringComparison.Ordinal);
    }

    [Fact]
    public void AClientThatFallsBehind_IsReported_WithTheRateItReallySent()
    {
        var report = OpenRun(i => i * 25.0); // each request leaves 25 ms later than the last: 13.3/s instead of 20/s

        var summary = report.Cells.Single().Summary;
        Assert.Equal(ScheduleKeeping.Behind, ScheduleVerdict.Judge(summary));
        Assert.Equal(20, summary.IntendedRatePerS!.Value, 1);
        Assert.Equal(13.33, summary.AchievedSendRatePerS!.Value, 1);
        var md = Markdown(report);
        Assert.Contains("**behind schedule**: sent 13.33 of 20 req/s", md, StringComparison.Ordinal);
        Assert.Contains("The client fell behind the schedule", md, StringComparison.Ordinal);
        Assert.Contains("requests went out later than intended", md, StringComparison.Ordinal);
    }

    [Fact]
    public void AClientThatDropsArrivals_SaysTheyWereNeverSent_NotThatTheyLeftLate()
    {
        var report = OpenRun(_ => 0.5, dropped: i => i % 2 == 1); // every other arrival dropped at the cap: 10/s of 20/s sent

        var summary = report.Cells.Single().Summary;
        Assert.Equal(ScheduleKeeping.Behind, ScheduleVerdict.Judge(summary));
        Assert.Equal(50, summary.Requests);
        var md = Markdown(report);
        Assert.Contains("The client fell behind the schedule", md, StringComparison.Ordinal);
        Assert.Contains("50 arrivals were never sent (dropped: the cap on requests in flight was reached, or the step had ended)", md, StringComparison.Ordinal);
        Assert.DoesNotContain("requests went out later than intended", md, StringComparison.Ordinal);
    }
}
