using System.Collections.Concurrent;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Load.Running;
using Bench.Load.Workloads;
using Bench.Tests.Shared;

namespace Bench.Load.Tests.Running;

/// <summary>Each workload kind on a fake clock (<see cref="SteppingClock"/>): every time asserted is exact.</summary>
[Collection(SteppingClock.Collection)]
public class WorkloadKindsTests
{
    private static readonly Cell Cell = new("m", Mode.Streaming);

    /// <summary>
    /// Stands in for an endpoint with 4 slots: a request takes 40 ms, and beyond 4 in flight it waits for a slot —
    /// a server that saturates near 100 requests/s. The one boundary mocked here; the scheduler under test is real.
    /// </summary>
    private sealed class SaturatingExecutor(RunClock clock) : IRequestExecutor
    {
        private readonly SemaphoreSlim _slots = new(4, 4);
        private int _inFlight;

        public int MaxInFlight;

        public async Task<RequestRecord> ExecuteAsync(RequestTicket ticket, CancellationToken cancellationToken)
        {
            var sent = clock.NowMs();
            var now = Interlocked.Increment(ref _inFlight);
            if (now > Volatile.Read(ref MaxInFlight))
            {
                Volatile.Write(ref MaxInFlight, now);
            }

            await _slots.WaitAsync(cancellationToken);
            double first;
            try
            {
                first = clock.NowMs();
                await clock.DelayAsync(TimeSpan.FromMilliseconds(40), cancellationToken);
            }
            finally
            {
                _slots.Release();
                Interlocked.Decrement(ref _inFlight);
            }

            var end = clock.NowMs();
            return new RequestRecord
            {
                Id = ticket.Id, Model = ticket.Cell.Model, Mode = ticket.Cell.Mode, Phase = ticket.Phase, IntendedMs = ticket.IntendedMs,
                SentMs = sent, FirstByteMs = first, FirstTokenMs = first, LastTokenMs = end, EndMs = end,
                TokenEventsMs = [first, end], CompletionTokens = 2, Outcome = Outcome.Success,
            };
        }
    }

    private static async Task<(List<RequestRecord> Records, SaturatingExecutor Executor)> RunAsync(IReadOnlyList<SloSet> slos, params WorkloadStep[] steps)
    {
        var time = new SteppingClock();
        var clock = new RunClock(time);
        var executor = new SaturatingExecutor(clock);
        var records = new ConcurrentQueue<RequestRecord>();
        var runner = new LoadRunner(executor, clock, records.Enqueue, slos: slos);
        await time.RunAsync(() => runner.RunAsync([Cell], steps, CancellationToken.None));
        return ([.. records.OrderBy(r => r.Id)], executor);
    }

    [Fact]
    public async Task KeepConstant_SendsForTheDuration_WithCopiesInFlight()
    {
        var (records, executor) = await RunAsync([], new WorkloadStep { Kind = StepKind.KeepConstant, Copies = 2, Duration = TimeSpan.FromMilliseconds(500) });

        Assert.Equal(2, executor.MaxInFlight);
        // Two workers, 40 ms each, sending while the clock is before 500 ms: at 0, 40, …, 480 (the last ends at 520).
        Assert.Equal(26, records.Count);
        Assert.Equal(Enumerable.Range(0, 13).SelectMany(k => Enumerable.Repeat(k * 40.0, 2)), records.Select(r => r.SentMs).Order());
        Assert.Equal(480, records.Max(r => r.SentMs) - records.Min(r => r.SentMs));
    }

    [Fact]
    public async Task RampingConstant_RaisesConcurrencyToCopies()
    {
        var (records, executor) = await RunAsync([], new WorkloadStep { Kind = StepKind.RampingConstant, Copies = 4, Duration = TimeSpan.FromMilliseconds(1200) });

        Assert.Equal(4, executor.MaxInFlight);
        // The target round(4 · t / 1200) (at least 1), re-read every 50 ms, first reaches 2 at 450 ms (1.5 rounds to
        // even), 3 at 800 ms (2.5 at 750 ms rounds to 2) and 4 at 1,050 ms; each worker then sends every 40 ms while the
        // step's 1,200 ms last.
        double[] starts = [0, 450, 800, 1050];
        var expected = starts.SelectMany(start => Enumerable.Range(0, 30).Select(k => start + (k * 40.0)).Where(t => t < 1200)).Order();
        Assert.Equal(expected, records.Select(r => r.SentMs).Order());
        Assert.Equal(50, ClosedWorkload.RetargetInterval.TotalMilliseconds);
        var firstHalf = records.Count(r => r.SentMs < 600);
        Assert.True(firstHalf < records.Count - firstHalf, "more requests are sent once the ramp is higher");
    }

    [Fact]
    public async Task IterationsForInject_SendsExactlyIterations_AtTheRate()
    {
        var (records, _) = await RunAsync([], new WorkloadStep { Kind = StepKind.IterationsForInject, Rate = 50, Iterations = 10 });

        Assert.Equal(10, records.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(k => k * 20.0), records.Select(r => r.IntendedMs!.Value)); // 9 gaps of 20 ms
        Assert.All(records, r => Assert.Equal(r.IntendedMs, r.SentMs));
    }

    [Fact]
    public async Task RampingInject_FollowsTheRamp_FromThePreviousRate()
    {
        // 10/s for 1 s (last sent at 900 ms, ends at 940 ms), then a ramp from 10/s to 50/s over 1 s from there.
        var (records, _) = await RunAsync([],
            new WorkloadStep { Kind = StepKind.Inject, Rate = 10, Duration = TimeSpan.FromSeconds(1) },
            new WorkloadStep { Kind = StepKind.RampingInject, Rate = 50, Duration = TimeSpan.FromSeconds(1) });

        var ramp = records.Skip(10).ToList();
        var expected = Arrivals.Ramp(10, 50, 1000).Select(offset => 940 + offset).ToList();
        Assert.Equal(29, expected.Count); // (10 + 50) / 2 = 30 expected by the end; the 30th falls on the end, excluded
        Assert.Equal(expected, ramp.Select(r => r.IntendedMs!.Value));
        Assert.All(ramp, OnTime);
    }

    [Fact]
    public async Task Poisson_SeededArrivals_SentAtTheirIntendedTimes()
    {
        var (records, _) = await RunAsync([], new WorkloadStep { Kind = StepKind.Poisson, Rate = 50, Duration = TimeSpan.FromSeconds(1) });

        // The runner's seed (42) plus the cell's index (0) seeds the cell's arrivals: the same run, the same times.
        var expected = Arrivals.Poisson(50, 1000, long.MaxValue, new Random(42)).ToList();
        Assert.Equal(expected, records.Select(r => r.IntendedMs!.Value));
        Assert.All(records, OnTime);
        Assert.True(expected.Zip(expected.Skip(1), (a, b) => b - a).Distinct().Count() > 1, "exponential gaps, not a grid");
    }

    [Fact]
    public async Task Gamma_SeededArrivals_SentAtTheirIntendedTimes()
    {
        var (records, _) = await RunAsync([], new WorkloadStep { Kind = StepKind.Gamma, Rate = 50, Burstiness = 0.5, Duration = TimeSpan.FromSeconds(1) });

        // Seeded like poisson: the runner's seed (42) plus the cell's index (0).
        var expected = Arrivals.Gamma(50, 0.5, 1000, long.MaxValue, new Random(42)).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, records.Select(r => r.IntendedMs!.Value));
        Assert.All(records, OnTime);
    }

    /// <summary>Sent at its intended time: the fake clock's wait ends on the first 0.1 µs tick at or after it, and the
    /// record rounds the send time to the µs (the intended time is kept as scheduled).</summary>
    private static void OnTime(RequestRecord record) =>
        Assert.InRange(record.SentMs - record.IntendedMs!.Value, -0.0005, 0.0006);

    [Fact]
    public async Task Pause_SendsNothing_ForItsDuration()
    {
        var (records, _) = await RunAsync([],
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 1 },
            new WorkloadStep { Kind = StepKind.Pause, Duration = TimeSpan.FromMilliseconds(300) },
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 1 });

        // The first request ends at 40 ms, the pause lasts 300 ms: the second is sent at 340 ms.
        Assert.Equal([0, 340], records.Select(r => r.SentMs));
    }

    [Fact]
    public async Task Sweep_FindsTheKnee_OfASaturatingEndpoint()
    {
        // 4 slots × 40 ms = 100 requests/s at most. SLO: 95 % within 200 ms of the intended send time.
        var slo = new SloSet { Name = "s", MaxMs = new Dictionary<string, double> { ["response_ms"] = 200 }, Percentile = 95 };
        var (records, _) = await RunAsync([slo], new WorkloadStep
        {
            // 1 s probes: the floor is 20 requests/s (a probe needs 20 requests).
            Kind = StepKind.Sweep, StartRate = 40, MaxRate = 400, Precision = 0.2, Duration = TimeSpan.FromSeconds(1),
        });

        Assert.All(records, r => Assert.Equal(Phases.Sweep, r.Phase));
        var sweep = new SweepAggregator([slo]);
        records.ForEach(sweep.Add);
        var curve = Assert.Single(sweep.Curves("s"));
        // Doubling 40 → 80 → 160 (past the knee: fails), then bisecting: 120 fails, 100 meets, and (120 − 100) / 120
        // is within the 0.2 precision: the knee is found exactly.
        Assert.Equal([40, 80, 100, 120, 160], curve.Points.Select(p => p.RatePerS));
        Assert.Equal([true, true, true, false, false], curve.Points.Select(p => p.Met("s")));
        Assert.Equal(100, curve.SustainableRatePerS);
    }
}
