using Bench.Simulator.Hosting;

namespace Bench.Simulator.Tests;

/// <summary>Collects <see cref="SimulatorOptions.OnCompleted"/> reports. The simulator reports after the response has
/// ended, which may be after the client has read it, so tests wait for the reports they expect.</summary>
internal sealed class TimingLog
{
    private readonly List<ServerTiming> _timings = [];

    public void Add(ServerTiming timing)
    {
        lock (_timings)
        {
            _timings.Add(timing);
        }
    }

    /// <summary>Reports so far.</summary>
    public int Count
    {
        get
        {
            lock (_timings)
            {
                return _timings.Count;
            }
        }
    }

    /// <summary>The first <paramref name="count"/> reports, in completion order, once they have all arrived.</summary>
    public async Task<ServerTiming[]> WaitForAsync(int count)
    {
        await Eventually.UntilAsync(() => Count >= count, $"{count} timings (have {Count})");
        lock (_timings)
        {
            return _timings.Take(count).ToArray();
        }
    }
}
