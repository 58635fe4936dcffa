using System.Net.ServerSentEvents;
using System.Text.Json;
using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;
using Bench.Tests.Shared;

namespace Bench.Simulator.Tests.Protocols;

/// <summary>
/// <see cref="SimulatorOptions.AddedLatency"/> (a relay in front of a provider) on a <see cref="SteppingClock"/>: the
/// headers, the first token (TTFT) and the end (E2E) of a stream, as the client reads them on the same clock, all come
/// exactly the added latency later, in every protocol. The profile answers one token 50 ms after the request's clock
/// starts, so the only deadlines are the hold's and the first token's; the clock moves to the first token's only once
/// the client has the headers (bytes in flight are invisible to it), and after it nothing is left to wait for.
/// </summary>
[Collection(SteppingClock.Collection)]
public class AddedLatencyTests
{
    /// <summary>Fake-clock timestamps (<see cref="TimeSpan"/> ticks) in a millisecond.</summary>
    private const long Ms = TimeSpan.TicksPerMillisecond;

    private static ModelProfile One() => new()
    {
        Model = "one",
        TimeToFirstToken = TtftDistribution.Fixed(50),
        DecodeTokensPerSecond = 500,
        OutputTokens = new OutputLength(1, 0),
    };

    [Theory]
    [InlineData("openai-chat")]
    [InlineData("openai-responses")]
    [InlineData("anthropic-messages")]
    [InlineData("gemini")]
    public async Task Stream_WithAddedLatency_HeadersTtftAndE2eComeExactlyThatMuchLater(string protocol)
    {
        var direct = await MeasureAsync(protocol, TimeSpan.Zero);
        var relayed = await MeasureAsync(protocol, TimeSpan.FromMilliseconds(120));

        Assert.Equal((0, 50 * Ms, 50 * Ms), direct);
        Assert.Equal((120 * Ms, 170 * Ms, 170 * Ms), relayed);
    }

    [Fact]
    public async Task Start_NegativeAddedLatency_Throws() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SimulatorHost.StartAsync(
            new SimulatorOptions { Profiles = [One()], AddedLatency = TimeSpan.FromMilliseconds(-1) }));

    /// <summary>The client's headers, first text event and last event, in clock timestamps from sending.</summary>
    private static async Task<(long Headers, long FirstText, long End)> MeasureAsync(string protocol, TimeSpan added)
    {
        var clock = new SteppingClock();
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(
            new SimulatorOptions { Profiles = [One()], TimeProvider = clock, AddedLatency = added, OnCompleted = timings.Add });
        using var client = WireClient.Create(host, protocol);
        client.Timeout = Timeout.InfiniteTimeSpan;
        var (path, body) = WireClient.Request(protocol, "one", stream: true);
        var headersSeen = false;
        long headers = 0, first = 0, end = 0;
        var start = clock.GetTimestamp();
        await clock.RunAsync(
            async () =>
            {
                using var response = await WireClient.PostAsync(client, path, body);
                headers = clock.GetTimestamp();
                Volatile.Write(ref headersSeen, true);
                await using var stream = await response.Content.ReadAsStreamAsync();
                await foreach (var item in SseParser.Create(stream).EnumerateAsync())
                {
                    if (first == 0 && CarriesText(protocol, item.EventType, item.Data))
                    {
                        first = clock.GetTimestamp();
                    }

                    end = clock.GetTimestamp();
                }
            },
            ready: () => Volatile.Read(ref headersSeen) || clock.NextDue <= SteppingClock.Epoch + added);
        await timings.WaitForAsync(1);
        return (headers - start, first - start, end - start);
    }

    private static bool CarriesText(string protocol, string type, string data)
    {
        switch (protocol)
        {
            case "openai-responses":
                return type == "response.output_text.delta";
            case "anthropic-messages":
                return type == "content_block_delta";
            case "gemini":
                using (var chunk = JsonDocument.Parse(data))
                {
                    return chunk.RootElement.GetProperty("candidates")[0].TryGetProperty("content", out var content)
                        && content.GetProperty("parts")[0].GetProperty("text").GetString() is { Length: > 0 };
                }

            default:
                if (data == "[DONE]")
                {
                    return false;
                }

                using (var chunk = JsonDocument.Parse(data))
                {
                    var choices = chunk.RootElement.GetProperty("choices");
                    return choices.GetArrayLength() > 0
                        && choices[0].GetProperty("delta").TryGetProperty("content", out var content)
                        && content.GetString() is { Length: > 0 };
                }
        }
    }
}
