using System.Diagnostics;

namespace Bench.Core.Records;

/// <summary>
/// The run's monotonic clock: <see cref="Stopwatch.GetTimestamp"/> ticks, reported as milliseconds since the run's
/// origin. One instance per run, shared by every request so that all records sit on one timeline.
/// </summary>
public sealed class RunClock
{
    private readonly long _origin;

    /// <summary>Starts a clock whose origin is now.</summary>
    public RunClock()
        : this(Stopwatch.GetTimestamp())
    {
    }

    /// <summary>Starts a clock with a given origin, in <see cref="Stopwatch"/> ticks.</summary>
    public RunClock(long originTimestamp) => _origin = originTimestamp;

    /// <summary>The origin in <see cref="Stopwatch"/> ticks.</summary>
    public long OriginTimestamp => _origin;

    /// <summary>Now, in <see cref="Stopwatch"/> ticks (for hot paths: convert later with <see cref="ToMs"/>).</summary>
    public static long Now() => Stopwatch.GetTimestamp();

    /// <summary>Milliseconds since the origin for a <see cref="Stopwatch"/> timestamp, rounded to the microsecond
    /// (the resolution Bench reports; finer digits are noise and bloat <c>records.jsonl</c>).</summary>
    public double ToMs(long timestamp) => Math.Round((timestamp - _origin) * 1000.0 / Stopwatch.Frequency, 3);

    /// <summary>Milliseconds since the origin, now.</summary>
    public double NowMs() => ToMs(Stopwatch.GetTimestamp());

    /// <summary>The <see cref="Stopwatch"/> timestamp of a time in milliseconds since the origin.</summary>
    public long ToTimestamp(double ms) => _origin + (long)(ms * Stopwatch.Frequency / 1000.0);
}
