using Bench.Core.Client;
using Bench.Core.Prompts;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Core.Text;
using Bench.Load.Running;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Load.Tests.Running;

/// <summary>The executor builds each request through its prompt source: a classic scenario exactly as before issue 15,
/// a shaped one with its drawn lengths and <c>ignore_eos</c>, the same in every mode of an id.</summary>
public sealed class ChatExecutorSourceTests
{
    private static ChatClient Client() =>
        new(BenchHttpClient.Create(), new Endpoint(new Uri("http://127.0.0.1:9/v1"), "sk-source"), new RunClock(), new ChatClientOptions { Tokenizer = "none" });

    [Fact]
    public void BuildRequest_ClassicShape_IsWhatBenchAlwaysSent()
    {
        var executor = new ChatExecutor(Client(), new RequestShape { PromptTokens = 10, MaxTokens = 8 }, seed: 1);

        var request = executor.BuildRequest(21, "m", Mode.Streaming);

        // Before issue 15: "request {id} " + body (seed + id % 16) of prompt_tokens − 2 words; max_tokens; seed + id.
        Assert.Equal([new ChatMessage("user", $"request 21 {SyntheticText.Prompt(8, 1 + 5)}")], request.Messages);
        Assert.Equal(new ChatRequest("m", Mode.Streaming, request.Messages, 8, 22), request);
    }

    [Fact]
    public void BuildRequest_ShapedShape_SameInEveryModeWithItsLengths()
    {
        var shape = new RequestShape
        {
            InputTokens = new LengthDistribution { Kind = DistributionKind.Uniform, Min = 30, Max = 90 },
            OutputTokens = new LengthDistribution { Kind = DistributionKind.Normal, Mean = 100, Stddev = 20 },
            IgnoreEos = true,
        };
        var executor = new ChatExecutor(Client(), shape, seed: 4);

        var streaming = executor.BuildRequest(7, "gpt-4o", Mode.Streaming);
        var whole = executor.BuildRequest(7, "gpt-4o", Mode.NonStreaming);

        Assert.Equal(streaming.Messages, whole.Messages);
        Assert.Equal(LengthSampler.Sample(shape.OutputTokens, 4, 7, SeededDraw.OutputStream), streaming.MaxTokens);
        Assert.True(streaming.IgnoreEos);
        Assert.Equal(11, streaming.Seed);
    }
}
