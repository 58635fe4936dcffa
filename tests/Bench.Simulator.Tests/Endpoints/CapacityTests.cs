using System.Diagnostics;
using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;
using static Bench.Simulator.Tests.TestSimulator;

namespace Bench.Simulator.Tests.Endpoints;

public class CapacityTests
{
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
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(
            new SimulatorOptions { Profiles = [Fixed(2)], OnCompleted = timings.Add });
        using var client = CreateClient(host);
        await WarmUpAsync(client);

        var requests = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => TimeAsync(client, stream))));

        var byTtft = requests.OrderBy(r => r.TtftMs).ToArray();
        var firstE2E = requests.Min(r => r.E2EMs);
        Assert.All(byTtft[..2], r => Assert.InRange(r.TtftMs, 50, 50 + SlackMs));
        Assert.All(byTtft[2..], r => Assert.True(r.TtftMs >= firstE2E, $"TTFT {r.TtftMs:F1} ms < first E2E {firstE2E:F1} ms"));
        Assert.All(byTtft[2..], r => Assert.True(r.TtftMs >= 68 + 50, $"TTFT {r.TtftMs:F1} ms"));

        var server = (await timings.WaitForAsync(6))[2..];
        var waited = server.Where(t => t.StartedTimestamp > t.ReceivedTimestamp).ToArray();
        Assert.Equal(2, waited.Length);
        var firstEnd = server.Min(t => t.LastByteTimestamp);
        Assert.All(waited, t => Assert.True(t.StartedTimestamp >= firstEnd));
        if (stream)
        {
            Assert.All(waited, t => Assert.True(Ms(t.StartedTimestamp, t.FirstTokenTimestamp!.Value) >= 50));
        }
    }

    [Fact]
    public async Task Post_FourAtOnceWithoutCapacity_NoneWaits()
    {
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(
            new SimulatorOptions { Profiles = [Fixed(null)], OnCompleted = timings.Add });
        using var client = CreateClient(host);
        await WarmUpAsync(client);

        var requests = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => TimeAsync(client, stream: true))));

        Assert.All(requests, r => Assert.True(r.TtftMs >= 50, $"TTFT {r.TtftMs:F1} ms"));
        // Every clock starts on arrival (a queued request's would start when it got a slot): checked on the server,
        // where a busy machine's late timers cannot blur it.
        var server = (await timings.WaitForAsync(6))[2..];
        Assert.All(server, t => Assert.Equal(t.ReceivedTimestamp, t.StartedTimestamp));
        Assert.All(server, t => Assert.True(Ms(t.StartedTimestamp, t.FirstTokenTimestamp!.Value) >= 50));
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
