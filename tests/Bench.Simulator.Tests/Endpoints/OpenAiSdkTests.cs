using System.ClientModel;
using System.ClientModel.Primitives;
using Bench.Simulator.Hosting;
using OpenAI;
using OpenAI.Chat;
using static Bench.Simulator.Tests.TestSimulator;

namespace Bench.Simulator.Tests.Endpoints;

/// <summary>The official OpenAI .NET SDK works against the simulator.</summary>
public class OpenAiSdkTests
{
    private static ChatClient CreateChatClient(SimulatorHost host, string model) => new(
        model,
        new ApiKeyCredential(ApiKey),
        new OpenAIClientOptions { Endpoint = host.BaseUrl, RetryPolicy = new ClientRetryPolicy(0) });

    [Fact]
    public async Task CompleteChatAsync_AgainstSimulator_ReturnsContentAndMatchingUsage()
    {
        await using var host = await StartAsync(Fast());
        var client = CreateChatClient(host, "fast");

        ChatCompletion completion = await client.CompleteChatAsync(
            [new UserChatMessage("three word prompt")], new ChatCompletionOptions { MaxOutputTokenCount = 8 });

        var text = Assert.Single(completion.Content).Text;
        Assert.NotEmpty(text);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(3 + 7, completion.Usage.InputTokenCount); // 3 words, one token each, + role, 3 per message, 3 priming (as Bench counts)
        Assert.Equal(8, completion.Usage.OutputTokenCount);
        Assert.Equal(Words(text), completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task CompleteChatStreamingAsync_AgainstSimulator_StreamsContentAndUsage()
    {
        await using var host = await StartAsync(Fast());
        var client = CreateChatClient(host, "fast");

        var text = "";
        ChatTokenUsage? usage = null;
        ChatFinishReason? finishReason = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("hello there")]))
        {
            text += string.Concat(update.ContentUpdate.Select(part => part.Text));
            usage ??= update.Usage;
            finishReason ??= update.FinishReason;
        }

        Assert.NotEmpty(text);
        Assert.Equal(ChatFinishReason.Stop, finishReason);
        Assert.NotNull(usage);
        Assert.Equal(2 + 7, usage.InputTokenCount); // 2 words + role, 3 per message, 3 priming
        Assert.Equal(12, usage.OutputTokenCount);
        Assert.Equal(Words(text), usage.OutputTokenCount);
    }
}
