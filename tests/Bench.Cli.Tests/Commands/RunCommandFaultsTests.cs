using System.Runtime.CompilerServices;
using Bench.Cli.Tests.TestSupport;
using Bench.Harness;

namespace Bench.Cli.Tests.Commands;

/// <summary>A scenario's <c>faults</c> and <c>rate_limits</c> belong to the embedded simulator: <c>bench run</c>
/// refuses them against a real endpoint — named in the file or by <c>--base-url</c> — with exit code 2, before anything
/// is sent or written.</summary>
public sealed class RunCommandFaultsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-run-faults-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Repo([CallerFilePath] string here = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));

    private string Write(string target, string extra)
    {
        var path = Path.Combine(_dir, "faults.json");
        File.WriteAllText(path, $$"""
            {
              "name": "faults",
              "target": {{target}},
              "models": ["fixed-100ms"],
              "modes": ["streaming"],
              "request": { "max_tokens": 8 },
              "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 1 } ],
              {{extra}}
            }
            """);
        return path;
    }

    [Theory]
    [InlineData("""
        "faults": [ { "kind": "server_error", "status": 503, "rate": 0.5 } ]
        """, "$.faults: the embedded simulator injects these")]
    [InlineData("""
        "rate_limits": { "rpm": 60 }
        """, "$.rate_limits: the embedded simulator injects these")]
    public void Run_FileWithBaseUrlAndFaults_ExitsTwo_NothingWritten(string extra, string expected)
    {
        Environment.SetEnvironmentVariable("BENCH_FAULTS_TEST_KEY", "sk-test");
        var scenario = Write("""{ "base_url": "http://127.0.0.1:9/v1", "api_key_env": "BENCH_FAULTS_TEST_KEY" }""", extra);
        var results = Path.Combine(_dir, "out");

        var (exit, output, error) = BenchCli.Run("run", scenario, "--out", results);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Bench:", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(results));
    }

    [Fact]
    public void Run_SimulatorScenarioWithFaults_PointedAtAnEndpointByBaseUrl_ExitsTwo_NothingSent()
    {
        var scenario = Write($$"""{ "simulator": true, "profiles": "{{Path.Combine(Repo(), "scenarios", "profiles")}}" }""", """
            "faults": [ { "kind": "rate_limited", "rate": 0.1 } ], "rate_limits": { "rpm": 60 }
            """);
        var results = Path.Combine(_dir, "out");

        var (exit, output, error) = BenchCli.Run("run", scenario, "--base-url", "http://127.0.0.1:9/v1", "--out", results);

        Assert.Equal(ExitCodes.BadInput, exit);
        // Plan.Create validates the scenario the flags made: the file's faults meet the flag's endpoint.
        Assert.Contains("$.faults: the embedded simulator injects these; a scenario with a base_url cannot", error, StringComparison.Ordinal);
        Assert.Contains("$.rate_limits: the embedded simulator injects these", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Bench:", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(results));
    }
}
