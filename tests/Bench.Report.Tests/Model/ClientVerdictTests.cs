using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Report.Document;
using Bench.Report.Exporters;
using Bench.Report.Model;

namespace Bench.Report.Tests.Model;

/// <summary>The report says plainly when the client machine, not the endpoint, limited the figures — one line per limit
/// with its threshold — says in one sentence that it kept up otherwise, and stays silent on a results folder written
/// before Bench measured itself.</summary>
public class ClientVerdictTests
{
    /// <summary>A client that kept up: every figure below its threshold.</summary>
    private static ClientSaturation Calm() => new()
    {
        IntervalMs = 250, Samples = 40, LogicalCores = 2, CpuShareMean = 0.2, CpuShareP90 = 0.3, CpuShareMax = 0.5,
        SchedulerLagP50Ms = 0.4, SchedulerLagP99Ms = 1.5, SchedulerLagMaxMs = 2, ThreadPoolQueueFirstQuarterMean = 0,
        ThreadPoolQueueLastQuarterMean = 1, ThreadPoolQueueMax = 4, ThreadPoolThreadsMax = 12, InFlightMax = 8, Dropped = 0,
    };

    /// <summary>A report of 10 successful requests and <paramref name="dropped"/> dropped arrivals.</summary>
    private static RunReport Report(ClientSaturation? client, int dropped = 0)
    {
        var aggregator = new RunAggregator();
        for (var i = 0; i < 10 + dropped; i++)
        {
            aggregator.Add(new RequestRecord
            {
                Id = i, Model = "m", Mode = Mode.NonStreaming, IntendedMs = i * 50.0, SentMs = i * 50.0, EndMs = (i * 50.0) + (i < 10 ? 100 : 0),
                PromptTokens = 10, CompletionTokens = 10, Outcome = i < 10 ? Outcome.Success : Outcome.Dropped,
            });
        }

        return RunReport.Build(new RunInfo { RunId = "r", Scenario = "s", Client = client }, aggregator, new RecordsReadResult { Records = 10 + dropped },
            PriceCatalog.Create("none", []));
    }

    private static string Markdown(RunReport report) => MarkdownExporter.Render(report);

    [Fact]
    public void OldResultsFolder_NoClientSection_NoVerdict_NoSection()
    {
        var report = Report(null);

        Assert.Null(report.Client);
        Assert.Null(ClientSaturationText.Section(report));
        Assert.DoesNotContain("Client machine", Markdown(report), StringComparison.Ordinal);
    }

    [Fact]
    public void ClientKeptUp_NotLimited_OneSentenceWithTheFigures()
    {
        var report = Report(Calm());

        Assert.False(report.Client!.Limited);
        var md = Markdown(report);
        Assert.Contains("## Client machine", md, StringComparison.Ordinal);
        Assert.Contains("The client machine kept up: Bench's CPU share p90 30 % of 2 logical cores, scheduler lag p99 1.5 ms, thread-pool queue at most 4, at most 8 requests in flight, no arrival dropped (40 samples every 250 ms in `client.csv`).", md, StringComparison.Ordinal);
        Assert.DoesNotContain("not the endpoint", md, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.85, false)]
    [InlineData(0.86, true)]
    public void Cpu_AboveItsThreshold_IsALimit(double p90, bool limited)
    {
        var client = Calm();
        client.CpuShareP90 = p90;

        Assert.Equal(limited, ClientVerdict.For(new RunInfo { Client = client }, [])!.Limits.Contains(ClientLimit.Cpu));
    }

    [Theory]
    [InlineData(5.0, false)]
    [InlineData(5.1, true)]
    public void SchedulerLag_AboveItsThreshold_IsALimit(double p99, bool limited)
    {
        var client = Calm();
        client.SchedulerLagP99Ms = p99;

        Assert.Equal(limited, ClientVerdict.For(new RunInfo { Client = client }, [])!.Limits.Contains(ClientLimit.SchedulerLag));
    }

    [Theory]
    [InlineData(0, 100, true)] // grew from nothing to 100 waiting
    [InlineData(0, 99, false)] // rising, but too short a queue to matter
    [InlineData(60, 120, false)] // not more than doubled: a steady load, not a backlog building up
    [InlineData(60, 121, true)]
    public void ThreadPoolQueue_GrowingPastItsFloor_IsALimit(double first, double last, bool limited)
    {
        var client = Calm();
        client.ThreadPoolQueueFirstQuarterMean = first;
        client.ThreadPoolQueueLastQuarterMean = last;

        Assert.Equal(limited, ClientVerdict.For(new RunInfo { Client = client }, [])!.Limits.Contains(ClientLimit.ThreadPoolQueue));
    }

    [Fact]
    public void EveryLimit_SaidPlainly_OneLineEach()
    {
        var client = Calm();
        client.CpuShareP90 = 0.97;
        client.CpuShareMean = 0.9;
        client.SchedulerLagP99Ms = 23.4;
        client.SchedulerLagMaxMs = 180;
        client.ThreadPoolQueueFirstQuarterMean = 3;
        client.ThreadPoolQueueLastQuarterMean = 850;
        client.ThreadPoolQueueMax = 1200;
        client.Dropped = 412;

        var report = Report(client, dropped: 4);

        Assert.Equal([ClientLimit.Cpu, ClientLimit.SchedulerLag, ClientLimit.Dropped, ClientLimit.ThreadPoolQueue], report.Client!.Limits);
        var md = Markdown(report);
        Assert.Contains("> **The client machine, not the endpoint, limited these figures.** Latencies include Bench's own delays", md, StringComparison.Ordinal);
        Assert.Contains("- **CPU**: Bench's process used 97 % of the machine's 2 logical cores in the busiest tenth of the run (p90; mean 90 %), above 85 %", md, StringComparison.Ordinal);
        Assert.Contains("- **Scheduler lag**: the client's timer woke 23.4 ms late at p99 (worst 180 ms), above 5 ms", md, StringComparison.Ordinal);
        // The sampler's count (the whole run, every phase) is the one reported when there is one.
        Assert.Contains("- **Dropped arrivals**: 412 open arrivals were never sent, because the cap on requests in flight (max_concurrency: 1,000 unless the step sets one) was reached", md, StringComparison.Ordinal);
        Assert.Contains("- **Thread-pool queue**: it grew from 3 to 850 waiting work items", md, StringComparison.Ordinal);
        Assert.Contains("Every sample (40, every 250 ms) is in `client.csv`.", md, StringComparison.Ordinal);
    }

    [Fact]
    public void OldResultsFolder_WithDroppedRecords_StillSaysTheClientLimited()
    {
        var report = Report(null, dropped: 3);

        Assert.Equal([ClientLimit.Dropped], report.Client!.Limits);
        Assert.Equal(3, report.Client.Dropped);
        var md = Markdown(report);
        Assert.Contains("- **Dropped arrivals**: 3 open arrivals were never sent", md, StringComparison.Ordinal);
        Assert.Contains("Measure from a machine with more headroom, or lower the load or split it across machines.", md, StringComparison.Ordinal);
        Assert.Equal(10, report.Cells.Single().Summary.Requests); // dropped arrivals stay outside the requests
    }
}
