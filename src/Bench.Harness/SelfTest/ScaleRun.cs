using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Bench.Core.Client;
using Bench.Core.Hosting;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Text;

namespace Bench.Harness.SelfTest;

/// <summary>
/// A scale step of <c>bench selftest</c>: Bench's <see cref="ChatClient"/> keeps <c>streams</c> streamed requests in
/// flight (closed load: each stream sends its next request when the last ends) against the simulator in a child
/// process serving <see cref="SelfTestProfiles.ScaleModel"/>, whose answers last long enough that every stream is open
/// at once without saturating the machine. The child appends its record of every request to its <c>--timings</c>
/// file; its Stopwatch timestamps are <c>CLOCK_MONOTONIC</c> on Linux, the same clock as this process's, so each
/// record is joined by request id and compared as <see cref="AccuracyRun"/> compares the embedded simulator's.
/// </summary>
/// <remarks>
/// Phases: a ramp of one answer's length in which stream i starts at i / streams of it (connects arrive at
/// streams / E2E per second, which the listen backlog absorbs, rather than all at once; and answers end spread out, not
/// in waves); then the measured window, in which every stream is in flight and whatever is sent is measured, with both
/// processes' CPU time read at its edges; then no stream sends again and the last answers are read to their end.
/// </remarks>
internal sealed class ScaleRun(ChildSimulator server, string apiKey, TimingsTail timings, GroundTruth truth, SelfTestOptions options)
{
    /// <summary>How long to wait for the child's last records once every response has been read.</summary>
    private static readonly TimeSpan ReportWait = TimeSpan.FromSeconds(15);

    private readonly string _promptBody = SyntheticText.Prompt(SelfTestProfiles.PromptTokens - 2, options.Seed);
    private long _nextId;

    /// <summary>Runs one step of <paramref name="streams"/> concurrent streams.</summary>
    public async Task<ScaleResult> RunAsync(int streams, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(streams, 1);
        var e2eMs = SelfTestProfiles.ScaleE2eMs(options);
        var descriptors = DescriptorLimit.Ensure(DescriptorLimit.Needed(streams, serverInProcess: false));
        if (descriptors.Problem(string.Create(CultureInfo.InvariantCulture, $"{streams:N0} concurrent streams")) is { } problem)
        {
            return new ScaleResult
            {
                Streams = streams,
                Model = SelfTestProfiles.ScaleModel,
                ProfileTtftMs = options.ScaleTtftMs,
                ProfileE2eMs = e2eMs,
                DescriptorSoftLimit = descriptors.Soft,
                SkippedReason = problem,
            };
        }

        var ramp = TimeSpan.FromMilliseconds(e2eMs);
        var clock = new RunClock();
        using var http = BenchHttpClient.Create(); // the pool opens a connection per request in flight (no cap)
        var client = new ChatClient(http, new Endpoint(server.BaseUrl, apiKey), clock,
            new ChatClientOptions { Timeout = ramp + TimeSpan.FromSeconds(60) });
        var records = new ConcurrentQueue<RequestRecord>();
        var state = new State();

        var workers = new Task[streams];
        for (var i = 0; i < streams; i++)
        {
            workers[i] = StreamAsync(client, ramp * i / streams, records, state, cancellationToken);
        }

        await Task.Delay(ramp, cancellationToken).ConfigureAwait(false);
        var start = Snapshot.Take(state, server);
        Volatile.Write(ref state.Phase, State.Measuring);
        await Task.Delay(options.ScaleWindow, cancellationToken).ConfigureAwait(false);
        var end = Snapshot.Take(state, server);
        Volatile.Write(ref state.Phase, State.Stopped);
        await Task.WhenAll(workers).ConfigureAwait(false);

        var measured = records.Where(r => r.Phase == Phases.Measure).ToList();
        await truth.WaitForAsync([.. measured.Select(r => r.Id)], ReportWait, cancellationToken, timings.Refresh).ConfigureAwait(false);
        var aggregator = new CellAggregator(SelfTestProfiles.ScaleModel, Mode.Streaming);
        foreach (var record in measured)
        {
            aggregator.Add(record);
        }

        var summary = aggregator.Summarize();
        var join = TruthJoin.Of(measured, truth, clock, options.ScaleTtftMs, e2eMs);
        var seconds = (end.Timestamp - start.Timestamp) / (double)Stopwatch.Frequency;
        var machineUs = seconds * 1e6 * Environment.ProcessorCount;
        var failure = measured.FirstOrDefault(r => r.Outcome != Outcome.Success);
        return new ScaleResult(join)
        {
            Streams = streams,
            Model = SelfTestProfiles.ScaleModel,
            ProfileTtftMs = options.ScaleTtftMs,
            ProfileE2eMs = e2eMs,
            DescriptorSoftLimit = descriptors.Soft,
            RampS = Math.Round(ramp.TotalSeconds, 3),
            WindowS = Math.Round(seconds, 3),
            Requests = measured.Count,
            Successes = measured.Count(r => r.Outcome == Outcome.Success),
            FirstFailure = failure is null ? null : $"{Names.Of(failure.Outcome)}: {failure.Error?.Message}",
            InFlightAtEnd = end.InFlight,
            RequestsPerS = (end.Completed - start.Completed) / seconds,
            EventsPerS = (end.Events - start.Events) / seconds,
            ClientCpuPercent = 100 * (end.ClientCpu - start.ClientCpu).TotalMicroseconds / machineUs,
            ServerCpuPercent = 100 * (end.ServerCpu - start.ServerCpu).TotalMicroseconds / machineUs,
            ClientGcPauseMs = Math.Round((end.GcPause - start.GcPause).TotalMilliseconds, 1),
            ClientGen2Collections = end.Gen2Collections - start.Gen2Collections,
            TtftMs = summary.Get(Metric.Ttft),
            E2eMs = summary.Get(Metric.E2e),
        };
    }

    /// <summary>One stream: waits for its start in the ramp, then sends request after request until stopped or one
    /// fails. Each request's phase is decided when it is sent.</summary>
    private async Task StreamAsync(ChatClient client, TimeSpan startAfter, ConcurrentQueue<RequestRecord> records, State state, CancellationToken cancellationToken)
    {
        await Task.Delay(startAfter, cancellationToken).ConfigureAwait(false);
        while (Volatile.Read(ref state.Phase) is var phase && phase != State.Stopped)
        {
            var id = Interlocked.Increment(ref _nextId);
            var request = new ChatRequest(SelfTestProfiles.ScaleModel, Mode.Streaming,
                [new ChatMessage("user", string.Create(CultureInfo.InvariantCulture, $"request {id} {_promptBody}"))], SelfTestProfiles.MaxTokens);
            Interlocked.Increment(ref state.InFlight);
            var record = await client.SendAsync(request, new RequestContext(id, phase == State.Measuring ? Phases.Measure : Phases.Warmup), cancellationToken)
                .ConfigureAwait(false);
            Interlocked.Add(ref state.Events, record.Events);
            Interlocked.Increment(ref state.Completed);
            Interlocked.Decrement(ref state.InFlight);
            records.Enqueue(record);
            if (record.Outcome != Outcome.Success)
            {
                // A failed stream ends (it shows as fewer in flight and as a failure): a server that refuses at once
                // must not turn the loop into a storm of failures.
                return;
            }
        }
    }

    /// <summary>Shared counters of the streams.</summary>
    private sealed class State
    {
        public const int Ramping = 0;
        public const int Measuring = 1;
        public const int Stopped = 2;

        public int Phase = Ramping;
        public long InFlight;
        public long Completed;
        public long Events;
    }

    private readonly record struct Snapshot(long Timestamp, long InFlight, long Completed, long Events, TimeSpan ClientCpu, TimeSpan ServerCpu,
        TimeSpan GcPause, int Gen2Collections)
    {
        public static Snapshot Take(State state, ChildSimulator server) => new(
            Stopwatch.GetTimestamp(),
            Interlocked.Read(ref state.InFlight),
            Interlocked.Read(ref state.Completed),
            Interlocked.Read(ref state.Events),
            Environment.CpuUsage.TotalTime,
            server.CpuTime,
            GC.GetTotalPauseDuration(),
            GC.CollectionCount(2));
    }
}
