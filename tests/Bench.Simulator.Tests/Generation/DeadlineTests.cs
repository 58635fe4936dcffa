using System.Diagnostics;
using Bench.Simulator.Generation;
using Microsoft.Extensions.Time.Testing;

namespace Bench.Simulator.Tests.Generation;

/// <summary>The deadline wait. On a fake clock it ends exactly when due; on the real clock the tests check it is never
/// early (an accuracy property of the real timers).</summary>
public class DeadlineTests
{
    [Fact]
    public async Task DelayUntilAsync_FakeClock_EndsOnTheTickItIsDue()
    {
        var time = new FakeTimeProvider();
        var deadline = time.GetTimestamp() + 2_500; // 0.25 ms: a millisecond timer would end it at once

        var wait = Deadline.DelayUntilAsync(time, deadline, CancellationToken.None);

        time.Advance(TimeSpan.FromTicks(2_499));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromTicks(1));
        await wait; // its continuation is queued, not inlined, under the test's synchronization context
        Assert.Equal(deadline, time.GetTimestamp());
    }

    [Fact]
    public async Task DelayUntilAsync_SubMillisecondDeadlines_NeverReturnsEarly()
    {
        var random = new Random(5);
        for (var i = 0; i < 20; i++)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(random.NextDouble() * 3 * Stopwatch.Frequency / 1000);

            await Deadline.DelayUntilAsync(TimeProvider.System, deadline, CancellationToken.None);

            Assert.True(Stopwatch.GetTimestamp() >= deadline);
        }
    }

    [Fact]
    public void DelayUntilAsync_PastDeadline_CompletesSynchronously() =>
        Assert.True(Deadline.DelayUntilAsync(TimeProvider.System, Stopwatch.GetTimestamp() - 1, CancellationToken.None).IsCompletedSuccessfully);

    [Fact]
    public async Task DelayUntilAsync_Cancelled_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        var wait = Deadline.DelayUntilAsync(TimeProvider.System, Stopwatch.GetTimestamp() + Stopwatch.Frequency, cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await wait);
    }
}
