namespace Bench.Core.Records;

/// <summary>
/// A delay on a <see cref="TimeProvider"/> exact to the <see cref="TimeSpan"/> tick. <c>Task.Delay(TimeSpan,
/// TimeProvider, CancellationToken)</c> truncates its delay to whole milliseconds, which on a test's fake clock ends a
/// wait up to a millisecond early (and a sub-millisecond wait at once); this one hands the exact
/// <see cref="TimeSpan"/> to <see cref="TimeProvider.CreateTimer"/>. On <see cref="TimeProvider.System"/>, whose
/// timers have millisecond granularity anyway, it is <c>Task.Delay</c>.
/// </summary>
public static class TimeProviderDelay
{
    /// <summary>Completes once <paramref name="delay"/> has passed on <paramref name="timeProvider"/> (at once when it
    /// is not positive). Continuations run on the thread that fires the timer, as with <c>Task.Delay</c>.</summary>
    /// <param name="timeProvider">Whose timer.</param>
    /// <param name="delay">How long; negative counts as zero.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (as the
    /// returned task's outcome).</exception>
    public static Task DelayAsync(TimeProvider timeProvider, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        if (delay <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        return timeProvider == TimeProvider.System
            ? Task.Delay(delay, timeProvider, cancellationToken)
            : new TimerPromise(timeProvider, delay, cancellationToken).Task;
    }

    /// <summary>One timer and one cancellation registration, both released when the task completes.</summary>
    private sealed class TimerPromise : TaskCompletionSource
    {
        private readonly ITimer _timer;
        private readonly CancellationTokenRegistration _registration;

        public TimerPromise(TimeProvider timeProvider, TimeSpan delay, CancellationToken cancellationToken)
        {
            _timer = timeProvider.CreateTimer(static state => ((TimerPromise)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _registration = cancellationToken.UnsafeRegister(static (state, token) => ((TimerPromise)state!).Cancel(token), this);
            if (!Task.IsCompleted)
            {
                _timer.Change(delay, Timeout.InfiniteTimeSpan);
            }
        }

        private void Fire()
        {
            if (TrySetResult())
            {
                Release();
            }
        }

        private void Cancel(CancellationToken token)
        {
            if (TrySetCanceled(token))
            {
                Release();
            }
        }

        private void Release()
        {
            _timer?.Dispose();
            _registration.Unregister();
        }
    }
}
