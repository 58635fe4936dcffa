using System.Text.Json;
using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Reporting;
using Bench.Harness.Running;
using Bench.Harness.Tests.TestSupport;
using Bench.Report;

namespace Bench.Harness.Tests.Reporting;

/// <summary>The budget plan end to end (issue 18, points 2 and 4): a real run on the embedded simulator with two
/// traffic classes, then <c>bench report DIR --monthly-requests N --current …</c> recomputing the plan from the
/// records without a rerun; and <c>--current</c> refused (exit 2) before anything is sent or written.</summary>
[Collection(WholeRuns.Name)]
public sealed class BudgetPlanRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-plan-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>fixed-100ms in streaming and through the Batch API, 30 requests each (enough to show 90 %), and two
    /// classes: interactive (40 %, TTFT ≤ 5 s) and background (60 %, success ≥ 90 %, a day's turnaround).</summary>
    private static Scenario Scenario() => new()
    {
        Name = "plan-test",
        Target = new TargetSpec { Profiles = Path.Combine(RepoPaths.Root, "scenarios", "profiles") },
        Models = ["fixed-100ms"],
        Modes = [Mode.Streaming, Mode.BatchApi],
        Request = new RequestShape { PromptTokens = 20, MaxTokens = 32, TimeoutS = 30 },
        Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 6, Iterations = 30 }],
        Batch = new BatchSpec { PollIntervalS = 0.05, MaxPollIntervalS = 0.2 },
        Slos =
        [
            new SloSet { Name = "interactive", MaxMs = new Dictionary<string, double> { ["ttft_ms"] = 5000 }, Percentile = 90, Share = 40m },
            new SloSet { Name = "background", MinSuccessRate = 0.9, Share = 60m, MaxTurnaroundH = 24 },
        ],
    };

    /// <summary>A price file for the profile's model: $1/M in and $2/M out, half in batch.</summary>
    private string PriceFile()
    {
        var path = Path.Combine(_dir, "..", Path.GetFileName(_dir) + "-prices.json");
        File.WriteAllText(path, """
            { "models": [ { "model": "fixed-100ms", "input": 1, "output": 2, "batch_input": 0.5, "batch_output": 1, "source": "test" } ] }
            """);
        return path;
    }

    private static JsonElement Plan(string dir)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "summary.json")));
        return document.RootElement.GetProperty("plan").Clone();
    }

    [Fact]
    public async Task Report_WhatIf_RecomputesThePlanFromTheRecords_TotalScalesWithTheVolume()
    {
        var prices = PriceFile();
        try
        {
            var output = new StringWriter();
            var run = await TestRuns.RunAsync(Scenario(), null, _dir, output, CancellationToken.None, new ReportSettings { PricesFile = prices });
            Assert.True(run.ExitCode == 0, output.ToString());

            var plan = Plan(_dir);
            Assert.True(plan.GetProperty("complete").GetBoolean(), plan.ToString());
            Assert.True(plan.GetProperty("simulated").GetBoolean());
            var classes = plan.GetProperty("classes").EnumerateArray().ToList();
            Assert.Equal("streaming", classes[0].GetProperty("choice").GetProperty("mode").GetString());
            Assert.Equal("batch-api", classes[1].GetProperty("choice").GetProperty("mode").GetString());

            // What-if: 1,000,000 then 2,000,000 requests a month, against the streaming cell as the current setup.
            Assert.Equal(ExitCodes.Success, ReportHarness.Rebuild(_dir, new ReportOverrides { MonthlyRequests = 1_000_000m, Current = "fixed-100ms:streaming" }, output, output));
            var one = Plan(_dir);
            Assert.Equal(ExitCodes.Success, ReportHarness.Rebuild(_dir, new ReportOverrides { MonthlyRequests = 2_000_000m, Current = "fixed-100ms:streaming" }, output, output));
            var two = Plan(_dir);

            Assert.Equal([400_000m, 600_000m], one.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("monthly_requests").GetDecimal()));
            Assert.Equal([800_000m, 1_200_000m], two.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("monthly_requests").GetDecimal()));
            // summary.json rounds USD to 10 decimals: the doubled total agrees to that rounding…
            var total1 = one.GetProperty("total_usd").GetDecimal();
            var total2 = two.GetProperty("total_usd").GetDecimal();
            Assert.InRange(total2 - (2 * total1), -0.0000000002m, 0.0000000002m);
            Assert.Equal("fixed-100ms:streaming", two.GetProperty("current").GetString());
            Assert.Equal(2 * one.GetProperty("current_usd").GetDecimal(), two.GetProperty("current_usd").GetDecimal(), 9);
            // …and the model, unrounded, doubles exactly (cost(V) = V × mean tokens × price).
            var info = ResultsDirectory.ReadRunInfo(_dir)!; // bench report leaves run.json as the run wrote it
            info.Report.MonthlyRequests = 2_000_000m;
            info.Report.Current = "fixed-100ms:streaming";
            var exact2 = ReportBuilder.Write(_dir, info, ReportPrices.Catalog(info.Report)).Plan!;
            info.Report.MonthlyRequests = 1_000_000m;
            var exact1 = ReportBuilder.Write(_dir, info, ReportPrices.Catalog(info.Report)).Plan!;
            Assert.Equal(2 * exact1.TotalUsd, exact2.TotalUsd);
            // The current setup: the streaming cell on both classes; the plan saves what batch saves on background.
            Assert.Equal(exact1.Classes[1].Current!.MonthlyUsd - exact1.Classes[1].Choice!.MonthlyUsd, exact1.SavingUsd);
            Assert.True(exact1.SavingUsd > 0);
        }
        finally
        {
            File.Delete(prices);
        }
    }

    [Fact]
    public async Task Run_CurrentNamingNoCell_Exit2_NothingSent()
    {
        var scenarioFile = Path.Combine(_dir, "plan.json");
        File.WriteAllText(scenarioFile, ScenarioWriter.ToJson(Scenario()).GetRawText());
        var results = Path.Combine(_dir, "out");
        var error = new StringWriter();

        var outcome = await RunHarness.RunAsync(new RunRequest
        {
            ScenarioPath = scenarioFile,
            OutputDirectory = results,
            Preflight = false,
            Report = new ReportSettings { Current = "gpt-4.1:streaming" },
        }, TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.StartsWith("--current gpt-4.1:streaming: the cell selector 'gpt-4.1:streaming' matches no cell of the plan", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(results));

        error.GetStringBuilder().Clear();
        outcome = await RunHarness.RunAsync(new RunRequest
        {
            ScenarioPath = scenarioFile,
            OutputDirectory = results,
            Preflight = false,
            Report = new ReportSettings { Current = "80000CNY" },
        }, TextWriter.Null, error, CancellationToken.None);
        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("add --fx CNY=UNITS_PER_USD", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(results));
    }

    [Fact]
    public void Report_CurrentNamingNoCell_Exit2_NothingWritten()
    {
        var info = new RunInfo { RunId = "plan", ScenarioJson = ScenarioWriter.ToJson(Scenario()) };
        ResultsDirectory.WriteRunInfo(_dir, info);
        File.WriteAllText(Path.Combine(_dir, ResultsDirectory.RecordsFile), "");
        var error = new StringWriter();

        var exit = ReportHarness.Rebuild(_dir, new ReportOverrides { Current = "fixed-100ms:non-streaming" }, TextWriter.Null, error);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.StartsWith("--current fixed-100ms:non-streaming: the cell selector", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "summary.json")));
        Assert.Equal(ExitCodes.BadInput, ReportHarness.Rebuild(_dir, new ReportOverrides { Current = "12k EUR" }, TextWriter.Null, error));
        Assert.Contains("--current 12k EUR: a spend in EUR needs its exchange rate; add --fx EUR=UNITS_PER_USD", error.ToString(), StringComparison.Ordinal);
    }
}
