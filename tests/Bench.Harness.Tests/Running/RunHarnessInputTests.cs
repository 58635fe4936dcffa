using System.Text.Json;
using Bench.Harness.Running;
using Bench.Tests.Shared;

namespace Bench.Harness.Tests.Running;

/// <summary><c>bench run</c> against a real endpoint: the key canary never leaves the request, plain HTTP off this
/// machine and user-info credentials are refused before anything is sent, the preflight's warnings reach stderr and
/// run.json.</summary>
public sealed class RunHarnessInputTests : IDisposable
{
    private const string Canary = "sk-canary-5d1e9b77c0ffee";
    private const string Completion = """
        {"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hello there"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("bench-run-input-").FullName;
    private readonly string _keyVariable = "BENCH_TEST_KEY_" + Guid.NewGuid().ToString("N");

    public RunHarnessInputTests() => Environment.SetEnvironmentVariable(_keyVariable, Canary);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_keyVariable, null);
        Directory.Delete(_dir, recursive: true);
    }

    private string Scenario(string baseUrl)
    {
        var path = Path.Combine(_dir, "real.json");
        File.WriteAllText(path, $$"""
            {
              "name": "real",
              "target": { "base_url": "{{baseUrl}}", "api_key_env": "{{_keyVariable}}" },
              "models": ["m"],
              "modes": ["non-streaming"],
              "request": { "max_tokens": 8, "timeout_s": 30 },
              "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 2 } ]
            }
            """);
        return path;
    }

    [Fact]
    public async Task Run_KeyInTheBaseUrlQuery_SentButFoundInNoOutput()
    {
        var heads = new List<string>();
        await using var server = HostileServer.Start(async exchange =>
        {
            lock (heads)
            {
                heads.Add(exchange.Head);
            }

            // The model list lacks 'm': a warning, and the run goes on.
            await (exchange.Head.StartsWith("GET ", StringComparison.Ordinal)
                ? exchange.RespondAsync(200, "application/json", """{"data":[{"id":"other"}]}""")
                : exchange.RespondAsync(200, "application/json", Completion));
            return true;
        });
        var results = Path.Combine(_dir, "out");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var outcome = await RunHarness.RunAsync(
            new RunRequest { ScenarioPath = Scenario($"{server.BaseUrl}?api-key={Canary}"), OutputDirectory = results }, output, error, CancellationToken.None);

        Assert.True(outcome.ExitCode == ExitCodes.Success, error.ToString());
        Assert.All(heads, head => Assert.Contains($"?api-key={Canary} HTTP/1.1", head, StringComparison.Ordinal));
        Assert.Equal(3, heads.Count); // the preflight, then two requests
        Assert.Contains($"target http://127.0.0.1:{server.Port}/v1/?api-key=***", output.ToString(), StringComparison.Ordinal);
        var warning = $"model 'm' is not in the endpoint's model list (GET http://127.0.0.1:{server.Port}/v1/models?api-key=***: other); its requests may fail.";
        Assert.Contains("warning: " + warning, error.ToString(), StringComparison.Ordinal);
        using (var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "run.json"))))
        {
            Assert.Equal([warning], run.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
            Assert.Equal($"http://127.0.0.1:{server.Port}/v1/?api-key=***", run.RootElement.GetProperty("target").GetString());
        }

        Assert.DoesNotContain(Canary, output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, error.ToString(), StringComparison.Ordinal);
        var files = Directory.EnumerateFiles(results, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("report.md", StringComparison.Ordinal));
        Assert.All(files, file => Assert.False(File.ReadAllText(file).Contains(Canary, StringComparison.Ordinal), $"{file} holds the key"));
    }

    [Theory]
    [InlineData("http://10.255.255.1:8000/v1", "refusing to send the API key over plain HTTP to 10.255.255.1, which is not this machine")]
    [InlineData("https://user:" + Canary + "@api.example.com/v1", "https://***@api.example.com/v1 carries credentials before its host")]
    public async Task Run_KeyWouldBeExposed_RefusedBeforeAnythingIsSent(string baseUrl, string expected)
    {
        var results = Path.Combine(_dir, "out");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var outcome = await RunHarness.RunAsync(new RunRequest { ScenarioPath = Scenario(baseUrl), OutputDirectory = results }, output, error, CancellationToken.None);

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("$.target.base_url: " + expected, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, error.ToString() + output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(results));
    }

    [Fact]
    public async Task Run_PlainHttpToLoopbackNobodyListensOn_NeedsNoFlagAndStopsAtThePreflight()
    {
        // Loopback traffic never leaves the machine: no --allow-insecure-http needed. Port 9 refuses at once.
        using var output = new StringWriter();
        using var error = new StringWriter();

        var outcome = await RunHarness.RunAsync(
            new RunRequest { ScenarioPath = Scenario("http://127.0.0.1:9/v1"), OutputDirectory = Path.Combine(_dir, "out") }, output, error, CancellationToken.None);

        Assert.Equal(ExitCodes.MeasuredFailure, outcome.ExitCode);
        Assert.StartsWith("bench run: cannot reach the endpoint: GET http://127.0.0.1:9/v1/models failed: ", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public async Task Run_PreflightRefusesTheKey_ExitsTwoWithoutSendingARequest()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(401, "application/json", """{"error":{"message":"bad key","code":"invalid_api_key"}}""");
            return true;
        });
        using var output = new StringWriter();
        using var error = new StringWriter();

        var outcome = await RunHarness.RunAsync(
            new RunRequest { ScenarioPath = Scenario(server.BaseUrl.ToString()), OutputDirectory = Path.Combine(_dir, "out") }, output, error, CancellationToken.None);

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("answered 401 Unauthorized: bad key", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, server.RequestsReceived);
    }
}
