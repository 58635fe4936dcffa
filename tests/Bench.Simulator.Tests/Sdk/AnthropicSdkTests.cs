using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Bench.Core.Faults;
using Bench.Simulator.Hosting;
using static Bench.Simulator.Tests.TestSimulator;

namespace Bench.Simulator.Tests.Sdk;

/// <summary>The official Anthropic .NET SDK (<c>Anthropic</c> 13.14.0) works against the simulator's
/// <c>/v1/messages</c>: text arrives, usage matches the plan (the fast profile's 12 tokens, or the limit), the stop
/// reason is right, and a 529 surfaces as the SDK's overload error.</summary>
public class AnthropicSdkTests
{
    /// <summary>A client of <paramref name="host"/> (the SDK's base URL has no <c>/v1</c>: it appends
    /// <c>/v1/messages</c>), without retries.</summary>
    private static AnthropicClient CreateClient(SimulatorHost host) => new(new ClientOptions
    {
        ApiKey = ApiKey,
        BaseUrl = host.BaseUrl.GetLeftPart(UriPartial.Authority),
        MaxRetries = 0,
    });

    private static MessageCreateParams Params(string prompt, long maxTokens) => new()
    {
        Model = "fast",
        MaxTokens = maxTokens,
        Messages = [new UserMessageParam { Content = prompt }],
    };

    [Fact]
    public async Task Create_AgainstSimulator_ReturnsTextUsageAndMaxTokensStop()
    {
        await using var host = await StartAsync(Fast());
        using var client = CreateClient(host);

        var message = await client.Messages.Create(Params("three word prompt", 8));

        var text = string.Concat(message.Content.Select(block => block.TryPickText(out var t) ? t.Text : ""));
        Assert.Equal(8, Words(text));
        Assert.Equal(StopReason.MaxTokens, message.StopReason!.Value());
        Assert.Equal(3 + 7, message.Usage.InputTokens); // 3 words, one token each, + role, 3 per message, 3 priming (as Bench counts)
        Assert.Equal(8, message.Usage.OutputTokens);
    }

    [Fact]
    public async Task CreateStreaming_AgainstSimulator_StreamsTextAndEndTurnWithUsage()
    {
        await using var host = await StartAsync(Fast());
        using var client = CreateClient(host);

        var text = "";
        StopReason? stop = null;
        long? outputTokens = null;
        long? inputTokens = null;
        await foreach (var streamEvent in client.Messages.CreateStreaming(Params("hello there", 256)))
        {
            if (streamEvent.TryPickStart(out var start))
            {
                inputTokens = start.Message.Usage.InputTokens;
            }
            else if (streamEvent.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var textDelta))
            {
                text += textDelta.Text;
            }
            else if (streamEvent.TryPickDelta(out var messageDelta))
            {
                stop = messageDelta.Delta.StopReason?.Value();
                outputTokens = messageDelta.Usage.OutputTokens;
            }
        }

        Assert.Equal(12, Words(text));
        Assert.Equal(StopReason.EndTurn, stop);
        Assert.Equal(2 + 7, inputTokens); // 2 words + role, 3 per message, 3 priming
        Assert.Equal(12, outputTokens);
    }

    [Fact]
    public async Task Create_OverloadedFault_ThrowsTheSdksOverloadedException()
    {
        await using var host = await SimulatorHost.StartAsync(
            new SimulatorOptions { Profiles = [Fast()], Faults = [new FaultRule { Kind = FaultKind.Overloaded }] });
        using var client = CreateClient(host);

        var error = await Assert.ThrowsAsync<AnthropicOverloadedException>(() => client.Messages.Create(Params("hi", 8)));

        Assert.Equal(529, (int)error.StatusCode);
    }
}
