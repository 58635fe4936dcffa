namespace Bench.Simulator.Faults;

/// <summary>
/// The clock fault windows (<see cref="Bench.Core.Faults.FaultRule.FromS"/>, <see cref="Bench.Core.Faults.FaultRule.ToS"/>)
/// are read on: seconds since the current epoch began, on the simulator's <see cref="TimeProvider"/>. Epoch 0 begins
/// when the simulator starts; <see cref="Begin"/> starts the next (the embedded run does so at each cell, so every cell
/// meets the same windows: an incident from 30 s to 45 s happens in each). Thread-safe.
/// </summary>
internal sealed class FaultClock
{
    private readonly TimeProvider _time;
    private EpochStart _current;

    /// <summary>Starts epoch 0 now.</summary>
    public FaultClock(TimeProvider timeProvider)
    {
        _time = timeProvider;
        _current = new EpochStart(0, timeProvider.GetTimestamp());
    }

    /// <summary>Raised after a new epoch begins (the rate-limit buckets refill on it).</summary>
    public event Action<int>? EpochBegan;

    /// <summary>The current epoch's number.</summary>
    public int Epoch => Volatile.Read(ref _current).Number;

    /// <summary>Starts the next epoch now and returns its number.</summary>
    public int Begin()
    {
        EpochStart next;
        EpochStart seen;
        do
        {
            seen = Volatile.Read(ref _current);
            next = new EpochStart(seen.Number + 1, _time.GetTimestamp());
        }
        while (Interlocked.CompareExchange(ref _current, next, seen) != seen);

        EpochBegan?.Invoke(next.Number);
        return next.Number;
    }

    /// <summary>The current epoch and the milliseconds since it began, read together.</summary>
    public (int Epoch, double ElapsedMs) Now()
    {
        var current = Volatile.Read(ref _current);
        return (current.Number, _time.GetElapsedTime(current.Timestamp).TotalMilliseconds);
    }

    private sealed record EpochStart(int Number, long Timestamp);
}
