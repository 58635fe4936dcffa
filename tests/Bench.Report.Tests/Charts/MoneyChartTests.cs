using System.Xml.Linq;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Core.Thresholds;
using Bench.Report.Charts;
using Bench.Report.Model;

namespace Bench.Report.Tests.Charts;

/// <summary>
/// The money charts (issue 18, point 3) drawn from budget plans built by hand from <see cref="TestRun.Standard"/>'s
/// cells. Prices (<see cref="TestRun.Prices"/>): alpha $2 in / $8 out per million tokens, beta $0.50 / $1; every
/// success bills 100 prompt + 20 completion tokens. So a successful alpha request costs 100 × 2e-6 + 20 × 8e-6 =
/// $0.00036 and a beta one 100 × 0.5e-6 + 20 × 1e-6 = $0.00007 (beta streaming has one unbilled failure among its 13
/// attempts: 12/13 of that per attempted request).
/// </summary>
public sealed class MoneyChartTests : IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private readonly TestRun _run = TestRun.Standard().Save();
    private readonly RunReport _report;
    private readonly ModelPalette _palette;
    private readonly string _directory;

    public MoneyChartTests()
    {
        _report = _run.Report();
        _palette = ModelPalette.For(_report);
        _directory = Path.Combine(_run.Directory, ChartBuilder.DirectoryName);
        Directory.CreateDirectory(_directory);
    }

    public void Dispose() => _run.Dispose();

    private CellResult Cell(string model, Mode mode) => _report.Cells.Single(c => c.Summary.Model == model && c.Summary.Mode == mode && c.Summary.Policy is null);

    /// <summary>The cell priced at <paramref name="requests"/> a month, paid at <paramref name="usdPerListUsd"/>.</summary>
    private static PricedOption Priced(CellResult cell, decimal requests, decimal usdPerListUsd = 1m) =>
        new(cell, MonthlyProjection.Price(Projection.Volume(cell, requests)!, cell.Price!, cell.Cost.Tier, requestedModel: cell.Summary.Model), usdPerListUsd);

    private ClassChoice Class(string name, decimal requests, decimal? share, IReadOnlyList<PricedOption> options, PricedOption? current = null, IReadOnlyList<CellResult>? unpriced = null)
    {
        var set = new SloSet { Name = name, MaxMs = new Dictionary<string, double> { ["e2e_ms"] = 5000 } };
        var recommendation = new Recommendation(name, "e2e_ms ≤ 5000", options.FirstOrDefault()?.Cell, options.Skip(1).FirstOrDefault()?.Cell, unpriced ?? [], [], set, []);
        var sorted = options.OrderBy(o => o.MonthlyUsd).ToList();
        return new ClassChoice(new TrafficClass(set, requests, share), recommendation, sorted, sorted.FirstOrDefault(), sorted.Skip(1).FirstOrDefault(), current, null, []);
    }

    private static BudgetPlan Plan(IReadOnlyList<ClassChoice> classes, decimal monthlyRequests, IReadOnlyList<FxRate>? fx = null, CurrentSetup? current = null,
        bool simulated = false, BreakEven? breakEven = null) =>
        new(classes, monthlyRequests, fx ?? [], current, simulated ? ["simulator"] : [], []) { BreakEven = breakEven };

    /// <summary>Two classes with shares (70 % interactive on four options, 30 % overnight on two) and a current cell.</summary>
    private BudgetPlan TwoClasses(bool simulated = false, IReadOnlyList<FxRate>? fx = null)
    {
        var alphaS = Cell(TestRun.Alpha, Mode.Streaming);
        var alphaN = Cell(TestRun.Alpha, Mode.NonStreaming);
        var betaS = Cell(TestRun.Beta, Mode.Streaming);
        var betaN = Cell(TestRun.Beta, Mode.NonStreaming);
        var interactive = Class("interactive", 700_000, 70, [Priced(alphaS, 700_000), Priced(alphaN, 700_000), Priced(betaS, 700_000), Priced(betaN, 700_000)],
            current: Priced(alphaS, 700_000));
        var overnight = Class("overnight", 300_000, 30, [Priced(alphaN, 300_000), Priced(betaN, 300_000)], current: Priced(alphaS, 300_000));
        return Plan([interactive, overnight], 1_000_000, fx, new CurrentSetup("alpha-model:streaming", new CellSelector("alpha-model:streaming", TestRun.Alpha, "streaming", null), null, null, null),
            simulated);
    }

    private static List<string> Labels(ChartFile chart) =>
        [.. XDocument.Load(chart.SvgPath).Root!.Descendants(Svg + "g").Attributes("aria-label").Select(a => a.Value)];

    private static void AssertWritten(ChartFile chart, string id)
    {
        Assert.Equal(id, chart.Id);
        Assert.Equal(ChartSection.Money, chart.Section);
        var png = File.ReadAllBytes(chart.PngPath);
        Assert.True(png.Length > 10_000, $"{id}.png is only {png.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        var svg = XDocument.Load(chart.SvgPath).Root!;
        Assert.Equal("0 0 960 540", (string?)svg.Attribute("viewBox"));
        Assert.All(svg.Descendants().Attributes("id"), a => Assert.StartsWith(id + "-", a.Value, StringComparison.Ordinal));
        Assert.False(string.IsNullOrWhiteSpace(chart.Caption));
    }

    [Fact]
    public void ChartBuilder_RegistersBothMoneyCharts_First()
    {
        Assert.Equal([MonthlyCostChart.ChartId, CostVolumeChart.ChartId], ChartBuilder.Ids.Take(2));
    }

    [Fact]
    public void ChartBuilder_NoPlan_NoMoneyChart()
    {
        // Without SLO sets there are no traffic classes and no plan.
        var report = _run.Report(slos: []);
        Assert.Null(report.Plan);

        var charts = ChartBuilder.Write(report, _run.Directory);

        Assert.DoesNotContain(charts, c => c.Section == ChartSection.Money);
        Assert.False(File.Exists(Path.Combine(_directory, "monthly-cost.svg")));
    }

    [Fact]
    public void ChartBuilder_PlanWithoutAnyOption_NoMoneyChart()
    {
        // TestRun's one SLO set (e2e ≤ 900 ms) on 12 requests a cell: no cell's sample can show it (59 failure-free
        // requests show 95 %), so the plan has its class but no option, and there is nothing to draw.
        Assert.NotNull(_report.Plan);
        Assert.All(_report.Plan!.Classes, c => Assert.Empty(c.Options));

        Assert.DoesNotContain(ChartBuilder.Write(_report, _run.Directory), c => c.Section == ChartSection.Money);
    }

    [Fact]
    public void TwoClasses_WritesPngAndSvg_ChoiceAndCurrentMarked_MoneyTicks()
    {
        var plan = TwoClasses();

        var monthly = MonthlyCostChart.Draw(plan, _palette, _directory)!;
        var volume = CostVolumeChart.Draw(plan, _palette, _directory)!;

        AssertWritten(monthly, "monthly-cost");
        AssertWritten(volume, "cost-volume");
        var labels = Labels(monthly);
        Assert.Contains("interactive · 700,000/month (70 %)", labels);
        Assert.Contains("overnight · 300,000/month (30 %)", labels);
        // Interactive: beta non-streaming is cheapest (no failure), alpha streaming is the current cell and an option.
        // Its monthly cost: 700,000 × $0.00036 = $252 (every alpha request succeeded and billed 100 + 20 tokens).
        Assert.Contains("$252 · current", labels);
        Assert.Equal(2, labels.Count(l => l.EndsWith(" · choice", StringComparison.Ordinal)));
        // Overnight's current cell (alpha streaming) is not among its options: marked as such.
        // 300,000 × $0.00036 = $108.
        Assert.Contains("$108 · current, not shown to meet the class", labels);
        // Money ticks: beta non-streaming in overnight is the smallest, 300,000 × $0.00007 = $21; alpha at $252 is 12× that: log.
        Assert.Contains(labels, l => l.StartsWith("monthly cost at each class's monthly volume (USD, log scale)", StringComparison.Ordinal));
        Assert.Contains("$100", labels);
        Assert.DoesNotContain(labels, l => l.Contains("10^", StringComparison.Ordinal) || l.Contains("E+", StringComparison.Ordinal));
        Assert.Contains("logarithmic", monthly.Caption, StringComparison.Ordinal);
        Assert.DoesNotContain("Simulated", monthly.Caption, StringComparison.Ordinal);
        Assert.DoesNotContain("Simulated", volume.Caption, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionsWithin10x_LinearAxis()
    {
        // Alpha non-streaming $0.00036 against beta non-streaming $0.00007 per request: 36/7 ≈ 5.1× apart.
        var plan = Plan([Class("only", 1_000_000, null, [Priced(Cell(TestRun.Alpha, Mode.NonStreaming), 1_000_000), Priced(Cell(TestRun.Beta, Mode.NonStreaming), 1_000_000)])], 1_000_000);

        var chart = MonthlyCostChart.Draw(plan, _palette, _directory)!;

        var labels = Labels(chart);
        Assert.Contains("monthly cost at 1,000,000 requests/month (USD)", labels);
        // $360 and $70: linear ticks 1, 2, 2.5 or 5 × 10^k apart from zero.
        Assert.Contains("$0", labels);
        Assert.Contains("$100", labels);
        Assert.Contains("$360", labels);
        Assert.Contains("$70 · choice", labels);
        Assert.Contains("linear", chart.Caption, StringComparison.Ordinal);
    }

    [Fact]
    public void Fx_AxisAndLabelsInReadersCurrency()
    {
        var plan = TwoClasses(fx: [new FxRate("CNY", 7.3m), new FxRate("CNY-relay", 1m)]);

        var labels = Labels(MonthlyCostChart.Draw(plan, _palette, _directory)!);

        // $252 × 7.3 = ¥1,839.6 → "¥1.84k"; $108 × 7.3 = ¥788.4 → "¥788".
        Assert.Contains("¥1.84k · current", labels);
        Assert.Contains("¥788 · current, not shown to meet the class", labels);
        Assert.Contains(labels, l => l.StartsWith("monthly cost at each class's monthly volume (CNY at 7.3 per USD, log scale)", StringComparison.Ordinal));
        Assert.Contains("¥1k", labels);
    }

    [Fact]
    public void Simulated_CaptionsEndWithTheBanner()
    {
        var plan = TwoClasses(simulated: true);

        const string Banner = "Simulated, calibrated to published figures — not a measurement of any provider.";
        Assert.EndsWith(Banner, MonthlyCostChart.Draw(plan, _palette, _directory)!.Caption, StringComparison.Ordinal);
        Assert.EndsWith(Banner, CostVolumeChart.Draw(plan, _palette, _directory)!.Caption, StringComparison.Ordinal);
    }

    [Fact]
    public void CostVolume_BreakEvenMarked_ExactlyWhenSet()
    {
        // A flat current spend of $500 a month against the plan's total; the plan costs $500 at the volume where
        // total/1,000,000 × V = 500: the builder's figure, given here by hand.
        var plan = TwoClasses();
        var flat = new CurrentSetup("500USD", null, 500m, "USD", 500m);
        var without = Plan(plan.Classes, plan.MonthlyRequests, current: flat);
        var breakEven = new BreakEven(500m / plan.TotalUsd!.Value * 1_000_000m, 500m);
        var with = without with { BreakEven = breakEven };

        var none = CostVolumeChart.Draw(without, _palette, _directory)!;
        Assert.DoesNotContain(Labels(none), l => l.Contains("break-even", StringComparison.Ordinal));
        Assert.DoesNotContain("break-even", none.Caption, StringComparison.Ordinal);

        var marked = CostVolumeChart.Draw(with, _palette, _directory)!;
        var labels = Labels(marked);
        // The plan's total: interactive's choice is beta streaming, its one failure unbilled: 700,000 × 12/13 × $0.00007
        // = $45.23…; overnight's is beta non-streaming, 300,000 × $0.00007 = $21; together $66.23… at 1,000,000 a
        // month, so the break-even is at 500 / 66.23… × 1,000,000 ≈ 7.55M.
        Assert.Equal((700_000 * 12 / 13.0 * 0.00007) + (300_000 * 0.00007), (double)plan.TotalUsd!.Value, 9);
        Assert.Contains("break-even: 7.55M requests/month, $500/month", labels);
        Assert.Contains("below it the chosen plan is cheaper, above it the current setup", marked.Caption, StringComparison.Ordinal);
        Assert.Contains("stated volume: 1,000,000/month", labels);
        Assert.Contains("requests per month (log scale)", labels);
        Assert.Contains(labels, l => l.StartsWith("monthly cost (USD, log scale)", StringComparison.Ordinal));
        Assert.Contains("1M", labels);
    }

    [Fact]
    public void CostVolume_NoShares_EachClassAloneCaptionedWhy()
    {
        var plan = Plan([
            Class("fast", 1_000_000, null, [Priced(Cell(TestRun.Alpha, Mode.Streaming), 1_000_000)]),
            Class("cheap", 1_000_000, null, [Priced(Cell(TestRun.Beta, Mode.NonStreaming), 1_000_000)]),
        ], 1_000_000);
        Assert.Null(plan.TotalUsd);

        var chart = CostVolumeChart.Draw(plan, _palette, _directory)!;

        Assert.StartsWith("The plan has no total: the scenario gives the traffic classes no shares", chart.Caption, StringComparison.Ordinal);
        var labels = Labels(chart);
        Assert.Contains("fast: alpha-model · streaming", labels);
        Assert.Contains("cheap: beta-model · non-streaming", labels);
        Assert.DoesNotContain("chosen plan", labels);
    }

    [Fact]
    public void CostVolume_AClassWithoutChoice_OthersAtTheirShare_CurrentNotDrawnSaid()
    {
        // Interactive (70 %) has options, strict (30 %) none: no plan total. Interactive's line is read against the
        // plan's volume, so at 1,000,000 it is its own 700,000 requests on beta non-streaming: 700,000 × $0.00007 = $49.
        var interactive = Class("interactive", 700_000, 70, [Priced(Cell(TestRun.Beta, Mode.NonStreaming), 700_000)]);
        var strict = Class("strict", 300_000, 30, []);
        var plan = Plan([interactive, strict], 1_000_000, current: new CurrentSetup("alpha-model", new CellSelector("alpha-model", TestRun.Alpha, null, null), null, null, null));

        var chart = CostVolumeChart.Draw(plan, _palette, _directory)!;
        var monthly = MonthlyCostChart.Draw(plan, _palette, _directory)!;

        Assert.StartsWith("The plan has no total: no priced option is shown to meet strict, so the other classes' choices are drawn alone, each at its share of the volume.", chart.Caption, StringComparison.Ordinal);
        Assert.Contains("$49", Labels(chart));
        Assert.Contains("The current setup (alpha-model) is not drawn: without a plan total there is nothing to set it against.", chart.Caption, StringComparison.Ordinal);
        // The class without options has no bars: no chart row but its words in the caption; the current cell was not
        // priced on any class (the builder leaves ClassChoice.Current null), so it has no bar either, and that is said.
        Assert.Contains("No priced option is shown to meet strict, so it has no bars.", monthly.Caption, StringComparison.Ordinal);
        Assert.Contains("The current setup (alpha-model) has no bar: it could not be priced.", monthly.Caption, StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroCostOption_LinearWithCaption_NoThrow()
    {
        // Free (paid at 0 per list USD), $70 and $360 a month: 360/70 > 10 is false, so add a dearer one:
        // alpha paid at 10× list, $3,600 — 3,600/70 ≈ 51× apart, which would be log but for the zero.
        var plan = Plan([Class("only", 1_000_000, 100, [
            Priced(Cell(TestRun.Beta, Mode.NonStreaming), 1_000_000, 0m),
            Priced(Cell(TestRun.Beta, Mode.Streaming), 1_000_000),
            Priced(Cell(TestRun.Alpha, Mode.NonStreaming), 1_000_000, 10m),
        ])], 1_000_000);

        var monthly = MonthlyCostChart.Draw(plan, _palette, _directory)!;
        var volume = CostVolumeChart.Draw(plan, _palette, _directory)!;

        Assert.Contains("a log scale cannot show zero", monthly.Caption, StringComparison.Ordinal);
        Assert.Contains("$0 · choice", Labels(monthly));
        Assert.Contains(Labels(monthly), l => l.StartsWith("monthly cost at 1,000,000 requests/month (USD)", StringComparison.Ordinal));
        // The plan costs nothing at any volume: a flat zero line on a linear cost axis.
        Assert.Contains("cost axis linear", volume.Caption, StringComparison.Ordinal);
    }

    [Fact]
    public void DegeneratePlans_NoThrow()
    {
        // No classes: nothing to draw.
        var empty = Plan([], 1_000_000);
        Assert.Null(MonthlyCostChart.Draw(empty, _palette, _directory));
        Assert.Null(CostVolumeChart.Draw(empty, _palette, _directory));

        // A class with no option at all (nothing shown to meet it, or nothing priced): no bars, no lines.
        var alphaS = Cell(TestRun.Alpha, Mode.Streaming);
        var nothing = Plan([Class("strict", 1_000_000, 100, [], unpriced: [alphaS])], 1_000_000);
        Assert.Null(MonthlyCostChart.Draw(nothing, _palette, _directory));
        Assert.Null(CostVolumeChart.Draw(nothing, _palette, _directory));

        // One option: drawn, linear (nothing to span).
        var single = Plan([Class("one", 1_000_000, 100, [Priced(alphaS, 1_000_000)])], 1_000_000);
        Assert.Contains("$360 · choice", Labels(MonthlyCostChart.Draw(single, _palette, _directory)!));
        Assert.NotNull(CostVolumeChart.Draw(single, _palette, _directory));

        // A zero volume: no volume chart (no axis), the bars still drawn.
        var zero = Plan([Class("one", 0, 100, [Priced(alphaS, 0)])], 0);
        Assert.NotNull(MonthlyCostChart.Draw(zero, _palette, _directory));
        Assert.Null(CostVolumeChart.Draw(zero, _palette, _directory));
    }

    [Fact]
    public void UnpricedOptions_LeftOutAndSaid()
    {
        var plan = Plan([Class("mixed", 1_000_000, 100, [Priced(Cell(TestRun.Beta, Mode.NonStreaming), 1_000_000)], unpriced: [Cell(TestRun.Alpha, Mode.Streaming)])], 1_000_000);

        var chart = MonthlyCostChart.Draw(plan, _palette, _directory)!;

        Assert.Contains("not priced, so not drawn: alpha-model · streaming (mixed)", chart.Caption, StringComparison.Ordinal);
        Assert.DoesNotContain("alpha-model · streaming", Labels(chart));
    }

    [Fact]
    public void ManyOptions_CheapestKept_ChoiceAndCurrentAlways_RestSaid()
    {
        // Six classes of the four cells (paid at 1, 2, 3 and 4× list, so no two cost the same): 24 rows / 6 classes − 1 header = 3 bars each, so each leaves its dearest out
        // — but class a keeps its current setup, the dearest.
        var cells = _report.Cells.Where(c => c.Summary.Policy is null).ToList();
        var options = cells.Select((c, i) => Priced(c, 500_000, i + 1)).ToList();
        var dearest = options.MaxBy(o => o.MonthlyUsd)!;
        var classes = Enumerable.Range(0, 6).Select(i => Class(((char)('a' + i)).ToString(), 500_000, 100 / 6m, options, current: i == 0 ? dearest : null)).ToList();

        var groups = MonthlyCostChart.Groups(Plan(classes, 1_000_000));

        Assert.All(groups, g => Assert.Equal(3, g.Rows.Count));
        Assert.All(groups, g => Assert.Single(g.Rows, r => r.IsChoice));
        Assert.Contains(groups[0].Rows, r => r.IsCurrent && ReferenceEquals(r.Option, dearest));
        Assert.DoesNotContain(groups[1].Rows, r => ReferenceEquals(r.Option, dearest));
        Assert.All(groups, g => Assert.Equal(1, g.LeftOut));
    }
}
