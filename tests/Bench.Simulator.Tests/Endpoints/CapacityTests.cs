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
        Assert.All(byTtft[..2], r => Assert.InRange(r.TtftMs, 50, 50 + 250));
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
        await using var host = await StartAsync(Fixed(null));
        using var client = CreateClient(host);
        await WarmUpAsync(client);

        var requests = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => TimeAsync(client, stream: true))));

        Assert.All(requests, r => Assert.InRange(r.TtftMs, 50, 68 + 50 - 1)); // below what a queued one would show
    }

    [Fact]
    public async Task Post_WaitingClientGoesAway_ItsTurnPassesToTheNext()
    {
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(
            new SimulatorOptions { Profiles = [Fixed(1)], OnCompleted = timings.Add });
        using var client = CreateClient(host);

        var first = TimeAsync(client, stream: true);
        await Task.Delay(10);
        using (var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(20)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync(
                new HttpRequestMessage(HttpMethod.Post, "chat/completions")
                {
                    Content = System.Net.Http.Json.JsonContent.Create(Body("fixed", extra: ("stream", true))),
                },
                HttpCompletionOption.ResponseHeadersRead,
                cancellation.Token));
        }

        var third = await TimeAsync(client, stream: true);
        await first;

        Assert.InRange(third.TtftMs, 50, 68 + 50 + 250);
        var abandoned = Assert.Single(await timings.WaitForAsync(3), t => t.FirstTokenTimestamp is null);
        Assert.Null(abandoned.FinishReason);
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
