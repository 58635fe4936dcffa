using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;
using Bench.Tests.Shared;
using static Bench.Simulator.Tests.TestSimulator;

namespace Bench.Simulator.Tests.Endpoints;

/// <summary>A model's capacity limit. The queue's logic runs on a fake clock (<see cref="SteppingClock"/>) with exact
/// server times.</summary>
[Collection(SteppingClock.Collection)]
public class CapacityTests
{
    /// <summary>Fake-clock ticks (<see cref="TimeSpan"/> ticks) in a millisecond.</summary>
    private const long Ms = TimeSpan.TicksPerMillisecond;

    /// <summary>First token after 50 ms, 10 tokens at 500 tokens/s: E2E 50 + 9 × 2 = 68 ms.</summary>
    private static ModelProfile Fixed(int? maxConcurrent) => new()
    {
        Model = "fixed",
        TimeToFirstToken = TtftDistribution.Fixed(50),
        DecodeTokensPerSecond = 500,
        OutputTokens = new OutputLength(10, 0),
        Capacity = maxConcurrent is { } slots ? new CapacityLimit(slots) : null,
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_FourAtOnceWithTwoSlots_TheLastTwoWaitForASlotAndTheirTtftIncludesIt(bool stream)
    {
        // On a fake clock (SteppingClock), moved to each deadline once the endpoint waits on it: exact server times.
        var time = new SteppingClock();
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(
            new SimulatorOptions { Profiles = [Fixed(2)], OnCompleted = timings.Add, TimeProvider = time });
        using var client = CreateClient(host);

        await time.RunAsync(
            () => Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SendAsync(client, stream)))),
            ready: () => AllParked(host, timings, time, slots: 2));

        var server = await timings.WaitForAsync(4);
        var served = server.Where(t => t.StartedTimestamp == t.ReceivedTimestamp).ToArray();
        var waited = server.Where(t => t.StartedTimestamp > t.ReceivedTimestamp).ToArray();
        Assert.Equal(2, served.Length);
        Assert.Equal(2, waited.Length);
        // A waiting request gets its slot the moment a served one has sent its last bytes, and its clock starts then:
        // 50 ms to the first token (streaming), 68 ms to the end, from that moment. Its TTFT as the client sees it
        // (from its arrival) therefore includes the wait.
        Assert.Equal(served.Select(t => t.LastByteTimestamp).Order(), waited.Select(t => t.StartedTimestamp).Order());
        Assert.All(server, t => Assert.Equal(68 * Ms, t.LastByteTimestamp - t.StartedTimestamp));
        if (stream)
        {
            Assert.All(server, t => Assert.Equal(50 * Ms, t.FirstTokenTimestamp - t.StartedTimestamp));
            Assert.All(waited, t => Assert.True(t.FirstTokenTimestamp - t.ReceivedTimestamp >= (68 + 50) * Ms));
        }
    }

    [Fact]
    public async Task Post_FourAtOnceWithoutCapacity_NoneWaits()
    {
        var time = new SteppingClock();
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(
            new SimulatorOptions { Profiles = [Fixed(null)], OnCompleted = timings.Add, TimeProvider = time });
        using var client = CreateClient(host);

        await time.RunAsync(
            () => Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SendAsync(client, stream: true)))),
            ready: () => AllParked(host, timings, time, slots: 4));

        // Every clock starts on arrival (a queued request's would start when it got a slot).
        var server = await timings.WaitForAsync(4);
        Assert.All(server, t => Assert.Equal(t.ReceivedTimestamp, t.StartedTimestamp));
        Assert.All(server, t => Assert.Equal(50 * Ms, t.FirstTokenTimestamp - t.StartedTimestamp));
    }

    [Fact]
    public async Task Post_WaitingClientGoesAway_ItsTurnPassesToTheNext()
    {
        // On a fake clock the first request holds the only slot (waiting on its first-token timer) for as long as the
        // test likes: the second arrives, waits for the slot, and its client goes away; only then does the third arrive
        // and time move.
        var time = new SteppingClock();
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(
            new SimulatorOptions { Profiles = [Fixed(1)], OnCompleted = timings.Add, TimeProvider = time });
        using var client = CreateClient(host);

        var first = SendAsync(client, stream: true);
        await Eventually.UntilAsync(() => host.RequestsTaken >= 1 && time.PendingTimers >= 1, "the first request to hold the slot");
        using (var cancellation = new CancellationTokenSource())
        {
            var second = client.SendAsync(
                new HttpRequestMessage(HttpMethod.Post, "chat/completions")
                {
                    Content = System.Net.Http.Json.JsonContent.Create(Body("fixed", extra: ("stream", true))),
                },
                HttpCompletionOption.ResponseHeadersRead,
                cancellation.Token);
            await Eventually.UntilAsync(() => host.RequestsTaken >= 2, "the second request to wait for the slot");
            await cancellation.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        }

        // The server lets the abandoned waiter go at once, before any time has passed.
        var abandoned = Assert.Single(await timings.WaitForAsync(1));
        Assert.Null(abandoned.FirstTokenTimestamp);
        Assert.Null(abandoned.FinishReason);

        // Were the abandoned waiter handed the slot, it would never be released and the third would never be served.
        await time.RunAsync(
            () => Task.WhenAll(first, Task.Run(() => SendAsync(client, stream: true))),
            ready: () => AllParked(host, timings, time, slots: 1, requests: 3));

        var served = (await timings.WaitForAsync(3)).Skip(1).OrderBy(t => t.StartedTimestamp).ToArray();
        Assert.Equal(2, served.Length);
        Assert.Equal(served[0].LastByteTimestamp, served[1].StartedTimestamp);
        Assert.All(served, t => Assert.Equal(50 * Ms, t.FirstTokenTimestamp - t.StartedTimestamp));
        Assert.All(served, t => Assert.Equal(68 * Ms, t.LastByteTimestamp - t.StartedTimestamp));
    }

    /// <summary>
    /// Time may move once all the requests (four unless said) have arrived (the network is not on the fake
    /// clock) and every request holding a slot waits on its next deadline: a request between two deadlines may be
    /// waiting for its socket, which the fake clock cannot see. Requests still waiting for a slot hold no timer.
    /// </summary>
    private static bool AllParked(SimulatorHost host, TimingLog timings, SteppingClock time, int slots, int requests = 4)
    {
        var taken = host.RequestsTaken;
        return taken >= requests && time.PendingTimers >= Math.Min(slots, taken - timings.Count);
    }

    private static Task SendAsync(HttpClient client, bool stream) => stream
        ? StreamAsync(client, Body("fixed", extra: ("stream", true)))
        : CompleteAsync(client, Body("fixed"));
}
