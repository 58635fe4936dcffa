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

    /// <summary>The first <paramref name="count"/> reports, in completion order, waiting up to 5 s for them.</summary>
    public async Task<ServerTiming[]> WaitForAsync(int count)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            lock (_timings)
            {
                if (_timings.Count >= count || DateTime.UtcNow > giveUp)
                {
                    Assert.True(_timings.Count >= count, $"{_timings.Count} of {count} timings reported");
                    return _timings.Take(count).ToArray();
                }
            }

            await Task.Delay(5);
        }
    }
}
