using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Load.Running;

namespace Bench.Load.Saturation;

/// <summary>
/// Measures the client machine's own load while a run sends: every <see cref="Interval"/> on the run clock it takes a
/// <see cref="ClientSample"/> — how late its own timer woke (scheduler lag), the process's CPU share, the thread-pool
/// queue and threads, the requests in flight and the arrivals dropped — hands it to a sink (<c>client.csv</c>) and
/// keeps what <see cref="Stop"/> summarises for <c>run.json</c> (<see cref="ClientSaturation"/>). From these the report
/// says whether the client, not the endpoint, limited the figures.
/// </summary>
/// <remarks>
/// <para>Scheduler lag is read on a timer of the run clock's <see cref="TimeProvider"/>, armed for a due time and
/// compared with the time its callback runs: on the system clock that callback runs on a thread-pool thread, so the lag
/// is the timer's wake-up delay plus the wait for a free pool thread — the same delays that make an open schedule's
/// sends late and a response's byte timestamps late. A wake-up later than a whole interval skips the missed samples
/// (the lag already says how late it was).</para>
/// <para>CPU share: the process's CPU time between two samples over the wall time between them times the logical cores
/// (as <c>Process.TotalProcessorTime</c> delta / (wall delta × <see cref="Environment.ProcessorCount"/>)), clamped to
/// 0–1. With the embedded simulator the simulator's work is in it too: it runs on the same machine.</para>
/// <para>Memory: three numbers per sample (24 bytes; about 8 MB for a day at 250 ms).</para>
/// </remarks>
public sealed class ClientSampler : IDisposable
{
    /// <summary>The default time between samples: 250 ms, fine enough to catch a stall of a second, cheap enough (a few
    /// µs per sample) to cost the run nothing measurable.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly RunClock _clock;
    private readonly TimeProvider _time;
    private readonly ILoadGauge _gauge;
    private readonly IClientReadings _readings;
    private readonly Action<ClientSample>? _sink;
    private readonly long _intervalTicks;
    private readonly ITimer _timer;
    private readonly List<double> _lagsMs = [];
    private readonly List<double> _cpuShares = [];
    private readonly List<long> _queues = [];
    private long _due;
    private long _lastTimestamp;
    private TimeSpan _lastProcessorTime;
    private int _threadsMax;
    private int _inFlightMax;
    private bool _stopped;

    /// <summary>Starts sampling now: the first sample is due one <paramref name="interval"/> from now.</summary>
    /// <param name="clock">The run clock: sample times are on it and its provider's timer wakes the sampler.</param>
    /// <param name="gauge">Requests in flight and dropped (the <see cref="LoadRunner"/>).</param>
    /// <param name="readings">The process's readings (<see cref="ProcessReadings.Instance"/>, or a test's).</param>
    /// <param name="sink">Receives each sample as it is taken (on the timer's thread, one at a time); null for none.</param>
    /// <param name="interval">Time between samples (default <see cref="DefaultInterval"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not positive.</exception>
    public ClientSampler(RunClock clock, ILoadGauge gauge, IClientReadings readings, Action<ClientSample>? sink = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(gauge);
        ArgumentNullException.ThrowIfNull(readings);
        Interval = interval ?? DefaultInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Interval, TimeSpan.Zero, nameof(interval));
        _clock = clock;
        _time = clock.TimeProvider;
        _gauge = gauge;
        _readings = readings;
        _sink = sink;
        _intervalTicks = Math.Max(1, (long)Math.Round(Interval.TotalSeconds * _time.TimestampFrequency));
        _timer = _time.CreateTimer(static s => ((ClientSampler)s!).Tick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (_lock)
        {
            _lastTimestamp = _time.GetTimestamp();
            _lastProcessorTime = readings.ProcessorTime;
            _due = _lastTimestamp + _intervalTicks;
            _timer.Change(Interval, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Time between samples.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Stops sampling (no sample is taken after it returns) and summarises the samples taken.</summary>
    public ClientSaturation Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            _timer.Dispose();
            return Summarize();
        }
    }

    /// <inheritdoc />
    public void Dispose() => Stop();

    private void Tick()
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            var now = _time.GetTimestamp();
            var frequency = (double)_time.TimestampFrequency;
            var lagMs = Math.Max(0, (now - _due) * 1000.0 / frequency);
            var processorTime = _readings.ProcessorTime;
            var wallS = (now - _lastTimestamp) / frequency;
            var cores = Math.Max(1, _readings.LogicalCores);
            var cpuShare = wallS > 0 ? Math.Clamp((processorTime - _lastProcessorTime).TotalSeconds / (wallS * cores), 0, 1) : 0;
            _lastTimestamp = now;
            _lastProcessorTime = processorTime;
            var sample = new ClientSample(_clock.ToMs(now), Math.Round(lagMs, 3), Math.Round(cpuShare, 4), _readings.ThreadPoolQueue,
                _readings.ThreadPoolThreads, _gauge.InFlight, _gauge.Dropped);
            _lagsMs.Add(sample.SchedulerLagMs);
            _cpuShares.Add(sample.CpuShare);
            _queues.Add(sample.ThreadPoolQueue);
            _threadsMax = Math.Max(_threadsMax, sample.ThreadPoolThreads);
            _inFlightMax = Math.Max(_inFlightMax, sample.InFlight);
            _sink?.Invoke(sample);

            _due += _intervalTicks;
            if (_due <= now)
            {
                _due = now + _intervalTicks; // woke more than an interval late: skip the missed samples
            }

            _timer.Change(TimeSpan.FromTicks((long)Math.Ceiling((_due - now) * (double)TimeSpan.TicksPerSecond / frequency)), Timeout.InfiniteTimeSpan);
        }
    }

    private ClientSaturation Summarize()
    {
        var n = _lagsMs.Count;
        var quarter = Math.Max(1, n / 4);
        return new ClientSaturation
        {
            IntervalMs = Interval.TotalMilliseconds,
            Samples = n,
            LogicalCores = _readings.LogicalCores,
            CpuShareMean = n == 0 ? 0 : Math.Round(_cpuShares.Average(), 4),
            CpuShareP90 = Percentile(_cpuShares, 90),
            CpuShareMax = n == 0 ? 0 : _cpuShares.Max(),
            SchedulerLagP50Ms = Percentile(_lagsMs, 50),
            SchedulerLagP99Ms = Percentile(_lagsMs, 99),
            SchedulerLagMaxMs = n == 0 ? 0 : _lagsMs.Max(),
            ThreadPoolQueueFirstQuarterMean = n == 0 ? 0 : Math.Round(_queues.Take(quarter).Average(), 2),
            ThreadPoolQueueLastQuarterMean = n == 0 ? 0 : Math.Round(_queues.Skip(n - quarter).Average(), 2),
            ThreadPoolQueueMax = n == 0 ? 0 : _queues.Max(),
            ThreadPoolThreadsMax = _threadsMax,
            InFlightMax = _inFlightMax,
            Dropped = _gauge.Dropped,
        };
    }

    /// <summary>The nearest-rank percentile: the smallest sample with at least <paramref name="p"/> % of the samples at or
    /// below it (0 when there are none).</summary>
    internal static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
