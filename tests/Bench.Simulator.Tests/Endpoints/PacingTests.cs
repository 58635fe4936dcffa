using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;
using Bench.Tests.Shared;
using static Bench.Simulator.Tests.TestSimulator;

namespace Bench.Simulator.Tests.Endpoints;

/// <summary>
/// The simulator's pacing on a fake clock (<see cref="SimulatorOptions.TimeProvider"/> = <see cref="SteppingClock"/>):
/// the clock moves to each deadline once the endpoint waits on it, so the server's own timestamps
/// (<see cref="ServerTiming"/>) show the profile's TTFT and decode waits exactly (the capacity queue's: <see cref="CapacityTests"/>). How closely the real
/// clock keeps to them is an accuracy question, left to the real-clock tests (<c>DeadlineTests</c>,
/// <c>Post_FixedDelayProfile_FirstTokenNoEarlierThanTheDelay</c>) and <c>bench self-test</c>.
/// </summary>
[Collection(SteppingClock.Collection)]
public class PacingTests
{
    /// <summary>Fake-clock ticks (<see cref="TimeSpan"/> ticks) in a millisecond.</summary>
    private const long Ms = TimeSpan.TicksPerMillisecond;

    [Fact]
    public async Task Post_FixedDelayProfile_FirstTokenAtTtftThenOneTokenPerDecodeInterval()
    {
        var time = new SteppingClock();
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Profiles = [ProfileLoader.Load(Path.Combine(TestPaths.Profiles, "fixed-100ms.json"))],
            OnCompleted = timings.Add,
            TimeProvider = time,
        });
        using var client = CreateClient(host);

        var events = await time.RunAsync(() => StreamAsync(client, Body("fixed-100ms", extra: ("stream", true))));
        await time.RunAsync(() => CompleteAsync(client, Body("fixed-100ms")));

        Assert.Equal(1 + 20 + 1 + 1, events.Count); // prelude, 20 tokens, finish, [DONE]
        var (streaming, nonStreaming) = (await timings.WaitForAsync(2)) switch { var t => (t[0], t[1]) };
        Assert.True(streaming.Stream);
        Assert.Equal(streaming.ReceivedTimestamp, streaming.StartedTimestamp);
        // 100 ms to the first token, then 19 tokens 5 ms apart: the last bytes at 195 ms.
        Assert.Equal(100 * Ms, streaming.FirstTokenTimestamp - streaming.ReceivedTimestamp);
        Assert.Equal(195 * Ms, streaming.LastByteTimestamp - streaming.ReceivedTimestamp);
        // Non-streaming: the whole answer when its last token would have been streamed.
        Assert.False(nonStreaming.Stream);
        Assert.Equal(195 * Ms, nonStreaming.LastByteTimestamp - nonStreaming.ReceivedTimestamp);
        Assert.Equal(390 * Ms, time.Elapsed.Ticks);
    }
}
