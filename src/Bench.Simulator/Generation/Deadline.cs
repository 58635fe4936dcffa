using Bench.Core.Records;

namespace Bench.Simulator.Generation;

/// <summary>Waits until an absolute timestamp of a <see cref="TimeProvider"/> (the simulator's,
/// <see cref="Hosting.SimulatorOptions.TimeProvider"/>).</summary>
internal static class Deadline
{
    /// <summary>
    /// Completes at or after <paramref name="timestamp"/>, never before, and completes synchronously when it has already
    /// passed. On <see cref="TimeProvider.System"/> timers have millisecond granularity and may fire early, so the wait
    /// is rounded up to the millisecond and repeated until the deadline has passed; on any other provider (a test's fake
    /// clock) one timer of exactly the remaining time (rounded up to a <see cref="TimeSpan"/> tick).
    /// </summary>
    /// <param name="timeProvider">Whose timestamps and timers.</param>
    /// <param name="timestamp">The deadline, in <paramref name="timeProvider"/>'s timestamps.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async ValueTask DelayUntilAsync(TimeProvider timeProvider, long timestamp, CancellationToken cancellationToken)
    {
        var frequency = (double)timeProvider.TimestampFrequency;
        var system = timeProvider == TimeProvider.System;
        for (var remaining = timestamp - timeProvider.GetTimestamp();
             remaining > 0;
             remaining = timestamp - timeProvider.GetTimestamp())
        {
            var wait = system
                ? TimeSpan.FromMilliseconds(Math.Ceiling(remaining * 1000.0 / frequency))
                : TimeSpan.FromTicks((long)Math.Ceiling(remaining * (double)TimeSpan.TicksPerSecond / frequency)); // in double: a hang of days overflows a long product
            await TimeProviderDelay.DelayAsync(timeProvider, wait, cancellationToken).ConfigureAwait(false);
        }
    }
}
