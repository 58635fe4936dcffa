using System.Runtime.InteropServices;
using System.Text.Json;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Running;
using Bench.Harness.Tests.TestSupport;
using Bench.Tests.Shared;

namespace Bench.Harness.Tests.Running;

/// <summary>Runs that end early or fail whole: a signal (through <see cref="Interrupts"/>, without a real one; the
/// real-process tests are in Bench.Cli.Tests), a refused API key, and cells without a successful request.</summary>
[Collection(WholeRuns.Name)]
public sealed class StoppedRunTests : IDisposable
{
    private const string OpenAiKeyRefusal =
        """{"error":{"message":"Incorrect API key provided: sk-***. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""";

    private readonly string _dir = Directory.CreateTempSubdirectory("bench-stopped-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Scenario Against(Uri baseUrl, int requests, int concurrency)
    {
        var keyFile = Path.Combine(_dir, "key.txt");
        File.WriteAllText(keyFile, "sk-test-" + Guid.NewGuid().ToString("N"));
        return new Scenario
        {
            Name = "stopped-test",
            Target = new TargetSpec { BaseUrl = baseUrl, ApiKeyFile = keyFile, Tokenizers = new Dictionary<string, string> { ["*"] = "none" } },
            Models = ["gpt-4.1"],
            Modes = [Mode.Streaming, Mode.NonStreaming],
            Request = new RequestShape { PromptTokens = 20, MaxTokens = 16, TimeoutS = 30 },
            Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = concurrency, Iterations = requests }],
        };
    }

    private string Results => Path.Combine(_dir, "results");

    [Fact]
    public async Task Run_Sigterm_NamesTheSignal_MarksEveryReportFile_AndExits143()
    {
        var scenario = new Scenario
        {
            Name = "sigterm-test",
            Target = new TargetSpec { Profiles = Path.Combine(RepoPaths.Root, "scenarios", "profiles") },
            Models = ["fixed-100ms"],
            Modes = [Mode.Streaming, Mode.NonStreaming],
            Request = new RequestShape { PromptTokens = 20, MaxTokens = 64, TimeoutS = 30 },
            Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 2, Iterations = 100_000 }],
        };
        using var interrupts = new Interrupts();

        var run = TestRuns.RunAsync(scenario, null, Results, new StringWriter(), interrupts.Token, interrupts: interrupts);
        await RecordsFile.WaitForLinesAsync(Results, 2);
        Assert.True(interrupts.Raise(PosixSignal.SIGTERM));
        Assert.False(interrupts.Raise(PosixSignal.SIGINT)); // a second signal is left to the operating system
        var result = await run;

        Assert.Equal(ExitCodes.Terminated, result.ExitCode);
        var info = ResultsDirectory.ReadRunInfo(Results)!;
        Assert.Equal("SIGTERM", info.Interrupted);
        Assert.Null(info.EndedUtc);
        Assert.Equal(["simulator fixed-100ms streaming", "simulator fixed-100ms non-streaming"], info.PartialCells);
        foreach (var file in new[] { "report.md", "report.html" })
        {
            var text = File.ReadAllText(Path.Combine(Results, file));
            Assert.Contains("Interrupted (SIGTERM)", text, StringComparison.Ordinal);
            Assert.Contains("fixed-100ms non-streaming", text, StringComparison.Ordinal);
        }

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(Results, "summary.json")));
        Assert.Equal("SIGTERM", summary.RootElement.GetProperty("interrupted").GetString());
        Assert.True(File.Exists(Path.Combine(Results, "summary.csv")));
        Assert.NotEmpty(RecordsReader.ReadAll(Path.Combine(Results, ResultsDirectory.RecordsFile)));
    }

    [Fact]
    public async Task Run_InterruptedBeforeItStarts_Exits130_WithoutAStackTrace()
    {
        var scenario = new Scenario
        {
            Name = "early-test",
            Target = new TargetSpec { Profiles = Path.Combine(RepoPaths.Root, "scenarios", "profiles") },
            Models = ["fixed-100ms"],
            Request = new RequestShape { PromptTokens = 20, MaxTokens = 8, TimeoutS = 30 },
            Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 10 }],
        };
        using var interrupts = new Interrupts();
        Assert.True(interrupts.Raise(PosixSignal.SIGINT));
        await WaitCancelledAsync(interrupts.Token);

        var result = await TestRuns.RunAsync(scenario, null, Results, new StringWriter(), interrupts.Token, interrupts: interrupts);

        Assert.Equal(ExitCodes.Interrupted, result.ExitCode);
    }

    private static async Task WaitCancelledAsync(CancellationToken token)
    {
        var cancelled = new TaskCompletionSource();
        using var registration = token.Register(() => cancelled.TrySetResult());
        await cancelled.Task.WaitAsync(RecordsFile.HangGuard);
    }

    [Fact]
    public async Task Run_KeyRefusedOnTheFirstRequests_StopsEarly_SaysWhy_AndExits1()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(401, "application/json", OpenAiKeyRefusal);
            return true;
        });
        var output = new StringWriter();
        var error = new StringWriter();

        var result = await TestRuns.RunAsync(Against(server.BaseUrl, requests: 500, concurrency: 4), null, Results, output, CancellationToken.None, error: error);

        Assert.Equal(ExitCodes.MeasuredFailure, result.ExitCode);
        // 1,000 planned; the guard stops after the third refusal, with at most the other copies in flight.
        Assert.InRange(server.RequestsReceived, AuthGuard.FirstRequests, AuthGuard.FirstRequests + 4);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("stopped: the endpoint refused the API key (401 invalid_api_key: Incorrect API key provided: sk-***.", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("127.0.0.1 gpt-4.1 streaming: 0/", StringComparison.Ordinal) && l.Contains(" client_error 401 invalid_api_key: Incorrect API key", StringComparison.Ordinal));
        var info = ResultsDirectory.ReadRunInfo(Results)!;
        Assert.Equal(InterruptReasons.ApiKeyRefused, info.Interrupted);
        Assert.Equal(["127.0.0.1 gpt-4.1 streaming", "127.0.0.1 gpt-4.1 non-streaming"], info.PartialCells);
        Assert.Contains("Stopped early: the endpoint refused the API key", File.ReadAllText(Path.Combine(Results, "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoCellSucceeds_Exits1_WithOneLinePerCellNamingTheDominantFailure()
    {
        var served = 0;
        await using var server = HostileServer.Start(async exchange =>
        {
            // Mostly a JSON 503; every fifth a 502 HTML page: the 503 dominates.
            if (Interlocked.Increment(ref served) % 5 == 0)
            {
                await exchange.RespondAsync(502, "text/html", "<html><body>Bad Gateway</body></html>");
            }
            else
            {
                await exchange.RespondAsync(503, "application/json", """{"error":{"message":"The engine is currently overloaded, please try again later","type":"server_error","code":"overloaded"}}""");
            }

            return true;
        });
        var error = new StringWriter();

        var result = await TestRuns.RunAsync(Against(server.BaseUrl, requests: 10, concurrency: 1), null, Results, new StringWriter(), CancellationToken.None, error: error);

        Assert.Equal(ExitCodes.MeasuredFailure, result.ExitCode);
        Assert.Equal(
        [
            "127.0.0.1 gpt-4.1 streaming: 0/10 succeeded — 8 server_error 503 overloaded: The engine is currently overloaded, please try again later (+2 other failures)",
            "127.0.0.1 gpt-4.1 non-streaming: 0/10 succeeded — 8 server_error 503 overloaded: The engine is currently overloaded, please try again later (+2 other failures)",
        ], error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var info = ResultsDirectory.ReadRunInfo(Results)!;
        Assert.Null(info.Interrupted);
        Assert.NotNull(info.EndedUtc);
    }
}
