using System.Globalization;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Report.Model;

namespace Bench.Report.Document;

/// <summary>
/// The report's words on the client machine (<see cref="ClientVerdict"/>): when Bench's own process limited the
/// figures, a call-out saying so plainly with one line per limit and its threshold; otherwise one sentence with the
/// figures that show it kept up. Nothing for a results folder written before Bench measured itself (and with no
/// arrival dropped). Invariant culture.
/// </summary>
public static class ClientSaturationText
{
    /// <summary>The section's id (its HTML anchor).</summary>
    public const string Id = "client-machine";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The section of <paramref name="report"/>, or null when there is no verdict.</summary>
    public static Section? Section(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Client is not { } verdict)
        {
            return null;
        }

        var m = verdict.Measured;
        var blocks = new List<Block>();
        if (!verdict.Limited)
        {
            blocks.Add(new Paragraph([string.Create(Inv,
                $"The client machine kept up: Bench's CPU share p90 {Pct(m!.CpuShareP90)} of {m.LogicalCores} logical cores, scheduler lag p99 {m.SchedulerLagP99Ms:0.0} ms, thread-pool queue at most {m.ThreadPoolQueueMax:N0}, at most {m.InFlightMax:N0} requests in flight, no arrival dropped ({m.Samples:N0} samples every {m.IntervalMs:0} ms in "),
                new Span(SpanStyle.Code, ResultsDirectory.ClientFile), ")."]));
            return new Section(Id, "Client machine", blocks);
        }

        blocks.Add(new Quote([new Span(SpanStyle.Strong, "The client machine, not the endpoint, limited these figures."),
            " Latencies include Bench's own delays, and the endpoint may have been offered less load than the scenario asked for."]));
        blocks.Add(new BulletList([.. verdict.Limits.Select(limit => Line(limit, verdict))]));
        blocks.Add(new Paragraph(m is null
            ? ["Measure from a machine with more headroom, or lower the load or split it across machines."]
            : [string.Create(Inv, $"Measure from a machine with more headroom, or lower the load or split it across machines. Every sample ({m.Samples:N0}, every {m.IntervalMs:0} ms) is in "),
                new Span(SpanStyle.Code, ResultsDirectory.ClientFile), "."]));
        return new Section(Id, "Client machine", blocks);
    }

    private static IReadOnlyList<Span> Line(ClientLimit limit, ClientVerdict verdict)
    {
        var m = verdict.Measured;
        return limit switch
        {
            ClientLimit.Cpu => [new Span(SpanStyle.Strong, "CPU"), string.Create(Inv,
                $": Bench's process used {Pct(m!.CpuShareP90)} of the machine's {m.LogicalCores} logical cores in the busiest tenth of the run (p90; mean {Pct(m.CpuShareMean)}), above {Pct(ClientVerdict.CpuShareLimit)}: its threads waited for a core, so sends and timestamps ran late.")],
            ClientLimit.SchedulerLag => [new Span(SpanStyle.Strong, "Scheduler lag"), string.Create(Inv,
                $": the client's timer woke {m!.SchedulerLagP99Ms:0.0} ms late at p99 (worst {m.SchedulerLagMaxMs:N0} ms), above {ClientVerdict.SchedulerLagLimitMs:0} ms: scheduled sends and the timestamps of arriving bytes were late by as much.")],
            ClientLimit.Dropped => [new Span(SpanStyle.Strong, "Dropped arrivals"), string.Create(Inv,
                $": {verdict.Dropped:N0} open arrivals were never sent, because the cap on requests in flight (max_concurrency: {WorkloadStep.DefaultMaxConcurrency:N0} unless the step sets one) was reached or a step ended before the client could send them. The endpoint was offered less load than asked; they are counted apart (dropped), outside every statistic.")],
            _ => [new Span(SpanStyle.Strong, "Thread-pool queue"), string.Create(Inv,
                $": it grew from {m!.ThreadPoolQueueFirstQuarterMean:N0} to {m.ThreadPoolQueueLastQuarterMean:N0} waiting work items (means of the first and last quarter of the run; at most {m.ThreadPoolQueueMax:N0}, with up to {m.ThreadPoolThreadsMax:N0} threads): work arrived faster than the process ran it.")],
        };
    }

    private static string Pct(double share) => (share * 100).ToString("0", Inv) + " %";
}
