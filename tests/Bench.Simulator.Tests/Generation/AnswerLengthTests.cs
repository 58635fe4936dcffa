using System.Net;
using System.Text.Json;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Core.Wire;
using Bench.Simulator.Generation;
using static Bench.Simulator.Tests.TestSimulator;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Simulator.Tests.Generation;

/// <summary>Answer lengths from the request when asked (vLLM's <c>ignore_eos</c> and <c>min_tokens</c>), the natural
/// draw otherwise.</summary>
public class AnswerLengthTests
{
    [Fact]
    public void Draw_IgnoreEos_IsExactlyMaxTokens_OtherDrawsUnchanged()
    {
        var sampler = new ProfileSampler(Varied()); // natural length normal(30, 5)
        for (var seed = 0; seed < 1000; seed++)
        {
            var natural = sampler.Draw(new Random(seed), maxTokens: 80);
            var exact = sampler.Draw(new Random(seed), maxTokens: 80, ignoreEos: true);

            Assert.Equal((80, "length"), (exact.CompletionTokens, exact.FinishReason));
            Assert.Equal((natural.FaultDraw, natural.TtftTicks, natural.TicksPerToken), (exact.FaultDraw, exact.TtftTicks, exact.TicksPerToken));
        }
    }

    [Fact]
    public void Draw_MinTokens_RaisesTheNaturalLengthToAtLeastIt()
    {
        var sampler = new ProfileSampler(Varied());
        var raised = 0;
        for (var seed = 0; seed < 1000; seed++)
        {
            var natural = sampler.Draw(new Random(seed), maxTokens: 40);
            var atLeast = sampler.Draw(new Random(seed), maxTokens: 40, minTokens: 30);

            Assert.InRange(atLeast.CompletionTokens, 30, 40);
            Assert.Equal(Math.Max(natural.CompletionTokens, 30), atLeast.CompletionTokens);
            Assert.Equal(natural.FinishReason, atLeast.FinishReason); // raised answers still end on their own
            raised += natural.CompletionTokens < 30 ? 1 : 0;
        }

        // Half of normal(30, 5) lies below 30: the option did something (binomial(1000, ~0.46): 3 sd is ±47).
        Assert.InRange(raised, 400, 560);
    }

    public static TheoryData<WireProtocol, Mode> Cases()
    {
        var data = new TheoryData<WireProtocol, Mode>();
        foreach (var protocol in new[] { WireProtocol.OpenAiChat, WireProtocol.OpenAiResponses, WireProtocol.AnthropicMessages, WireProtocol.Gemini })
        {
            data.Add(protocol, Mode.Streaming);
            data.Add(protocol, Mode.NonStreaming);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task IgnoreEos_InEveryProtocol_AnswersExactlyMaxTokens(WireProtocol protocol, Mode mode)
    {
        await using var host = await StartAsync(Fast()); // natural length 12
        using var http = BenchHttpClient.Create();
        var endpoint = new Endpoint(host.BaseUrl, ApiKey)
        {
            Protocol = protocol,
            BodyFields = new Dictionary<string, JsonElement> { ["ignore_eos"] = JsonSerializer.SerializeToElement(true) },
        };
        var client = new ChatClient(http, endpoint, new RunClock());

        var record = await client.SendAsync(new ChatRequest("fast", mode, [new ChatMessage("user", "Write at length.")], MaxTokens: 40, Seed: 3), new RequestContext(1));

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal(40, record.CompletionTokens);
        Assert.Equal(40, record.TokenizerCompletionTokens); // 40 vocabulary words, one token each
    }

    [Fact]
    public async Task MinTokens_AboveMaxTokens_Is400()
    {
        await using var host = await StartAsync(Fast());
        using var client = CreateClient(host);

        using var response = await PostAsync(client, Body("fast", extra: [("max_tokens", 10), ("min_tokens", 11)]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("min_tokens", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task MinTokens_InChat_AnswersAtLeastThatMany()
    {
        await using var host = await StartAsync(Fast());
        using var client = CreateClient(host);

        var completion = await CompleteAsync(client, Body("fast", extra: [("max_tokens", 100), ("min_tokens", 30)]));

        Assert.Equal(30, completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32()); // natural 12 raised
        Assert.Equal("stop", completion.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }
}
