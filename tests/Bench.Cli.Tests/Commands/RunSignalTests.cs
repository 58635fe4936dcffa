using System.Text.Json;
using Bench.Cli.Tests.TestSupport;
using Bench.Core.Results;
using Bench.Harness;

namespace Bench.Cli.Tests.Commands;

/// <summary>
/// Real signals to a real <c>bench run</c> (a process of its own against its embedded simulator): SIGINT and SIGTERM
/// stop it with every report file written and marked as interrupted, and a second SIGINT ends it at once. Each waits
/// for conditions (records written, the process gone) under a generous hang guard; no timing is asserted.
/// </summary>
public sealed class RunSignalTests : IDisposable
{
    private const int Sigint = 2;
    private const int Sigterm = 15;

    private readonly string _dir = Directory.CreateTempSubdirectory("bench-signal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Results => Path.Combine(_dir, "out");

    private string Records => Path.Combine(Results, ResultsDirectory.RecordsFile);

    /// <summary>A run far longer than any test: 100,000 requests per cell at concurrency 4, in the synchronous modes (the
    /// default scenario's batch-api cell would send them as one batch, past OpenAI's 50,000 lines: refused).</summary>
    private BenchProcess StartLongRun() => BenchProcess.Start(_dir, "run", Path.Combine(AppContext.BaseDirectory, "scenarios", "default.json"),
        "--models", "fixed-100ms", "--modes", "streaming,non-streaming", "--requests", "100000", "--concurrency", "4", "--max-tokens", "8", "--out", Results);

    /// <summary>Whole lines of records.jsonl so far.</summary>
    private int RecordLines()
    {
        if (!File.Exists(Records))
        {
            return 0;
        }

        using var stream = new FileStream(Records, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Count(c => c == '\n');
    }

    [Theory]
    [InlineData(Sigint, "SIGINT", ExitCodes.Interrupted)]
    [InlineData(Sigterm, "SIGTERM", ExitCodes.Terminated)]
    public async Task Run_Signal_WritesEveryReportFileMarkedInterrupted_AndExitsWithTheSignalsCode(int signal, string name, int expected)
    {
        using var bench = StartLongRun();
        await bench.WaitUntilAsync(() => RecordLines() >= 4, "4 records written");

        bench.Signal(signal);
        var exit = await bench.WaitForExitAsync();

        Assert.True(exit == expected, $"exit {exit}\nstdout:\n{bench.Output}\nstderr:\n{bench.Error}");
        Assert.Contains($"{name}: stopping", bench.Error, StringComparison.Ordinal);
        Assert.Contains($"Interrupted ({name})", bench.Output, StringComparison.Ordinal);
        using (var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(Results, "run.json"))))
        {
            Assert.Equal(name, run.RootElement.GetProperty("interrupted").GetString());
            Assert.False(run.RootElement.TryGetProperty("ended_utc", out _));
            Assert.Equal(["simulator fixed-100ms streaming", "simulator fixed-100ms non-streaming"], run.RootElement.GetProperty("partial_cells").EnumerateArray().Select(e => e.GetString()));
        }

        foreach (var report in new[] { "report.md", "report.html" })
        {
            Assert.Contains($"Interrupted ({name})", File.ReadAllText(Path.Combine(Results, report)), StringComparison.Ordinal);
        }

        Assert.True(File.Exists(Path.Combine(Results, "summary.csv")));
        var read = RecordsReader.Read(Records, _ => { });
        Assert.True(read.Records >= 4, $"{read.Records} records");
        Assert.Empty(read.SkippedLines); // every line parses
    }

    [Fact]
    public async Task Run_SecondSigint_ExitsAtOnce_With130_KeepingTheRecordsWritten()
    {
        using var bench = StartLongRun();
        await bench.WaitUntilAsync(() => RecordLines() >= 4, "4 records written");

        bench.Signal(Sigint);
        await bench.WaitUntilAsync(() => bench.Error.Contains("SIGINT: stopping", StringComparison.Ordinal), "the first SIGINT handled");
        bench.Signal(Sigint);
        var exit = await bench.WaitForExitAsync();

        Assert.True(exit == ExitCodes.Interrupted, $"exit {exit}\nstdout:\n{bench.Output}\nstderr:\n{bench.Error}");
        // Records flushed before the second signal stay (a line cut mid-write by it may be the last).
        Assert.True(RecordLines() >= 4);
    }
}
