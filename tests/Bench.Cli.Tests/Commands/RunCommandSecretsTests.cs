using System.Runtime.CompilerServices;
using Bench.Cli.Tests.TestSupport;
using Bench.Harness;
using Bench.Tests.Shared;

namespace Bench.Cli.Tests.Commands;

/// <summary>A key canary given the ways a user gives a key — in a file and in the base URL's query — reaches the
/// server and no output: not stdout, not stderr, not a file of the results folder.</summary>
public sealed class RunCommandSecretsTests : IDisposable
{
    private const string Canary = "sk-canary-0b5e55ed-cli";
    private const string Completion = """
        {"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("bench-run-secrets-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string DefaultScenario([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "scenarios", "default.json"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_KeyCanaryInFileAndQuery_ReachesTheServerAndNoOutput(bool failing)
    {
        var heads = new List<string>();
        await using var server = HostileServer.Start(async exchange =>
        {
            lock (heads)
            {
                heads.Add(exchange.Head);
            }

            if (exchange.Head.StartsWith("GET ", StringComparison.Ordinal))
            {
                await exchange.RespondAsync(200, "application/json", """{"data":[{"id":"m"}]}""");
            }
            else if (failing)
            {
                // A server echoing the key in its error body: the record keeps the message, never the key.
                await exchange.RespondAsync(400, "application/json", "{\"error\":{\"message\":\"bad request for key " + Canary + "\",\"code\":\"bad\"}}");
            }
            else
            {
                await exchange.RespondAsync(200, "application/json", Completion);
            }

            return true;
        });
        var keyFile = Path.Combine(_dir, "key.txt");
        File.WriteAllText(keyFile, Canary + "\n");
        var results = Path.Combine(_dir, "out");

        var (exit, output, error) = await Task.Run(() => BenchCli.Run("run", DefaultScenario(), "--base-url", $"{server.BaseUrl}?key={Canary}",
            "--api-key-file", keyFile, "--models", "m", "--modes", "non-streaming", "--requests", "2", "--concurrency", "1", "--out", results));

        Assert.True(exit is ExitCodes.Success or ExitCodes.MeasuredFailure, error);
        Assert.All(heads, head => Assert.Contains($"Authorization: Bearer {Canary}", head, StringComparison.Ordinal));
        Assert.All(heads, head => Assert.Contains($"?key={Canary} HTTP/1.1", head, StringComparison.Ordinal));
        Assert.DoesNotContain(Canary, output, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, error, StringComparison.Ordinal);
        Assert.Contains("?key=***", output, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(results, "*", SearchOption.AllDirectories))
        {
            Assert.False(File.ReadAllText(file).Contains(Canary, StringComparison.Ordinal), $"{file} holds the key");
        }
    }
}
