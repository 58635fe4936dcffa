using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Report.Exporters;

namespace Bench.Report.Tests.Exporters;

public sealed class HistogramLogExporterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-hlog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static RunAggregator Aggregate(int requests, double ttftBaseMs)
    {
        var aggregator = new RunAggregator();
        for (var i = 0; i < requests; i++)
        {
            var ttft = ttftBaseMs + i;
            aggregator.Add(new RequestRecord
            {
                Id = i, Model = "gpt-4.1", Mode = Mode.Streaming, SentMs = 0, FirstByteMs = ttft - 1, FirstTokenMs = ttft,
                LastTokenMs = ttft + 50, EndMs = ttft + 51, TokenEventsMs = [ttft, ttft + 25, ttft + 50], CompletionTokens = 3,
                Outcome = Outcome.Success,
            });
        }

        return aggregator;
    }

    [Fact]
    public void Write_IsAsciiHdrHistogramLog_ThatReadsBackToTheSameDistributions()
    {
        var aggregator = Aggregate(200, 100);

        var path = Assert.Single(HistogramLogExporter.Write(aggregator, DateTimeOffset.UnixEpoch.AddDays(20_000), _dir));

        Assert.Equal("gpt-4.1__streaming.hlog", Path.GetFileName(path));
        var bytes = File.ReadAllBytes(path);
        Assert.All(bytes, b => Assert.True(b < 0x80, "the log is ASCII text, without a byte order mark"));
        Assert.StartsWith("#[Histogram log format version 1.3]", File.ReadAllText(path), StringComparison.Ordinal);

        var read = HistogramLogExporter.Read(path);
        var ttft = aggregator.Cells.Single().Histogram(Metric.Ttft)!.Histogram;
        Assert.Equal(200, read["ttft_ms"].TotalCount);
        Assert.Equal(ttft.GetValueAtPercentile(99), read["ttft_ms"].GetValueAtPercentile(99));
        Assert.Equal(400, read["itl_ms"].TotalCount); // two gaps per request
    }

    [Fact]
    public void Read_SumsTaggedHistograms_SoShardsMergeByAddingNotByAveragingPercentiles()
    {
        var fast = Path.Combine(_dir, "fast");
        var slow = Path.Combine(_dir, "slow");
        var a = Assert.Single(HistogramLogExporter.Write(Aggregate(100, 100), DateTimeOffset.UnixEpoch, fast));
        var b = Assert.Single(HistogramLogExporter.Write(Aggregate(100, 1000), DateTimeOffset.UnixEpoch, slow));
        var merged = Path.Combine(_dir, "merged.hlog");
        File.WriteAllText(merged, File.ReadAllText(a) + string.Concat(File.ReadAllLines(b).Where(l => l.StartsWith("Tag=", StringComparison.Ordinal)).Select(l => l + "\n")));

        var ttft = HistogramLogExporter.Read(merged)["ttft_ms"];

        Assert.Equal(200, ttft.TotalCount);
        // Median of 100..199 ∪ 1000..1099 ms lies at the top of the fast half: ~199 ms (in µs, 3 significant digits).
        Assert.InRange(ttft.GetValueAtPercentile(50), 198_000, 200_000);
    }
}
