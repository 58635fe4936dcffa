using System.Collections.Concurrent;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Core.Resilience;
using Bench.Core.Scenarios;
using Bench.Load.Running;
using Bench.Tests.Shared;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Load.Tests.Running;

/// <summary>The executor against a real socket server: a cell without a policy is the raw endpoint (one send, no
/// attempt header, no policy fields), a cell with one runs through its policy and says so.</summary>
public class ChatExecutorTests
{
    private const string Completion =
        "{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}]," +
        "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";

    private static readonly RequestShape Shape = new() { PromptTokens = 10, MaxTokens = 8 };

    [Fact]
    public async Task ExecuteAsync_CellWithoutPolicy_OneSendExactlyAsBefore()
    {
        var heads = new ConcurrentQueue<string>();
        await using var server = Answering(heads, 500);
        var executor = new ChatExecutor(Client(server), Shape, seed: 1, [new ResiliencePolicy { Name = "r", Retry = new RetrySpec { BaseDelayMs = 0 } }]);

        var record = await executor.ExecuteAsync(new RequestTicket(new Cell("m", Mode.NonStreaming), 5, Phases.Measure, null), CancellationToken.None);

        Assert.Equal(Outcome.ServerError, record.Outcome);
        Assert.Equal(1, server.RequestsReceived);
        Assert.Contains("X-Bench-Request-Id: 5", Assert.Single(heads), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("X-Bench-Attempt", heads.Single(), StringComparison.OrdinalIgnoreCase);
        Assert.Null(record.Policy);
        Assert.Null(record.Attempts);
        Assert.Null(record.BackoffMs);
        Assert.Null(record.LimiterWaitMs);
    }

    [Fact]
    public async Task ExecuteAsync_CellWithPolicy_RetriesUnderThePolicy()
    {
        var heads = new ConcurrentQueue<string>();
        await using var server = Answering(heads, 500, 200);
        var executor = new ChatExecutor(Client(server), Shape, seed: 1, [new ResiliencePolicy { Name = "r", Retry = new RetrySpec { BaseDelayMs = 0 } }]);

        var record = await executor.ExecuteAsync(new RequestTicket(new Cell("m", Mode.NonStreaming, "r"), 5, Phases.Measure, null), CancellationToken.None);

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal("r", record.Policy);
        Assert.Equal([Outcome.ServerError, Outcome.Success], record.Attempts!.Select(a => a.Outcome));
        Assert.Contains("X-Bench-Attempt: 2", heads.Last(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ExecuteAsync_CellNamesUnknownPolicy_Throws()
    {
        await using var server = Answering(new ConcurrentQueue<string>(), 200);
        var executor = new ChatExecutor(Client(server), Shape, seed: 1);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            executor.ExecuteAsync(new RequestTicket(new Cell("m", Mode.NonStreaming, "nope"), 0, Phases.Measure, null), CancellationToken.None));
    }

    /// <summary>Answers the n-th request with the n-th status (the last repeats), keeping each request's head.</summary>
    private static HostileServer Answering(ConcurrentQueue<string> heads, params int[] statuses)
    {
        var count = 0;
        return HostileServer.Start(async exchange =>
        {
            heads.Enqueue(exchange.Head);
            var status = statuses[Math.Min(Interlocked.Increment(ref count) - 1, statuses.Length - 1)];
            await exchange.RespondAsync(status, "application/json", status == 200 ? Completion : "{}");
            return true;
        });
    }

    private static ChatClient Client(HostileServer server) =>
        new(BenchHttpClient.Create(), new Endpoint(server.BaseUrl, "sk-executor"), new RunClock(), new ChatClientOptions { Tokenizer = "none" });
}
