using System.Text.Json;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Merging;
using Bench.Harness.Tests.TestSupport;
using Bench.Report.Exporters;

namespace Bench.Harness.Tests.Merging;

/// <summary>
/// <c>bench merge</c> on its own terms: one real run (embedded simulator) cut into two shard folders by id parity and
/// merged back must give the whole run's percentiles, from the records and from the added .hlog files alike; shards
/// on clocks with different origins are placed on one; a missing or failed shard is reported (exit 1); shards of
/// different plans, two folders with one index and a non-empty --out are refused (exit 2) with nothing written.
/// </summary>
[Collection(WholeRuns.Name)]
public sealed class MergeHarnessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-merge-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string In(string name) => Path.Combine(_dir, name);

    /// <summary>A real run: fixed-100ms, both synchronous modes, 4 workers × 12 requests each.</summary>
    private async Task<string> WholeRunAsync()
    {
        var scenario = new Scenario
        {
            Name = "merge-test",
            Target = new TargetSpec { Profiles = Path.Combine(RepoPaths.Root, "scenarios", "profiles") },
            Models = ["fixed-100ms"],
            Modes = [Mode.Streaming, Mode.NonStreaming],
            Request = new RequestShape { PromptTokens = 20, MaxTokens = 16, TimeoutS = 30 },
            Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 4, Iterations = 12 }],
        };
        var whole = In("whole");
        var outcome = await TestRuns.RunAsync(scenario, null, whole, TextWriter.Null, CancellationToken.None);
        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        return whole;
    }

    /// <summary>A shard folder cut from <paramref name="whole"/>: its run.json with a shard block, the records
    /// <paramref name="takes"/> keeps, and every report file (its .hlog files) rebuilt from them as a shard's run writes
    /// them.</summary>
    private string CutShard(string whole, string name, int index, int count, Func<RequestRecord, bool> takes, Action<RunInfo>? change = null)
    {
        var folder = In(name);
        Directory.CreateDirectory(folder);
        var run = ResultsDirectory.ReadRunInfo(whole)!;
        run.Shard = new ShardInfo { Index = index, Count = count };
        change?.Invoke(run);
        ResultsDirectory.WriteRunInfo(folder, run);
        File.WriteAllLines(Path.Combine(folder, ResultsDirectory.RecordsFile),
            File.ReadLines(Path.Combine(whole, ResultsDirectory.RecordsFile)).Where(l => takes(RecordsReader.TryParse(l, out var r, out _) ? r : throw new InvalidDataException(l))));
        Assert.Equal(ExitCodes.Success, Bench.Harness.Reporting.ReportHarness.Rebuild(folder, new Bench.Harness.Reporting.ReportOverrides(), TextWriter.Null, TextWriter.Null));
        return folder;
    }

    private static async Task<(int ExitCode, string Output, string Error)> MergeAsync(string output, params string[] shards)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await MergeHarness.MergeAsync(new MergeRequest { Directories = shards, OutputDirectory = output }, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static RunAggregator Aggregate(string folder)
    {
        var aggregator = new RunAggregator();
        RecordsReader.Read(Path.Combine(folder, ResultsDirectory.RecordsFile), aggregator.Add);
        return aggregator;
    }

    [Fact]
    public async Task TwoHalvesOfARun_MergedByIdParity_GiveTheWholeRunsPercentiles_FromRecordsAndFromTheAddedHlogs()
    {
        var whole = await WholeRunAsync();
        var even = CutShard(whole, "shard-a", 1, 2, r => r.Id % 2 == 0);
        var odd = CutShard(whole, "shard-b", 2, 2, r => r.Id % 2 == 1);
        var merged = In("merged");

        var (exit, output, error) = await MergeAsync(merged, odd, even);

        Assert.True(exit == ExitCodes.Success, $"exit {exit}\n{output}\n{error}");
        var all = RecordsReader.ReadAll(Path.Combine(whole, ResultsDirectory.RecordsFile));
        var back = RecordsReader.ReadAll(Path.Combine(merged, ResultsDirectory.RecordsFile));
        Assert.Equal(all.Count, back.Count);
        Assert.Equal(all.Select(r => r.Id).Order(), back.Select(r => r.Id).Order()); // unique ids are kept
        Assert.All(back, r => Assert.Equal(r.Id % 2 == 0 ? 1 : 2, r.Shard));
        // One origin: the halves' times are the whole run's.
        Assert.Equal(all.ToDictionary(r => r.Id, r => (r.SentMs, r.EndMs)), back.ToDictionary(r => r.Id, r => (r.SentMs, r.EndMs)));

        // The percentiles of all records at once, against the merged folder's summary.json and its .hlog files.
        var expected = Aggregate(whole).Summarize();
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(merged, SummaryJsonExporter.FileName)));
        var cells = summary.RootElement.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(2, cells.Count);
        foreach (var cell in expected)
        {
            var json = cells.Single(c => c.GetProperty("mode").GetString() == Core.Records.Names.Of(cell.Mode));
            Assert.Equal(cell.Requests, json.GetProperty("requests").GetInt64());
            foreach (var metric in new[] { Metric.E2e, Metric.Ttft })
            {
                if (cell.Get(metric) is not { } stats)
                {
                    continue;
                }

                var latency = json.GetProperty("latency").GetProperty(metric.Id);
                Assert.Equal(stats.Count, latency.GetProperty("count").GetInt64());
                Assert.Equal(stats.P50, latency.GetProperty("p50").GetDouble(), 3);
                Assert.Equal(stats.P95, latency.GetProperty("p95").GetDouble(), 3);
                Assert.Equal(stats.P99, latency.GetProperty("p99").GetDouble(), 3);
            }
        }

        // The halves' .hlog files added: the same histogram as all records at once, value for value.
        var added = MergeHarness.AddHistogramLogs([even, odd], out var without);
        Assert.Empty(without);
        foreach (var cell in Aggregate(whole).Cells)
        {
            foreach (var metric in Metric.Latencies)
            {
                if (cell.Histogram(metric) is not { } histogram)
                {
                    continue;
                }

                var file = $"simulator__fixed-100ms__{Core.Records.Names.Of(cell.Mode)}.hlog";
                var sum = added[(file, metric.Id)];
                Assert.True(MergeHarness.SameValues(histogram.Histogram, sum), $"{file} {metric.Id}");
                Assert.Equal(histogram.Histogram.GetValueAtPercentile(99), sum.GetValueAtPercentile(99));
                var mergedLog = HistogramLogExporter.Read(Path.Combine(merged, HistogramLogExporter.FolderName, file))[metric.Id];
                Assert.True(MergeHarness.SameValues(histogram.Histogram, mergedLog), $"merged {file} {metric.Id}");
            }
        }

        Assert.Contains("equal those of the merged records, value for value", output, StringComparison.Ordinal);
        var info = ResultsDirectory.ReadRunInfo(merged)!;
        Assert.Equal([1, 2], info.Shard!.Merged);
        Assert.Null(info.Shard.Missing);
        Assert.Null(info.Shard.IdRule);
        Assert.Equal([all.Count(r => r.Id % 2 == 0), all.Count(r => r.Id % 2 == 1)], info.Shard.Shards!.Select(s => s.Records));
        Assert.Contains("Merged from 2 shard(s)", File.ReadAllText(Path.Combine(merged, MarkdownExporter.FileName)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AShardWhoseHlogDisagreesWithItsRecords_IsAWarning_AndTheMergedLogsAreTheRecords()
    {
        var whole = await WholeRunAsync();
        var even = CutShard(whole, "shard-a", 1, 2, r => r.Id % 2 == 0);
        var odd = CutShard(whole, "shard-b", 2, 2, r => r.Id % 2 == 1);
        // A record lost after the shard wrote its logs (a hand-edited or damaged folder): the two sources now differ.
        var lines = File.ReadAllLines(Path.Combine(odd, ResultsDirectory.RecordsFile));
        File.WriteAllLines(Path.Combine(odd, ResultsDirectory.RecordsFile), lines.Where(l => !l.Contains("\"mode\":\"non-streaming\"", StringComparison.Ordinal)).Concat(lines.Where(l => l.Contains("\"mode\":\"non-streaming\"", StringComparison.Ordinal)).Skip(1)));
        var merged = In("merged");

        var (exit, output, error) = await MergeAsync(merged, even, odd);

        Assert.True(exit == ExitCodes.Success, $"exit {exit}\n{output}\n{error}");
        Assert.Contains("do NOT equal those of the merged records", output, StringComparison.Ordinal);
        Assert.Contains("warning: histograms/simulator__fixed-100ms__non-streaming.hlog e2e_ms: the shards' logs add up to", error, StringComparison.Ordinal);
        Assert.Contains(ResultsDirectory.ReadRunInfo(merged)!.Warnings, w => w.StartsWith("histograms/simulator__fixed-100ms__non-streaming.hlog", StringComparison.Ordinal));
        var recordsLog = HistogramLogExporter.Read(Path.Combine(merged, HistogramLogExporter.FolderName, "simulator__fixed-100ms__non-streaming.hlog"))["e2e_ms"];
        Assert.Equal(RecordsReader.ReadAll(Path.Combine(merged, ResultsDirectory.RecordsFile)).Count(r => r.Mode == Mode.NonStreaming && r.Outcome == Outcome.Success), recordsLog.TotalCount);
    }

    [Fact]
    public async Task AMissingShard_And_AnInterruptedOne_AreReported_Exit1_WithTheCallOut_AndTheRestMerged()
    {
        var whole = await WholeRunAsync();
        var first = CutShard(whole, "s1", 1, 3, r => r.Id % 3 == 0);
        var second = CutShard(whole, "s2", 2, 3, r => r.Id % 3 == 1, run =>
        {
            run.Interrupted = InterruptReasons.Sigterm;
            run.EndedUtc = null;
        });
        var merged = In("merged");

        var (exit, output, error) = await MergeAsync(merged, first, second);

        Assert.True(exit == ExitCodes.MeasuredFailure, $"exit {exit}\n{output}\n{error}");
        var info = ResultsDirectory.ReadRunInfo(merged)!;
        Assert.Equal(["2: interrupted (SIGTERM)", "3: no folder given"], info.Shard!.Missing);
        Assert.Equal([1, 2], info.Shard.Merged); // the interrupted shard's records up to its stop are kept
        Assert.Equal(InterruptReasons.Sigterm, info.Interrupted);
        Assert.Contains("shard 3 of 3: no folder given", error, StringComparison.Ordinal);
        Assert.Contains("shard 2 of 3: interrupted (SIGTERM)", error, StringComparison.Ordinal);
        var records = RecordsReader.ReadAll(Path.Combine(merged, ResultsDirectory.RecordsFile));
        Assert.Equal(File.ReadLines(Path.Combine(whole, ResultsDirectory.RecordsFile)).Count(l => RecordsReader.TryParse(l, out var r, out _) && r.Id % 3 != 2), records.Count);
        var report = File.ReadAllLines(Path.Combine(merged, MarkdownExporter.FileName));
        // The call-out opens the page, before any section.
        var callout = Array.FindIndex(report, l => l.Contains("Shards missing or failed: 2 of 3", StringComparison.Ordinal));
        Assert.InRange(callout, 0, Array.FindIndex(report, l => l.StartsWith("## ", StringComparison.Ordinal)));
        Assert.Contains("3: no folder given", report[callout], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShardsOnDifferentClocks_ArePlacedOnTheEarliestOrigin_ByOriginAndOffset_AndDuplicateIdsRenumbered()
    {
        var origin = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var first = SyntheticShard("c1", 1, origin, null, sentMs: 100);
        // Shard 2's clock is 200 ms ahead, its origin read 1,500 ms after shard 1's: 1,300 ms later in truth.
        var second = SyntheticShard("c2", 2, origin.AddMilliseconds(1500), 200, sentMs: 100);
        var merged = In("merged");

        var (exit, output, error) = await MergeAsync(merged, first, second);

        Assert.True(exit == ExitCodes.Success, $"exit {exit}\n{output}\n{error}");
        var records = RecordsReader.ReadAll(Path.Combine(merged, ResultsDirectory.RecordsFile)).ToDictionary(r => r.Id);
        // Both shards used ids 0 and 1: renumbered as id × 2 + (shard − 1).
        Assert.Equal([0L, 1, 2, 3], records.Keys.Order());
        var a = records[0];   // shard 1, id 0
        var b = records[1];   // shard 2, id 0
        Assert.Equal((1, 2), (a.Shard, b.Shard));
        Assert.Equal(100, a.SentMs);
        Assert.Equal(1400, b.SentMs);
        Assert.Equal(1395, b.IntendedMs);
        Assert.Equal(1450, b.HeadersMs);
        Assert.Equal(1460, b.FirstByteMs);
        Assert.Equal(1470, b.FirstTokenMs);
        Assert.Equal([1470.0, 1480, 1490], b.TokenEventsMs);
        Assert.Equal(1490, b.LastTokenMs);
        Assert.Equal(1500, b.EndMs);
        Assert.Equal([1400.0, 1445], b.Attempts!.Select(t => t.SentMs));
        Assert.Equal([1420.0, 1500], b.Attempts!.Select(t => t.EndMs));
        Assert.Equal(25, b.BackoffMs); // a duration, not a time
        var info = ResultsDirectory.ReadRunInfo(merged)!;
        Assert.Equal(origin, info.ClockOriginUtc);
        Assert.Equal([0.0, 1300], info.Shard!.Shards!.Select(s => s.ShiftMs));
        Assert.Contains("id × 2 + (shard − 1)", info.Shard.IdRule, StringComparison.Ordinal);
        Assert.Contains("id × 2 + (shard − 1)", File.ReadAllText(Path.Combine(merged, MarkdownExporter.FileName)), StringComparison.Ordinal);

        // Rates over the union's wall-clock span: 4 requests from the first send (100) to the last end (1,600).
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(merged, SummaryJsonExporter.FileName)));
        var cell = summary.RootElement.GetProperty("cells")[0];
        Assert.Equal(4, cell.GetProperty("requests").GetInt64());
        Assert.Equal(1.5, cell.GetProperty("duration_s").GetDouble(), 3);
        Assert.Equal(4 / 1.5, cell.GetProperty("rps").GetDouble(), 2);
    }

    /// <summary>A shard folder written by hand: two streaming records (ids 0 and 1, the second sent 100 ms after the
    /// first) on a clock with <paramref name="origin"/>, the first with two attempts.</summary>
    private string SyntheticShard(string name, int index, DateTimeOffset origin, double? offsetMs, double sentMs)
    {
        var folder = In(name);
        Directory.CreateDirectory(folder);
        ResultsDirectory.WriteRunInfo(folder, new RunInfo
        {
            RunId = name, Scenario = "synthetic", Target = "test", StartedUtc = origin, EndedUtc = origin.AddSeconds(1), ClockOriginUtc = origin,
            Shard = new ShardInfo { Index = index, Count = 2, ClockOffsetMs = offsetMs },
        });
        using var writer = new StreamWriter(Path.Combine(folder, ResultsDirectory.RecordsFile));
        for (var id = 0; id < 2; id++)
        {
            var t = sentMs + (id * 100);
            var record = new RequestRecord
            {
                Id = id, Target = "simulator", Model = "m", Mode = Mode.Streaming, IntendedMs = t - 5, SentMs = t, HeadersMs = t + 50, FirstByteMs = t + 60,
                FirstTokenMs = t + 70, FirstOutputTokenMs = t + 70, LastTokenMs = t + 90, EndMs = t + 100, TokenEventsMs = [t + 70, t + 80, t + 90],
                Outcome = Outcome.Success, HttpStatus = 200, BackoffMs = id == 0 ? 25 : null,
                Attempts = id == 0
                    ? [new AttemptRecord { Number = 1, SentMs = t, EndMs = t + 20, Outcome = Outcome.ServerError }, new AttemptRecord { Number = 2, BackoffMs = 25, SentMs = t + 45, EndMs = t + 100, Outcome = Outcome.Success }]
                    : null,
            };
            writer.WriteLine(JsonSerializer.Serialize(record, ResultsJson.Default.RequestRecord));
        }

        return folder;
    }

    [Fact]
    public async Task DifferentPlans_TheSameIndexTwice_ANonShard_AndANonEmptyOut_AreRefusedTogether_Exit2_NothingWritten()
    {
        var origin = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var first = SyntheticShard("p1", 1, origin, null, 0);
        var other = SyntheticShard("p2", 2, origin, null, 0);
        var run = ResultsDirectory.ReadRunInfo(other)!;
        run.ScenarioJson = JsonDocument.Parse("""{"name":"synthetic","seed":7}""").RootElement.Clone();
        ResultsDirectory.WriteRunInfo(other, run);
        var twice = SyntheticShard("p3", 1, origin, null, 0);
        var plain = SyntheticShard("p4", 1, origin, null, 0);
        var unsharded = ResultsDirectory.ReadRunInfo(plain)!;
        unsharded.Shard = null;
        ResultsDirectory.WriteRunInfo(plain, unsharded);
        var merged = In("merged");

        var (exit, _, error) = await MergeAsync(merged, first, other, twice, plain, In("nowhere"));

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.False(Directory.Exists(merged));
        Assert.Contains($"{other}: not the same plan as {first} (run.json differs at $.scenario_json)", error, StringComparison.Ordinal);
        Assert.Contains($"{first} and {twice}: both are shard 1", error, StringComparison.Ordinal);
        Assert.Contains($"{plain}: run.json has no shard", error, StringComparison.Ordinal);
        Assert.Contains($"{In("nowhere")}: no such folder", error, StringComparison.Ordinal);
        Assert.Contains("Nothing was written.", error, StringComparison.Ordinal);

        // A non-empty --out, as bench run --out refuses it.
        Directory.CreateDirectory(merged);
        File.WriteAllText(Path.Combine(merged, "notes.txt"), "mine");
        (exit, _, error) = await MergeAsync(merged, first, SyntheticShard("p5", 2, origin, null, 0));
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("is not empty", error, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(merged).Select(Path.GetFileName));
    }

    [Fact]
    public async Task DifferentPlansInsideTheScenario_AreNamedByTheirJsonPath()
    {
        var origin = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var first = SyntheticShard("q1", 1, origin, null, 0);
        var second = SyntheticShard("q2", 2, origin, null, 0);
        foreach (var (folder, seed, shard) in new[] { (first, 7, "1/2"), (second, 8, "2/2") })
        {
            var run = ResultsDirectory.ReadRunInfo(folder)!;
            // What a shard may differ in (its own slice) is not a difference of plan; the seed is.
            run.ScenarioJson = JsonDocument.Parse($$"""{"name":"synthetic","seed":{{seed}},"shard":"{{shard}}","models":["m"]}""").RootElement.Clone();
            ResultsDirectory.WriteRunInfo(folder, run);
        }

        var (exit, _, error) = await MergeAsync(In("merged"), first, second);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("run.json differs at $.scenario_json.seed)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("$.scenario_json.shard", error, StringComparison.Ordinal);
    }
}
