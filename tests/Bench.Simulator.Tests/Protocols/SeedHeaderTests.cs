using System.Net.Http.Json;
using System.Text.Json;
using Bench.Simulator.Hosting;
using Bench.Tests.Shared;
using static Bench.Simulator.Tests.TestSimulator;

namespace Bench.Simulator.Tests.Protocols;

/// <summary>The Responses API's and Anthropic's bodies have no seed field, so Bench's client sends a request's seed as
/// <c>X-Bench-Seed</c>: the simulator draws from it as from a chat body's <c>seed</c>, so the answer depends on the
/// request, not on arrival order (the same fault for a resent request, the same text in every protocol).</summary>
[Collection(SteppingClock.Collection)]
public class SeedHeaderTests
{
    [Theory]
    [InlineData("anthropic-messages")]
    [InlineData("openai-responses")]
    public async Task Post_SeedHeader_DrawsAsTheChatBodysSeed_AndAnotherSeedDrawsAnother(string protocol)
    {
        var clock = new SteppingClock();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { Profiles = [Varied()], TimeProvider = clock });

        var chat7 = await TextAsync(clock, host, "openai-chat", 7, header: false);
        var header7 = await TextAsync(clock, host, protocol, 7, header: true);
        var header8 = await TextAsync(clock, host, protocol, 8, header: true);
        var header7Again = await TextAsync(clock, host, protocol, 7, header: true);

        Assert.NotEmpty(chat7);
        Assert.Equal(chat7, header7);
        Assert.Equal(header7, header7Again); // arrival order (a request in between) changes nothing
        Assert.NotEqual(header7, header8);
    }

    private static async Task<string> TextAsync(SteppingClock clock, SimulatorHost host, string protocol, long seed, bool header)
    {
        using var client = WireClient.Create(host, protocol);
        client.Timeout = Timeout.InfiniteTimeSpan;
        var (path, body) = WireClient.Request(protocol, "varied", stream: false, prompt: "a prompt of six words here", seed: header ? null : seed);
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (header)
        {
            message.Headers.Add(Core.Client.ChatClient.SeedHeader, seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var text = "";
        await clock.RunAsync(async () =>
        {
            using var response = await client.SendAsync(message);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var root = json.RootElement;
            text = protocol switch
            {
                "anthropic-messages" => root.GetProperty("content")[0].GetProperty("text").GetString()!,
                "openai-responses" => root.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString()!,
                _ => root.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!,
            };
        });
        return text;
    }
}
