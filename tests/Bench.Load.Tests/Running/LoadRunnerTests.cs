using System.Collections.Concurrent;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Load.Running;

namespace Bench.Load.Tests.Running;

public class LoadRunnerTests
{
    private static readonly Cell Cell = new("m", Mode.Streaming);

    /// <summary>An executor standing in for the endpoint (the one boundary mocked here): each request takes a fixed time.</summary>
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
                await Task.Delay(serviceTime, cancellationToken);
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
        var clock = new RunClock();
        var executor = new DelayExecutor(clock, serviceTime);
        var records = new ConcurrentQueue<RequestRecord>();
        var runner = new LoadRunner(executor, clock, records.Enqueue);
        await runner.RunAsync([Cell], steps, CancellationToken.None);
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
    }

    [Fact]
    public async Task Inject_KeepsSchedule_WhateverTheResponsesDo()
    {
        // 40/s for 1 s while each response takes 300 ms: an open model keeps sending (about 12 in flight).
        var (records, executor) = await RunAsync(TimeSpan.FromMilliseconds(300),
            new WorkloadStep { Kind = StepKind.Inject, Rate = 40, Duration = TimeSpan.FromSeconds(1) });

        Assert.Equal(40, records.Count);
        Assert.True(executor.MaxInFlight >= 8, $"max in flight {executor.MaxInFlight}");
        var intended = records.Select(r => r.IntendedMs!.Value).ToList();
        var gaps = intended.Zip(intended.Skip(1), (a, b) => b - a);
        Assert.All(gaps, g => Assert.Equal(25, g, 3)); // intended times follow the schedule exactly
        var queue = records.Select(r => RequestMetrics.QueueMs(r)!.Value).Order().ToList();
        Assert.True(queue[0] >= 0, "never sent before its intended time");
        // A closed loop would fall seconds behind here (12 requests' worth of 300 ms each per second); the bound leaves
        // room for a busy 2-core machine.
        Assert.True(queue[queue.Count / 2] < 100, $"median lag {queue[queue.Count / 2]} ms on an idle schedule");
    }

    [Fact]
    public async Task Inject_ConcurrencyCapReached_LagShowsAsQueueTime()
    {
        // 20/s for 1 s, one at a time, 100 ms each: the client can do only 10/s, so it falls behind by
        // about 50 ms per request — the 20th waits ~950 ms. The record must say so, not re-time it.
        var (records, executor) = await RunAsync(TimeSpan.FromMilliseconds(100),
            new WorkloadStep { Kind = StepKind.Inject, Rate = 20, Duration = TimeSpan.FromSeconds(1), MaxConcurrency = 1 });

        Assert.Equal(20, records.Count);
        Assert.Equal(1, executor.MaxInFlight);
        var last = records.MaxBy(r => r.IntendedMs)!;
        Assert.InRange(RequestMetrics.QueueMs(last)!.Value, 800, 3000);
        Assert.True(RequestMetrics.ResponseMs(last) > RequestMetrics.E2eMs(last) + 800);
    }

    [Fact]
    public async Task Cancel_StopsRun_AndKeepsCompletedRecords()
    {
        var clock = new RunClock();
        var records = new ConcurrentQueue<RequestRecord>();
        var runner = new LoadRunner(new DelayExecutor(clock, TimeSpan.FromMilliseconds(20)), clock, records.Enqueue);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(
            [Cell], [new WorkloadStep { Kind = StepKind.KeepConstant, Copies = 2, Duration = TimeSpan.FromSeconds(30) }], cts.Token));
        Assert.NotEmpty(records);
    }
}
