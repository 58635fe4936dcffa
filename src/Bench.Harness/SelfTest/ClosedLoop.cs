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
/// With a settle limit the warm-up also lasts until the JIT has gone quiet (see <see cref="SettleQuietPeriod"/>), so the
/// window measures the steady per-request cost rather than tiered compilation of code first run in this step; each step
/// says how long its warm-up was and how many methods were still compiled in its window.
/// </summary>
internal static class ClosedLoop
{
    /// <summary>The JIT counts as quiet once no method was compiled (<see cref="System.Runtime.JitInfo.GetCompiledMethodCount"/>,
    /// tier-ups included) for this long: longer than tiered compilation's 100 ms call-counting delay plus a
    /// background compile.</summary>
    public static readonly TimeSpan SettleQuietPeriod = TimeSpan.FromMilliseconds(500);

    /// <summary>Runs one step and returns its measurements.</summary>
    /// <param name="client">Client name for the result (<c>bench</c>, <c>openai-sdk</c>).</param>
    /// <param name="mode">Mode name for the result.</param>
    /// <param name="concurrency">Workers.</param>
    /// <param name="warmup">Unmeasured time before the window (connections opened, code JIT-compiled).</param>
    /// <param name="duration">The measured window.</param>
    /// <param name="send">Sends request number <c>n</c>; must not throw except on cancellation.</param>
    /// <param name="serverCpu">Reads the server's CPU time so far.</param>
    /// <param name="cancellationToken">Stops the step.</param>
    /// <param name="settleLimit">When positive, the warm-up goes on after <paramref name="warmup"/> until the JIT is
    /// quiet (<see cref="SettleQuietPeriod"/>), for at most this much longer; zero: <paramref name="warmup"/> only.</param>
    public static async Task<CeilingStep> MeasureAsync(
        string client,
        string mode,
        int concurrency,
        TimeSpan warmup,
        TimeSpan duration,
        Func<long, CancellationToken, Task<LoopOutcome>> send,
        Func<TimeSpan> serverCpu,
        CancellationToken cancellationToken,
        TimeSpan settleLimit = default)
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

        var warmupStarted = Stopwatch.GetTimestamp();
        await Task.Delay(warmup, cancellationToken).ConfigureAwait(false);
        if (settleLimit > TimeSpan.Zero)
        {
            var settleStarted = Stopwatch.GetTimestamp();
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            while (Stopwatch.GetElapsedTime(settleStarted) < settleLimit)
            {
                await Task.Delay(SettleQuietPeriod, cancellationToken).ConfigureAwait(false);
                var now = System.Runtime.JitInfo.GetCompiledMethodCount();
                if (now == compiled)
                {
                    break;
                }

                compiled = now;
            }
        }

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
            WarmupS = Math.Round((start.Timestamp - warmupStarted) / (double)Stopwatch.Frequency, 3),
            JitMethodsInWindow = end.JitMethods - start.JitMethods,
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
    /// <c>CountingCpu</c> the token-counting thread's share of it (<see cref="TokenCountingQueue"/>); <c>JitMethods</c>
    /// the methods the JIT has compiled so far.</summary>
    private readonly record struct Snapshot(long Timestamp, long Requests, long Failures, long Events, TimeSpan ClientCpu, TimeSpan CountingCpu, TimeSpan ServerCpu, long JitMethods)
    {
        public static Snapshot Take(Counters counters, Func<TimeSpan> serverCpu) => new(
            Stopwatch.GetTimestamp(),
            counters.Requests,
            counters.Failures,
            counters.Events,
            Environment.CpuUsage.TotalTime,
            TokenCountingQueue.SharedCpuTime,
            serverCpu(),
            System.Runtime.JitInfo.GetCompiledMethodCount());
    }
}
