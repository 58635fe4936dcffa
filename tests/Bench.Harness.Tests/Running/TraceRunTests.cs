using System.Globalization;
using System.Text;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Harness.Running;
using Bench.Harness.Tests.TestSupport;

namespace Bench.Harness.Tests.Running;

/// <summary>A trace replayed end to end against the embedded simulator, and a malformed trace refused before anything
/// is sent.</summary>
public sealed class TraceRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-trace-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A scenario beside its trace (named relative to it), replaying it 5× faster on <c>fixed-100ms</c>.</summary>
    private string Scenario(string traceText)
    {
        var traces = Directory.CreateDirectory(Path.Combine(_dir, "in", "traces")).FullName;
        File.WriteAllText(Path.Combine(traces, "traffic.jsonl"), traceText);
        var path = Path.Combine(_dir, "in", "trace.json");
        var profiles = Path.Combine(RepoPaths.Root, "scenarios", "profiles").Replace("\\", "\\\\", StringComparison.Ordinal);
        File.WriteAllText(path, $$"""
            {
              "name": "trace-test",
              "target": { "profiles": "{{profiles}}" },
              "models": ["fixed-100ms"],
              "modes": ["streaming", "non-streaming"],
              "request": { "timeout_s": 30 },
              "workload": [ { "type": "trace", "trace": { "path": "traces/traffic.jsonl", "speedup": 5 } } ]
            }
            """);
        return path;
    }

    /// <summary>50 lines 50 ms apart (2.45 s, replayed in 0.49 s): lengths, Mooncake-style shared blocks, a prompt, sessions.</summary>
    private static string FiftyLines()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 50; i++)
        {
            var line = (i % 5) switch
            {
                0 => $$"""{"timestamp": {{1000 + (i * 50)}}, "input_length": {{600 + i}}, "output_length": {{10 + i}}, "hash_ids": [1, {{100 + i}}]}""",
                1 => $$"""{"timestamp": {{1000 + (i * 50)}}, "prompt": "Summarise ticket {{i}} for the team.", "output_length": {{10 + i}}, "session_id": "s{{i % 3}}"}""",
                _ => $$"""{"timestamp": {{1000 + (i * 50)}}, "input_length": {{20 + i}}, "output_length": {{10 + i}}, "session_id": "s{{i % 3}}"}""",
            };
            text.AppendLine(line);
        }

        return text.ToString();
    }

    [Fact]
    public async Task Run_FiftyLineTrace_EveryCellReplaysIt_RecordsCarryIntendedLengthsAndSourceIndex()
    {
        var scenario = Scenario(FiftyLines());
        var output = new StringWriter();
        var error = new StringWriter();
        var outDir = Path.Combine(_dir, "out");

        var outcome = await RunHarness.RunAsync(new RunRequest { ScenarioPath = scenario, OutputDirectory = outDir, Preflight = false }, output, error, CancellationToken.None);

        Assert.True(outcome.ExitCode == 0, error.ToString());
        var records = RecordsReader.ReadAll(Path.Combine(outDir, ResultsDirectory.RecordsFile));
        Assert.Equal(100, records.Count);
        foreach (var mode in new[] { Mode.Streaming, Mode.NonStreaming })
        {
            var cell = records.Where(r => r.Mode == mode).OrderBy(r => r.SourceIndex).ToList();
            Assert.Equal(Enumerable.Range(0, 50).Select(i => (long?)i), cell.Select(r => r.SourceIndex));
            Assert.All(cell, r => Assert.NotNull(r.IntendedMs));
            Assert.Equal(Enumerable.Range(0, 50).Select(i => (int?)(10 + i)), cell.Select(r => r.IntendedCompletionTokens));
            Assert.Equal(cell.Where(r => r.SourceIndex % 5 is 2 or 3 or 4).Select(r => (int?)(20 + (int)r.SourceIndex!)),
                cell.Where(r => r.SourceIndex % 5 is 2 or 3 or 4).Select(r => r.IntendedPromptTokens));
            Assert.Equal(cell.Where(r => r.SourceIndex % 5 == 0).Select(r => (int?)(600 + (int)r.SourceIndex!)),
                cell.Where(r => r.SourceIndex % 5 == 0).Select(r => r.IntendedPromptTokens));
            Assert.All(cell.Where(r => r.SourceIndex % 5 != 0), r => Assert.Equal($"s{r.SourceIndex % 3}", r.SessionId));
            // Intended offsets: (timestamp − 1000) ÷ 5 = 10 ms per line from the cell's first.
            var first = cell[0].IntendedMs!.Value;
            Assert.Equal(Enumerable.Range(0, 50).Select(i => i * 10.0), cell.Select(r => Math.Round(r.IntendedMs!.Value - first, 6)));
            Assert.All(cell, r => Assert.Equal(Outcome.Success, r.Outcome));
        }

        // run.json keeps the step with the trace's path resolved against the scenario file.
        var run = ResultsDirectory.ReadRunInfo(outDir)!;
        var step = run.ScenarioJson!.Value.GetProperty("workload")[0];
        Assert.Equal("trace", step.GetProperty("type").GetString());
        Assert.Equal(Path.Combine(_dir, "in", "traces", "traffic.jsonl"), step.GetProperty("trace").GetProperty("path").GetString());
        Assert.Equal(5, step.GetProperty("trace").GetProperty("speedup").GetDouble());

        // The report sets the intended rate against the sent one, as for every open workload: 49 gaps of 10 ms.
        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("intended req/s", report, StringComparison.Ordinal);
        Assert.Contains("sent req/s", report, StringComparison.Ordinal);
        var summary = File.ReadAllText(Path.Combine(outDir, "summary.json"));
        Assert.Contains("\"intended_rps\": " + (49 / 0.49).ToString("0.##", CultureInfo.InvariantCulture), summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MalformedTrace_ExitsTwo_NamingTheLine_BeforeAnythingIsSent()
    {
        var scenario = Scenario("""
            {"timestamp": 0, "input_length": 10, "output_length": 5}
            {"timestamp": 10, "input_length": 10, "output_length": 5}
            {"timestamp": 20, "input_length": 10}
            """);
        var error = new StringWriter();
        var outDir = Path.Combine(_dir, "out");

        var outcome = await RunHarness.RunAsync(new RunRequest { ScenarioPath = scenario, OutputDirectory = outDir, Preflight = false }, new StringWriter(), error, CancellationToken.None);

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("traffic.jsonl: 1 error:", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("line 3: no output_length (tokens)", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(outDir, ResultsDirectory.RecordsFile)), "nothing was sent");
    }

    [Fact]
    public async Task Run_TraceFlag_ReplaysTheFile_WithTheSpeedup()
    {
        var scenario = Scenario(FiftyLines());
        var other = Path.Combine(_dir, "other.jsonl");
        await File.WriteAllTextAsync(other, """
            {"timestamp": 0, "input_length": 12, "output_length": 4}
            {"timestamp": 100, "input_length": 13, "output_length": 4}
            {"timestamp": 300, "input_length": 14, "output_length": 4}
            """);
        var outDir = Path.Combine(_dir, "out");
        var error = new StringWriter();

        var outcome = await RunHarness.RunAsync(new RunRequest
        {
            ScenarioPath = scenario, OutputDirectory = outDir, Preflight = false,
            Overrides = new Core.Planning.PlanOverrides { Trace = other, Speedup = 2, Modes = [Mode.NonStreaming] },
        }, new StringWriter(), error, CancellationToken.None);

        Assert.True(outcome.ExitCode == 0, error.ToString());
        var records = RecordsReader.ReadAll(Path.Combine(outDir, ResultsDirectory.RecordsFile)).OrderBy(r => r.SourceIndex).ToList();
        Assert.Equal([12, 13, 14], records.Select(r => r.IntendedPromptTokens!.Value));
        Assert.Equal([0.0, 50, 150], records.Select(r => Math.Round(r.IntendedMs!.Value - records[0].IntendedMs!.Value, 6)));
    }
}
