using System.Runtime.CompilerServices;
using Bench.Cli.Tests.TestSupport;
using Bench.Harness;

namespace Bench.Cli.Tests.Commands;

/// <summary>Bad input to <c>bench run</c> — in a scenario file or in a flag — ends with the file (or the command line),
/// the field and the reason on stderr and exit code 2, before anything is sent or written: never a stack trace.</summary>
public sealed class RunCommandInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-run-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Repo([CallerFilePath] string here = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));

    private static string DefaultScenario => Path.Combine(Repo(), "scenarios", "default.json");

    private string Write(string request, string step)
    {
        var path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, $$"""
            {
              "name": "bad",
              "target": { "simulator": true, "profiles": "{{Path.Combine(Repo(), "scenarios", "profiles")}}" },
              "models": ["fixed-100ms"],
              "modes": ["streaming"],
              "request": {{request}},
              "workload": [ {{step}} ]
            }
            """);
        return path;
    }

    private static void AssertRefused(int exit, string output, string error, string expected)
    {
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Bench:", output, StringComparison.Ordinal); // the run never started
    }

    [Theory]
    [InlineData("""{ "max_tokens": 8 }""", """{ "type": "keep_constant", "copies": 1, "duration": "1e12s" }""",
        "$.workload[0].duration: the string \"1e12s\" is too long")]
    [InlineData("""{ "max_tokens": 8 }""", """{ "type": "keep_constant", "copies": 1, "duration": "99999999h" }""",
        "$.workload[0].duration: the string \"99999999h\" is too long")]
    [InlineData("""{ "max_tokens": 8, "timeout_s": 1e10 }""", """{ "type": "iterations_for_constant", "copies": 1, "iterations": 1 }""",
        "$.request.timeout_s: must be greater than 0 and at most 2147483.647")]
    [InlineData("""{ "max_tokens": 8, "timeout_s": 0 }""", """{ "type": "iterations_for_constant", "copies": 1, "iterations": 1 }""",
        "$.request.timeout_s: must be greater than 0")]
    [InlineData("""{ "max_tokens": 8 }""", """{ "type": "keep_constant", "copies": 2147483647, "duration": "1s" }""",
        "$.workload[0].copies: must be at most 100,000")]
    [InlineData("""{ "max_tokens": 8 }""", """{ "type": "inject", "rate": 1e308, "duration": "1s" }""",
        "$.workload[0].rate: must be at most 100,000 requests per second")]
    [InlineData("""{ "max_tokens": 8 }""", """{ "type": "iterations_for_inject", "rate": 1, "iterations": 2147483647 }""",
        "$.workload[0].iterations: must be at most 100,000,000")]
    [InlineData("""{ "max_tokens": 8, "prompt_tokens": 2147483647 }""", """{ "type": "iterations_for_constant", "copies": 1, "iterations": 1 }""",
        "$.request.prompt_tokens: must be between 1 and 10,000,000")]
    public void Run_ScenarioValueOutOfBounds_ExitsTwoNamingFileFieldAndReason(string request, string step, string expected)
    {
        var scenario = Write(request, step);
        var results = Path.Combine(_dir, "out");

        var (exit, output, error) = BenchCli.Run("run", scenario, "--out", results);

        AssertRefused(exit, output, error, expected);
        Assert.StartsWith($"{scenario}: 1 error:", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(results));
    }

    [Fact]
    public void Run_DatasetWithABadLine_ExitsTwoNamingFileAndLine_BeforeAnythingIsSent()
    {
        var scenario = Write("""{ "max_tokens": 8 }""", """{ "type": "iterations_for_constant", "copies": 1, "iterations": 1 }""");
        var dataset = Path.Combine(_dir, "prompts.jsonl");
        File.WriteAllText(dataset, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}\n{\"messages\": 3}\n");
        var results = Path.Combine(_dir, "out");

        var (exit, output, error) = BenchCli.Run("run", scenario, "--dataset", dataset, "--out", results);

        AssertRefused(exit, output, error, "line 2: expected {\"messages\": [{\"role\": …, \"content\": …}, …]} with at least one message");
        Assert.StartsWith($"{dataset}: 1 error:", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(results));
    }

    [Theory]
    [InlineData(new[] { "--load", "inject", "--rate", "1e308", "--duration", "1s" }, "--rate: must be at most 100,000 requests per second")]
    [InlineData(new[] { "--load", "inject", "--rate", "Infinity", "--duration", "1s" }, "--rate: must be a finite number of requests per second greater than 0 (got Infinity)")]
    [InlineData(new[] { "--load", "inject", "--rate", "NaN", "--duration", "1s" }, "--rate: must be a finite number of requests per second greater than 0 (got NaN)")]
    [InlineData(new[] { "--load", "inject", "--rate", "-5", "--duration", "1s" }, "--rate: must be a finite number of requests per second greater than 0 (got -5)")]
    [InlineData(new[] { "--load", "inject", "--rate", "1", "--duration", "1e12s" }, "--duration: '1e12s' is too long: a duration must be at most 2147483.647s")]
    [InlineData(new[] { "--load", "keep_constant", "--concurrency", "2147483647", "--duration", "1s" }, "--concurrency: must be at most 100,000")]
    [InlineData(new[] { "--requests", "2147483647" }, "--requests: must be at most 100,000,000")]
    [InlineData(new[] { "--timeout", "1e10" }, "--timeout: must be at most 2147483.647s")]
    [InlineData(new[] { "--timeout", "0" }, "--timeout: must be a number of seconds greater than 0 (got 0)")]
    [InlineData(new[] { "--timeout", "-1" }, "--timeout: must be a number of seconds greater than 0 (got -1)")]
    [InlineData(new[] { "--timeout", "NaN" }, "--timeout: must be a number of seconds greater than 0 (got NaN)")]
    [InlineData(new[] { "--timeout", "soon" }, "--timeout")]
    [InlineData(new[] { "--batch-poll-interval", "0" }, "--batch-poll-interval: must be a number of seconds greater than 0 (got 0)")]
    [InlineData(new[] { "--batch-timeout", "1e10" }, "--batch-timeout: must be at most 2147483.647s")]
    [InlineData(new[] { "--batch-timeout", "-3" }, "--batch-timeout: must be a number of seconds greater than 0 (got -3)")]
    [InlineData(new[] { "--batch-on-timeout", "later" }, "--batch-on-timeout: unknown action 'later'; use cancel or leave.")]
    [InlineData(new[] { "--speedup", "2" }, "--speedup: applies to a trace workload (--trace FILE, or a trace step in the scenario)")]
    [InlineData(new[] { "--trace", "t.jsonl", "--speedup", "0" }, "--speedup: must be greater than 0 and at most 1000 (got 0)")]
    [InlineData(new[] { "--trace", "t.jsonl", "--load", "poisson", "--rate", "1", "--duration", "1s" }, "--trace: replays a trace as the workload; it cannot be combined with --load poisson")]
    [InlineData(new[] { "--retries", "101" }, "--retries: must be between 0 and 100 (got 101)")]
    [InlineData(new[] { "--retries", "-1" }, "--retries: must be between 0 and 100 (got -1)")]
    [InlineData(new[] { "--retries", "many" }, "--retries")]
    [InlineData(new[] { "--repeat", "0" }, "--repeat: must be between 1 and 1,000 replicates (each reruns every cell; replicate statistics settle within tens) (got 0)")]
    [InlineData(new[] { "--repeat", "1001" }, "--repeat: must be between 1 and 1,000 replicates")]
    [InlineData(new[] { "--repeat", "twice" }, "--repeat")]
    [InlineData(new[] { "--monthly-requests", "79228162514264337593543950335" }, "--monthly-requests 79228162514264337593543950335: at most 1000000000000 (10^12) requests a month")]
    [InlineData(new[] { "--fx", "CNY=79228162514264337593543950335" }, "--fx CNY=79228162514264337593543950335: at most 1000000000 (10^9) units per USD")]
    public void Run_FlagOutOfBounds_ExitsTwoNamingTheFlag(string[] flags, string expected)
    {
        var results = Path.Combine(_dir, "out");

        var (exit, output, error) = BenchCli.Run(["run", DefaultScenario, "--models", "fixed-100ms", "--out", results, .. flags]);

        AssertRefused(exit, output, error, expected);
        Assert.False(Directory.Exists(results));
    }

    [Fact]
    public void Run_Timeout_SetsTheRequestTimeoutInRunJson()
    {
        var results = Path.Combine(_dir, "out");

        var (exit, _, error) = BenchCli.Run("run", DefaultScenario, "--models", "fixed-100ms", "--modes", "streaming", "--requests", "1",
            "--concurrency", "1", "--max-tokens", "4", "--timeout", "7.5", "--out", results);

        Assert.True(exit == ExitCodes.Success, error);
        using var run = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "run.json")));
        Assert.Equal(7.5, run.RootElement.GetProperty("scenario_json").GetProperty("request").GetProperty("timeout_s").GetDouble());
    }

    [Fact]
    public void Run_Retries_EveryRecordRunsUnderPolicyRetriesN()
    {
        var results = Path.Combine(_dir, "out");

        var (exit, _, error) = BenchCli.Run("run", DefaultScenario, "--models", "fixed-100ms", "--modes", "streaming", "--requests", "2",
            "--concurrency", "1", "--max-tokens", "4", "--retries", "2", "--out", results);

        Assert.True(exit == ExitCodes.Success, error);
        var lines = File.ReadAllLines(Path.Combine(results, "records.jsonl"));
        Assert.NotEmpty(lines);
        Assert.All(lines, line =>
        {
            using var record = System.Text.Json.JsonDocument.Parse(line);
            Assert.Equal("retries-2", record.RootElement.GetProperty("policy").GetString());
        });
    }

    [Fact]
    public void Run_TraceWithABadLine_ExitsTwoNamingTheFileAndLine_BeforeAnythingIsSent()
    {
        var trace = Path.Combine(_dir, "bad-trace.jsonl");
        File.WriteAllText(trace, "{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 5}\n{\"timestamp\": \"later\", \"input_length\": 10, \"output_length\": 5}\n");
        var results = Path.Combine(_dir, "out");

        var (exit, output, error) = BenchCli.Run("run", DefaultScenario, "--trace", trace, "--modes", "streaming", "--out", results);

        AssertRefused(exit, output, error, "line 2: timestamp must be a number of milliseconds ≥ 0, not \"later\"");
        Assert.StartsWith($"{trace}: 1 error:", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(results));
    }
}
