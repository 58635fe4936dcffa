using System.ClientModel;
using System.ClientModel.Primitives;
using Bench.Simulator.Hosting;
using OpenAI;
using OpenAI.Responses;
using static Bench.Simulator.Tests.TestSimulator;

#pragma warning disable OPENAI001 // the Responses client is marked experimental in OpenAI 2.15.0

namespace Bench.Simulator.Tests.Sdk;

/// <summary>The official OpenAI .NET SDK's Responses client (OpenAI 2.15.0) works against the simulator's
/// <c>/v1/responses</c>: text arrives, usage matches the plan, the status is right, and a fault surfaces as the SDK's
/// error.</summary>
public class ResponsesSdkTests
{
    private static ResponsesClient CreateClient(SimulatorHost host) => new(
        new ApiKeyCredential(ApiKey),
        new ResponsesClientOptions { Endpoint = host.BaseUrl, RetryPolicy = new ClientRetryPolicy(0) });

    private static CreateResponseOptions Options(string prompt, int? maxTokens, bool stream) =>
        new("fast", [ResponseItem.CreateUserMessageItem(prompt)]) { MaxOutputTokenCount = maxTokens, StreamingEnabled = stream };

    [Fact]
    public async Task CreateResponseAsync_AgainstSimulator_ReturnsTextUsageAndIncompleteWhenClipped()
    {
        await using var host = await StartAsync(Fast());
        var client = CreateClient(host);

        ResponseResult response = await client.CreateResponseAsync(Options("three word prompt", 8, stream: false));

        Assert.Equal(8, Words(response.GetOutputText()));
        Assert.Equal(ResponseStatus.Incomplete, response.Status);
        Assert.Equal(ResponseIncompleteStatusReason.MaxOutputTokens, response.IncompleteStatusDetails.Reason);
        Assert.Equal(3 + 7, response.Usage.InputTokenCount); // 3 words, one token each, + role, 3 per message, 3 priming (as Bench counts)
        Assert.Equal(8, response.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task CreateResponseStreamingAsync_AgainstSimulator_StreamsTextAndCompletesWithUsage()
    {
        await using var host = await StartAsync(Fast());
        var client = CreateClient(host);

        var text = "";
        ResponseResult? completed = null;
        await foreach (var update in await client.CreateResponseStreamingAsync(Options("hello there", null, stream: true)))
        {
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    text += delta.Delta;
                    break;
                case StreamingResponseCompletedUpdate done:
                    completed = done.Response;
                    break;
            }
        }

        Assert.Equal(12, Words(text));
        Assert.NotNull(completed);
        Assert.Equal(ResponseStatus.Completed, completed.Status);
        Assert.Equal(text, completed.GetOutputText());
        Assert.Equal(2 + 7, completed.Usage.InputTokenCount); // 2 words + role, 3 per message, 3 priming
        Assert.Equal(12, completed.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task CreateResponseAsync_ServerErrorFault_ThrowsClientResultExceptionWithTheStatus()
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Profiles = [Fast()],
            Faults = [new Bench.Core.Faults.FaultRule { Kind = Bench.Core.Faults.FaultKind.Overloaded }],
        });
        var client = CreateClient(host);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(Options("hi", 8, stream: false)));

        Assert.Equal(529, error.Status);
    }
}
