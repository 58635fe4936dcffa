using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Report.Comparison;

namespace Bench.Report.Tests.Comparison;

/// <summary>A tail statistic is judged only when each sample it is read from has enough values beyond it.</summary>
public sealed class ThinTailTests
{
    private static CellResult Cell(int requests)
    {
        var aggregator = new CellAggregator("m", Mode.NonStreaming);
        for (var i = 0; i < requests; i++)
        {
            aggregator.Add(new RequestRecord
            {
                Id = i, Model = "m", Mode = Mode.NonStreaming, SentMs = 0, EndMs = 100 + i, Outcome = Outcome.Success, PromptTokens = 10, CompletionTokens = 5,
            });
        }

        return CellResult.Create(aggregator.Summarize(), PriceCatalog.BuiltIn);
    }

    private static SideCell Side(int perReplicate, int replicates, int samples = 0) => new(
        "m", Mode.NonStreaming, null, Cell(perReplicate * Math.Max(1, replicates)), [.. Enumerable.Range(0, replicates).Select(_ => Cell(perReplicate))],
        new Dictionary<string, double[]> { [Metric.E2e.Id] = new double[samples] });

    [Theory]
    // p95 rests on n × 0.05 values: 100 per replicate gives 5 (judged), 99 gives 4.95 (not).
    [InlineData("e2e_ms_p95", 100, true)]
    [InlineData("e2e_ms_p95", 99, false)]
    [InlineData("e2e_ms_p90", 50, true)]
    [InlineData("e2e_ms_p90", 49, false)]
    [InlineData("e2e_ms_p99", 499, false)]
    [InlineData("e2e_ms_p99", 500, true)]
    public void ThinTail_Replicates_NeedsFiveBeyondTheTailInEveryReplicate(string id, int perReplicate, bool judged)
    {
        var note = Comparer.ThinTail(MetricCatalog.Find(id), Side(perReplicate, 5), Side(1_000, 5));
        Assert.Equal(judged, note is null);
        if (!judged)
        {
            Assert.Contains($"{perReplicate:N0} per replicate", note, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ThinTail_MeanMedianAndExtremes_MeanAndMedianJudged_ExtremesNever()
    {
        var big = Side(10_000, 5);
        Assert.Null(Comparer.ThinTail(MetricCatalog.Find("e2e_ms_mean"), big, big));
        Assert.Null(Comparer.ThinTail(MetricCatalog.Find("e2e_ms_p50"), big, big));
        Assert.Contains("extreme", Comparer.ThinTail(MetricCatalog.Find("e2e_ms_max"), big, big), StringComparison.Ordinal);
        Assert.Contains("extreme", Comparer.ThinTail(MetricCatalog.Find("e2e_ms_min"), big, big), StringComparison.Ordinal);
    }

    [Fact]
    public void ThinTail_PerRequestSamples_CountsEachSidesRequests()
    {
        Assert.Null(Comparer.ThinTail(MetricCatalog.Find("e2e_ms_p95"), Side(1, 0, samples: 100), Side(1, 0, samples: 400)));
        Assert.Contains("99 per side", Comparer.ThinTail(MetricCatalog.Find("e2e_ms_p95"), Side(1, 0, samples: 99), Side(1, 0, samples: 400)), StringComparison.Ordinal);
    }
}
