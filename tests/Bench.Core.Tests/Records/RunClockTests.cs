using System.Diagnostics;
using Bench.Core.Records;
using Microsoft.Extensions.Time.Testing;

namespace Bench.Core.Tests.Records;

public class RunClockTests
{
    [Fact]
    public void NowMs_FakeProvider_MillisecondsSinceTheOriginOnItsTimestamps()
    {
        var time = new FakeTimeProvider();
        var clock = new RunClock(time);

        time.Advance(TimeSpan.FromTicks(12_345_678)); // 1,234.5678 ms

        Assert.Same(time, clock.TimeProvider);
        Assert.Equal(TimeSpan.TicksPerSecond, clock.TimestampFrequency);
        Assert.Equal(1234.568, clock.NowMs()); // rounded to the µs
        Assert.Equal(clock.OriginTimestamp + 12_345_678, clock.GetTimestamp());
    }

    [Fact]
    public void Default_SystemProvider_StopwatchTicks()
    {
        var clock = new RunClock();

        Assert.Same(TimeProvider.System, clock.TimeProvider);
        Assert.Equal(Stopwatch.Frequency, clock.TimestampFrequency);
        Assert.InRange(clock.GetTimestamp() - clock.OriginTimestamp, 0, Stopwatch.Frequency * 60);
    }

    [Fact]
    public void DelayUntilAsync_FakeProvider_CompletesOnTheTickItIsDue()
    {
        var time = new FakeTimeProvider();
        var clock = new RunClock(time);

        var wait = clock.DelayUntilAsync(0.25, CancellationToken.None); // 2,500 ticks: Task.Delay would truncate it to 0 ms

        time.Advance(TimeSpan.FromTicks(2_499));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(wait.IsCompletedSuccessfully);
        Assert.True(clock.DelayUntilAsync(0.25, CancellationToken.None).IsCompletedSuccessfully); // already past
    }

    [Fact]
    public async Task DelayAsync_FakeProviderCancelled_ThrowsAndReleasesTheTimer()
    {
        var time = new FakeTimeProvider();
        var clock = new RunClock(time);
        using var cancellation = new CancellationTokenSource();

        var wait = clock.DelayAsync(TimeSpan.FromSeconds(1), cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        time.Advance(TimeSpan.FromSeconds(2)); // the released timer fires nothing
    }

    /// <summary>Accuracy on the real clock: the system clock's timer-then-spin never ends before the due time.</summary>
    [Fact]
    public async Task DelayUntilAsync_SystemClock_NeverEarly()
    {
        var clock = new RunClock();
        var random = new Random(3);
        for (var i = 0; i < 20; i++)
        {
            var dueMs = clock.NowMs() + (random.NextDouble() * 4);

            await clock.DelayUntilAsync(dueMs, CancellationToken.None);

            Assert.True(clock.GetTimestamp() >= clock.ToTimestamp(dueMs));
        }
    }
}
