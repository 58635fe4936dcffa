using System.Diagnostics;
using System.Text.Json;
using Bench.Cli.Tests.TestSupport;
using Bench.Core.Results;
using Bench.Harness;

namespace Bench.Cli.Tests.Commands;

/// <summary>
/// <c>bench run --shards N</c> end to end: a real <c>bench</c> process starts N children of itself against their
/// embedded simulators, streams their output prefixed, and merges their folders into <c>--out</c>; a SIGTERM sent to
/// the parent alone reaches every child, which report what they did, and the merge still runs. And the refusals of
/// <c>--shards</c> and <c>bench merge</c>. Conditions are waited for under a hang guard; no timing is asserted.
/// </summary>
public sealed class ShardsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-shards-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Results => Path.Combine(_dir, "out");

    private static string Scenario => Path.Combine(AppContext.BaseDirectory, "scenarios", "default.json");

    private string ShardRecords(int index) => Path.Combine(Results, "shards", $"shard-{index}", ResultsDirectory.RecordsFile);

    private static long Lines(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Count(c => c == '\n');
    }

    [Fact]
    public async Task Shards2_RunsTwoChildren_StreamsTheirOutputPrefixed_AndMergesEveryRecordIntoOut()
    {
        using var bench = BenchProcess.Start(_dir, "run", Scenario, "--models", "fixed-100ms", "--modes", "streaming,non-streaming",
            "--requests", "4", "--concurrency", "2", "--max-tokens", "8", "--shards", "2", "--out", Results);
        var exit = await bench.WaitForExitAsync();

        Assert.True(exit == ExitCodes.Success, $"exit {exit}\nstdout:\n{bench.Output}\nstderr:\n{bench.Error}");
        Assert.Contains("[shard 1] ", bench.Output, StringComparison.Ordinal);
        Assert.Contains("[shard 2] ", bench.Output, StringComparison.Ordinal);
        var shards = new[] { 1, 2 }.Select(i => RecordsReader.ReadAll(ShardRecords(i))).ToList();
        Assert.All(shards, s => Assert.NotEmpty(s));
        var merged = RecordsReader.ReadAll(Path.Combine(Results, ResultsDirectory.RecordsFile));
        Assert.Equal(shards.Sum(s => s.Count), merged.Count);
        Assert.Equal(shards[0].Count, merged.Count(r => r.Shard == 1));
        Assert.Equal(shards[1].Count, merged.Count(r => r.Shard == 2));
        Assert.Equal(merged.Count, merged.Select(r => r.Id).Distinct().Count());
        // The split: together the shards sent the unsharded run's requests, 2 cells × (2 warm-up + 4), with its ids
        // (0..11, kept by the merge: no id rule), each shard half of every cell.
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), merged.Select(r => r.Id).Order());
        Assert.All(shards, s => Assert.Equal(6, s.Count));
        using (var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(Results, ResultsDirectory.RunFile))))
        {
            var shard = run.RootElement.GetProperty("shard");
            Assert.False(shard.TryGetProperty("id_rule", out _));
            Assert.Equal(2, shard.GetProperty("count").GetInt32());
            Assert.Equal([1, 2], shard.GetProperty("merged").EnumerateArray().Select(e => e.GetInt32()));
            Assert.False(shard.TryGetProperty("missing", out _));
        }

        foreach (var file in new[] { "summary.json", "report.md", "report.html" })
        {
            Assert.True(File.Exists(Path.Combine(Results, file)), file);
        }

        Assert.Contains("Merged from 2 shard(s)", File.ReadAllText(Path.Combine(Results, "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_ToTheParentAlone_ReachesEveryChild_AndTheMergeStillRuns_Exit143()
    {
        using var bench = BenchProcess.Start(_dir, "run", Scenario, "--models", "fixed-100ms", "--modes", "streaming,non-streaming",
            "--requests", "100000", "--concurrency", "2", "--max-tokens", "8", "--shards", "2", "--out", Results);
        await bench.WaitUntilAsync(() => Lines(ShardRecords(1)) >= 4 && Lines(ShardRecords(2)) >= 4, "4 records written by each shard");

        bench.Signal(15);
        var exit = await bench.WaitForExitAsync();

        Assert.True(exit == ExitCodes.Terminated, $"exit {exit}\nstdout:\n{bench.Output}\nstderr:\n{bench.Error}");
        Assert.Contains("[shard 1] SIGTERM: stopping", bench.Error, StringComparison.Ordinal);
        Assert.Contains("[shard 2] SIGTERM: stopping", bench.Error, StringComparison.Ordinal);
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(Results, ResultsDirectory.RunFile)));
        Assert.Equal(["1: interrupted (SIGTERM)", "2: interrupted (SIGTERM)"], run.RootElement.GetProperty("shard").GetProperty("missing").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("SIGTERM", run.RootElement.GetProperty("interrupted").GetString());
        var merged = RecordsReader.ReadAll(Path.Combine(Results, ResultsDirectory.RecordsFile));
        Assert.Equal(RecordsReader.ReadAll(ShardRecords(1)).Count + RecordsReader.ReadAll(ShardRecords(2)).Count, merged.Count);
        Assert.Contains("Shards missing or failed: 2 of 2", File.ReadAllText(Path.Combine(Results, "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChildKilledOutright_IsNotWaitedFor_TheOthersFinish_AndTheMergeNamesIt_Exit1()
    {
        using var bench = BenchProcess.Start(_dir, "run", Scenario, "--models", "fixed-100ms", "--modes", "streaming,non-streaming",
            "--requests", "40", "--concurrency", "2", "--max-tokens", "8", "--shards", "2", "--out", Results);
        await bench.WaitUntilAsync(() => Lines(ShardRecords(2)) >= 3, "3 records written by shard 2");

        // SIGKILL: the child cannot say it is leaving; the parent sees it exit and says so for it at the meeting place.
        var child = ChildOf(ShardFolder(2));
        Assert.True(child is not null, "shard 2's process was not found");
        Process.GetProcessById(child.Value).Kill();
        var exit = await bench.WaitForExitAsync();

        Assert.True(exit == ExitCodes.MeasuredFailure, $"exit {exit}\nstdout:\n{bench.Output}\nstderr:\n{bench.Error}");
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(Results, ResultsDirectory.RunFile)));
        Assert.Equal(["2: did not finish (run.json has no end: killed?)"], run.RootElement.GetProperty("shard").GetProperty("missing").EnumerateArray().Select(e => e.GetString()));
        // Shard 1 ran its whole share of both cells (2 × (1 warm-up + 20)), past the steps shard 2 never reached.
        Assert.Equal(42, RecordsReader.ReadAll(ShardRecords(1)).Count);
        using var first = JsonDocument.Parse(File.ReadAllText(Path.Combine(ShardFolder(1), ResultsDirectory.RunFile)));
        Assert.True(first.RootElement.TryGetProperty("ended_utc", out var ended) && ended.ValueKind == JsonValueKind.String);
    }

    private string ShardFolder(int index) => Path.Combine(Results, "shards", $"shard-{index}");

    /// <summary>The process whose command line writes to <paramref name="folder"/> (a child of this test's bench).</summary>
    private static int? ChildOf(string folder)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                if (arguments.Contains("--shard") && arguments.Contains(folder))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // gone meanwhile
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return null;
    }

    [Fact]
    public void Shards_WithResume_IsRefused_Exit2_BeforeAnythingStarts()
    {
        var (exit, _, error) = BenchCli.Run("run", Scenario, "--shards", "2", "--resume", Path.Combine(_dir, "earlier"), "--out", Results);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("--shards: cannot be combined with --resume", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Results));
    }

    [Fact]
    public void Shards_WithShard_IsRefused_Exit2()
    {
        var (exit, _, error) = BenchCli.Run("run", Scenario, "--shards", "2", "--shard", "1/2", "--out", Results);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("--shards", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Results));
    }

    [Fact]
    public void Merge_WithoutFolders_IsRefused_Exit2_NothingWritten()
    {
        var (exit, _, error) = BenchCli.Run("merge", "--out", Results);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("no shard folders given", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Results));
    }
}
