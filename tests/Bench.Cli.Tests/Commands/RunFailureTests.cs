using System.Net;
using System.Net.Sockets;
using Bench.Cli.Tests.TestSupport;
using Bench.Harness;
using Bench.Tests.Shared;

namespace Bench.Cli.Tests.Commands;

/// <summary><c>bench run</c> against endpoints where nothing succeeds: exit 1, and standard error says why, one line
/// per failing cell (and the refused key first when the run stopped for it).</summary>
public sealed class RunFailureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-run-fail-").FullName;
    private readonly string _keyVariable = "BENCH_TEST_KEY_" + Guid.NewGuid().ToString("N");

    public RunFailureTests() => Environment.SetEnvironmentVariable(_keyVariable, "sk-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_keyVariable, null);
        Directory.Delete(_dir, recursive: true);
    }

    private (int ExitCode, string Output, string Error) Run(Uri baseUrl, int requests) => BenchCli.Run("run",
        Path.Combine(AppContext.BaseDirectory, "scenarios", "default.json"), "--base-url", baseUrl.ToString(), "--api-key-env", _keyVariable,
        "--models", "gpt-4.1", "--modes", "streaming", "--requests", requests.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--concurrency", "1", "--max-tokens", "8", "--out", Path.Combine(_dir, "out"),
        "--no-preflight"); // what the run itself does; the preflight's own answers are PreflightTests'


    /// <summary>A loopback port that was just bound and closed: connecting to it is refused.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public void Run_ClosedPort_Exits1_NamingTheRefusedConnection()
    {
        var port = ClosedPort();

        var (exit, output, error) = Run(new Uri($"http://127.0.0.1:{port}/v1"), requests: 3);

        Assert.True(exit == ExitCodes.MeasuredFailure, $"exit {exit}\n{output}\n{error}");
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("127.0.0.1 gpt-4.1 streaming: 0/3 succeeded — 3 connection_error: Connection refused", line, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.Contains("Results: ", output, StringComparison.Ordinal); // the report is written all the same
    }

    [Fact]
    public async Task Run_KeyRefused_StopsAfterAFewRequests_AndExits1WithTheProvidersMessage()
    {
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(401, "application/json",
                """{"error":{"message":"Incorrect API key provided: sk-***","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""");
            return true;
        });

        var (exit, output, error) = Run(server.BaseUrl, requests: 500);

        Assert.True(exit == ExitCodes.MeasuredFailure, $"exit {exit}\n{output}\n{error}");
        Assert.InRange(server.RequestsReceived, 3, 5); // 502 planned; concurrency 1 (2 for the warm-up)
        Assert.StartsWith("stopped: the endpoint refused the API key (401 invalid_api_key: Incorrect API key provided: sk-***);", error, StringComparison.Ordinal);
    }
}
