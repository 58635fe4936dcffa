using System.Diagnostics;

namespace Bench.Core.Records;

/// <summary>
/// The run's monotonic clock: timestamps of a <see cref="System.TimeProvider"/> (<see cref="TimeProvider.System"/>
/// by default, whose timestamps are <see cref="Stopwatch.GetTimestamp"/> ticks), reported as milliseconds since the
/// run's origin. One instance per run, shared by every request so that all records sit on one timeline; the load
/// scheduler takes its waits from it too (<see cref="DelayUntilAsync"/>, <see cref="DelayAsync"/>), so a test that
/// builds it on a fake provider moves the whole run's time.
/// </summary>
public sealed class RunClock
{
    private readonly long _origin;
    private readonly double _frequency;

    /// <summary>Starts a clock on the system time provider whose origin is now.</summary>
    public RunClock()
        : this(System.TimeProvider.System)
    {
    }

    /// <summary>Starts a clock on <paramref name="timeProvider"/> whose origin is its now.</summary>
    /// <param name="timeProvider">Where timestamps and timers come from.</param>
    public RunClock(TimeProvider timeProvider)
        : this(timeProvider, (timeProvider ?? throw new ArgumentNullException(nameof(timeProvider))).GetTimestamp())
    {
    }

    /// <summary>Starts a clock on the system time provider with a given origin, in <see cref="Stopwatch"/> ticks.</summary>
    public RunClock(long originTimestamp)
        : this(System.TimeProvider.System, originTimestamp)
    {
    }

    /// <summary>Starts a clock on <paramref name="timeProvider"/> with a given origin, in its timestamps.</summary>
    /// <param name="timeProvider">Where timestamps and timers come from.</param>
    /// <param name="originTimestamp">The origin, in <paramref name="timeProvider"/>'s timestamps.</param>
    public RunClock(TimeProvider timeProvider, long originTimestamp)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        TimeProvider = timeProvider;
        Timers = timeProvider == System.TimeProvider.System ? new NeverEarlyTimeProvider(timeProvider) : timeProvider;
        _origin = originTimestamp;
        _frequency = timeProvider.TimestampFrequency;
    }

    /// <summary>The provider every timestamp, delay and timeout of the run comes from.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The same clock for waits that must never end early (Polly's retry delays and timeouts, the client-side
    /// limiter): on the system clock its timers re-arm when the coarse timer tick fires them before their due time
    /// (<see cref="NeverEarlyTimeProvider"/>); any other provider (a test's fake clock, whose timers are exact) is used
    /// as it is.</summary>
    public TimeProvider Timers { get; }

    /// <summary>The origin in the provider's timestamps (<see cref="Stopwatch"/> ticks on the system clock).</summary>
    public long OriginTimestamp => _origin;

    /// <summary>Timestamps per second (<see cref="Stopwatch.Frequency"/> on the system clock).</summary>
    public long TimestampFrequency => TimeProvider.TimestampFrequency;

    /// <summary>Now, in the provider's timestamps (for hot paths: convert later with <see cref="ToMs"/>). One virtual
    /// call, no allocation.</summary>
    public long GetTimestamp() => TimeProvider.GetTimestamp();

    /// <summary>Milliseconds since the origin for a timestamp, rounded to the microsecond (the resolution Bench
    /// reports; finer digits are noise and bloat <c>records.jsonl</c>).</summary>
    public double ToMs(long timestamp) => Math.Round((timestamp - _origin) * 1000.0 / _frequency, 3);

    /// <summary>Milliseconds since the origin, now.</summary>
    public double NowMs() => ToMs(TimeProvider.GetTimestamp());

    /// <summary>The timestamp of a time in milliseconds since the origin, rounded up to the next tick (so a wait until it
    /// never ends before that time).</summary>
    public long ToTimestamp(double ms) => _origin + (long)Math.Ceiling(ms * _frequency / 1000.0);

    /// <summary>
    /// Completes when the clock reaches <paramref name="dueMs"/> (ms since the origin), never before; at once when it
    /// has passed. On the system clock: a timer for all but the last millisecond, then a short spin, so a request is
    /// not sent early and is late only by the timer's wake-up jitter. On any other provider: one timer of that
    /// provider for the remaining time, no spin (a fake clock moves only when its test moves it).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask DelayUntilAsync(double dueMs, CancellationToken cancellationToken)
    {
        var due = ToTimestamp(dueMs);
        var remaining = due - TimeProvider.GetTimestamp();
        if (remaining <= 0)
        {
            return default;
        }

        return TimeProvider == System.TimeProvider.System
            ? SpinUntilAsync(due, remaining, cancellationToken)
            : new ValueTask(TimeProviderDelay.DelayAsync(TimeProvider, TimeProvider.GetElapsedTime(0, remaining), cancellationToken));
    }

    /// <summary>Waits <paramref name="delay"/> on the clock's provider (a pause, a re-targeting interval), exact to the
    /// tick on a fake clock (<see cref="TimeProviderDelay"/>).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        TimeProviderDelay.DelayAsync(TimeProvider, delay, cancellationToken);

    private async ValueTask SpinUntilAsync(long due, long remaining, CancellationToken cancellationToken)
    {
        var remainingMs = remaining * 1000.0 / _frequency;
        if (remainingMs > 1.5)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(remainingMs - 1), TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        var spinner = default(SpinWait);
        while (Stopwatch.GetTimestamp() < due)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
