using System.Runtime.InteropServices;
using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Running;
using Bench.Harness.Tests.TestSupport;

namespace Bench.Harness.Tests.Running;

/// <summary><c>bench run --repeat N</c> on the embedded simulator: order, replicate numbers, ids, fault epochs, an
/// interrupt mid-run, and <c>--repeat 1</c> as a plain run.</summary>
[Collection(WholeRuns.Name)]
public sealed class ReplicateRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-rep-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Two deterministic models: the shipped fixed-100ms profile and a copy named fixed-100ms-b.</summary>
    private string Profiles()
    {
        var folder = Path.Combine(_dir, "profiles");
        Directory.CreateDirectory(folder);
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "scenarios", "profiles", "fixed-100ms.json"));
        File.WriteAllText(Path.Combine(folder, "fixed-100ms.json"), text);
        File.WriteAllText(Path.Combine(folder, "fixed-100ms-b.json"), text.Replace("\"model\": \"fixed-100ms\"", "\"model\": \"fixed-100ms-b\"", StringComparison.Ordinal));
        return folder;
    }

    private Scenario Tiny(int requests = 4, int copies = 4, bool warmup = true) => new()
    {
        Name = "repeat-test",
        Target = new TargetSpec { Profiles = Profiles() },
        Models = ["fixed-100ms", "fixed-100ms-b"],
        Modes = [Mode.Streaming, Mode.NonStreaming],
        Request = new RequestShape { PromptTokens = 20, MaxTokens = 16, TimeoutS = 30 },
        Workload = warmup
            ? [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 1, Warmup = true },
               new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = copies, Iterations = requests }]
            : [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = copies, Iterations = requests }],
    };

    private Task<RunOutcome> RunAsync(Scenario scenario, string directory, PlanOverrides overrides, CancellationToken token = default, Interrupts? interrupts = null) =>
        RunHarness.RunAsync(Plan.Create(scenario, overrides, "<test>"), null,
            new RunRequest { OutputDirectory = directory, Interrupts = interrupts, Preflight = false, Overrides = overrides }, new StringWriter(), TextWriter.Null, token);

    [Fact]
    public async Task Run_Repeat3_RecordsCarryTheirReplicateInPlanOrder_IdsUnique_EveryCellItsOwnEpoch()
    {
        var results = Path.Combine(_dir, "r3");
        var plan = Plan.Create(Tiny(), new PlanOverrides { Repeat = 3 }, "<test>");

        var outcome = await RunAsync(Tiny(), results, new PlanOverrides { Repeat = 3 });

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        var records = RecordsReader.ReadAll(Path.Combine(results, ResultsDirectory.RecordsFile));
        Assert.Equal(3 * 4 * 5, records.Count); // replicates × cells × (1 warm-up + 4)
        Assert.Equal(records.Count, records.Select(r => r.Id).Distinct().Count());
        Assert.All(records, r => Assert.Equal(Outcome.Success, r.Outcome));
        // Cells run one after another, so records.jsonl holds them in blocks: the blocks are the plan's order.
        var blocks = new List<(int?, string, Mode)>();
        foreach (var r in records)
        {
            if (blocks.Count == 0 || blocks[^1] != (r.Replicate, r.Model, r.Mode))
            {
                blocks.Add((r.Replicate, r.Model, r.Mode));
            }
        }

        Assert.Equal(plan.SynchronousOrder.Select(p => (p.Replicate, p.Cell.Model, p.Cell.Mode)), blocks);
        Assert.All(records.GroupBy(r => (r.Replicate, r.Model, r.Mode)), g => Assert.Equal(5, g.Count()));
        var run = ResultsDirectory.ReadRunInfo(results)!;
        Assert.Equal(3, run.Repeat);
        Assert.Null(run.Interrupted);
        Assert.Null(run.CompleteReplicates);
        // Every cell of every replicate started its own fault epoch, so each replicate meets the same fault windows.
        Assert.Equal(plan.SynchronousOrder.Select(p => (p.Replicate, p.Cell.Model, p.Cell.Mode)),
            run.FaultEpochs!.Select(e => (e.Replicate, e.Model, e.Mode)));
        Assert.Equal(12, run.FaultEpochs!.Select(e => e.Epoch).Distinct().Count());
        AssertReplicateFiles(results, records);

        // bench report DIR rebuilds the same replicate files from records.jsonl: the one path.
        var csv = File.ReadAllText(Path.Combine(results, "replicates.csv"));
        File.Delete(Path.Combine(results, "replicates.csv"));
        Assert.Equal(ExitCodes.Success, Bench.Harness.Reporting.ReportHarness.Rebuild(results, new Bench.Harness.Reporting.ReportOverrides(), new StringWriter(), TextWriter.Null));
        Assert.Equal(csv, File.ReadAllText(Path.Combine(results, "replicates.csv")));
    }

    /// <summary>replicates.csv has one row per replicate × cell, each the summary of that replicate's records alone
    /// (aggregated here apart, with a plain RunAggregator); summary.json's replicates block holds statistics computed
    /// here from those rows (t(0.975; 2) = 4.302653 from Student's table).</summary>
    private static void AssertReplicateFiles(string results, List<RequestRecord> records)
    {
        var lines = File.ReadAllLines(Path.Combine(results, "replicates.csv"));
        var header = lines[0].Split(',');
        // The target first, then the replicate, then the rest of summary.csv's columns.
        Assert.Equal(("target", "replicate"), (header[0], header[1]));
        Assert.Equal(File.ReadLines(Path.Combine(results, "summary.csv")).First(), string.Join(',', header.Take(1).Concat(header.Skip(2))));
        var rows = lines[1..].Select(l => l.Split(',')).ToList();
        Assert.Equal(3 * 4, rows.Count);
        int Column(string id) => Array.IndexOf(header, id);
        foreach (var replicate in new[] { 1, 2, 3 })
        {
            var alone = new Bench.Core.Metrics.RunAggregator();
            records.Where(r => r.Replicate == replicate).ToList().ForEach(alone.Add);
            foreach (var summary in alone.Summarize())
            {
                var row = rows.Single(r => r[1] == replicate.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    && r[Column("model")] == summary.Model && r[Column("mode")] == Names.Of(summary.Mode));
                Assert.Equal(summary.Requests.ToString(System.Globalization.CultureInfo.InvariantCulture), row[Column("requests")]);
                Assert.Equal(Bench.Core.Metrics.MetricCatalog.Find("e2e_ms_p95").Format.Format(summary.Get(Bench.Core.Metrics.Metric.E2e)!.P95), row[Column("e2e_ms_p95")]);
            }
        }

        using var summaryJson = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "summary.json")));
        foreach (var cell in summaryJson.RootElement.GetProperty("cells").EnumerateArray())
        {
            var (model, mode) = (cell.GetProperty("model").GetString(), cell.GetProperty("mode").GetString());
            var block = cell.GetProperty("replicates");
            Assert.Equal(3, block.GetProperty("count").GetInt32());
            var e2e = block.GetProperty("figures").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "e2e_ms_p95");
            var values = rows.Where(r => r[Column("model")] == model && r[Column("mode")] == mode)
                .Select(r => double.Parse(r[Column("e2e_ms_p95")], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(3, values.Count);
            var mean = values.Sum() / 3;
            var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / 2);
            var half = 4.302653 * sd / Math.Sqrt(3);
            var sorted = values.Order().ToList();
            Assert.Equal(3, e2e.GetProperty("n").GetInt32());
            Assert.Equal(mean, e2e.GetProperty("mean").GetDouble(), tolerance: 1e-3);
            Assert.Equal(sd, e2e.GetProperty("sd").GetDouble(), tolerance: 1e-3);
            Assert.Equal(sorted[0], e2e.GetProperty("min").GetDouble(), tolerance: 1e-3);
            Assert.Equal(sorted[1], e2e.GetProperty("median").GetDouble(), tolerance: 1e-3);
            Assert.Equal(sorted[2], e2e.GetProperty("max").GetDouble(), tolerance: 1e-3);
            Assert.Equal(mean - half, e2e.GetProperty("mean_ci_low").GetDouble(), tolerance: 1e-2);
            Assert.Equal(mean + half, e2e.GetProperty("mean_ci_high").GetDouble(), tolerance: 1e-2);
        }

        var report = File.ReadAllText(Path.Combine(results, "report.md"));
        Assert.Contains("## Replicates", report, StringComparison.Ordinal);
        Assert.Contains("A change smaller than the replicates' spread cannot be told from noise", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Repeat1_WritesWhatARunWithoutTheFlagWrites()
    {
        var plain = Path.Combine(_dir, "plain");
        var one = Path.Combine(_dir, "one");

        Assert.Equal(ExitCodes.Success, (await RunAsync(Tiny(), plain, PlanOverrides.None)).ExitCode);
        Assert.Equal(ExitCodes.Success, (await RunAsync(Tiny(), one, new PlanOverrides { Repeat = 1 })).ExitCode);

        var a = RecordsReader.ReadAll(Path.Combine(plain, ResultsDirectory.RecordsFile));
        var b = RecordsReader.ReadAll(Path.Combine(one, ResultsDirectory.RecordsFile));
        static object Fields(RequestRecord r) => (r.Id, r.Model, r.Mode, r.Policy, r.Phase, r.Outcome, r.PromptTokens, r.CompletionTokens, r.Replicate);
        // Requests in flight together complete in any order: compare by id.
        Assert.Equal(a.OrderBy(r => r.Id).Select(Fields), b.OrderBy(r => r.Id).Select(Fields));
        Assert.All(b, r => Assert.Null(r.Replicate));
        Assert.DoesNotContain("replicate", File.ReadAllText(Path.Combine(one, ResultsDirectory.RecordsFile)), StringComparison.Ordinal);
        Assert.DoesNotContain("\"repeat\"", File.ReadAllText(Path.Combine(one, ResultsDirectory.RunFile)), StringComparison.Ordinal);
        var runJson = File.ReadAllText(Path.Combine(one, ResultsDirectory.RunFile));
        Assert.True(!runJson.Contains("replicate", StringComparison.Ordinal), runJson);
        Assert.DoesNotContain("replicate", File.ReadAllText(Path.Combine(one, "summary.json")), StringComparison.Ordinal);
        Assert.DoesNotContain("Replicates", File.ReadAllText(Path.Combine(one, "report.md")), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(one, "replicates.csv")));
        // summary.csv: the same header, and the same counts and tokens per cell (timings differ run to run).
        static string[][] Counts(string dir) => [.. File.ReadAllLines(Path.Combine(dir, "summary.csv")).Select(l => l.Split(',')[..6])];
        Assert.Equal(File.ReadLines(Path.Combine(plain, "summary.csv")).First(), File.ReadLines(Path.Combine(one, "summary.csv")).First());
        Assert.Equal(Counts(plain), Counts(one));
    }

    [Fact]
    public async Task Run_InterruptedInReplicate2_KeepsReplicate1Whole_AndSaysWhichReplicatesAreComplete()
    {
        var results = Path.Combine(_dir, "stopped");
        var scenario = Tiny(requests: 40, copies: 4, warmup: false) with { Models = ["fixed-100ms"] };
        using var interrupts = new Interrupts();

        var run = RunAsync(scenario, results, new PlanOverrides { Repeat = 3 }, interrupts.Token, interrupts);
        await RecordsFile.WaitForLinesAsync(results, (2 * 40) + 1); // replicate 1 whole, replicate 2 begun
        Assert.True(interrupts.Raise(PosixSignal.SIGINT));
        var outcome = await run;

        Assert.Equal(ExitCodes.Interrupted, outcome.ExitCode);
        var records = RecordsReader.ReadAll(Path.Combine(results, ResultsDirectory.RecordsFile));
        var first = records.Where(r => r.Replicate == 1).ToList();
        Assert.Equal(80, first.Count);
        Assert.All(first, r => Assert.Equal(Outcome.Success, r.Outcome));
        Assert.Contains(records, r => r.Replicate == 2);
        Assert.DoesNotContain(records, r => r.Replicate == 3);
        Assert.All(records, r => Assert.NotNull(r.Replicate)); // the cancelled ones too
        var info = ResultsDirectory.ReadRunInfo(results)!;
        Assert.Equal("SIGINT", info.Interrupted);
        Assert.Equal([1], info.CompleteReplicates);
        Assert.Equal(2, info.InterruptedAt!.Replicate);
        Assert.Equal("fixed-100ms", info.InterruptedAt.Model);
        Assert.Contains("simulator fixed-100ms streaming replicate 3", info.PartialCells!);
        Assert.Contains("simulator fixed-100ms non-streaming replicate 3", info.PartialCells!);
        Assert.DoesNotContain(info.PartialCells!, c => c.EndsWith(" replicate 1", StringComparison.Ordinal));
        var report = File.ReadAllText(Path.Combine(results, "report.md"));
        Assert.Contains("Complete replicates: 1 of 3", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_InterruptedInReplicate2_RunsOnlyTheCellsOfEachReplicateNotStarted()
    {
        var results = Path.Combine(_dir, "resumed");
        var scenario = Tiny(requests: 40, copies: 4, warmup: false) with { Models = ["fixed-100ms"] };
        using var stop = new CancellationTokenSource();
        var first = RunAsync(scenario, results, new PlanOverrides { Repeat = 3 }, stop.Token);
        await RecordsFile.WaitForLinesAsync(results, (2 * 40) + 1);
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Interrupted, (await first).ExitCode);

        var resumed = await RunHarness.RunAsync(new RunRequest { ResumeDirectory = results, Preflight = false }, new StringWriter(), TextWriter.Null, CancellationToken.None);

        Assert.Equal(ExitCodes.Success, resumed.ExitCode);
        var records = RecordsReader.ReadAll(Path.Combine(results, ResultsDirectory.RecordsFile));
        Assert.Equal(records.Count, records.Select(r => r.Id).Distinct().Count());
        int Attempts(int replicate, Mode mode) => records.Count(r => r.Replicate == replicate && r.Mode == mode && r.Outcome.IsAttempt());
        Assert.Equal((40, 40), (Attempts(1, Mode.Streaming), Attempts(1, Mode.NonStreaming)));
        Assert.InRange(Attempts(2, Mode.Streaming), 1, 39); // cut short, not rerun
        Assert.Equal(40, Attempts(2, Mode.NonStreaming));
        Assert.Equal((40, 40), (Attempts(3, Mode.Streaming), Attempts(3, Mode.NonStreaming)));
        var run = ResultsDirectory.ReadRunInfo(results)!;
        Assert.Null(run.Interrupted);
        Assert.Equal(3, run.Repeat);
        Assert.Equal(["simulator fixed-100ms streaming replicate 2"], run.PartialCells);
        Assert.Equal(6, File.ReadAllLines(Path.Combine(results, "replicates.csv")).Length - 1);
    }

    [Fact]
    public async Task Run_RepeatZero_IsBadInput_NothingSent()
    {
        var results = Path.Combine(_dir, "zero");
        var error = new StringWriter();

        var outcome = await RunHarness.RunAsync(new RunRequest
        {
            ScenarioPath = Path.Combine(RepoPaths.Root, "scenarios", "default.json"),
            OutputDirectory = results,
            Overrides = new PlanOverrides { Repeat = 0 },
            Preflight = false,
        }, new StringWriter(), error, CancellationToken.None);

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("<command line>", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("--repeat: must be between 1 and 1,000 replicates", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(results));
    }
}
