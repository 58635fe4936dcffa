using System.Runtime.CompilerServices;
using System.Text.Json;
using Bench.Cli.Tests.TestSupport;
using Bench.Harness;

namespace Bench.Cli.Tests.Commands;

/// <summary><c>--threshold</c> and a scenario's <c>thresholds</c> through the real verbs on the embedded simulator
/// (fixed-100ms: every answer ends 195 ms after its request arrives, so E2E p50 &lt; 1 ms must fail).</summary>
public sealed class ThresholdCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-threshold-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Profiles([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "scenarios", "profiles"));

    private string Scenario(string thresholds = "[]", string models = "[\"fixed-100ms\"]", string modes = "[\"streaming\"]")
    {
        var path = Path.Combine(_dir, "gate.json");
        File.WriteAllText(path, $$"""
            {
              "name": "gate",
              "target": { "simulator": true, "profiles": {{JsonSerializer.Serialize(Profiles())}} },
              "models": {{models}},
              "modes": {{modes}},
              "request": { "max_tokens": 8 },
              "workload": [ { "type": "iterations_for_constant", "copies": 2, "iterations": 2 } ],
              "thresholds": {{thresholds}}
            }
            """);
        return path;
    }

    [Fact]
    public void Run_PassingThresholds_ExitsZeroAndPrintsTheTable()
    {
        var results = Path.Combine(_dir, "out");

        var (exit, output, error) = BenchCli.Run("run", Scenario("""[ { "expression": "e2e_ms_p50 < 60000" } ]"""), "--threshold", "success_rate>=1", "--out", results);

        Assert.True(exit == ExitCodes.Success, error + output);
        Assert.Contains("Thresholds: all 2 checks passed.", output, StringComparison.Ordinal);
        Assert.Contains(" pass ", output, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "summary.json")));
        Assert.Equal(["passed", "passed"], summary.RootElement.GetProperty("thresholds").EnumerateArray().Select(t => t.GetProperty("status").GetString()));
    }

    [Fact]
    public void Run_AFailingThreshold_Exits99_WithTheTableTheReportAndSummaryJson()
    {
        var results = Path.Combine(_dir, "out");

        var (exit, output, error) = BenchCli.Run("run", Scenario(), "--threshold", "success_rate>=1", "--threshold", "e2e_ms_p50{fixed-100ms:streaming}<1", "--out", results);

        Assert.True(exit == ExitCodes.ThresholdsFailed, error + output);
        var table = output[output.IndexOf("result", StringComparison.Ordinal)..];
        Assert.True(table.IndexOf("FAIL", StringComparison.Ordinal) < table.IndexOf(" pass ", StringComparison.Ordinal), table); // failing rows first
        Assert.Contains("Thresholds: 1 of 2 checks failed: exit code 99.", output, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "summary.json")));
        var failed = summary.RootElement.GetProperty("thresholds")[0];
        Assert.Equal("e2e_ms_p50{fixed-100ms:streaming}<1", failed.GetProperty("expression").GetString());
        Assert.Equal(("fixed-100ms", "streaming", "failed", false, "<", 1.0),
            (failed.GetProperty("model").GetString(), failed.GetProperty("mode").GetString(), failed.GetProperty("status").GetString(),
             failed.GetProperty("passed").GetBoolean(), failed.GetProperty("op").GetString(), failed.GetProperty("limit").GetDouble()));
        Assert.True(failed.GetProperty("value").GetDouble() >= 100);
        var report = File.ReadAllText(Path.Combine(results, "report.md"));
        Assert.Contains("## Thresholds", report, StringComparison.Ordinal);
        Assert.Contains("**Thresholds: 1 of 2 checks failed: exit code 99.**", report, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ttft_ms_p95 = 500", "<command line>: 1 error:", "--threshold: 'ttft_ms_p95 = 500': '=' is not an operator; use ==")]
    [InlineData("ttft_ms_p96<500", "<command line>: 1 error:", "--threshold: 'ttft_ms_p96<500': unknown metric 'ttft_ms_p96'; nearest known: ttft_ms_p90, ttft_ms_p95, ttft_ms_p99")]
    [InlineData("e2e_ms_p95{gpt-4.1}<500", "<command line>: 1 error:", "--threshold: 'e2e_ms_p95{gpt-4.1}<500': the cell selector 'gpt-4.1' matches no cell of the plan (simulator · fixed-100ms · streaming)")]
    public void Run_BadThresholdFlag_ExitsTwoBeforeAnythingIsSent(string expression, string head, string line)
    {
        var results = Path.Combine(_dir, "out");

        var (exit, output, error) = BenchCli.Run("run", Scenario(), "--threshold", expression, "--out", results);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.StartsWith(head, error, StringComparison.Ordinal);
        Assert.Contains(line, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Bench:", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(results));
    }

    [Fact]
    public void Run_BadScenarioThreshold_ExitsTwoAtItsPath()
    {
        var results = Path.Combine(_dir, "out");
        var scenario = Scenario("""[ { "expression": "e2e_ms_p95<500" }, { "expression": "e2e_ms_p95 < 5", "cells": ["*:non-streaming"] } ]""");

        var (exit, _, error) = BenchCli.Run("run", scenario, "--out", results);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("$.thresholds[1].cells[0]: the cell selector '*:non-streaming' matches no cell of the plan (simulator · fixed-100ms · streaming)", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(results));
    }

    [Fact]
    public void Report_ThresholdFlagOnAnExistingFolder_Exits99_AndABadOneTwo()
    {
        var results = Path.Combine(_dir, "out");
        var (ran, _, runError) = BenchCli.Run("run", Scenario(), "--out", results);
        Assert.True(ran == ExitCodes.Success, runError);

        var (exit, output, error) = BenchCli.Run("report", results, "--threshold", "e2e_ms_p50<1");

        Assert.True(exit == ExitCodes.ThresholdsFailed, error + output);
        Assert.Contains("FAIL", output, StringComparison.Ordinal);
        Assert.Contains("fixed-100ms · streaming", output, StringComparison.Ordinal);
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "summary.json"))))
        {
            Assert.Equal("failed", summary.RootElement.GetProperty("thresholds")[0].GetProperty("status").GetString());
        }

        var (passing, _, passError) = BenchCli.Run("report", results, "--threshold", "e2e_ms_p50<60000");
        Assert.True(passing == ExitCodes.Success, passError);

        var (bad, _, badError) = BenchCli.Run("report", results, "--threshold", "e2e_ms_p50{nobody}<1");
        Assert.Equal(ExitCodes.BadInput, bad);
        Assert.Contains("--threshold: 'e2e_ms_p50{nobody}<1': the cell selector 'nobody' matches no cell of the run (simulator · fixed-100ms · streaming)", badError, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_AbortOnFail_StopsAfterTheFirstCell_LaterCellsSendNothing_Exit99()
    {
        var results = Path.Combine(_dir, "out");
        var scenario = Scenario("""[ { "expression": "e2e_ms_p50<1", "cells": ["fixed-100ms:streaming"], "abort_on_fail": true } ]""",
            models: """["fixed-100ms", "gpt-4.1"]""", modes: """["streaming", "non-streaming"]""");

        var (exit, output, error) = BenchCli.Run("run", scenario, "--out", results);

        Assert.True(exit == ExitCodes.ThresholdsFailed, error + output);
        var cells = File.ReadLines(Path.Combine(results, "records.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(r => $"{r.GetProperty("model").GetString()} {r.GetProperty("mode").GetString()}")
            .Distinct()
            .ToList();
        Assert.Equal(["fixed-100ms streaming"], cells);
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "run.json")));
        Assert.Equal("threshold_abort", run.RootElement.GetProperty("interrupted").GetString());
        Assert.Equal(["simulator fixed-100ms non-streaming", "simulator gpt-4.1 streaming", "simulator gpt-4.1 non-streaming"],
            run.RootElement.GetProperty("partial_cells").EnumerateArray().Select(c => c.GetString()));
        Assert.True(File.Exists(Path.Combine(results, "report.html")));
        Assert.Contains("Interrupted (threshold_abort): reporting the records completed so far", output, StringComparison.Ordinal);
        Assert.Contains("FAIL", output, StringComparison.Ordinal);
        Assert.Contains("**Stopped early: a threshold with abort_on_fail failed**", File.ReadAllText(Path.Combine(results, "report.md")), StringComparison.Ordinal);
    }
}
