using System.Runtime.CompilerServices;
using Bench.Cli.Tests.TestSupport;
using Bench.Harness;

namespace Bench.Cli.Tests.Commands;

/// <summary><c>--out</c> and <c>--force</c>, and a scenario copied out of <c>scenarios/</c>.</summary>
public sealed class RunCommandFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-run-folder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string DefaultScenario([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "scenarios", "default.json"));

    private static (int ExitCode, string Output, string Error) RunOne(string scenario, string results, params string[] more) =>
        BenchCli.Run(["run", scenario, "--models", "fixed-100ms", "--modes", "streaming", "--requests", "1", "--concurrency", "1",
            "--max-tokens", "4", "--out", results, .. more]);

    [Fact]
    public void Run_OutHoldsAnEarlierRun_RefusedThenForceStartsItAfresh()
    {
        var results = Path.Combine(_dir, "out");
        var first = RunOne(DefaultScenario(), results);
        Assert.True(first.ExitCode == ExitCodes.Success, first.Error);
        File.WriteAllText(Path.Combine(results, "notes.txt"), "mine");
        var records = File.ReadAllLines(Path.Combine(results, "records.jsonl")).Length;

        var again = RunOne(DefaultScenario(), results);

        Assert.Equal(ExitCodes.BadInput, again.ExitCode);
        Assert.Equal($"--out: results folder {results} is not empty; use --force to start it afresh (Bench deletes only the files it wrote), or name a new folder.",
            again.Error.Trim());
        Assert.Equal(records, File.ReadAllLines(Path.Combine(results, "records.jsonl")).Length);

        var forced = RunOne(DefaultScenario(), results, "--force");

        Assert.True(forced.ExitCode == ExitCodes.Success, forced.Error);
        Assert.Contains("kept what Bench did not write: notes.txt", forced.Error, StringComparison.Ordinal);
        Assert.Equal(records, File.ReadAllLines(Path.Combine(results, "records.jsonl")).Length); // one run, not two
        Assert.Equal("mine", File.ReadAllText(Path.Combine(results, "notes.txt")));
    }

    [Fact]
    public void Run_ForceOnAFolderBenchDidNotWrite_RefusedAndNothingDeleted()
    {
        var home = Path.Combine(_dir, "home");
        Directory.CreateDirectory(Path.Combine(home, "charts"));
        File.WriteAllText(Path.Combine(home, "report.md"), "my own report");

        var (exit, output, error) = RunOne(DefaultScenario(), home, "--force");

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains($"--out: {home} is not empty and is not a Bench results folder (it has no run.json)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Bench:", output, StringComparison.Ordinal);
        Assert.Equal("my own report", File.ReadAllText(Path.Combine(home, "report.md")));
        Assert.True(Directory.Exists(Path.Combine(home, "charts")));
    }

    [Fact]
    public void Run_OutIsAFile_Refused()
    {
        var file = Path.Combine(_dir, "file.txt");
        File.WriteAllText(file, "x");

        var (exit, _, error) = RunOne(DefaultScenario(), file, "--force");

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains($"--out: {file} is a file, not a folder", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_EmptyOutFolder_IsUsed()
    {
        var results = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;

        var (exit, _, error) = RunOne(DefaultScenario(), results);

        Assert.True(exit == ExitCodes.Success, error);
        Assert.True(File.Exists(Path.Combine(results, "run.json")));
    }

    [Fact]
    public void Run_ScenarioCopiedElsewhere_FindsTheBuiltInProfiles()
    {
        var copy = Path.Combine(_dir, "copied.json");
        File.Copy(DefaultScenario(), copy);

        var (exit, _, error) = RunOne(copy, Path.Combine(_dir, "out"));

        Assert.True(exit == ExitCodes.Success, error);
    }

    [Fact]
    public void Run_ProfilesFolderNowhere_NamesBothPlacesTried()
    {
        var copy = Path.Combine(_dir, "copied.json");
        File.WriteAllText(copy, File.ReadAllText(DefaultScenario()).Replace("\"profiles\": \"profiles\"", "\"profiles\": \"no-such-profiles\"", StringComparison.Ordinal));

        var (exit, _, error) = RunOne(copy, Path.Combine(_dir, "out"));

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains($"$.target.profiles: profiles folder 'no-such-profiles' not found beside the scenario ({Path.Combine(_dir, "no-such-profiles")}) "
            + $"nor among the built-in profiles ({Path.Combine(AppContext.BaseDirectory, "scenarios", "no-such-profiles")})", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public void Run_KeyVariableUnset_NamesTheFlagThatNamedIt()
    {
        var (exit, _, error) = BenchCli.Run("run", DefaultScenario(), "--base-url", "https://api.example.com/v1", "--api-key-env", "BENCH_TEST_NO_SUCH_VARIABLE",
            "--out", Path.Combine(_dir, "out"));

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("--api-key-env: the environment variable BENCH_TEST_NO_SUCH_VARIABLE is not set", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public void Run_PlainHttpToAnotherHost_RefusedUnlessAllowed()
    {
        var (exit, _, error) = BenchCli.Run("run", DefaultScenario(), "--base-url", "http://192.0.2.1:8000/v1", "--api-key-env", "PATH",
            "--out", Path.Combine(_dir, "out"));

        Assert.Equal(ExitCodes.BadInput, exit);
        // The URL came from the flag, so the error names the flag, not the scenario file's field.
        Assert.Contains("<command line>: 1 error:", error, StringComparison.Ordinal);
        Assert.Contains("--base-url: refusing to send the API key over plain HTTP to 192.0.2.1", error, StringComparison.Ordinal);
        Assert.Contains("--allow-insecure-http", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }
}
