using Bench.Core.Records;
using Bench.Core.Results;

namespace Bench.Core.Tests.Results;

/// <summary>Any line of <c>records.jsonl</c> is read without throwing: a record, or a skipped line with its number and
/// reason; kept records are safe to aggregate.</summary>
public sealed class RecordsReaderTests : IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("bench-reader-").FullName, "records.jsonl");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);

    [Theory]
    [InlineData("""{"mode":"streaming","outcome":"bogus","sent_ms":1,"end_ms":2}""", "not a record")]
    [InlineData("""{"mode":"sideways","outcome":"success","sent_ms":1,"end_ms":2}""", "not a record")]
    [InlineData("""{"mode":"streaming","outcome":57,"sent_ms":1,"end_ms":2}""", "unknown outcome or mode (57, 1)")]
    [InlineData("""{"mode":"streaming","outcome":"success","phase":"later","sent_ms":1,"end_ms":2}""", "unknown phase")]
    [InlineData("""{"mode":"streaming","outcome":"success","sent_ms":"NaN","end_ms":2}""", "sent_ms or end_ms is not a time (NaN, 2)")]
    [InlineData("""{"mode":"streaming","outcome":"success","sent_ms":1,"end_ms":1e300}""", "sent_ms or end_ms is not a time (1, 1E+300)")]
    [InlineData("""{"prompt_tokens":12.5}""", "not a record")]
    [InlineData("""{"prompt_tokens":1e30}""", "not a record")]
    [InlineData("""{"id":"seven"}""", "not a record")]
    [InlineData("""[1,2]""", "not a record")]
    [InlineData("""null""", "not a record: null")]
    [InlineData("""{"model":""", "not a record")]
    public void Read_BadLine_SkipsItWithNumberAndReason(string line, string reason)
    {
        File.WriteAllLines(_path, ["""{"id":1,"mode":"streaming","outcome":"success","sent_ms":1,"end_ms":2}""", line]);
        var records = new List<RequestRecord>();

        var result = RecordsReader.Read(_path, records.Add);

        Assert.Single(records);
        Assert.Equal(1, result.Skipped);
        Assert.Equal(2, Assert.Single(result.SkippedLines));
        Assert.StartsWith(reason, Assert.Single(result.SkippedReasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NullsWhereValuesBelong_GetDefaults()
    {
        File.WriteAllLines(_path, ["""{"model":null,"phase":null,"tokens_source":null,"token_events_ms":null,"mode":"streaming","outcome":"success","sent_ms":1,"end_ms":2,"first_token_ms":"Infinity","intended_ms":-1e13}"""]);

        var record = Assert.Single(RecordsReader.ReadAll(_path));

        Assert.Equal("", record.Model);
        Assert.Equal(Phases.Measure, record.Phase);
        Assert.Equal(TokenSources.None, record.TokensSource);
        Assert.Empty(record.TokenEventsMs);
        Assert.Null(record.FirstTokenMs);
        Assert.Null(record.IntendedMs);
    }

    [Fact]
    public void Read_ImpossibleUsageOfAnOlderRun_IsFlaggedAndNotBelieved()
    {
        File.WriteAllLines(_path,
        [
            """{"id":1,"mode":"streaming","outcome":"success","sent_ms":1,"end_ms":2,"prompt_tokens":10,"completion_tokens":-5,"tokens_source":"usage","tokenizer_prompt_tokens":8,"tokenizer_completion_tokens":6}""",
            """{"id":2,"mode":"streaming","outcome":"success","sent_ms":1,"end_ms":2,"prompt_tokens":10,"cached_tokens":50,"completion_tokens":5,"tokens_source":"usage"}""",
        ]);

        var records = RecordsReader.ReadAll(_path);

        Assert.Equal("negative: usage.completion_tokens = -5", records[0].UsageIssue);
        Assert.Equal((8, 6, TokenSources.Tokenizer), (records[0].PromptTokens, records[0].CompletionTokens, records[0].TokensSource));
        Assert.Equal("cached_above_prompt: cached_tokens 50 > prompt_tokens 10", records[1].UsageIssue);
        Assert.Equal((null, null, null, TokenSources.None), (records[1].PromptTokens, records[1].CompletionTokens, records[1].CachedTokens, records[1].TokensSource));
    }

    [Fact]
    public void Read_EndlessLine_SkippedUnreadAndTheNextLinesRead()
    {
        const string Good = """{"id":1,"mode":"streaming","outcome":"success","sent_ms":1,"end_ms":2}""";
        using (var writer = new StreamWriter(_path))
        {
            writer.Write(Good + "\r\n");
            var chunk = new string('x', 1024 * 1024);
            for (var written = 0L; written <= RecordsReader.MaxLineChars; written += chunk.Length)
            {
                writer.Write(chunk);
            }

            writer.Write("\n" + Good + "\n\n" + Good);
        }

        var records = new List<RequestRecord>();
        var result = RecordsReader.Read(_path, records.Add);

        Assert.Equal(3, records.Count);
        Assert.Equal([2], result.SkippedLines);
        Assert.StartsWith("longer than 67,108,864 characters", result.SkippedReasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThousandsOfBadLines_CountsAllKeepsTheFirstThousand()
    {
        File.WriteAllLines(_path, Enumerable.Repeat("garbage", 1500));

        var result = RecordsReader.Read(_path, _ => { });

        Assert.Equal(1500, result.Skipped);
        Assert.Equal(RecordsReader.MaxSkippedLinesKept, result.SkippedLines.Count);
        Assert.Equal(result.SkippedLines.Count, result.SkippedReasons.Count);
    }
}
