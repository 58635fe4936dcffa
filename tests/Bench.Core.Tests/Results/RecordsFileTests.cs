using Bench.Core.Records;
using Bench.Core.Results;

namespace Bench.Core.Tests.Results;

public sealed class RecordsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-records-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Writer_ConcurrentAppends_EveryRecordReadBack()
    {
        var path = Path.Combine(_dir, "records.jsonl");
        await using (var writer = new RecordsWriter(path))
        {
            await Parallel.ForAsync(0, 500, (i, _) =>
            {
                writer.Append(new RequestRecord { Id = i, Model = "m", Mode = Mode.Streaming, Outcome = Outcome.Success, TokenEventsMs = [1.5, 2.25] });
                return ValueTask.CompletedTask;
            });
        }

        var records = RecordsReader.ReadAll(path);
        Assert.Equal(500, records.Count);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), records.Select(r => r.Id).Order());
        Assert.All(records, r => Assert.Equal([1.5, 2.25], r.TokenEventsMs));
    }

    [Fact]
    public async Task Writer_UsesFileNames_ForEnumsAndFields()
    {
        var path = Path.Combine(_dir, "records.jsonl");
        await using (var writer = new RecordsWriter(path))
        {
            writer.Append(new RequestRecord { Model = "m", Mode = Mode.NonStreaming, Outcome = Outcome.RateLimited, HttpStatus = 429, SentMs = 1.25 });
        }

        var line = File.ReadAllLines(path).Single();
        Assert.Contains("\"mode\":\"non-streaming\"", line, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"rate_limited\"", line, StringComparison.Ordinal);
        Assert.Contains("\"http_status\":429", line, StringComparison.Ordinal);
        Assert.Contains("\"sent_ms\":1.25", line, StringComparison.Ordinal);
        Assert.DoesNotContain("first_token_ms", line, StringComparison.Ordinal); // nulls are omitted
    }

    [Fact]
    public void Reader_TruncatedLastLine_IsSkippedAndCounted()
    {
        var path = Path.Combine(_dir, "records.jsonl");
        File.WriteAllText(path, """
            {"id":0,"model":"m","mode":"streaming","outcome":"success","sent_ms":1,"end_ms":2}
            {"id":1,"model":"m","mode":"streaming","outcome":"success","sent_ms":3,"end_ms":4}
            {"id":2,"model":"m","mode":"stream
            """);

        var ids = new List<long>();
        var result = RecordsReader.Read(path, r => ids.Add(r.Id));

        Assert.Equal([0L, 1L], ids);
        Assert.Equal(2, result.Records);
        Assert.Equal([3], result.SkippedLines);
    }

    [Fact]
    public void Names_MatchJsonMemberNames()
    {
        foreach (var outcome in Enum.GetValues<Outcome>())
        {
            var json = System.Text.Json.JsonSerializer.Serialize(new RequestRecord { Outcome = outcome }, ResultsJson.Default.RequestRecord);
            Assert.Contains($"\"outcome\":\"{Names.Of(outcome)}\"", json, StringComparison.Ordinal);
            Assert.True(Names.TryParseOutcome(Names.Of(outcome), out var back));
            Assert.Equal(outcome, back);
        }
    }
}
