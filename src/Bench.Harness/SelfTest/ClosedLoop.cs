using System.Diagnostics;
using Bench.Core.Tokens;

namespace Bench.Harness.SelfTest;

/// <summary>What one request of a closed loop did.</summary>
/// <param name="Success">Whether it completed successfully.</param>
/// <param name="Events">SSE events received on the wire, <c>[DONE]</c> included (0 for non-streaming).</param>
/// <param name="Error">Why it failed, when it did.</param>
internal readonly record struct LoopOutcome(bool Success, int Events, string? Error);

/// <summary>
/// A closed loop for the client-ceiling steps: <c>concurrency</c> workers each send their next request when the last
/// one ends. Workers run through a warm-up and then a measured window; counts and CPU times are snapshots at the
/// window's two edges, so requests in flight at an edge count where they complete and nothing is lost or double
/// counted. The window's length is measured, not assumed (a timer that wakes late lengthens it, and rates stay right).
/// </summary>
internal static class ClosedLoop
{
    /// <summary>Runs one step and returns its measurements.</summary>
    /// <param name="client">Client name for the result (<c>bench</c>, <c>openai-sdk</c>).</param>
    /// <param name="mode">Mode name for the result.</param>
    /// <param name="concurrency">Workers.</param>
    /// <param name="warmup">Unmeasured time before the window (connections opened, code JIT-compiled).</param>
    /// <param name="duration">The measured window.</param>
    /// <param name="send">Sends request number <c>n</c>; must not throw except on cancellation.</param>
    /// <param name="serverCpu">Reads the server's CPU time so far.</param>
    /// <param name="cancellationToken">Stops the step.</param>
    public static async Task<CeilingStep> MeasureAsync(
        string client,
        string mode,
        int concurrency,
        TimeSpan warmup,
        TimeSpan duration,
        Func<long, CancellationToken, Task<LoopOutcome>> send,
        Func<TimeSpan> serverCpu,
        CancellationToken cancellationToken)
    {
        var counters = new Counters();
        var stop = 0;
        long next = 0;
        var workers = new Task[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            workers[i] = Task.Run(async () =>
            {
                while (Volatile.Read(ref stop) == 0)
                {
                    var outcome = await send(Interlocked.Increment(ref next), cancellationToken).ConfigureAwait(false);
                    counters.Add(outcome);
                }
            }, cancellationToken);
        }

        await Task.Delay(warmup, cancellationToken).ConfigureAwait(false);
        var start = Snapshot.Take(counters, serverCpu);
        await Task.Delay(duration, cancellationToken).ConfigureAwait(false);
        var end = Snapshot.Take(counters, serverCpu);
        Volatile.Write(ref stop, 1);
        await Task.WhenAll(workers).ConfigureAwait(false);

        var seconds = (end.Timestamp - start.Timestamp) / (double)Stopwatch.Frequency;
        var requests = end.Requests - start.Requests;
        var events = end.Events - start.Events;
        var processCpu = (end.ClientCpu - start.ClientCpu).TotalMicroseconds;
        var countingCpu = (end.CountingCpu - start.CountingCpu).TotalMicroseconds;
        var clientCpu = processCpu - countingCpu;
        var machineUs = seconds * 1e6 * Environment.ProcessorCount;
        return new CeilingStep
        {
            Client = client,
            Mode = mode,
            Concurrency = concurrency,
            DurationS = Math.Round(seconds, 3),
            Requests = requests,
            Failures = end.Failures - start.Failures,
            FirstFailure = counters.FirstError,
            Events = events,
            RequestsPerS = requests / seconds,
            EventsPerS = events / seconds,
            ClientCpuPercent = 100 * processCpu / machineUs,
            TokenCountingCpuPercent = 100 * countingCpu / machineUs,
            TokenCountingCpuUsPerRequest = requests > 0 ? countingCpu / requests : null,
            ServerCpuPercent = 100 * (end.ServerCpu - start.ServerCpu).TotalMicroseconds / machineUs,
            ClientCpuUsPerRequest = requests > 0 ? clientCpu / requests : null,
            ClientCpuUsPerEvent = events > 0 ? clientCpu / events : null,
        };
    }

    private sealed class Counters
    {
        private long _requests;
        private long _failures;
        private long _events;
        private string? _firstError;

        public long Requests => Interlocked.Read(ref _requests);

        public long Failures => Interlocked.Read(ref _failures);

        public long Events => Interlocked.Read(ref _events);

        public string? FirstError => Volatile.Read(ref _firstError);

        public void Add(LoopOutcome outcome)
        {
            Interlocked.Add(ref _events, outcome.Events);
            if (!outcome.Success)
            {
                Interlocked.Increment(ref _failures);
                Interlocked.CompareExchange(ref _firstError, outcome.Error ?? "failed", null);
            }

            // Counted last, so a snapshot never sees a request without its events.
            Interlocked.Increment(ref _requests);
        }
    }

    /// <summary>Counters and CPU times at one edge of the window: <c>ClientCpu</c> is the whole process's,
    /// <c>CountingCpu</c> the token-counting thread's share of it (<see cref="TokenCountingQueue"/>).</summary>
    private readonly record struct Snapshot(long Timestamp, long Requests, long Failures, long Events, TimeSpan ClientCpu, TimeSpan CountingCpu, TimeSpan ServerCpu)
    {
        public static Snapshot Take(Counters counters, Func<TimeSpan> serverCpu) => new(
            Stopwatch.GetTimestamp(),
            counters.Requests,
            counters.Failures,
            counters.Events,
            Environment.CpuUsage.TotalTime,
            TokenCountingQueue.SharedCpuTime,
            serverCpu());
    }
}
