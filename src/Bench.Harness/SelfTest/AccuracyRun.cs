using System.Collections.Concurrent;
using System.Net;
using Bench.Core.Client;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Load.Running;
using Bench.Simulator.Hosting;

namespace Bench.Harness.SelfTest;

/// <summary>
/// The accuracy part of <c>bench selftest</c>: an open (constant-rate) load from Bench's own load engine and client
/// against the embedded simulator's fixed-delay model, streaming then non-streaming. The simulator shares this
/// process's <see cref="System.Diagnostics.Stopwatch"/>, so its record of each request (when it received it, flushed
/// the first token and the last byte) is on the client's clock, and each record is joined to it by request id.
/// </summary>
internal static class AccuracyRun
{
    /// <summary>How long to wait for the simulator's last reports after the client has read every response.</summary>
    private static readonly TimeSpan ReportWait = TimeSpan.FromSeconds(5);

    /// <summary>Runs both modes and returns one result per mode.</summary>
    public static async Task<IReadOnlyList<AccuracyResult>> RunAsync(SelfTestOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var truth = new GroundTruth();
        var apiKey = "sk-selftest-" + Guid.NewGuid().ToString("N");
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Profiles = [SelfTestProfiles.Fixed()],
            ApiKey = apiKey,
            Seed = options.Seed,
            OnCompleted = truth.Add,
        }, cancellationToken).ConfigureAwait(false);

        var clock = new RunClock();
        var records = new ConcurrentQueue<RequestRecord>();
        using var http = BenchHttpClient.Create();
        var client = new ChatClient(http, new Endpoint(simulator.BaseUrl, apiKey), clock, new ChatClientOptions { Timeout = TimeSpan.FromSeconds(30) });
        var shape = new RequestShape { PromptTokens = SelfTestProfiles.PromptTokens, MaxTokens = SelfTestProfiles.MaxTokens };
        var runner = new LoadRunner(new ChatExecutor(client, shape, options.Seed), clock, records.Enqueue, seed: options.Seed);
        Cell[] cells = [new(SelfTestProfiles.FixedModel, Mode.Streaming), new(SelfTestProfiles.FixedModel, Mode.NonStreaming)];
        await runner.RunAsync(cells, Steps(options), cancellationToken).ConfigureAwait(false);

        var all = records.ToArray();
        await truth.WaitForAsync([.. all.Select(r => r.Id)], ReportWait, cancellationToken).ConfigureAwait(false);
        return [.. cells.Select(cell => Summarize(cell, all, truth, clock, options))];
    }

    /// <summary>A 1 s warm-up at 5 requests/s (opens connections, JIT-compiles the paths), then the measured constant
    /// rate.</summary>
    internal static IReadOnlyList<WorkloadStep> Steps(SelfTestOptions options) =>
    [
        new() { Kind = StepKind.Inject, Rate = 5, Duration = TimeSpan.FromSeconds(1), Warmup = true },
        new() { Kind = StepKind.Inject, Rate = options.OpenRatePerS, Duration = options.OpenDuration },
    ];

    /// <summary>Joins one cell's measured records to the simulator's reports and summarises the differences.</summary>
    internal static AccuracyResult Summarize(Cell cell, IReadOnlyList<RequestRecord> records, GroundTruth truth, RunClock clock, SelfTestOptions options)
    {
        var aggregator = new CellAggregator(cell.Model, cell.Mode);
        var measured = records.Where(r => r.Phase == Phases.Measure && r.Model == cell.Model && r.Mode == cell.Mode).ToList();
        foreach (var record in measured)
        {
            aggregator.Add(record);
        }

        var streaming = cell.Mode == Mode.Streaming;
        var join = TruthJoin.Of(measured, truth, clock, streaming ? SelfTestProfiles.FixedTtftMs : null, SelfTestProfiles.FixedE2eMs);
        var summary = aggregator.Summarize();
        return new AccuracyResult(join)
        {
            Mode = Names.Of(cell.Mode),
            Model = cell.Model,
            IntendedRatePerS = options.OpenRatePerS,
            ScheduledRatePerS = summary.IntendedRatePerS,
            AchievedSendRatePerS = summary.AchievedSendRatePerS,
            Requests = summary.Requests,
            Successes = summary.Successes,
            ProfileTtftMs = streaming ? SelfTestProfiles.FixedTtftMs : null,
            ProfileE2eMs = SelfTestProfiles.FixedE2eMs,
            QueueMs = summary.Get(Metric.Queue),
            TtftMs = summary.Get(Metric.Ttft),
            E2eMs = summary.Get(Metric.E2e),
        };
    }
}
