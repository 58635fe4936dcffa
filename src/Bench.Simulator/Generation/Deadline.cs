using System.Diagnostics;

namespace Bench.Simulator.Generation;

/// <summary>Waits until an absolute <see cref="Stopwatch"/> timestamp.</summary>
internal static class Deadline
{
    /// <summary>
    /// Completes at or after <paramref name="timestamp"/>, never before: timers have millisecond granularity and may
    /// fire early, so the wait is rounded up and repeated until the deadline has passed. Completes synchronously when
    /// the deadline is already past.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async ValueTask DelayUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        for (var remaining = timestamp - Stopwatch.GetTimestamp();
             remaining > 0;
             remaining = timestamp - Stopwatch.GetTimestamp())
        {
            var milliseconds = (int)Math.Ceiling(remaining * 1000.0 / Stopwatch.Frequency);
            await Task.Delay(milliseconds, cancellationToken).ConfigureAwait(false);
        }
    }
}
