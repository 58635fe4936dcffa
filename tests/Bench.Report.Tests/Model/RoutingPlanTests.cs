using Bench.Core.Pricing;
using Bench.Report.Exporters;
using Bench.Report.Model;
using Bench.Report.Tests.Charts;

namespace Bench.Report.Tests.Model;

/// <summary>The routing table: a <c>--mix</c> with batch-api shares priced as one budget at the measured token mix per
/// mode, against the same volume all-synchronous; an unpriced share is said, never guessed.</summary>
public sealed class RoutingPlanTests
{
    private static RunReportAndText Build(params string[] mixes)
    {
        var run = TestRun.Standard();
        run.AddBatch(TestRun.Alpha, lines: 12, turnaroundS: 1080);
        run.AddBatch(TestRun.Beta, lines: 12, turnaroundS: 300);
        run.Run.Report.Mixes = [.. mixes];
        var report = run.Report(ChartBuilderTests.BatchPrices());
        var text = MarkdownExporter.Render(report);
        run.Dispose();
        return new RunReportAndText(report, text);
    }

    private sealed record RunReportAndText(RunReport Report, string Text);

    [Fact]
    public void Plan_StreamingAndBatchShares_OneBudget_SavingAgainstAllSynchronous()
    {
        var (report, text) = Build("alpha-model:streaming=30%,alpha-model:batch-api=70%");

        var plan = Assert.Single(report.Routing);
        // 1,000,000 requests a month of 100 prompt + 20 completion tokens on alpha: 300,000 streaming at 0.36 USD per
        // 1k = 108 USD; 700,000 in batch at 0.18 per 1k = 126 USD; all-synchronous 1,000,000 × 0.36 / 1k = 360 USD.
        Assert.True(plan.Complete);
        Assert.Equal(234m, plan.TotalUsd);
        Assert.Equal(360m, plan.SynchronousUsd);
        Assert.Equal(126m, plan.SavingUsd);
        Assert.Equal(35m, plan.SavingPercent);
        Assert.Equal(700_000m, plan.Lines[1].Requests);
        Assert.Empty(report.Projection.Mixes); // a routing plan, not a plain mix
        Assert.Contains("## Routing: synchronous and batch as one budget", text, StringComparison.Ordinal);
        Assert.Contains("| 70 % | alpha-model | batch-api | 700,000 | 126.00 | 252.00 (non-streaming) |", text, StringComparison.Ordinal);
        Assert.Contains("**Budget: 234.00 USD per month**, against 360.00 USD all-synchronous: a saving of 126.00 USD per month (35 %).", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_UnpricedBatchShare_SaidNotGuessed_NoBudget()
    {
        var (report, text) = Build("alpha-model:streaming=40%,beta-model:batch-api=60%");

        var plan = Assert.Single(report.Routing);
        Assert.False(plan.Complete);
        Assert.Null(plan.TotalUsd);
        Assert.Null(plan.SavingUsd);
        Assert.Equal(144m, plan.PricedUsd); // 400,000 × 0.36 / 1k
        Assert.StartsWith("no Batch API price for beta-model", plan.Lines[1].Unpriced);
        Assert.Contains("| 60 % | beta-model | batch-api | 600,000 | not priced |", text, StringComparison.Ordinal);
        Assert.Contains("**No budget**: a share is not priced, and an unpriced share is never guessed. The priced shares alone come to 144.00 USD per month.", text, StringComparison.Ordinal);
        Assert.Contains("beta-model:batch-api=60%: no Batch API price for beta-model in the catalogue", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_BatchShareNotMeasured_Said()
    {
        var (report, _) = Build("beta-model:streaming=50%,gamma-model:batch-api=50%");

        var line = Assert.Single(report.Routing).Lines[1];
        Assert.Null(line.Cell);
        Assert.Equal("gamma-model · batch-api was not measured in this run", line.Unpriced);
    }

    [Fact]
    public void Mix_WithoutBatchShare_StaysInTheProjection()
    {
        var (report, text) = Build("alpha-model:streaming=50%,beta-model=50%");

        Assert.Empty(report.Routing);
        var mix = Assert.Single(report.Projection.Mixes);
        // A share without a mode is synchronous: never the batch cell of its model.
        Assert.Equal("streaming", mix.Lines[1].Mode);
        Assert.Equal(PriceTier.Standard, mix.Lines[1].Cost.Tier);
        Assert.DoesNotContain("## Routing", text, StringComparison.Ordinal);
    }
}
