using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Report.Model;

namespace Bench.Report.Tests.Model;

public class RecommendationTests
{
    private static readonly PriceCatalog Prices = PriceCatalog.Create("test", [
        new ModelPrice("cheap", 1m, null, 1m, null, null, "t"),
        new ModelPrice("mid", 2m, null, 2m, null, null, "t"),
        new ModelPrice("dear", 10m, null, 10m, null, null, "t"),
        new ModelPrice("twin-a", 1m, null, 1m, null, null, "t"),
        new ModelPrice("twin-b", 1m, null, 1m, null, null, "t"),
    ]);

    /// <summary>100 streaming requests (enough to bound a p95 from above: rank 100 of 100) whose completion tokens
    /// alternate meanCompletion ± 40 (sampled token noise).</summary>
    private static IEnumerable<RequestRecord> Noisy(string model, double ttftMs, int meanCompletion) =>
        Requests(model, ttftMs, count: 100, completion: i => meanCompletion + (i % 2 == 0 ? 40 : -40));

    private static readonly SloSet Interactive = new() { Name = "interactive", MaxMs = new Dictionary<string, double> { ["ttft_ms"] = 500 }, Percentile = 90 };

    /// <summary><paramref name="count"/> streaming requests of a model (30 by default: enough to show a 90 % SLO,
    /// 0.9^29 &lt; 0.05), each with the given TTFT, 100 prompt + 100 completion tokens.</summary>
    private static IEnumerable<RequestRecord> Requests(string model, double ttftMs, Mode mode = Mode.Streaming, int count = 30, Func<int, int>? completion = null) =>
        Enumerable.Range(0, count).Select(i => new RequestRecord
        {
            Model = model,
            Mode = mode,
            SentMs = i * 1000,
            FirstByteMs = i * 1000 + 1,
            FirstTokenMs = mode == Mode.Streaming ? i * 1000 + ttftMs : null,
            EndMs = i * 1000 + ttftMs + 100,
            PromptTokens = 100,
            CompletionTokens = completion?.Invoke(i) ?? 100,
            Outcome = Outcome.Success,
        });

    private static RunReport Report(params IEnumerable<RequestRecord>[] cells) => Report([Interactive], cells);

    private static RunReport Report(IReadOnlyList<SloSet> slos, params IEnumerable<RequestRecord>[] cells)
    {
        var aggregator = new RunAggregator(slos);
        foreach (var r in cells.SelectMany(c => c))
        {
            aggregator.Add(r);
        }

        return RunReport.Build(new RunInfo(), aggregator, new RecordsReadResult(), Prices, slos);
    }

    [Fact]
    public void For_64Of64AgainstA995SuccessTarget_IsNotShown_AndSaysWhatWouldShowIt()
    {
        var strict = new SloSet { Name = "strict", MinSuccessRate = 0.995 };
        var report = Report([strict], Requests("cheap", 100, count: 64));

        var r = Assert.Single(report.Recommendations);
        Assert.Null(r.Best);
        var (cell, shortfalls) = Assert.Single(r.NotShown);
        Assert.Equal("cheap", cell.Summary.Model);
        var s = Assert.Single(shortfalls);
        Assert.Equal(SampleCondition.SuccessRate, s.Condition);
        Assert.Equal(598, s.TrialsNeeded);
        Assert.Equal(0.9543, s.ShownAtLeast, 4);
        var markdown = Bench.Report.Exporters.MarkdownExporter.Render(report);
        Assert.Contains("no failures in 64 requests shows success ≥ 95.4 % at 95 % confidence; 598 are needed for 99.5 %", markdown, StringComparison.Ordinal);
        Assert.Contains("**No model is shown to meet this SLO**", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Choose ", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void For_64Of64AgainstA95SuccessTarget_IsShownAndChosen()
    {
        var loose = new SloSet { Name = "loose", MinSuccessRate = 0.95 };
        var report = Report([loose], Requests("cheap", 100, count: 64));

        Assert.Equal("cheap", report.Recommendations[0].Best!.Summary.Model);
        Assert.Empty(report.Recommendations[0].NotShown);
        Assert.Null(Recommendation.SmallRun(report.Cells, report.Recommendations));
    }

    [Fact]
    public void For_SmallRun_SaysItIsASmokeTest()
    {
        var report = Report(Requests("cheap", 100, count: 8), Requests("mid", 100, count: 8));

        Assert.Equal(8, Recommendation.SmallRun(report.Cells, report.Recommendations));
        Assert.Null(report.Recommendations[0].Best);
        Assert.Equal(2, report.Recommendations[0].NotShown.Count);
        Assert.Contains("**8 requests per cell: a smoke test, not a recommendation.**", Bench.Report.Exporters.MarkdownExporter.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public void For_OneModelAtTwoTargets_PicksATargetAndSaysWhich()
    {
        static IEnumerable<RequestRecord> At(string target, IEnumerable<RequestRecord> records) => records.Select(r =>
        {
            r.Target = target;
            return r;
        });

        var report = Report(At("relay", Requests("cheap", 900)), At("direct", Requests("cheap", 100)), At("direct", Requests("mid", 200)));

        var r = Assert.Single(report.Recommendations);
        Assert.Equal(("direct", "cheap"), (r.Best!.Summary.Target, r.Best.Summary.Model));
        Assert.Equal(("direct", "mid"), (r.RunnerUp!.Summary.Target, r.RunnerUp.Summary.Model));
        Assert.Equal(("relay", "cheap"), (Assert.Single(r.Failed).Cell.Summary.Target, r.Failed[0].Cell.Summary.Model));
        var markdown = Bench.Report.Exporters.MarkdownExporter.Render(report);
        Assert.Contains("the cheapest target × model × mode", markdown, StringComparison.Ordinal);
        Assert.Contains("Choose **direct · cheap · streaming**", markdown, StringComparison.Ordinal);
        Assert.Contains("relay · cheap · streaming did not", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void For_SeveralMeet_PicksCheapestThenRunnerUp_AndExplainsFailures()
    {
        var report = Report(Requests("dear", 100), Requests("mid", 200), Requests("cheap", 900));

        var r = Assert.Single(report.Recommendations);
        Assert.Equal("mid", r.Best!.Summary.Model);
        Assert.Equal("dear", r.RunnerUp!.Summary.Model);
        var (cell, why) = Assert.Single(r.Failed);
        Assert.Equal("cheap", cell.Summary.Model);
        Assert.Contains("0 % of requests succeeded with ttft_ms ≤ 500 (needs 90 %)", why, StringComparison.Ordinal);
        Assert.Equal("ttft_ms ≤ 500 ms for 90 % of requests", r.Criteria);
    }

    [Fact]
    public void For_SeparatedCosts_IsAClearWinnerWithoutATie()
    {
        var report = Report(Requests("dear", 100), Requests("mid", 200));

        Assert.Equal("mid", report.Recommendations[0].Best!.Summary.Model);
        Assert.Null(report.Recommendations[0].Tie);
    }

    [Fact]
    public void For_CostsWithinNoise_FasterCellBreaksTheTie()
    {
        // twin-a is $0.000001 cheaper per request on the point, but within noise; twin-b is clearly faster.
        var report = Report(Noisy("twin-a", 400, 99), Noisy("twin-b", 100, 100));

        var r = report.Recommendations[0];
        Assert.Equal("twin-b", r.Best!.Summary.Model);
        Assert.Equal("twin-a", r.RunnerUp!.Summary.Model);
        Assert.Equal(TieBreak.Latency, r.Tie!.By);
        Assert.Contains(": as cheap as twin-a · streaming within noise", Bench.Report.Exporters.MarkdownExporter.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public void For_CostsAndLatencyWithinNoise_IsATie_WithTheRequestsThatWouldSeparateThem()
    {
        var report = Report(Noisy("twin-a", 200, 99), Noisy("twin-b", 200, 100));

        var r = report.Recommendations[0];
        var tie = r.Tie!;
        Assert.Equal(TieBreak.None, tie.By);
        // Per-success SE from ±40 completion tokens ($1/M): σ = 40e-6 → n = 7.85·2·(40e-6)² / (1e-6)² ≈ 25,118.
        Assert.InRange(tie.RequestsToSeparate!.Value, 20_000, 30_000);
        var markdown = Bench.Report.Exporters.MarkdownExporter.Render(report);
        Assert.Contains("**Tie: **", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Choose ", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void For_NoneMeets_SaysSo()
    {
        var report = Report(Requests("cheap", 900), Requests("mid", 600, Mode.NonStreaming));

        var r = Assert.Single(report.Recommendations);
        Assert.Null(r.Best);
        Assert.Null(r.RunnerUp);
        Assert.Equal(2, r.Failed.Count);
        Assert.Contains("**No model met this SLO**", Bench.Report.Exporters.MarkdownExporter.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public void For_NonStreaming_IsJudgedByItsWholeResponse()
    {
        // A non-streaming answer's first token arrives with its end (ttft 100 + 100 ms = 200 ms ≤ 500): it meets.
        var report = Report(Requests("cheap", 100, Mode.NonStreaming));
        Assert.Equal("cheap", report.Recommendations[0].Best!.Summary.Model);
    }

    [Fact]
    public void Projection_MixAndFx_ExactDecimals()
    {
        var report = Report(Requests("cheap", 100), Requests("dear", 100, Mode.NonStreaming));
        var projection = Projection.Build(report.Cells, 1_000_000m,
            [new FxRate("CNY", 7.3m), new FxRate("CNY-relay", 1m)],
            [ModelMix.Create([new MixShare("cheap", "streaming", 30m), new MixShare("dear", "non-streaming", 70m)])]);

        // cheap: (100 × 1 + 100 × 1) / 1M = $0.0002 per request → $200 per 1M requests; dear: $2,000.
        Assert.Equal(200m, projection.Cells.Single(c => c.Cell.Summary.Model == "cheap").Budget.TotalCostUsd);
        Assert.Equal(2000m, projection.Cells.Single(c => c.Cell.Summary.Model == "dear").Budget.TotalCostUsd);
        // Mix: 30 % × 200 + 70 % × 2,000 = 60 + 1,400 = $1,460.
        Assert.Equal(1460m, Assert.Single(projection.Mixes).TotalCostUsd);
        var saving = Assert.Single(projection.Savings);
        Assert.Equal(63m / 73m, saving.Fraction);
        Assert.Empty(projection.Problems);
    }

    [Fact]
    public void Projection_MixOfUnmeasuredCell_IsReportedNotPriced()
    {
        var report = Report(Requests("cheap", 100));
        var projection = Projection.Build(report.Cells, 1000m, [],
            [ModelMix.Create([new MixShare("cheap", "streaming", 50m), new MixShare("mid", "streaming", 50m)])]);

        Assert.Empty(projection.Mixes);
        Assert.Contains("mid · streaming was not measured", Assert.Single(projection.Problems), StringComparison.Ordinal);
    }
}
