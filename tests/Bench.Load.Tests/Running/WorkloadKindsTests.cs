using System.Collections.Concurrent;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Load.Running;

namespace Bench.Load.Tests.Running;

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
                await Task.Delay(40, cancellationToken);
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
        var clock = new RunClock();
        var executor = new SaturatingExecutor(clock);
        var records = new ConcurrentQueue<RequestRecord>();
        await new LoadRunner(executor, clock, records.Enqueue, slos: slos).RunAsync([Cell], steps, CancellationToken.None);
        return ([.. records], executor);
    }

    [Fact]
    public async Task KeepConstant_SendsForTheDuration_WithCopiesInFlight()
    {
        var (records, executor) = await RunAsync([], new WorkloadStep { Kind = StepKind.KeepConstant, Copies = 2, Duration = TimeSpan.FromMilliseconds(500) });

        Assert.Equal(2, executor.MaxInFlight);
        // Two workers, 40 ms each, for 0.5 s: about 25 requests (timers on a busy machine only make it fewer).
        Assert.InRange(records.Count, 8, 28);
        Assert.True(records.Max(r => r.SentMs) - records.Min(r => r.SentMs) < 560);
    }

    [Fact]
    public async Task RampingConstant_RaisesConcurrencyToCopies()
    {
        var (records, executor) = await RunAsync([], new WorkloadStep { Kind = StepKind.RampingConstant, Copies = 4, Duration = TimeSpan.FromMilliseconds(1200) });

        Assert.Equal(4, executor.MaxInFlight);
        var firstHalf = records.Count(r => r.SentMs < records.Min(x => x.SentMs) + 600);
        Assert.True(firstHalf < records.Count - firstHalf, "more requests are sent once the ramp is higher");
    }

    [Fact]
    public async Task IterationsForInject_SendsExactlyIterations_AtTheRate()
    {
        var (records, _) = await RunAsync([], new WorkloadStep { Kind = StepKind.IterationsForInject, Rate = 50, Iterations = 10 });

        Assert.Equal(10, records.Count);
        var intended = records.Select(r => r.IntendedMs!.Value).Order().ToList();
        Assert.Equal(180, intended[^1] - intended[0], 3); // 9 gaps of 20 ms
    }

    [Fact]
    public async Task Pause_SendsNothing_ForItsDuration()
    {
        var clock = new RunClock();
        var (records, _) = await RunAsync([],
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 1 },
            new WorkloadStep { Kind = StepKind.Pause, Duration = TimeSpan.FromMilliseconds(300) },
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 1 });

        var sent = records.Select(r => r.SentMs).Order().ToList();
        Assert.True(sent[1] - sent[0] >= 300 + 35, $"gap {sent[1] - sent[0]} ms");
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
        Assert.Contains(curve.Points, p => p.RatePerS == 40);
        Assert.All(curve.Points, p => Assert.True(p.RatePerS >= 20));
        Assert.True(curve.Points.Count >= 3);
        // Loose bounds: the true knee is 100/s; a busy machine (or a stalled timer in the test host) finds it lower,
        // never above what the slots allow.
        Assert.InRange(curve.SustainableRatePerS ?? 0, 0, 115);
        Assert.Contains(curve.Points, p => !p.Met("s"));
    }
}
