using Bench.Core.Batches;
using Bench.Core.Results;

namespace Bench.Core.Tests.Results;

/// <summary><c>batches.jsonl</c>: one batch job per id (a resumed run's second record of a job replaces its first),
/// unreadable lines skipped with their number, a folder without the file read as no jobs.</summary>
public sealed class BatchesFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-batches-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReadAll_JobWrittenTwice_OneJobTheLastRecordInItsPlace()
    {
        using (var writer = BatchesFile.OpenWriter(_dir))
        {
            writer.Append(new BatchRecord { Model = "a", BatchId = "batch_1", Status = BatchStatuses.InProgress, Ending = BatchEndings.Interrupted, Lines = 4 });
            writer.Append(new BatchRecord { Model = "b", BatchId = "batch_2", Status = BatchStatuses.Completed, Lines = 4 });
            writer.Append(new BatchRecord { Model = "c", Ending = BatchEndings.NotSubmitted, Lines = 4 });
            writer.Append(new BatchRecord { Model = "a", BatchId = "batch_1", Status = BatchStatuses.Completed, Lines = 4, CreatedAt = 100, CompletedAt = 700 });
        }

        File.AppendAllText(Path.Combine(_dir, ResultsDirectory.BatchesFile), "{\"model\":\"cut off");

        var (batches, read) = BatchesFile.ReadAll(_dir);

        Assert.Equal(["batch_2", null, "batch_1"], batches.Select(b => b.BatchId));
        Assert.Equal((BatchStatuses.Completed, 600.0), (batches[2].Status, batches[2].TurnaroundS));
        Assert.Equal(4, read.Records);
        Assert.Equal(1, read.Skipped);
    }

    [Fact]
    public void Replace_TheModelsJobsReplaced_OthersKept_OneLinePerJob()
    {
        using (var writer = BatchesFile.OpenWriter(_dir))
        {
            writer.Append(new BatchRecord { Model = "a", BatchId = "batch_1", Status = BatchStatuses.InProgress, Ending = BatchEndings.Interrupted });
            writer.Append(new BatchRecord { Model = "b", BatchId = "batch_2", Status = BatchStatuses.Completed });
            writer.Append(new BatchRecord { Model = "c", Ending = BatchEndings.NotSubmitted });
        }

        BatchesFile.Replace(_dir, new HashSet<string> { "a", "c" }, [
            new BatchRecord { Model = "a", BatchId = "batch_1", Status = BatchStatuses.Completed },
            new BatchRecord { Model = "c", BatchId = "batch_3", Status = BatchStatuses.Completed },
        ]);

        Assert.Equal(3, File.ReadAllLines(Path.Combine(_dir, ResultsDirectory.BatchesFile)).Length);
        Assert.Equal(["batch_2", "batch_1", "batch_3"], BatchesFile.ReadAll(_dir).Batches.Select(b => b.BatchId));
        Assert.False(File.Exists(Path.Combine(_dir, ResultsDirectory.BatchesFileTemporary)));
    }

    [Fact]
    public void ReadAll_NoFile_NoJobs()
    {
        var (batches, read) = BatchesFile.ReadAll(_dir);

        Assert.Empty(batches);
        Assert.Equal(0, read.Records);
    }

    [Theory]
    [InlineData(100, 101, null)] // 20 lines in "1 s" (whole seconds: really 1 to 2 s): no rate
    [InlineData(100, 109, null)]
    [InlineData(100, 110, 2.0)]
    public void LinesPerS_SpanUnderTenProviderSeconds_NotGiven(long inProgressAt, long finalizingAt, double? expected)
    {
        var batch = new BatchRecord { InProgressAt = inProgressAt, FinalizingAt = finalizingAt, RequestCounts = new BatchRequestCounts { Total = 20, Completed = 18, Failed = 2 } };

        Assert.Equal(expected, batch.LinesPerS);
    }
}
