using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Bench.Tests.Shared;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows its pending timers and moves time for a system under test: whenever
/// that system is waiting — none of its work queued or running, and at least one of this clock's timers pending — it
/// advances to the earliest due time and no further, so every wait ends exactly when it is due and the times a test
/// asserts are exact. It never sleeps: while the system runs it only yields its own (dedicated, non-pool) thread.
/// Shared by the test projects that drive async code on a fake clock (linked into each).
/// </summary>
/// <remarks>
/// <para>How "waiting" is known: the fake clock fires due timers synchronously inside
/// <see cref="FakeTimeProvider.SetUtcNow"/>, so their continuations run on the driving thread until they await again.
/// What they hand to the thread pool (<c>Task.Run</c>, a <see cref="SemaphoreSlim"/> release, a
/// <c>RunContinuationsAsynchronously</c> completion, socket I/O, a Kestrel request) shows as a queued work item or a
/// busy pool thread until it too has parked. Work the system started carries its execution context, which holds an
/// <see cref="AsyncLocal{T}"/> marker whose change notifications count the other threads running it. The system is
/// waiting when none does, nothing is queued on the pool, and no more pool threads are busy than the fewest seen
/// (the test host keeps a couple blocked for good; the fewest is first read before the system starts), twice around a
/// yield. Advancing earlier would let a wait start late and the asserted times drift. Work outside the pool (bytes in
/// a socket's buffers) is not seen: a test whose system waits on it passes a <c>ready</c> condition.</para>
/// <para>Other work on the pool can hide the system's: when another test's pool thread goes idle just as one of the
/// system's starts, the busy count stays at its fewest and time could move early (a closed worker then missed a round,
/// about once in five busy suite runs). Test classes that use this clock therefore run in the
/// <see cref="Collection"/> collection, alone, after the parallel ones.</para>
/// </remarks>
internal sealed class SteppingClock : FakeTimeProvider
{
    /// <summary>The xunit collection of the tests that drive this clock: not run in parallel with any other test.</summary>
    public const string Collection = "stepping clock (runs alone)";

    /// <summary>Where every test's fake time starts.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A safety net against a hung system (a bug in it or in a test), not a deadline: real time without any
    /// step before <see cref="RunAsync"/> gives up.</summary>
    private static readonly TimeSpan Stuck = TimeSpan.FromSeconds(60);

    private readonly Lock _lock = new();
    private readonly HashSet<TrackedTimer> _timers = [];
    private int _fewestBusy = int.MaxValue;
    private readonly object _systemWork = new();
    private readonly AsyncLocal<object?> _marker;
    private Thread? _driver;
    private int _running;
    private long _timestampsTaken;

    public SteppingClock()
        : base(Epoch)
    {
        _marker = new AsyncLocal<object?>(OnContextChanged);
    }

    /// <summary>How many timestamps have been read (<see cref="GetTimestamp"/>): a test can tell from it that the system
    /// has reached a point where it takes one, such as a read of response bytes.</summary>
    public long TimestampsTaken => Interlocked.Read(ref _timestampsTaken);

    /// <summary>Time moved since <see cref="Epoch"/>.</summary>
    public TimeSpan Elapsed => GetUtcNow() - Epoch;

    /// <summary>Timers that will fire when time reaches their due time.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(t => t.Due is not null);
            }
        }
    }

    /// <summary>The earliest due time of a pending timer, or null.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_lock)
            {
                return _timers.Where(t => t.Due is not null).Select(t => t.Due).Min();
            }
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp()
    {
        Interlocked.Increment(ref _timestampsTaken);
        return base.GetTimestamp();
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new TrackedTimer(this, callback, state);
        timer.Inner = base.CreateTimer(static s => ((TrackedTimer)s!).Fire(), timer, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Starts <paramref name="start"/> on a dedicated thread and moves time, step by step, until the task it
    /// returned completes; then returns that task (awaited: its exception, if any, is the caller's).</summary>
    /// <param name="start">Starts the system under test.</param>
    /// <param name="ready">When given, time moves only while it is true as well: for a system that also waits on
    /// something outside the process (bytes from a socket) before it should be timed.</param>
    /// <exception cref="TimeoutException">The system neither finished nor waited on a timer for a minute of real
    /// time (it is stuck).</exception>
    public async Task RunAsync(Func<Task> start, Func<bool>? ready = null)
    {
        var work = await Task.Factory.StartNew(
            () => Drive(start, ready), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await work;
    }

    /// <summary>Starts <paramref name="start"/> and moves time until its task completes; returns its result.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> start, Func<bool>? ready = null)
    {
        Task<T>? result = null;
        await RunAsync((Func<Task>)(() => result = start()), ready);
        return await result!;
    }

    private Task Drive(Func<Task> start, Func<bool>? ready)
    {
        _driver = Thread.CurrentThread;
        for (var i = 0; i < 100; i++)
        {
            Idle(); // reads the host's own busy pool threads before the system adds any
            Thread.Yield();
        }

        _marker.Value = _systemWork; // flows into every continuation and work item the system starts
        var work = start();
        var lastProgress = Stopwatch.GetTimestamp();
        while (!work.IsCompleted)
        {
            if ((ready is null || ready()) && Waiting() && NextDue is { } due)
            {
                SetUtcNow(due);
                lastProgress = Stopwatch.GetTimestamp();
                continue;
            }

            if (Stopwatch.GetElapsedTime(lastProgress) > Stuck)
            {
                ThreadPool.GetMaxThreads(out var max, out _);
                ThreadPool.GetAvailableThreads(out var available, out _);
                throw new TimeoutException(
                    $"Stuck at {Elapsed.TotalMilliseconds} ms of fake time: {PendingTimers} timers pending, " +
                    $"{ThreadPool.PendingWorkItemCount} pool items queued, " +
                    $"{max - available} pool threads busy (fewest seen {_fewestBusy}).");
            }

            Thread.Yield();
        }

        return work;
    }

    /// <summary>No pool work queued or running beyond the host's own, seen twice around a yield.</summary>
    private bool Waiting()
    {
        if (!Idle())
        {
            return false;
        }

        Thread.Yield();
        return Idle();
    }

    private bool Idle()
    {
        if (Volatile.Read(ref _running) > 0 || ThreadPool.PendingWorkItemCount != 0)
        {
            return false;
        }

        ThreadPool.GetMaxThreads(out var max, out _);
        ThreadPool.GetAvailableThreads(out var available, out _);
        var busy = max - available;
        _fewestBusy = Math.Min(_fewestBusy, busy);
        return busy <= _fewestBusy && Volatile.Read(ref _running) <= 0 && ThreadPool.PendingWorkItemCount == 0;
    }

    /// <summary>Counts the threads other than the driving one that switch into (and out of) an execution context
    /// holding the marker: threads running the system's work.</summary>
    private void OnContextChanged(AsyncLocalValueChangedArgs<object?> change)
    {
        if (!change.ThreadContextChanged || Thread.CurrentThread == _driver)
        {
            return;
        }

        var was = ReferenceEquals(change.PreviousValue, _systemWork);
        var now = ReferenceEquals(change.CurrentValue, _systemWork);
        if (now && !was)
        {
            Interlocked.Increment(ref _running);
        }
        else if (was && !now)
        {
            Interlocked.Decrement(ref _running);
        }
    }


    /// <summary>A timer of the fake clock whose due time this clock can see.</summary>
    private sealed class TrackedTimer(SteppingClock clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public ITimer Inner { get; set; } = null!;

        /// <summary>When it fires next; null when it is not armed.</summary>
        public DateTimeOffset? Due { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                _period = period;
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow() + dueTime;
            }

            return Inner.Change(dueTime, period);
        }

        public void Fire()
        {
            lock (clock._lock)
            {
                Due = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : clock.GetUtcNow() + _period;
            }

            callback(state);
        }

        public void Dispose()
        {
            lock (clock._lock)
            {
                Due = null;
                clock._timers.Remove(this);
            }

            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Tests driving a <see cref="SteppingClock"/> run alone: its idle detection reads the whole process's thread
/// pool (see its remarks).</summary>
[CollectionDefinition(SteppingClock.Collection, DisableParallelization = true)]
public sealed class SteppingClockCollection;
