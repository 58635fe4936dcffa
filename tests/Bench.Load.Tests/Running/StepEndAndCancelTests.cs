using System.Collections.Concurrent;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Load.Running;
using Bench.Tests.Shared;

namespace Bench.Load.Tests.Running;

/// <summary>
/// Overload and interruption on a fake clock (<see cref="SteppingClock"/>): a step with a duration sends nothing after
/// its end even when the client falls behind, and a cancelled run records every request in flight as cancelled and
/// sends nothing more. Times are exact.
/// </summary>
[Collection(SteppingClock.Collection)]
public class StepEndAndCancelTests
{
    private static readonly Cell Cell = new("m", Mode.Streaming);

    /// <summary>The run's clock on a <see cref="SteppingClock"/> whose every timer wakes <paramref name="lateness"/>
    /// after it is due: a client too busy to keep its schedule (the dispatcher's and the workers' waits end late).</summary>
    private sealed class LateTimers(SteppingClock inner, TimeSpan lateness) : TimeProvider
    {
        public override long TimestampFrequency => inner.TimestampFrequency;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            new LateTimer(inner.CreateTimer(callback, state, Late(dueTime), period), this);

        private TimeSpan Late(TimeSpan dueTime) => dueTime == Timeout.InfiniteTimeSpan ? dueTime : dueTime + lateness;

        private sealed class LateTimer(ITimer timer, LateTimers owner) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(owner.Late(dueTime), period);

            public void Dispose() => timer.Dispose();

            public ValueTask DisposeAsync() => timer.DisposeAsync();
        }
    }

    /// <summary>Stands in for the endpoint: each request takes <paramref name="serviceTime"/> on the run clock.</summary>
    private sealed class DelayExecutor(RunClock clock, TimeSpan serviceTime) : IRequestExecutor
    {
        public async Task<RequestRecord> ExecuteAsync(RequestTicket ticket, CancellationToken cancellationToken)
        {
            var sent = clock.NowMs();
            await clock.DelayAsync(serviceTime, cancellationToken);
            return new RequestRecord
            {
                Id = ticket.Id, Model = ticket.Cell.Model, Mode = ticket.Cell.Mode, Phase = ticket.Phase, IntendedMs = ticket.IntendedMs,
                SentMs = sent, EndMs = clock.NowMs(), Outcome = Outcome.Success,
            };
        }
    }

    private static async Task<List<RequestRecord>> RunAsync(TimeSpan lateness, TimeSpan serviceTime, CancellationToken cancellationToken,
        params WorkloadStep[] steps)
    {
        var time = new SteppingClock();
        var clock = new RunClock(new LateTimers(time, lateness));
        var records = new ConcurrentQueue<RequestRecord>();
        var runner = new LoadRunner(new DelayExecutor(clock, serviceTime), clock, records.Enqueue);
        await time.RunAsync(() => runner.RunAsync([Cell], steps, cancellationToken));
        return [.. records.OrderBy(r => r.Id)];
    }

    [Fact]
    public async Task Inject_DispatcherBehind_SendsNothingAfterTheStepEnds_DropsTheRest()
    {
        // 50/s for 100 ms (arrivals at 0, 20, 40, 60, 80) on a client whose timers wake 45 ms late: it sends at 0, then
        // at 65 (waking for the arrival of 20, with 40 and 60 already due) — and wakes for the arrival of 80 at 125,
        // after the step's end. That one is dropped with the reason, never sent.
        var records = await RunAsync(TimeSpan.FromMilliseconds(45), TimeSpan.FromMilliseconds(10), CancellationToken.None,
            new WorkloadStep { Kind = StepKind.Inject, Rate = 50, Duration = TimeSpan.FromMilliseconds(100) });

        var sent = records.Where(r => r.Outcome == Outcome.Success).ToList();
        Assert.Equal([0, 65, 65, 65], sent.Select(r => r.SentMs));
        Assert.Equal([0, 20, 40, 60], sent.Select(r => r.IntendedMs!.Value));
        var dropped = Assert.Single(records, r => r.Outcome == Outcome.Dropped);
        Assert.Equal((80.0, 125.0, 125.0), (dropped.IntendedMs!.Value, dropped.SentMs, dropped.EndMs));
        Assert.Equal("the step ended (at 100 ms) before the client could send it", dropped.Error!.Message);
        Assert.All(records.Where(r => r.Outcome.IsAttempt()), r => Assert.True(r.SentMs < 100, $"sent at {r.SentMs} ms, after the step's end"));
    }

    [Fact]
    public async Task RampingInject_DispatcherBehind_SendsNothingAfterTheStepEnds()
    {
        var records = await RunAsync(TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(10), CancellationToken.None,
            new WorkloadStep { Kind = StepKind.RampingInject, Rate = 100, Duration = TimeSpan.FromMilliseconds(500) });

        Assert.Contains(records, r => r.Outcome == Outcome.Dropped);
        Assert.All(records.Where(r => r.Outcome.IsAttempt()), r => Assert.True(r.SentMs < 500, $"sent at {r.SentMs} ms, after the step's end"));
        Assert.All(records, r => Assert.True(r.IntendedMs < 500));
    }

    [Fact]
    public async Task ClosedSteps_TimersLate_NoRequestStartsAfterTheStepEnds_InFlightOnesFinish()
    {
        // 40 ms requests on timers 30 ms late: each worker sends every 70 ms. The keep_constant step ends at 200 ms
        // (sends at 0, 70, 140; the one sent at 140 ends at 210); the ramp then runs 300 ms from 210 ms.
        var records = await RunAsync(TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(40), CancellationToken.None,
            new WorkloadStep { Kind = StepKind.KeepConstant, Copies = 2, Duration = TimeSpan.FromMilliseconds(200) },
            new WorkloadStep { Kind = StepKind.RampingConstant, Copies = 4, Duration = TimeSpan.FromMilliseconds(300) });

        var keep = records.Where(r => r.SentMs < 210).ToList();
        Assert.Equal([0, 0, 70, 70, 140, 140], keep.Select(r => r.SentMs).Order());
        Assert.Equal(210, keep.Max(r => r.EndMs)); // in flight at the end: finished, not cut off
        var ramp = records.Where(r => r.SentMs >= 210).ToList();
        Assert.NotEmpty(ramp);
        Assert.All(ramp, r => Assert.True(r.SentMs < 510, $"sent at {r.SentMs} ms, after the ramp's end at 510 ms"));
        Assert.All(records, r => Assert.Equal(Outcome.Success, r.Outcome));
    }

    [Theory]
    [InlineData(StepKind.Inject)]
    [InlineData(StepKind.RampingConstant)]
    [InlineData(StepKind.IterationsForConstant)]
    public async Task Cancel_RequestsInFlight_EndAsCancelledRecords_NothingSentAfter(StepKind kind)
    {
        var time = new SteppingClock();
        var clock = new RunClock(time);
        var records = new ConcurrentQueue<RequestRecord>();
        var runner = new LoadRunner(new DelayExecutor(clock, TimeSpan.FromSeconds(10)), clock, records.Enqueue);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(350), time);
        var step = kind switch
        {
            StepKind.Inject => new WorkloadStep { Kind = kind, Rate = 10, Duration = TimeSpan.FromSeconds(1) },
            StepKind.RampingConstant => new WorkloadStep { Kind = kind, Copies = 40, Duration = TimeSpan.FromSeconds(4) },
            _ => new WorkloadStep { Kind = kind, Copies = 3, Iterations = 100 },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => time.RunAsync(() => runner.RunAsync([Cell], [step], cts.Token)));

        // Every request sent (10 s each) was still in flight at 350 ms: each ends then as a cancelled record, sunk
        // before the runner throws; no request is sent after the cancellation.
        Assert.NotEmpty(records);
        Assert.All(records, r =>
        {
            Assert.Equal(Outcome.Cancelled, r.Outcome);
            Assert.Equal(350, r.EndMs);
            Assert.True(r.SentMs < 350);
            Assert.Null(r.HttpStatus);
            Assert.Equal((Cell.Model, Cell.Mode, Phases.Measure), (r.Model, r.Mode, r.Phase));
        });
        double[] expectedSent = kind switch
        {
            StepKind.Inject => [0, 100, 200, 300],
            // The ramp's target round(40 · t / 4000) (at least 1, to even), re-read every 50 ms: 2 from 150 ms, 3 from 300 ms.
            StepKind.RampingConstant => [0, 150, 300],
            _ => [0, 0, 0],
        };
        Assert.Equal(expectedSent, records.Select(r => r.SentMs).Order());
        Assert.Equal(kind == StepKind.Inject ? [0, 100, 200, 300] : [null, null, null], records.OrderBy(r => r.SentMs).Select(r => r.IntendedMs));
        Assert.Equal(0, runner.InFlight);
    }
}
