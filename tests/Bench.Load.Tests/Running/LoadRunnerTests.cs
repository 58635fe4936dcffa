using System.Collections.Concurrent;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Load.Running;
using Bench.Tests.Shared;

namespace Bench.Load.Tests.Running;

/// <summary>
/// The runner's schedules on a fake clock (<see cref="SteppingClock"/>): every wait ends exactly when due, so intended
/// times, send times and record times are asserted exactly. Only <see cref="Inject_SystemClock_NeverEarlyAndLateOnlyByTimerJitter"/>
/// runs on the real clock: it measures how precisely the real timer and spin hit a time.
/// </summary>
[Collection(SteppingClock.Collection)]
public class LoadRunnerTests
{
    private static readonly Cell Cell = new("m", Mode.Streaming);

    /// <summary>An executor standing in for the endpoint (the one boundary mocked here): each request takes a fixed
    /// time on the run clock.</summary>
    private sealed class DelayExecutor(RunClock clock, TimeSpan serviceTime) : IRequestExecutor
    {
        private int _inFlight;

        public int MaxInFlight;

        public async Task<RequestRecord> ExecuteAsync(RequestTicket ticket, CancellationToken cancellationToken)
        {
            var sent = clock.NowMs();
            var now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref MaxInFlight, now);
            try
            {
                await clock.DelayAsync(serviceTime, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }

            return new RequestRecord
            {
                Id = ticket.Id,
                Model = ticket.Cell.Model,
                Mode = ticket.Cell.Mode,
                Phase = ticket.Phase,
                IntendedMs = ticket.IntendedMs,
                SentMs = sent,
                EndMs = clock.NowMs(),
                Outcome = Outcome.Success,
            };
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }

    private static async Task<(List<RequestRecord> Records, DelayExecutor Executor)> RunAsync(TimeSpan serviceTime, params WorkloadStep[] steps)
    {
        var time = new SteppingClock();
        var clock = new RunClock(time);
        var executor = new DelayExecutor(clock, serviceTime);
        var records = new ConcurrentQueue<RequestRecord>();
        var runner = new LoadRunner(executor, clock, records.Enqueue);
        await time.RunAsync(() => runner.RunAsync([Cell], steps, CancellationToken.None));
        return ([.. records.OrderBy(r => r.Id)], executor);
    }

    [Fact]
    public async Task IterationsForConstant_SendsExactlyIterations_WithCopiesInFlight()
    {
        var (records, executor) = await RunAsync(TimeSpan.FromMilliseconds(30),
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 4, Iterations = 20 });

        Assert.Equal(20, records.Count);
        Assert.Equal(4, executor.MaxInFlight);
        Assert.All(records, r => Assert.Null(r.IntendedMs));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), records.Select(r => r.Id));
        // Four workers, each sending its next request when the last one ends: five rounds of 30 ms.
        Assert.Equal(Enumerable.Range(0, 5).SelectMany(round => Enumerable.Repeat(round * 30.0, 4)), records.Select(r => r.SentMs).Order());
        Assert.All(records, r => Assert.Equal(30, r.EndMs - r.SentMs));
    }

    [Fact]
    public async Task Warmup_Step_RecordsWarmupPhase_ExcludedFromStatistics()
    {
        var (records, _) = await RunAsync(TimeSpan.FromMilliseconds(5),
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 3, Warmup = true },
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 2, Iterations = 4 });

        Assert.Equal(3, records.Count(r => r.Phase == Phases.Warmup));
        var aggregator = new RunAggregator();
        records.ForEach(aggregator.Add);
        Assert.Equal(4, Assert.Single(aggregator.Summarize()).Requests);
        Assert.Equal(3, aggregator.WarmupRecords);
        Assert.Equal([0, 5, 10, 15, 15, 20, 20], records.Select(r => r.SentMs));
    }

    [Fact]
    public async Task Inject_KeepsSchedule_WhateverTheResponsesDo()
    {
        // 40/s for 1 s while each response takes 300 ms: an open model keeps sending, 300 / 25 = 12 in flight.
        var (records, executor) = await RunAsync(TimeSpan.FromMilliseconds(300),
            new WorkloadStep { Kind = StepKind.Inject, Rate = 40, Duration = TimeSpan.FromSeconds(1) });

        Assert.Equal(40, records.Count);
        Assert.Equal(12, executor.MaxInFlight);
        Assert.Equal(Enumerable.Range(0, 40).Select(k => k * 25.0), records.Select(r => r.IntendedMs!.Value));
        Assert.All(records, r => Assert.Equal(r.IntendedMs, r.SentMs)); // sent on time: queue_ms 0
        Assert.All(records, r => Assert.Equal(0, RequestMetrics.QueueMs(r)));
        Assert.All(records, r => Assert.Equal(300, RequestMetrics.ResponseMs(r)));
    }

    [Fact]
    public async Task Inject_ConcurrencyCapReached_ArrivalsDropped_NeverSentLate()
    {
        // 20/s for 1 s, one at a time, 90 ms each: the arrival 50 ms after a send finds the one slot taken. It is not
        // queued to be sent late (k6's dropped_iterations): it is recorded as dropped when due, and the next arrival,
        // 100 ms after the send, finds the slot free again and leaves on time.
        var (records, executor) = await RunAsync(TimeSpan.FromMilliseconds(90),
            new WorkloadStep { Kind = StepKind.Inject, Rate = 20, Duration = TimeSpan.FromSeconds(1), MaxConcurrency = 1 });

        Assert.Equal(20, records.Count);
        Assert.Equal(1, executor.MaxInFlight);
        var byIntended = records.OrderBy(r => r.IntendedMs).ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(k => k * 50.0), byIntended.Select(r => r.IntendedMs!.Value));
        var sent = byIntended.Where(r => r.Outcome == Outcome.Success).ToList();
        var dropped = byIntended.Where(r => r.Outcome == Outcome.Dropped).ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(k => k * 100.0), sent.Select(r => r.SentMs));
        Assert.All(sent, r => Assert.Equal(0, RequestMetrics.QueueMs(r))); // queue_ms as before for what was sent
        Assert.Equal(Enumerable.Range(0, 10).Select(k => 50 + (k * 100.0)), dropped.Select(r => r.IntendedMs!.Value));
        Assert.All(dropped, r =>
        {
            Assert.Equal(r.IntendedMs, r.SentMs); // dropped the moment it was due
            Assert.Equal(r.SentMs, r.EndMs);
            Assert.Null(r.HttpStatus);
            Assert.Equal(Phases.Measure, r.Phase);
            Assert.Equal(Cell.Model, r.Model);
            Assert.Equal(Cell.Mode, r.Mode);
            Assert.Equal("in-flight cap of 1 reached", r.Error!.Message);
        });
        Assert.Equal(records.Count, records.Select(r => r.Id).Distinct().Count());

        var aggregator = new RunAggregator();
        records.ForEach(aggregator.Add);
        var summary = Assert.Single(aggregator.Summarize());
        Assert.Equal(10, summary.Requests); // counted apart: outside the requests and every rate
        Assert.Equal(10, summary.Outcomes[Outcome.Dropped]);
        Assert.Equal(1, summary.SuccessRate);
        Assert.Equal(20, summary.IntendedRatePerS); // the schedule's rate, every arrival counted
        Assert.Equal(10, summary.AchievedSendRatePerS); // what went out: half of it
    }

    [Fact]
    public async Task PolicyCell_DroppedAndCancelledRecords_CarryThePolicy()
    {
        // Seen on a real run interrupted in a policy cell: its cancelled records had no policy and the summary showed a
        // phantom no-policy cell with 0 of 0 requests.
        var time = new SteppingClock();
        var clock = new RunClock(time);
        var records = new ConcurrentQueue<RequestRecord>();
        var runner = new LoadRunner(new DelayExecutor(clock, TimeSpan.FromMilliseconds(90)), clock, records.Enqueue);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(220), time);
        var cell = new Cell("m", Mode.Streaming, "retries-3");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => time.RunAsync(() => runner.RunAsync(
            [cell], [new WorkloadStep { Kind = StepKind.Inject, Rate = 20, Duration = TimeSpan.FromSeconds(1), MaxConcurrency = 1 }], cts.Token)));

        Assert.Contains(records, r => r.Outcome == Outcome.Dropped);
        Assert.Contains(records, r => r.Outcome == Outcome.Cancelled);
        Assert.All(records.Where(r => r.Outcome is Outcome.Dropped or Outcome.Cancelled), r => Assert.Equal("retries-3", r.Policy));
    }

    [Fact]
    public async Task Cancel_StopsRun_KeepsCompletedRecords_AndRecordsInFlightAsCancelled()
    {
        var time = new SteppingClock();
        var clock = new RunClock(time);
        var records = new ConcurrentQueue<RequestRecord>();
        var runner = new LoadRunner(new DelayExecutor(clock, TimeSpan.FromMilliseconds(40)), clock, records.Enqueue);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300), time);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => time.RunAsync(() => runner.RunAsync(
            [Cell], [new WorkloadStep { Kind = StepKind.KeepConstant, Copies = 2, Duration = TimeSpan.FromSeconds(30) }], cts.Token)));

        // Two workers, 40 ms each, cancelled at 300 ms: the 7 requests each that ended by 280 ms are kept, and the two
        // sent at 280 ms end at 300 ms as cancelled records. Nothing is sent after the cancellation.
        Assert.Equal(14, records.Count(r => r.Outcome == Outcome.Success));
        Assert.Equal(280, records.Where(r => r.Outcome == Outcome.Success).Max(r => r.EndMs));
        var cancelled = records.Where(r => r.Outcome == Outcome.Cancelled).ToList();
        Assert.Equal(2, cancelled.Count);
        Assert.All(cancelled, r => Assert.Equal((280.0, 300.0), (r.SentMs, r.EndMs)));
        Assert.Equal(16, records.Count);
        Assert.Equal(0, runner.InFlight);
        Assert.Equal(TimeSpan.FromMilliseconds(300), time.Elapsed);
    }

    /// <summary>Accuracy on the real clock: the system clock's timer-then-spin never sends early, and is late only by
    /// the timer's wake-up jitter (a bound that leaves room for a busy 2-core machine).</summary>
    [Fact]
    public async Task Inject_SystemClock_NeverEarlyAndLateOnlyByTimerJitter()
    {
        var clock = new RunClock();
        var executor = new DelayExecutor(clock, TimeSpan.FromMilliseconds(300));
        var records = new ConcurrentQueue<RequestRecord>();
        await new LoadRunner(executor, clock, records.Enqueue).RunAsync(
            [Cell], [new WorkloadStep { Kind = StepKind.Inject, Rate = 40, Duration = TimeSpan.FromSeconds(1) }], CancellationToken.None);

        Assert.Equal(40, records.Count);
        var queue = records.Select(r => RequestMetrics.QueueMs(r)!.Value).Order().ToList();
        Assert.True(queue[0] >= 0, "never sent before its intended time");
        // A closed loop would fall seconds behind here (12 requests' worth of 300 ms each per second).
        Assert.True(queue[queue.Count / 2] < 100, $"median lag {queue[queue.Count / 2]} ms on an idle schedule");
    }
}
