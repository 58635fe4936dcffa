using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Core.Tokens;
using Bench.Core.Wire;
using Bench.Simulator.Hosting;
using static Bench.Simulator.Tests.TestSimulator;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Simulator.Tests.Caching;

/// <summary>The simulator counts a prompt as Bench counts it locally (the model family's tokenizer, the OpenAI
/// cookbook's overhead), whatever protocol carried it, so the server's usage and the record's local count agree.</summary>
public class PromptTokenCountTests
{
    /// <summary>A conversation with one system message, history and non-ASCII text (several tokens a word).</summary>
    private static readonly ChatMessage[] s_conversation =
    [
        new("system", "You are a terse assistant; answer in one line."),
        new("user", "Naïve café prices — 3.50 € each, or £2.99?"),
        new("assistant", "The café is cheaper in pounds."),
        new("user", "And for twelve? Show the arithmetic: 12 × 3.50."),
    ];

    public static TheoryData<WireProtocol, Mode, string> Cases()
    {
        var data = new TheoryData<WireProtocol, Mode, string>();
        foreach (var protocol in new[] { WireProtocol.OpenAiChat, WireProtocol.OpenAiResponses, WireProtocol.AnthropicMessages, WireProtocol.Gemini })
        {
            foreach (var mode in new[] { Mode.Streaming, Mode.NonStreaming })
            {
                data.Add(protocol, mode, "fast");       // o200k_base
            }

            data.Add(protocol, Mode.Streaming, "gpt-4-turbo"); // cl100k_base
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Usage_PromptTokens_EqualBenchsLocalCount(WireProtocol protocol, Mode mode, string model)
    {
        await using var host = await StartAsync(Fast(model));
        using var http = BenchHttpClient.Create();
        var client = new ChatClient(http, new Endpoint(host.BaseUrl, ApiKey) { Protocol = protocol }, new RunClock());

        var record = await client.SendAsync(new ChatRequest(model, mode, s_conversation, MaxTokens: 12, Seed: 5), new RequestContext(1));

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal(TokenSources.Usage, record.TokensSource);
        var expected = TokenCounter.ForModel(model).CountPrompt(s_conversation);
        Assert.Equal(expected, record.TokenizerPromptTokens);
        Assert.Equal(expected, record.PromptTokens);
    }

    [Fact]
    public void EncodePrompt_IdsAreTheCountAndTheTemplateLayout()
    {
        var counter = TokenCounter.ForModel("fast");
        var ids = new List<int>();

        var count = counter.EncodePrompt([new ChatMessage("user", "four words of prompt")], ids, out var estimated);

        Assert.False(estimated);
        Assert.Equal(counter.CountPrompt([new ChatMessage("user", "four words of prompt")]), count);
        Assert.Equal(count, ids.Count);
        // <|start|> user <|message|> four words of prompt <|end|> + 3 priming: 1 + 1 + 1 + 4 + 1 + 3.
        Assert.Equal(11, count);
        Assert.Equal([TokenCounter.StartMarker, TokenCounter.MessageMarker], new[] { ids[0], ids[2] });
        Assert.Equal([TokenCounter.EndMarker, TokenCounter.ReplyMarker, TokenCounter.ReplyMarker - 1, TokenCounter.ReplyMarker - 2], ids[^4..]);
        Assert.All(ids[3..7], id => Assert.True(id >= 0));
    }
}
