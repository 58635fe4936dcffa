using System.CommandLine;
using System.Runtime.CompilerServices;
using Bench.Cli.Commands;
using Bench.Cli.Running;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;

namespace Bench.Cli.Tests.Running;

public sealed class ReportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string RepoRoot([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));

    [Fact]
    public async Task Report_TruncatedRecordsOfAKilledRun_RebuildsEverything()
    {
        var scenario = new Scenario
        {
            Name = "killed",
            Target = new TargetSpec { Profiles = Path.Combine(RepoRoot(), "scenarios", "profiles") },
            Models = ["fixed-100ms", "gpt-4.1"],
            Modes = [Mode.Streaming],
            Request = new RequestShape { PromptTokens = 10, MaxTokens = 8 },
            Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 2, Iterations = 4 }],
        };
        await RunPipeline.RunAsync(scenario, null, _dir, new StringWriter(), CancellationToken.None);

        // Kill the run after the fact: cut the last record in half, drop run.json and every derived file.
        var recordsPath = Path.Combine(_dir, ResultsDirectory.RecordsFile);
        var lines = File.ReadAllLines(recordsPath);
        File.WriteAllText(recordsPath, string.Join('\n', lines[..^1]) + "\n" + lines[^1][..(lines[^1].Length / 2)]);
        foreach (var file in Directory.GetFiles(_dir).Where(f => !f.EndsWith(".jsonl", StringComparison.Ordinal)))
        {
            File.Delete(file);
        }

        Directory.Delete(Path.Combine(_dir, "charts"), recursive: true);

        var output = new StringWriter();
        var exit = new RootCommand { ReportCommand.Create() }.Parse(["report", _dir, "--fx", "CNY=7.3"]).Invoke(new InvocationConfiguration { Output = output, Error = output });

        Assert.Equal(0, exit);
        foreach (var file in new[] { "summary.csv", "summary.json", "records.csv", "report.md", "report.html", "charts/ttft-cdf.svg", "charts/ttft-cdf.png" })
        {
            Assert.True(File.Exists(Path.Combine(_dir, file)), file);
        }

        var md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains($"Records: {lines.Length - 1}", md, StringComparison.Ordinal);
        Assert.Contains("1 unreadable line(s) skipped", md, StringComparison.Ordinal);
        Assert.Contains("CNY (7.3/USD)", md, StringComparison.Ordinal);
        Assert.Equal(lines.Length, File.ReadAllLines(Path.Combine(_dir, "records.csv")).Length); // header + complete records
    }

    [Fact]
    public async Task Run_WithAPriceFile_PricesWithIt_AndReportKeepsItFromRunJson()
    {
        var prices = Path.Combine(_dir, "my-prices.json");
        // 10 prompt + 8 completion tokens at $1 / $2 per 1M tokens: $0.026 per 1k requests.
        File.WriteAllText(prices, """{ "models": [ { "model": "fixed-100ms", "input": 1, "output": 2, "source": "test" } ] }""");
        var scenario = new Scenario
        {
            Name = "priced",
            Target = new TargetSpec { Profiles = Path.Combine(RepoRoot(), "scenarios", "profiles") },
            Models = ["fixed-100ms"],
            Modes = [Mode.Streaming],
            Request = new RequestShape { PromptTokens = 10, MaxTokens = 8 },
            Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 2 }],
        };
        var settings = new ReportSettings();
        var run = new RootCommand();
        var options = new ReportOptions();
        options.AddTo(run);
        options.Apply(run.Parse(["--prices", prices]), settings);

        await RunPipeline.RunAsync(scenario, null, _dir, new StringWriter(), CancellationToken.None, settings);
        Assert.Contains(",0.026,", File.ReadAllLines(Path.Combine(_dir, "summary.csv"))[1], StringComparison.Ordinal);

        File.Delete(Path.Combine(_dir, "summary.csv"));
        var exit = new RootCommand { ReportCommand.Create() }.Parse(["report", _dir]).Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = new StringWriter() });

        Assert.Equal(0, exit);
        Assert.Contains(",0.026,", File.ReadAllLines(Path.Combine(_dir, "summary.csv"))[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Report_MissingPriceFile_FailsBeforeAnythingIsWritten()
    {
        var settings = new ReportSettings();
        var command = new RootCommand();
        var options = new ReportOptions();
        options.AddTo(command);

        var e = Assert.Throws<ArgumentException>(() => options.Apply(command.Parse(["--prices", Path.Combine(_dir, "none.json")]), settings));
        Assert.Contains("none.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_FolderWithoutRecords_FailsClearly()
    {
        var error = new StringWriter();
        var exit = new RootCommand { ReportCommand.Create() }.Parse(["report", _dir]).Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });
        Assert.Equal(2, exit);
    }
}
