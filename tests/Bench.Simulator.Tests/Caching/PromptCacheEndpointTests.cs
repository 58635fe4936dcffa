using System.Text.Json;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Core.Text;
using Bench.Core.Tokens;
using Bench.Core.Wire;
using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;
using Bench.Tests.Shared;
using static Bench.Simulator.Tests.TestSimulator;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Simulator.Tests.Caching;

/// <summary>The prefix cache through Bench's own client: each protocol's usage fields (read by Bench's parsers:
/// chat <c>prompt_tokens_details.cached_tokens</c>, Responses <c>input_tokens_details.cached_tokens</c>, Anthropic
/// <c>cache_read_input_tokens</c>/<c>cache_creation_input_tokens</c>, Gemini <c>cachedContentTokenCount</c>), and the
/// first token sooner by the stated prefill time.</summary>
[Collection(SteppingClock.Collection)]
public class PromptCacheEndpointTests
{
    /// <summary>2,000 synthetic words, 2,000 o200k tokens.</summary>
    private static readonly string s_system = SyntheticText.Prompt(2000, seed: 3);

    private static ChatRequest Ask(string question, Mode mode = Mode.Streaming) =>
        new("fast", mode, [new ChatMessage("system", s_system), new ChatMessage("user", question)], MaxTokens: 12, Seed: 5);

    /// <summary>The whole 128-token blocks the two requests share, computed from their ids apart from the cache.</summary>
    private static int SharedBlocksTokens(ChatRequest a, ChatRequest b)
    {
        List<int> x = [], y = [];
        TokenCounter.ForModel("fast").EncodePrompt(a.Messages, x, out _);
        TokenCounter.ForModel("fast").EncodePrompt(b.Messages, y, out _);
        var n = 0;
        while (n < x.Count && n < y.Count && x[n] == y[n])
        {
            n++;
        }

        return n / 128 * 128;
    }

    public static TheoryData<WireProtocol> Protocols() =>
        [WireProtocol.OpenAiChat, WireProtocol.OpenAiResponses, WireProtocol.AnthropicMessages, WireProtocol.Gemini];

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task SecondRequest_SamePrefix_ReportsCachedTokensInTheProtocolsField(WireProtocol protocol)
    {
        await using var host = await StartAsync(Fast());
        using var http = BenchHttpClient.Create();
        var endpoint = new Endpoint(host.BaseUrl, ApiKey)
        {
            Protocol = protocol,
            // Anthropic caches only when asked: automatic caching, a top-level cache_control.
            BodyFields = protocol == WireProtocol.AnthropicMessages
                ? new Dictionary<string, JsonElement> { ["cache_control"] = JsonSerializer.SerializeToElement(new { type = "ephemeral" }) }
                : new Dictionary<string, JsonElement>(),
        };
        var client = new ChatClient(http, endpoint, new RunClock());
        var first = Ask("Summarise the first chapter.");
        var second = Ask("What happens at the end?");

        var one = await client.SendAsync(first, new RequestContext(1));
        var two = await client.SendAsync(second, new RequestContext(2));

        Assert.Equal((Outcome.Success, Outcome.Success), (one.Outcome, two.Outcome));
        Assert.Equal(1920, SharedBlocksTokens(first, second));
        Assert.Equal(1920, two.CachedTokens);
        Assert.Equal(two.TokenizerPromptTokens, two.PromptTokens); // cached tokens are part of the prompt
        Assert.True(one.CachedTokens is null or 0, $"first request cached {one.CachedTokens}");
        if (protocol == WireProtocol.AnthropicMessages)
        {
            // Anthropic reports writes too: the first request wrote its whole blocks, the second its own new ones.
            Assert.Equal(one.PromptTokens / 128 * 128, one.CacheWriteTokens);
            Assert.Equal((two.PromptTokens / 128 * 128) - 1920, two.CacheWriteTokens);
        }
    }

    [Fact]
    public async Task Anthropic_WithoutCacheControl_CachesNothing()
    {
        await using var host = await StartAsync(Fast());
        using var http = BenchHttpClient.Create();
        var client = new ChatClient(http, new Endpoint(host.BaseUrl, ApiKey) { Protocol = WireProtocol.AnthropicMessages }, new RunClock());

        await client.SendAsync(Ask("Summarise the first chapter."), new RequestContext(1));
        var two = await client.SendAsync(Ask("What happens at the end?"), new RequestContext(2));

        Assert.True(two.CachedTokens is null or 0, $"cached {two.CachedTokens}");
        Assert.True(two.CacheWriteTokens is null or 0, $"written {two.CacheWriteTokens}");
    }

    [Fact]
    public async Task CapacityZero_TurnsTheCacheOff()
    {
        await using var host = await StartAsync(Fast() with { PromptCache = new() { CapacityTokens = 0 } });
        using var http = BenchHttpClient.Create();
        var client = new ChatClient(http, new Endpoint(host.BaseUrl, ApiKey), new RunClock());

        await client.SendAsync(Ask("Summarise the first chapter."), new RequestContext(1));
        var two = await client.SendAsync(Ask("What happens at the end?"), new RequestContext(2));

        Assert.Equal(0, two.CachedTokens);
    }

    [Theory]
    [InlineData(Mode.Streaming)]
    [InlineData(Mode.NonStreaming)]
    public async Task SecondRequest_CachedPrefix_FirstTokenSoonerByThePrefillOfItsCachedTokens(Mode mode)
    {
        var clock = new SteppingClock();
        var timings = new TimingLog();
        var profile = Fast() with { TimeToFirstToken = TtftDistribution.Fixed(500), OutputTokens = new OutputLength(1, 0) };
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { Profiles = [profile], OnCompleted = timings.Add, TimeProvider = clock });
        using var http = BenchHttpClient.Create();
        var client = new ChatClient(http, new Endpoint(host.BaseUrl, ApiKey), new RunClock(clock), new ChatClientOptions { Tokenizer = "none" });

        // Time moves only while the simulator holds the request: from when it has read it to when it has answered (the
        // bytes cross a socket the clock cannot see, and the client needs no time to read them).
        var one = await clock.RunAsync(
            () => client.SendAsync(Ask("Summarise the first chapter.", mode), new RequestContext(1)),
            ready: () => host.RequestsTaken >= 1 && timings.Count < 1);
        await timings.WaitForAsync(1);
        var two = await clock.RunAsync(
            () => client.SendAsync(Ask("What happens at the end?", mode), new RequestContext(2)),
            ready: () => host.RequestsTaken >= 2 && timings.Count < 2);
        var all = await timings.WaitForAsync(2);

        Assert.Equal((Outcome.Success, Outcome.Success), (one.Outcome, two.Outcome));
        Assert.Equal(1920, two.CachedTokens);
        // One token: the first token is the last, so both modes answer at TTFT. 500 ms uncached; 1,920 × 0.09 ms =
        // 172.8 ms less with the prefix cached.
        var ttfts = all.Select(t => (double)(t.LastByteTimestamp - t.StartedTimestamp) * 1000 / clock.TimestampFrequency).ToList();
        Assert.Equal(500, ttfts[0], 6);
        Assert.Equal(500 - (1920 * 0.09), ttfts[1], 6);
        Assert.Equal((Outcome.Success, Outcome.Success), (one.Outcome, two.Outcome));
    }
}
