using Bench.Core.Records;
using Microsoft.Extensions.Time.Testing;

namespace Bench.Core.Tests.Records;

/// <summary><see cref="NeverEarlyTimeProvider"/>: a timer whose underlying timer fires before the due time (as .NET's
/// coarse timer tick does, by up to a few ms) re-arms for the rest, so its callback never runs early.</summary>
public class NeverEarlyTimeProviderTests
{
    [Fact]
    public void CreateTimer_InnerFiresThreeMsEarly_CallbackOnlyAtTheDueTime()
    {
        var fake = new FakeTimeProvider();
        var provider = new NeverEarlyTimeProvider(new EarlyTimers(fake, TimeSpan.FromMilliseconds(3)));
        var fired = new List<TimeSpan>();
        var start = fake.GetTimestamp();

        using var timer = provider.CreateTimer(_ => fired.Add(fake.GetElapsedTime(start)), null, TimeSpan.FromMilliseconds(2000), Timeout.InfiniteTimeSpan);
        fake.Advance(TimeSpan.FromMilliseconds(1997));

        Assert.Empty(fired);
        fake.Advance(TimeSpan.FromMilliseconds(2.999));
        Assert.Empty(fired);
        fake.Advance(TimeSpan.FromMilliseconds(0.001));
        Assert.Equal([TimeSpan.FromMilliseconds(2000)], fired);
    }

    [Fact]
    public void CreateTimer_ExactInner_FiresOnceAtTheDueTime()
    {
        var fake = new FakeTimeProvider();
        var provider = new NeverEarlyTimeProvider(fake);
        var fired = 0;

        using var timer = provider.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        fake.Advance(TimeSpan.FromSeconds(2));
        fake.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1, fired);
    }

    [Fact]
    public void Change_ToInfinite_AndDispose_NeverFire()
    {
        var fake = new FakeTimeProvider();
        var provider = new NeverEarlyTimeProvider(fake);
        var fired = 0;
        var stopped = provider.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        var disposed = provider.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        Assert.True(stopped.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        disposed.Dispose();
        fake.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, fired);
        Assert.False(disposed.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        stopped.Dispose();
    }

    [Fact]
    public void CreateTimer_Periodic_EachPeriodAfterThePreviousFiring()
    {
        var fake = new FakeTimeProvider();
        var provider = new NeverEarlyTimeProvider(new EarlyTimers(fake, TimeSpan.FromMilliseconds(2)));
        var start = fake.GetTimestamp();
        var fired = new List<double>();

        using var timer = provider.CreateTimer(_ => fired.Add(fake.GetElapsedTime(start).TotalMilliseconds), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
        for (var i = 0; i < 300; i++)
        {
            fake.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal([100.0, 200.0, 300.0], fired);
    }

    [Fact]
    public async Task Delay_OnTheSystemClock_NeverEndsBeforeItsTime()
    {
        // The guarantee on the real clock: a lower bound, so a busy machine can only make it hold more easily.
        var provider = new NeverEarlyTimeProvider(TimeProvider.System);
        var waits = Enumerable.Range(0, 20).Select(async i =>
        {
            var due = TimeSpan.FromMilliseconds(20 + i);
            var start = provider.GetTimestamp();
            await Task.Delay(due, provider);
            return (Due: due, Took: provider.GetElapsedTime(start));
        });

        foreach (var (due, took) in await Task.WhenAll(waits))
        {
            Assert.True(took >= due, $"a {due.TotalMilliseconds} ms wait ended after {took.TotalMilliseconds} ms");
        }
    }

    /// <summary>A provider whose timers longer than <c>early</c> fire that much before their due time, on a fake clock.</summary>
    private sealed class EarlyTimers(FakeTimeProvider fake, TimeSpan early) : TimeProvider
    {
        public override long GetTimestamp() => fake.GetTimestamp();

        public override long TimestampFrequency => fake.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => fake.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            new Early(fake.CreateTimer(callback, state, Shift(dueTime), period), this);

        // A wait longer than the early margin fires that much early; a shorter one on time (as a coarse tick does).
        private TimeSpan Shift(TimeSpan due) => due == Timeout.InfiniteTimeSpan || due <= early ? due : due - early;

        private sealed class Early(ITimer inner, EarlyTimers owner) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(owner.Shift(dueTime), period);

            public void Dispose() => inner.Dispose();

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}
