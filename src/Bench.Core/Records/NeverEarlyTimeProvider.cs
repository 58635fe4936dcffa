namespace Bench.Core.Records;

/// <summary>
/// A <see cref="TimeProvider"/> whose one-shot timers never fire before their due time as its own
/// <see cref="TimeProvider.GetTimestamp"/> measures it. .NET's timer queue runs on a coarse tick
/// (<see cref="Environment.TickCount64"/>: on Linux <c>CLOCK_MONOTONIC_COARSE</c>, 1–4 ms), so a 2,000 ms timer can fire
/// after 1,995 ms of the precise clock: measured here, a retry honouring <c>Retry-After: 2</c> went out up to 4.7 ms
/// early, 56 times in 80. Each firing checks the precise clock and, when early, re-arms for the rest (rounded up to the
/// next millisecond), so a wait is never short; it may be up to a tick long, as any timer.
/// </summary>
/// <remarks>Used for the waits Polly and the client-side limiter make (<see cref="RunClock.Timers"/>). A periodic
/// timer fires each period after the previous firing, by the same rule.</remarks>
internal sealed class NeverEarlyTimeProvider(TimeProvider inner) : TimeProvider
{
    /// <inheritdoc />
    public override long GetTimestamp() => inner.GetTimestamp();

    /// <inheritdoc />
    public override long TimestampFrequency => inner.TimestampFrequency;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new Timer(inner, callback, state, dueTime, period);
    }

    private static readonly TimeSpan Never = global::System.Threading.Timeout.InfiniteTimeSpan;

    private sealed class Timer : ITimer
    {
        private readonly TimeProvider _time;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly ITimer _timer;
        private readonly Lock _lock = new();
        private long _due = -1;
        private TimeSpan _period = Never;
        private bool _disposed;

        public Timer(TimeProvider time, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _time = time;
            _callback = callback;
            _state = state;
            _timer = time.CreateTimer(static s => ((Timer)s!).Fire(), this, Never, Never);
            Change(dueTime, period);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_lock)
            {
                if (_disposed)
                {
                    return false;
                }

                _period = period;
                Arm(dueTime);
                return true;
            }
        }

        public void Dispose()
        {
            lock (_lock)
            {
                _disposed = true;
                _due = -1;
            }

            _timer.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        /// <summary>Under the lock: due after <paramref name="dueTime"/> from now, or never.</summary>
        private void Arm(TimeSpan dueTime)
        {
            if (dueTime == Never)
            {
                _due = -1;
                _timer.Change(Never, Never);
                return;
            }

            _due = _time.GetTimestamp() + (long)Math.Ceiling(Math.Max(0, dueTime.Ticks) * (double)_time.TimestampFrequency / TimeSpan.TicksPerSecond);
            _timer.Change(dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime, Never);
        }

        private void Fire()
        {
            lock (_lock)
            {
                if (_disposed || _due < 0)
                {
                    return;
                }

                var remaining = _due - _time.GetTimestamp();
                if (remaining > 0)
                {
                    // Early by the coarse tick: wait the rest, at least a millisecond.
                    _timer.Change(TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(remaining * 1000.0 / _time.TimestampFrequency))), Never);
                    return;
                }

                if (_period == Never || _period <= TimeSpan.Zero)
                {
                    _due = -1;
                }
                else
                {
                    Arm(_period);
                }
            }

            _callback(_state);
        }
    }
}
