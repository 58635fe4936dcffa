using Bench.Core.Results;
using Bench.Report.Terminal;
using Bench.Report.Tests.Charts;
using Bench.Report.Tests.Document;

namespace Bench.Report.Tests.Terminal;

/// <summary>The plan in the terminal: the executive summary's figures (the hand-made plan of
/// <see cref="ExecutiveSummaryTests"/>, whose remarks give the arithmetic), in two or three lines.</summary>
public sealed class PlanLinesTests
{
    [Fact]
    public void Of_Plan_ChoicesTotalAndSaving_SameFiguresAsTheSummary()
    {
        using var run = TestRun.Standard();
        var report = ExecutiveSummaryTests.WithPlan(run.Report(), ExecutiveSummaryTests.Plan(run.Report()));

        Assert.Equal(
        [
            "Plan: fast → beta-model · streaming ¥153.30 (USD 21.00) a month; bulk → beta-model · non-streaming ¥357.70 (USD 49.00) a month.",
            "Total ¥511.00 (USD 70.00) a month for 1,000,000 requests; saves ¥2,117.00 (USD 290.00), 80.6 % against the current setup alpha-model:streaming. Details: report.md, “Executive summary”.",
        ], PlanLines.Of(report));
    }

    [Fact]
    public void Of_SimulatedRunWithoutPlan_OnlyTheBanner()
    {
        using var run = TestRun.Standard();
        run.Run.Targets = [new TargetInfo { Name = "simulator", BaseUrl = "embedded simulator" }];

        Assert.Equal(["Simulated, calibrated to published figures — not a measurement of any provider."], PlanLines.Of(run.Report(slos: [])));
    }

    [Fact]
    public void Of_RealRunWithoutPlan_Nothing() => Assert.Empty(PlanLines.Of(TestRunReport()));

    [Fact]
    public void Print_WritesThePlanAfterTheTable()
    {
        using var run = TestRun.Standard();
        var report = ExecutiveSummaryTests.WithPlan(run.Report(), ExecutiveSummaryTests.Plan(run.Report()));
        using var output = new StringWriter();

        SummaryTable.Print(report, output);

        var text = output.ToString();
        Assert.True(text.IndexOf("Plan: fast →", StringComparison.Ordinal) > text.IndexOf("beta-model", StringComparison.Ordinal));
        Assert.Contains("Total ¥511.00 (USD 70.00) a month", text, StringComparison.Ordinal);
    }

    private static Bench.Report.Model.RunReport TestRunReport()
    {
        using var run = TestRun.Standard();
        return run.Report(slos: []);
    }
}
