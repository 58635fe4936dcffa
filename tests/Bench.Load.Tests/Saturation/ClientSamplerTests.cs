using Bench.Core.Records;
using Bench.Load.Running;
using Bench.Load.Saturation;
using Microsoft.Extensions.Time.Testing;

namespace Bench.Load.Tests.Saturation;

/// <summary>The sampler's arithmetic on a <see cref="FakeTimeProvider"/> with readings the test scripts: every figure
/// is exact.</summary>
public class ClientSamplerTests
{
    /// <summary>Readings scripted per call: each read of a property returns its next value (the last one repeats).</summary>
    private sealed class ScriptedReadings(int cores, double[] processorMs, long[] queue, int[] threads) : IClientReadings
    {
        private int _cpu;
        private int _queue;
        private int _threads;

        public TimeSpan ProcessorTime => TimeSpan.FromMilliseconds(processorMs[Math.Min(_cpu++, processorMs.Length - 1)]);

        public long ThreadPoolQueue => queue[Math.Min(_queue++, queue.Length - 1)];

        public int ThreadPoolThreads => threads[Math.Min(_threads++, threads.Length - 1)];

        public int LogicalCores => cores;
    }

    private sealed class Gauge : ILoadGauge
    {
        public int InFlight { get; set; }

        public long Dropped { get; set; }
    }

    /// <summary>Every timer of <paramref name="inner"/> wakes later than due by the next of <paramref name="lateness"/>
    /// (ms; the last one repeats): a client whose timers and thread pool are slow.</summary>
    private sealed class LateTimers(FakeTimeProvider inner, params double[] lateness) : TimeProvider
    {
        private int _next;

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            new LateTimer(inner.CreateTimer(callback, state, Late(dueTime), period), this);

        private TimeSpan Late(TimeSpan dueTime) =>
            dueTime == Timeout.InfiniteTimeSpan ? dueTime : dueTime + TimeSpan.FromMilliseconds(lateness[Math.Min(_next++, lateness.Length - 1)]);

        private sealed class LateTimer(ITimer timer, LateTimers owner) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(owner.Late(dueTime), period);

            public void Dispose() => timer.Dispose();

            public ValueTask DisposeAsync() => timer.DisposeAsync();
        }
    }

    [Fact]
    public void Samples_CpuShareThreadPoolAndLoad_ExactFromReadings()
    {
        var time = new FakeTimeProvider();
        var clock = new RunClock(time);
        // 2 cores, 250 ms apart: 500 ms of CPU per sample is every core busy. CPU used per sample: 125, 125, 250, 500, 600
        // (more than the cores can give: clamped to 1), 450, 100, 0 ms.
        var readings = new ScriptedReadings(2, [1000, 1125, 1250, 1500, 2000, 2600, 3050, 3150, 3150], [0, 0, 1, 2, 10, 20, 40, 80], [4, 4, 6, 9, 9, 8, 5, 4]);
        var gauge = new Gauge();
        var samples = new List<ClientSample>();
        using var sampler = new ClientSampler(clock, gauge, readings, samples.Add);

        for (var i = 0; i < 8; i++)
        {
            gauge.InFlight = i * 10;
            gauge.Dropped = i < 5 ? 0 : i;
            time.Advance(TimeSpan.FromMilliseconds(250));
        }

        var summary = sampler.Stop();
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(8, samples.Count); // none after Stop
        Assert.Equal([250, 500, 750, 1000, 1250, 1500, 1750, 2000], samples.Select(s => s.TimeMs));
        Assert.Equal([0.25, 0.25, 0.5, 1, 1, 0.9, 0.2, 0], samples.Select(s => s.CpuShare));
        Assert.All(samples, s => Assert.Equal(0, s.SchedulerLagMs));
        Assert.Equal([0, 10, 20, 30, 40, 50, 60, 70], samples.Select(s => s.InFlight));
        Assert.Equal([0, 0, 0, 0, 0, 5, 6, 7], samples.Select(s => s.Dropped));
        Assert.Equal([0L, 0, 1, 2, 10, 20, 40, 80], samples.Select(s => s.ThreadPoolQueue));

        Assert.Equal(250, summary.IntervalMs);
        Assert.Equal(8, summary.Samples);
        Assert.Equal(2, summary.LogicalCores);
        Assert.Equal(0.5125, summary.CpuShareMean); // 4.1 / 8
        Assert.Equal(1, summary.CpuShareP90); // nearest rank: the 8th of 8 sorted
        Assert.Equal(1, summary.CpuShareMax);
        Assert.Equal(0, summary.ThreadPoolQueueFirstQuarterMean); // samples 1–2
        Assert.Equal(60, summary.ThreadPoolQueueLastQuarterMean); // samples 7–8: (40 + 80) / 2
        Assert.Equal(80, summary.ThreadPoolQueueMax);
        Assert.Equal(9, summary.ThreadPoolThreadsMax);
        Assert.Equal(70, summary.InFlightMax);
        Assert.Equal(7, summary.Dropped);
    }

    [Fact]
    public void SchedulerLag_IsWakeTimeMinusDueTime_MissedSamplesSkipped()
    {
        var fake = new FakeTimeProvider();
        // The timer wakes 3 ms late, then 400 ms late (past the next due time: that sample is skipped), then 1 ms late.
        var time = new LateTimers(fake, 3, 400, 1);
        var clock = new RunClock(time);
        var start = fake.GetUtcNow();
        var samples = new List<ClientSample>();
        using var sampler = new ClientSampler(clock, new Gauge(), new ScriptedReadings(1, [0], [0], [1]), samples.Add);

        // The fake clock runs a timer's callback at the time it is moved to: move it to each wake-up in turn.
        foreach (var toMs in new[] { 253, 900, 1151 })
        {
            fake.SetUtcNow(start + TimeSpan.FromMilliseconds(toMs));
        }

        var summary = sampler.Stop();

        // Due at 250 (woke 253), due at 500 (woke 900), due at 750 — missed: next due 1,150 (woke 1,151).
        Assert.Equal([253, 900, 1151], samples.Select(s => s.TimeMs));
        Assert.Equal([3, 400, 1], samples.Select(s => s.SchedulerLagMs));
        Assert.Equal(3, summary.SchedulerLagP50Ms);
        Assert.Equal(400, summary.SchedulerLagP99Ms);
        Assert.Equal(400, summary.SchedulerLagMaxMs);
    }

    [Fact]
    public void Stop_NoSamples_SummaryOfNothing()
    {
        var time = new FakeTimeProvider();
        using var sampler = new ClientSampler(new RunClock(time), new Gauge(), new ScriptedReadings(4, [0], [0], [1]));
        time.Advance(TimeSpan.FromMilliseconds(100));

        var summary = sampler.Stop();

        Assert.Equal((0, 0.0, 0.0, 0L), (summary.Samples, summary.CpuShareP90, summary.SchedulerLagP99Ms, summary.ThreadPoolQueueMax));
    }

    [Theory]
    [InlineData(new double[] { 5, 1, 4, 2, 3 }, 50, 3)]
    [InlineData(new double[] { 5, 1, 4, 2, 3 }, 99, 5)]
    [InlineData(new double[] { 5, 1, 4, 2, 3 }, 20, 1)]
    [InlineData(new double[] { 7 }, 99, 7)]
    public void Percentile_NearestRank(double[] values, double p, double expected) =>
        Assert.Equal(expected, ClientSampler.Percentile(values, p));
}
