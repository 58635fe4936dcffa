using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Tests.TestSupport;
using Bench.Tests.Shared;

namespace Bench.Harness.Tests.Running;

/// <summary>
/// <c>bench run</c> against a server that closes the connection after each answer while advertising keep-alive (older
/// llama.cpp builds): every request succeeds (issue 10 §5), because the run's HttpClient retries a request whose reused
/// connection died before any response byte, and the server received each request exactly once.
/// </summary>
public sealed class KeepAliveRunTests : IDisposable
{
    private const string KeyVariable = "BENCH_TEST_KEEPALIVE_KEY";

    private const string Stream =
        "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n" +
        "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]," +
        "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}\n\n" +
        "data: [DONE]\n\n";

    private const string Completion =
        "{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}]," +
        "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";

    private readonly string _dir = Directory.CreateTempSubdirectory("bench-keepalive-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_ServerClosesAfterEachAnswer_EveryRequestSucceeds()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(200, exchange.IsStreaming ? "text/event-stream" : "application/json", exchange.IsStreaming ? Stream : Completion);
            return false;
        });
        Environment.SetEnvironmentVariable(KeyVariable, "sk-keepalive-run");
        var scenario = new Scenario
        {
            Name = "keepalive",
            Target = new TargetSpec { BaseUrl = server.BaseUrl, ApiKeyEnv = KeyVariable, Tokenizers = new Dictionary<string, string> { ["*"] = "none" } },
            Models = ["m"],
            Modes = [Mode.Streaming, Mode.NonStreaming],
            Request = new RequestShape { PromptTokens = 5, MaxTokens = 8, TimeoutS = 30 },
            Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 4, Iterations = 150 }],
        };

        var result = await TestRuns.RunAsync(scenario, null, _dir, new StringWriter(), CancellationToken.None);

        var records = RecordsReader.ReadAll(Path.Combine(_dir, ResultsDirectory.RecordsFile));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(300, records.Count);
        var failures = records.Where(r => r.Outcome != Outcome.Success).Select(r => $"{r.Outcome}: {r.Error?.Message}").Distinct().ToList();
        Assert.True(failures.Count == 0, string.Join(" | ", failures));
        Assert.Equal(300, server.RequestsReceived);
        Assert.All(records, r => Assert.NotNull(r.HeadersMs));
    }
}
