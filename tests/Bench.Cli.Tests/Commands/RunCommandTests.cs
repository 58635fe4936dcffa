using System.Runtime.CompilerServices;
using System.Text.Json;
using Bench.Cli.Tests.TestSupport;
using Bench.Harness;

namespace Bench.Cli.Tests.Commands;

public sealed class RunCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-run-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string DefaultScenario([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "scenarios", "default.json"));

    [Fact]
    public void Run_Overrides_ArePlannedAndPrintedAndKeptInRunJson()
    {
        var results = Path.Combine(_dir, "out");

        var (exit, output, error) = BenchCli.Run("run", DefaultScenario(), "--models", "fixed-100ms", "--modes", "streaming",
            "--requests", "2", "--concurrency", "1", "--max-tokens", "8", "--out", results, "--fx", "CNY=7.3",
            "--mix", "fixed-100ms:streaming=100%");

        Assert.True(exit == ExitCodes.Success, error);
        Assert.StartsWith("Bench: default — 1 cells (fixed-100ms × streaming); warm-up 2 requests at concurrency 2; "
            + "2 requests at concurrency 1; prompt 100 tokens, max_tokens 8; target embedded simulator", output, StringComparison.Ordinal);
        Assert.Contains("simulator · fixed-100ms · streaming      4/4 done  0 errors", output, StringComparison.Ordinal); // live progress, plain
        Assert.Contains("  fixed-100ms   streaming   2/2 ", output, StringComparison.Ordinal); // the summary table
        Assert.Contains($"Results: {results}{Path.DirectorySeparatorChar}", output, StringComparison.Ordinal);
        Assert.Equal("", error);
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "run.json")));
        var report = run.RootElement.GetProperty("report");
        Assert.Equal(["CNY=7.3"], report.GetProperty("fx").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["fixed-100ms:streaming=100%"], report.GetProperty("mixes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Run_BatchApiModeFromTheCommandLine_OneBatchJoinedAndResumeLeavesItAlone()
    {
        var results = Path.Combine(_dir, "out");

        var (exit, output, error) = BenchCli.Run("run", DefaultScenario(), "--models", "fixed-100ms", "--modes", "batch-api",
            "--requests", "3", "--max-tokens", "8", "--batch-poll-interval", "0.05", "--batch-timeout", "120", "--batch-on-timeout", "leave", "--out", results);

        Assert.True(exit == ExitCodes.Success, error);
        Assert.Contains("batch-api: one batch of 3 lines per model", output, StringComparison.Ordinal);
        Assert.Contains("fixed-100ms · batch-api: batch batch_", output, StringComparison.Ordinal);
        using (var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "run.json"))))
        {
            var batch = run.RootElement.GetProperty("batches")[0];
            Assert.True(batch.GetProperty("collected").GetBoolean());
            Assert.Equal("leave", run.RootElement.GetProperty("scenario_json").GetProperty("batch").GetProperty("on_timeout").GetString());
            Assert.Equal(0.05, run.RootElement.GetProperty("scenario_json").GetProperty("batch").GetProperty("poll_interval_s").GetDouble());
        }

        // Everything collected: a resume submits nothing and reruns nothing.
        var (again, resumed, resumeError) = BenchCli.Run("run", "--resume", results);

        Assert.True(again == ExitCodes.Success, resumeError);
        Assert.Contains("0 batch(es) to collect", resumed, StringComparison.Ordinal);
        Assert.DoesNotContain("submitted", resumed, StringComparison.Ordinal);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(results, "records.jsonl")).Length); // the batch lines, once (no warm-up for a batch)
    }

    [Fact]
    public void Run_ResumeAFolderThatIsNotARun_ExitsTwo()
    {
        var (exit, _, error) = BenchCli.Run("run", "--resume", _dir);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("--resume: not a Bench results folder", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingScenarioFile_ExitsTwoNamingIt()
    {
        var missing = Path.Combine(_dir, "none.json");

        var (exit, output, error) = BenchCli.Run("run", missing, "--out", Path.Combine(_dir, "out"));

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal("", output);
        Assert.Contains(missing, error, StringComparison.Ordinal);
        Assert.Contains("file not found", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public void Run_UnknownFlag_ExitsTwoNamingTheFlagNotAFile()
    {
        var (exit, output, error) = BenchCli.Run("run", "--bogus", "--out", Path.Combine(_dir, "out"));

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("unknown option '--bogus'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("file not found", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Bench:", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public void Run_ScenarioThatFailsValidation_ExitsTwoWithThePath()
    {
        var (exit, _, error) = BenchCli.Run("run", DefaultScenario(), "--load", "inject", "--out", Path.Combine(_dir, "out"));

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("$.workload[1]", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Theory]
    [InlineData("--requests", "0", "--requests must be at least 1 (got 0).")]
    [InlineData("--concurrency", "-2", "--concurrency must be at least 1 (got -2).")]
    [InlineData("--max-tokens", "many", "--max-tokens: 'many' is not a whole number.")]
    [InlineData("--modes", "batch", "--modes: unknown mode 'batch'; use streaming, non-streaming, batch-api.")]
    [InlineData("--base-url", "ftp://example.com", "--base-url: 'ftp://example.com' is not an http(s) URL.")]
    [InlineData("--load", "burst", "--load: unknown workload 'burst'")]
    [InlineData("--duration", "soon", "--duration: 'soon' is not a positive duration")]
    [InlineData("--fx", "CNY", "--fx: ")]
    [InlineData("--mix", "gpt-4.1=30%,deepseek-v3.2=60%", "shares sum to 90 %, not 100 %")]
    [InlineData("--monthly-requests", "lots", "--monthly-requests: ")]
    public void Run_BadFlagValue_ExitsTwoBeforeAnythingRuns(string flag, string value, string message)
    {
        var (exit, output, error) = BenchCli.Run("run", "--out", Path.Combine(_dir, "out"), flag, value);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Bench:", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }
}
