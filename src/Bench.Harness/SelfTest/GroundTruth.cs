using System.Collections.Concurrent;
using System.Globalization;
using Bench.Simulator.Hosting;

namespace Bench.Harness.SelfTest;

/// <summary>
/// The embedded simulator's own account of every request (<see cref="ServerTiming"/>), keyed by the
/// <c>X-Bench-Request-Id</c> header Bench's client sends (the record's id). Thread-safe: <see cref="Add"/> is the
/// simulator's <see cref="SimulatorOptions.OnCompleted"/> callback.
/// </summary>
internal sealed class GroundTruth
{
    private readonly ConcurrentDictionary<long, ServerTiming> _timings = new();
    private long _withoutId;

    /// <summary>Reports that carried no parsable request id (cannot be joined).</summary>
    public long WithoutId => Interlocked.Read(ref _withoutId);

    /// <summary>Reports received.</summary>
    public int Count => _timings.Count;

    /// <summary>Keeps one report (the simulator's callback; fast, never throws).</summary>
    public void Add(ServerTiming timing)
    {
        if (timing.RequestId is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            _timings[id] = timing;
        }
        else
        {
            Interlocked.Increment(ref _withoutId);
        }
    }

    /// <summary>The report of request <paramref name="id"/>, if it has arrived.</summary>
    public bool TryGet(long id, out ServerTiming timing) => _timings.TryGetValue(id, out timing);

    /// <summary>Waits until every id in <paramref name="ids"/> has a report, or <paramref name="timeout"/> passes
    /// (reports may arrive just after the client has read the whole response). Returns whether all arrived.</summary>
    public async Task<bool> WaitForAsync(IReadOnlyCollection<long> ids, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(timeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            if (ids.All(_timings.ContainsKey))
            {
                return true;
            }

            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }
}
