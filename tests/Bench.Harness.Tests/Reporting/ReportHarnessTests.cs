using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Reporting;
using Bench.Harness.Running;
using Bench.Harness.Tests.TestSupport;

namespace Bench.Harness.Tests.Reporting;

public sealed class ReportHarnessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Rebuild_BaselineFromBeforeTargets_RebuildsWithAnEmptyTargetColumn()
    {
        // A folder written before targets (the CI baseline as it was, replicate 1): its records have no target.
        var baseline = Path.Combine(RepoPaths.Root, "tests", "Bench.Harness.Tests", "Reporting", "Fixtures", "pre-targets");
        foreach (var file in new[] { ResultsDirectory.RecordsFile, "run.json", "summary.json" })
        {
            File.Copy(Path.Combine(baseline, file), Path.Combine(_dir, file));
        }

        using var before = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(baseline, "summary.json")));
        var cells = before.RootElement.GetProperty("cells").EnumerateArray().Select(c => (c.GetProperty("model").GetString(), c.GetProperty("mode").GetString())).ToList();

        var output = new StringWriter();
        var exit = ReportHarness.Rebuild(_dir, new ReportOverrides(), output, output);

        Assert.Equal(ExitCodes.Success, exit);
        var csv = File.ReadAllLines(Path.Combine(_dir, "summary.csv"));
        Assert.StartsWith("target,model,mode,", csv[0], StringComparison.Ordinal);
        Assert.Equal(cells, csv.Skip(1).Select(l => l.Split(',')).Select(f => ((string?)f[1], (string?)f[2])));
        Assert.All(csv.Skip(1), l => Assert.StartsWith(",", l, StringComparison.Ordinal));
        using var after = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "summary.json")));
        Assert.All(after.RootElement.GetProperty("cells").EnumerateArray(), c => Assert.Equal(System.Text.Json.JsonValueKind.Null, c.GetProperty("target").ValueKind));
        Assert.DoesNotContain("Cells' targets", File.ReadAllText(Path.Combine(_dir, "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rebuild_TruncatedRecordsOfAKilledRun_RebuildsEverything()
    {
        var scenario = new Scenario
        {
            Name = "killed",
            Target = new TargetSpec { Profiles = Path.Combine(RepoPaths.Root, "scenarios", "profiles") },
            Models = ["fixed-100ms", "gpt-4.1"],
            Modes = [Mode.Streaming],
            Request = new RequestShape { PromptTokens = 10, MaxTokens = 8 },
            Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 2, Iterations = 4 }],
        };
        await TestRuns.RunAsync(scenario, null, _dir, new StringWriter(), CancellationToken.None);

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
        var exit = ReportHarness.Rebuild(_dir, new ReportOverrides { Fx = ["CNY=7.3"] }, output, output);

        Assert.Equal(ExitCodes.Success, exit);
        foreach (var file in new[] { "summary.csv", "summary.json", "records.csv", "report.md", "report.html", "charts/ttft-cdf.svg", "charts/ttft-cdf.png" })
        {
            Assert.True(File.Exists(Path.Combine(_dir, file)), file);
        }

        var md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains($"Records: {lines.Length - 1}", md, StringComparison.Ordinal);
        Assert.Contains("1 unreadable line(s) skipped", md, StringComparison.Ordinal);
        Assert.Contains("CNY (7.3/USD)", md, StringComparison.Ordinal);
        Assert.Equal(lines.Length, File.ReadAllLines(Path.Combine(_dir, "records.csv")).Length); // header + complete records
        Assert.Contains("Skipped 1 unreadable line(s) of records.jsonl", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"Rebuilt the report from {lines.Length - 1} records: {_dir}{Path.DirectorySeparatorChar}", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithAPriceFile_PricesWithIt_AndReportKeepsItFromRunJson()
    {
        var prices = Path.Combine(_dir, "my-prices.json");
        // The prompt's tokens (as the simulator counts them, which is as Bench counts them: "request {id}" and 8 synthetic
        // words plus the chat overhead, read from the records) + 8 completion tokens at $1 / $2 per 1M tokens.
        File.WriteAllText(prices, """{ "models": [ { "model": "fixed-100ms", "input": 1, "output": 2, "source": "test" } ] }""");
        var scenario = new Scenario
        {
            Name = "priced",
            Target = new TargetSpec { Profiles = Path.Combine(RepoPaths.Root, "scenarios", "profiles") },
            Models = ["fixed-100ms"],
            Modes = [Mode.Streaming],
            Request = new RequestShape { PromptTokens = 10, MaxTokens = 8 },
            Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 2 }],
        };
        var settings = new ReportOverrides { PricesFile = prices }.ApplyTo(new ReportSettings());
        var results = Path.Combine(_dir, "run"); // beside the price file: a results folder starts empty

        await TestRuns.RunAsync(scenario, null, results, new StringWriter(), CancellationToken.None, settings);
        var records = RecordsReader.ReadAll(Path.Combine(results, ResultsDirectory.RecordsFile));
        Assert.All(records, r => Assert.Equal(r.TokenizerPromptTokens, r.PromptTokens));
        var prompt = (decimal)records.Average(r => r.PromptTokens!.Value);
        var perThousand = "," + ((prompt + (8 * 2m)) / 1000m).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) + ",";
        Assert.Contains(perThousand, File.ReadAllLines(Path.Combine(results, "summary.csv"))[1], StringComparison.Ordinal);

        File.Delete(Path.Combine(results, "summary.csv"));
        var exit = ReportHarness.Rebuild(results, new ReportOverrides(), new StringWriter(), new StringWriter());

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains(perThousand, File.ReadAllLines(Path.Combine(results, "summary.csv"))[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingPriceFile_FailsBeforeAnythingIsWritten()
    {
        var output = Path.Combine(_dir, "never");
        var error = new StringWriter();
        var request = new RunRequest
        {
            OutputDirectory = output,
            Report = new ReportOverrides { PricesFile = Path.Combine(_dir, "none.json") }.ApplyTo(new ReportSettings()),
        };

        var outcome = await RunHarness.RunAsync(request, new StringWriter(), error, CancellationToken.None);

        Assert.Equal(new RunOutcome(ExitCodes.BadInput, null), outcome);
        Assert.Contains("none.json", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Rebuild_FolderWithoutRecords_FailsClearly()
    {
        var error = new StringWriter();

        var exit = ReportHarness.Rebuild(_dir, new ReportOverrides(), new StringWriter(), error);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal($"{_dir}: no records.jsonl here; give a results folder written by bench run.{Environment.NewLine}", error.ToString());
    }
}
