namespace Bench.Simulator.Batches;

/// <summary>
/// The Batch API's clock: simulated Unix seconds, <c>start wall time + elapsed × scale</c> on the simulator's
/// <see cref="TimeProvider"/> (<see cref="Hosting.SimulatorOptions.BatchTimeScale"/> simulated seconds per real second).
/// Monotonic, because the elapsed time is measured with the provider's timestamps. Every batch and file time is on it.
/// </summary>
internal sealed class BatchClock
{
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly double _startUnixS;

    /// <summary>Starts the clock now.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is not a finite number &gt; 0.</exception>
    public BatchClock(TimeProvider time, double scale)
    {
        if (!(scale > 0) || !double.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "the batch time scale must be a finite number > 0");
        }

        _time = time;
        Scale = scale;
        _startTimestamp = time.GetTimestamp();
        _startUnixS = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
    }

    /// <summary>Simulated seconds per real second.</summary>
    public double Scale { get; }

    /// <summary>Now, in simulated Unix seconds (fractional).</summary>
    public double NowS => _startUnixS + (_time.GetElapsedTime(_startTimestamp).TotalSeconds * Scale);

    /// <summary>The whole Unix second of a simulated time, as the API reports it (floor, so order is kept).</summary>
    public static long Seconds(double unixS) => (long)Math.Floor(unixS);
}
