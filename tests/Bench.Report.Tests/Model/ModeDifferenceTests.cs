using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Report.Charts;
using Bench.Report.Document;
using Bench.Report.Exporters;
using Bench.Report.Model;

namespace Bench.Report.Tests.Model;

public class ModeDifferenceTests
{
    private static RequestRecord Record(string model, Mode mode, double e2e, string phase = Phases.Measure, Outcome outcome = Outcome.Success) => new()
    {
        Model = model, Mode = mode, Phase = phase, SentMs = 0, FirstByteMs = 1, EndMs = e2e, Outcome = outcome,
        FirstTokenMs = mode == Mode.Streaming ? 1 : null, LastTokenMs = mode == Mode.Streaming ? e2e : null,
        TokenEventsMs = mode == Mode.Streaming ? [1, e2e] : [], CompletionTokens = 2, PromptTokens = 1,
    };

    [Fact]
    public void ShiftedDistributions_AreSignificant_SameOnesAreNot()
    {
        var test = new RunSamples(5_000);
        var random = new Random(1);
        for (var i = 0; i < 40; i++)
        {
            // "far": streaming 10 % slower than non-streaming with ±2 % noise; "same": the same 40 values in another order.
            test.Add(Record("far", Mode.Streaming, 1100 + (random.NextDouble() * 40)));
            test.Add(Record("far", Mode.NonStreaming, 1000 + (random.NextDouble() * 40)));
            test.Add(Record("same", Mode.Streaming, 1000 + (i * 10)));
            test.Add(Record("same", Mode.NonStreaming, 1000 + ((i * 17 % 40) * 10)));
        }

        // Only successful, measured requests count.
        test.Add(Record("same", Mode.Streaming, 99_999, outcome: Outcome.ServerError));
        test.Add(Record("same", Mode.Streaming, 99_999, phase: Phases.Warmup));

        var results = ModeDifferenceTest.Results(test);

        Assert.True(results["far"].Significant);
        Assert.True(results["far"].PValue < 1e-6);
        Assert.False(results["same"].Significant);
        Assert.True(results["same"].PValue > 0.9);
        Assert.Equal(40, results["same"].StreamingCount);
        Assert.Equal(2, results["far"].Comparisons);
        Assert.Equal(0.025, results["far"].Threshold, 9);
    }

    [Fact]
    public void TooFewRequests_NoTest()
    {
        var test = new RunSamples(5_000);
        for (var i = 0; i < ModeDifferenceTest.MinCount - 1; i++)
        {
            test.Add(Record("m", Mode.Streaming, 100 + i));
            test.Add(Record("m", Mode.NonStreaming, 200 + i));
        }

        Assert.Empty(ModeDifferenceTest.Results(test));
    }

    [Fact]
    public void Wording_FollowsTheTest_NotTheRawDifference()
    {
        var streaming = new CellAggregator("m", Mode.Streaming);
        var whole = new CellAggregator("m", Mode.NonStreaming);
        for (var i = 0; i < 10; i++)
        {
            streaming.Add(Record("m", Mode.Streaming, 1200 + i));
            whole.Add(Record("m", Mode.NonStreaming, 1000 + i));
        }

        var noise = MarkdownExporter.Inline(ReportDocumentBuilder.Comparison(new ModeComparison("m", streaming.Summarize(), whole.Summarize(), new ModeDifference(0.4, 10, 10))));
        var real = MarkdownExporter.Inline(ReportDocumentBuilder.Comparison(new ModeComparison("m", streaming.Summarize(), whole.Summarize(), new ModeDifference(0.001, 10, 10))));

        Assert.Contains("about as long either way", noise, StringComparison.Ordinal);
        Assert.Contains("within noise (Mann–Whitney p = 0.4, n = 10/10)", noise, StringComparison.Ordinal);
        Assert.Contains("takes longer when streamed", real, StringComparison.Ordinal);
        Assert.Contains("+19.9 %", real, StringComparison.Ordinal);

        // Four models tested at once: p = 0.03 is not enough (Bonferroni: 0.05 / 4 = 0.0125).
        var family = MarkdownExporter.Inline(ReportDocumentBuilder.Comparison(new ModeComparison("m", streaming.Summarize(), whole.Summarize(), new ModeDifference(0.03, 10, 10, Comparisons: 4))));
        Assert.Contains("within noise (Mann–Whitney p = 0.03 against 0.0125 for 4 models, n = 10/10)", family, StringComparison.Ordinal);
    }
}
