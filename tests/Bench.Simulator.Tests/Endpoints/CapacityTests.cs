using System.Diagnostics;
using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;
using Bench.Tests.Shared;
using static Bench.Simulator.Tests.TestSimulator;

namespace Bench.Simulator.Tests.Endpoints;

/// <summary>A model's capacity limit. The queue's logic runs on a fake clock (<see cref="SteppingClock"/>) with exact
/// server times; <see cref="Post_WaitingClientGoesAway_ItsTurnPassesToTheNext"/> stays on the real clock, whose client
/// gives up after real time while the server holds the slot.</summary>
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
        // One slot, held by the first request for 50 + 9 × 200 = 1,850 ms: long enough for the second to reach the
        // server and wait before its client gives up after 500 ms, even on a busy machine.
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(
            new SimulatorOptions { Profiles = [Fixed(1) with { DecodeTokensPerSecond = 5 }], OnCompleted = timings.Add });
        using var client = CreateClient(host);

        var first = TimeAsync(client, stream: true);
        await Task.Delay(10);
        using (var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(500)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync(
                new HttpRequestMessage(HttpMethod.Post, "chat/completions")
                {
                    Content = System.Net.Http.Json.JsonContent.Create(Body("fixed", extra: ("stream", true))),
                },
                HttpCompletionOption.ResponseHeadersRead,
                cancellation.Token));
        }

        // Were the abandoned waiter handed the slot, it would never be released and the third would never be served.
        var third = await TimeAsync(client, stream: true);
        await first;

        Assert.True(third.TtftMs >= 50, $"TTFT {third.TtftMs:F1} ms");
        var server = await timings.WaitForAsync(3);
        var abandoned = Assert.Single(server, t => t.FirstTokenTimestamp is null);
        Assert.Null(abandoned.FinishReason);
        var served = server.Where(t => t.FirstTokenTimestamp is not null).OrderBy(t => t.StartedTimestamp).ToArray();
        Assert.Equal(2, served.Length);
        Assert.True(served[1].StartedTimestamp >= served[0].LastByteTimestamp, "the third waited for the first");
    }

    /// <summary>
    /// Time may move once all four requests have arrived (they are sent at once, and the network is not on the fake
    /// clock) and every request holding a slot waits on its next deadline: a request between two deadlines may be
    /// waiting for its socket, which the fake clock cannot see. Requests still waiting for a slot hold no timer.
    /// </summary>
    private static bool AllParked(SimulatorHost host, TimingLog timings, SteppingClock time, int slots)
    {
        var taken = host.RequestsTaken;
        return taken >= 4 && time.PendingTimers >= Math.Min(slots, taken - timings.Count);
    }

    private static Task SendAsync(HttpClient client, bool stream) => stream
        ? StreamAsync(client, Body("fixed", extra: ("stream", true)))
        : CompleteAsync(client, Body("fixed"));

    private static async Task WarmUpAsync(HttpClient client)
    {
        await StreamAsync(client, Body("fixed", extra: [("stream", true), ("max_tokens", 1)]));
        await CompleteAsync(client, Body("fixed", extra: ("max_tokens", 1)));
    }

    /// <summary>Client-side TTFT (first content event; the whole body when not streaming) and E2E, in ms.</summary>
    private static async Task<(double TtftMs, double E2EMs)> TimeAsync(HttpClient client, bool stream)
    {
        var sent = Stopwatch.GetTimestamp();
        if (stream)
        {
            var events = await StreamAsync(client, Body("fixed", extra: ("stream", true)));
            return (Ms(sent, events[1].Timestamp), Ms(sent, events[^1].Timestamp));
        }

        await CompleteAsync(client, Body("fixed"));
        var end = Ms(sent, Stopwatch.GetTimestamp());
        return (end, end);
    }
}
