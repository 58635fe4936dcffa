using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Bench.Core.Tokens;

/// <summary>
/// Local token counting off the request path: one background thread of the process counts, in batches, what the
/// requests hand it, so that tokenizing (a prompt and an answer: about 7 µs for 150 tokens of ASCII text, more for
/// other text) never runs on the threads that read sockets and timestamp events. The queue is bounded
/// (<see cref="Capacity"/> requests): a sender that finds it full waits for room, so a run that outpaces the tokenizer
/// slows its own closed loops rather than growing memory without end; nothing is dropped.
/// </summary>
/// <remarks>
/// <para>The thread's CPU time is measured apart (<see cref="CpuTime"/>: <c>CLOCK_THREAD_CPUTIME_ID</c> on Linux and
/// macOS, the wall time spent counting elsewhere or where that clock does not answer), so <c>bench selftest</c> reports the client's request-path CPU and
/// the tokenizer's separately. Completions run their continuations asynchronously (never on the counting thread), so
/// the rest of a request's work is never charged to the tokenizer.</para>
/// <para>A work item that throws leaves its counts unset (the record keeps the server's usage, or none) and the
/// thread goes on.</para>
/// </remarks>
public sealed class TokenCountingQueue
{
    /// <summary>Requests that may wait for counting before a sender waits for room.</summary>
    public const int Capacity = 8192;

    private static readonly Lazy<TokenCountingQueue> s_shared = new(() => new TokenCountingQueue(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Channel<Pending> _channel = Channel.CreateBounded<Pending>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private long _cpuNs;
    private long _counted;

    private TokenCountingQueue()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "bench token counting" };
        thread.Start();
    }

    /// <summary>The process's one queue (its thread starts on first use).</summary>
    public static TokenCountingQueue Shared => s_shared.Value;

    /// <summary>CPU time the counting thread has spent counting since the process started.</summary>
    public TimeSpan CpuTime => TimeSpan.FromTicks(Interlocked.Read(ref _cpuNs) / 100);

    /// <summary>Work items counted since the process started.</summary>
    public long Counted => Interlocked.Read(ref _counted);

    /// <summary>CPU time of the shared queue's thread, or zero when it never started (for callers that only read it).</summary>
    public static TimeSpan SharedCpuTime => s_shared.IsValueCreated ? s_shared.Value.CpuTime : TimeSpan.Zero;

    /// <summary>Runs <paramref name="count"/> on the counting thread; the task completes when it has run (or thrown:
    /// the exception is swallowed, see the remarks).</summary>
    /// <param name="count">The counting work; it must only touch state no one else uses until the task completes.</param>
    public ValueTask CountAsync(Action count)
    {
        ArgumentNullException.ThrowIfNull(count);
        var pending = new Pending(count);
        if (_channel.Writer.TryWrite(pending))
        {
            return new ValueTask(pending.Task);
        }

        return WaitForRoomAsync(pending);
    }

    private async ValueTask WaitForRoomAsync(Pending pending)
    {
        await _channel.Writer.WriteAsync(pending).ConfigureAwait(false);
        await pending.Task.ConfigureAwait(false);
    }

    private void Run()
    {
        var reader = _channel.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            // Everything queued is counted in one batch; each item's CPU time is added before its sender resumes, so
            // a sender that reads CpuTime after its count sees it.
            var last = ThreadCpu.Now();
            while (reader.TryRead(out var pending))
            {
                try
                {
                    pending.Count();
                }
#pragma warning disable CA1031 // A counting failure must not end the thread nor fail the request: counts stay unset.
                catch (Exception)
#pragma warning restore CA1031
                {
                }

                var now = ThreadCpu.Now();
                Interlocked.Add(ref _cpuNs, now - last);
                Interlocked.Increment(ref _counted);
                last = now;
                pending.TrySetResult();
            }
        }
    }

    private sealed class Pending(Action count) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public Action Count { get; } = count;
    }

    /// <summary>The calling thread's CPU time in ns (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>), or the
    /// <see cref="Stopwatch"/> in ns where that clock is not available.</summary>
    private static class ThreadCpu
    {
        private const int LinuxThreadCpuClock = 3;
        private const int MacThreadCpuClock = 16;

        // Whether the thread CPU clock answers here, asked once (no libc, a refusal: the wall time instead), so the
        // counting thread never dies of a missing clock and its figure is of one kind for the whole run.
        private static readonly bool s_threadClock = Probe();

        public static long Now() =>
            s_threadClock && ClockGetTime(OperatingSystem.IsLinux() ? LinuxThreadCpuClock : MacThreadCpuClock, out var time) == 0
                ? (time.Seconds * 1_000_000_000L) + time.Nanoseconds
                : (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));

        private static bool Probe()
        {
            if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
            {
                return false;
            }

            try
            {
                return ClockGetTime(OperatingSystem.IsLinux() ? LinuxThreadCpuClock : MacThreadCpuClock, out _) == 0;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clockId, out TimeSpec time);
    }
}
