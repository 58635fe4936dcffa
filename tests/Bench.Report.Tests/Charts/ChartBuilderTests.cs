using System.Xml.Linq;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Report.Charts;

namespace Bench.Report.Tests.Charts;

public class ChartBuilderTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly string[] StreamingOnly = ["ttft-box", "ttft-cdf", "itl-histogram", "streaming-vs-non-streaming"];

    [Fact]
    public void Write_FullRun_WritesPngAndSvgOfEveryKind()
    {
        // Policies too: the resilience charts are drawn only when a cell ran under one. 60 requests a cell, so that
        // samples show the SLO set (59 failure-free requests show 95 %) and the budget plan has options: the money charts.
        using var run = TestRun.Standard(perCell: 60, sweep: true, policies: true).Save();

        var charts = ChartBuilder.Write(run.Report(), run.Directory);

        Assert.Equal(ChartBuilder.Ids, charts.Select(c => c.Id));
        foreach (var chart in charts)
        {
            Assert.Equal(Path.Combine(run.Directory, "charts", chart.Id + ".png"), chart.PngPath);
            var png = File.ReadAllBytes(chart.PngPath);
            Assert.True(png.Length > 10_000, $"{chart.Id}.png is only {png.Length} bytes");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.False(string.IsNullOrWhiteSpace(chart.Title));
            Assert.False(string.IsNullOrWhiteSpace(chart.Caption));
        }
    }

    [Fact]
    public void Write_Svg_IsSelfContained_TextAsOutlines_IdsPrefixed()
    {
        using var run = TestRun.Standard(sweep: true).Save();

        foreach (var chart in ChartBuilder.Write(run.Report(), run.Directory))
        {
            var svg = XDocument.Load(chart.SvgPath).Root!;
            Assert.Equal(Svg + "svg", svg.Name);
            Assert.Equal("0 0 960 540", (string?)svg.Attribute("viewBox"));
            Assert.Empty(svg.Descendants(Svg + "text"));
            Assert.Empty(svg.Descendants(Svg + "image"));
            Assert.Empty(svg.Descendants(Svg + "script"));
            Assert.NotEmpty(svg.Descendants(Svg + "use"));
            Assert.All(svg.Descendants().Attributes("id"), id => Assert.StartsWith(chart.Id + "-", id.Value, StringComparison.Ordinal));
            // Axis labels carry units, kept readable as the outlined text's label.
            Assert.Contains(svg.Descendants(Svg + "g").Attributes("aria-label"), a => a.Value.Contains('(') && a.Value.Contains(')'));
        }
    }

    [Fact]
    public void Write_ModelColour_IsTheSameInEveryChart()
    {
        using var run = TestRun.Standard(sweep: true).Save();
        var palette = ModelPalette.For(run.Report());
        var alpha = palette.Of(TestRun.Alpha).ToHex()[..7];
        var beta = palette.Of(TestRun.Beta).ToHex()[..7];
        var unused = ModelPalette.Colors.Skip(2).Take(4).Select(c => c.ToHex()[..7]).Append("#1F77B4" /* ScottPlot's own first colour */);

        foreach (var chart in ChartBuilder.Write(run.Report(), run.Directory))
        {
            var svg = File.ReadAllText(chart.SvgPath).ToUpperInvariant();
            Assert.Contains(alpha, svg, StringComparison.Ordinal);
            if (chart.Section != ChartSection.Sweep)
            {
                Assert.Contains(beta, svg, StringComparison.Ordinal);
            }

            Assert.All(unused, hex => Assert.DoesNotContain(hex, svg, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Write_NonStreamingLines_AreDashedInTheSvg()
    {
        using var run = TestRun.Standard().Save();

        ChartBuilder.Write(run.Report(), run.Directory);

        var svg = XDocument.Load(Path.Combine(run.Directory, "charts", "e2e-cdf.svg")).Root!;
        var dashed = svg.Descendants().Where(e => e.Attribute("stroke-dasharray") is not null).ToList();
        Assert.NotEmpty(dashed);
        // Non-streaming series (and their legend sample) carry the mode's dashes; the 50 %/95 % guides are dotted.
        var patterns = dashed.Select(e => (string)e.Attribute("stroke-dasharray")!).ToList();
        Assert.Contains(string.Join(' ', ModeStyle.NonStreaming.Line.Intervals), patterns);
        Assert.All(patterns, p => Assert.Contains(p, new[] { string.Join(' ', ModeStyle.NonStreaming.Line.Intervals), string.Join(' ', ScottPlot.LinePattern.Dotted.Intervals) }));
        Assert.All(dashed, e => Assert.Equal(0, double.Parse((string)e.Attribute("stroke-width")!, System.Globalization.CultureInfo.InvariantCulture) % 0.5));
    }

    [Fact]
    public void Write_NonStreamingOnly_SkipsStreamingCharts()
    {
        using var run = new TestRun();
        for (var i = 0; i < 5; i++)
        {
            run.Add(TestRun.Alpha, Mode.NonStreaming, i * 200, Phases.Measure, i);
        }

        run.Save();
        var charts = ChartBuilder.Write(run.Report(), run.Directory).Select(c => c.Id).ToList();

        Assert.Equal(["e2e-box", "e2e-cdf", "e2e-over-time", "throughput-over-time", "cost-vs-latency"], charts);
        Assert.All(StreamingOnly, id => Assert.False(File.Exists(Path.Combine(run.Directory, "charts", id + ".svg"))));
    }

    [Fact]
    public void Write_NoSweep_SkipsSweepCharts()
    {
        using var run = TestRun.Standard().Save();

        var charts = ChartBuilder.Write(run.Report(), run.Directory);

        Assert.DoesNotContain(charts, c => c.Section == ChartSection.Sweep);
        Assert.Contains(charts, c => c.Id == "streaming-vs-non-streaming");
    }

    [Fact]
    public void Write_NothingPriced_SkipsCostChart_PartlyPriced_NotesTheRest()
    {
        using var run = TestRun.Standard().Save();

        Assert.DoesNotContain(ChartBuilder.Write(run.Report(PriceCatalog.Create("none", [])), run.Directory), c => c.Id == "cost-vs-latency");

        var onlyAlpha = PriceCatalog.Create("alpha only", [new ModelPrice(TestRun.Alpha, 2m, null, 8m, null, null, "test")]);
        var cost = Assert.Single(ChartBuilder.Write(run.Report(onlyAlpha), run.Directory), c => c.Id == "cost-vs-latency");
        Assert.Contains($"{TestRun.Beta} · streaming", cost.Caption, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NoSuccessfulRequests_WritesNoLatencyCharts()
    {
        using var run = new TestRun();
        run.Add(TestRun.Alpha, Mode.Streaming, 0, Phases.Measure, 0, Outcome.ServerError);
        run.Save();

        var charts = ChartBuilder.Write(run.Report(), run.Directory).Select(c => c.Id).ToList();

        Assert.Equal(["e2e-over-time"], charts);
    }

    [Fact]
    public void Write_Again_DeletesChartsNoLongerDrawn()
    {
        using var run = TestRun.Standard(sweep: true).Save();
        ChartBuilder.Write(run.Report(), run.Directory);
        Assert.True(File.Exists(Path.Combine(run.Directory, "charts", "sweep-goodput.png")));

        run.Records.RemoveAll(r => r.Phase == Phases.Sweep);
        run.Save();
        ChartBuilder.Write(run.Report(), run.Directory);

        Assert.False(File.Exists(Path.Combine(run.Directory, "charts", "sweep-goodput.png")));
        Assert.False(File.Exists(Path.Combine(run.Directory, "charts", "sweep-goodput.svg")));
    }

    [Fact]
    public void Write_Cdf_NamesItsGuidesP50AndP95_OnTheRightAxis()
    {
        using var run = TestRun.Standard().Save();

        ChartBuilder.Write(run.Report(), run.Directory);

        var labels = Labels(Path.Combine(run.Directory, "charts", "e2e-cdf.svg"));
        Assert.Contains("p50", labels);
        Assert.Contains("p95", labels);
        // The right-hand axis carries only the two names (no numbers of its own beside the left axis's).
        Assert.Equal(2, labels.Count(l => l is "p50" or "p95"));
    }

    [Fact]
    public void Write_CostChart_RingsAndNamesTheParetoFront()
    {
        using var run = TestRun.Standard().Save();

        var cost = Assert.Single(ChartBuilder.Write(run.Report(), run.Directory), c => c.Id == "cost-vs-latency");

        // Beta is cheaper and faster than alpha in both modes: beta streaming alone is the front.
        var labels = Labels(cost.SvgPath);
        Assert.Contains($"{TestRun.Beta} · streaming", labels);
        Assert.DoesNotContain($"{TestRun.Alpha} · streaming", labels);
        Assert.Contains("on the front", labels);
        // The latency axis is logarithmic (seconds to hours fit) and labelled in durations.
        Assert.Contains("p95 latency (log): TTFT streaming, E2E non-streaming", labels);
        Assert.Contains("200 ms", labels);
        Assert.Contains("1 s", labels);
    }

    [Fact]
    public void Write_CostChart_WithBatch_TurnaroundOnTheLogAxis_ReadableDurations()
    {
        using var run = TestRun.Standard();
        run.AddBatch(TestRun.Alpha, lines: 12, turnaroundS: 1080, timeScale: 600);
        run.Save();
        var prices = BatchPrices();

        var cost = Assert.Single(ChartBuilder.Write(run.Report(prices), run.Directory), c => c.Id == "cost-vs-latency");

        var labels = Labels(cost.SvgPath);
        Assert.Contains("p95 latency (log): TTFT, E2E, batch turnaround (sim.)", labels); // simulated at 600×
        Assert.Contains("TTFT streaming, E2E non-streaming, turnaround batch-api", cost.Caption, StringComparison.Ordinal);
        Assert.Contains("batch-api", labels);
        // From the streaming TTFT (~0.2 s) to the 18 min turnaround: one label per decade, then minutes.
        Assert.Contains("1 s", labels);
        Assert.Contains("10 s", labels);
        Assert.Contains("1 min", labels);
        Assert.Contains("10 min", labels);
        Assert.DoesNotContain(labels, l => l.Contains("NaN", StringComparison.Ordinal) || l == "0 ms");
        Assert.Contains("simulated (600× time scale)", cost.Caption, StringComparison.Ordinal);
        // Latency distribution charts leave the batch cell out.
        var box = Labels(Path.Combine(run.Directory, "charts", "e2e-box.svg"));
        Assert.DoesNotContain(box, l => l.Contains("batch", StringComparison.Ordinal));
    }

    /// <summary>The test prices, alpha with Batch API prices (half its standard ones).</summary>
    internal static PriceCatalog BatchPrices() => PriceCatalog.Create("test prices with batch",
    [
        new ModelPrice(TestRun.Alpha, 2m, null, 8m, 1m, 4m, "test source"),
        new ModelPrice(TestRun.Beta, 0.5m, null, 1m, null, null, "test source"),
    ]);

    [Fact]
    public void Write_SweepWithTtftLimit_DrawsTheLimit_AndNamesTheMetricOfItsOnlyMode()
    {
        using var run = TestRun.Standard(sweep: true).Save();
        var slos = new[] { new SloSet { Name = TestRun.SweepSlo, MaxMs = new Dictionary<string, double> { ["ttft_ms"] = 500, ["e2e_ms"] = 900 } } };

        var chart = Assert.Single(ChartBuilder.Write(run.Report(slos: slos), run.Directory), c => c.Id == "sweep-latency");

        var labels = Labels(chart.SvgPath);
        Assert.Contains($"SLO {TestRun.SweepSlo}: TTFT ≤ 500 ms", labels);
        Assert.Contains("E2E (ms)", labels); // the swept cell is non-streaming: its first output is the whole response
        Assert.Contains($"TTFT limit of SLO set {TestRun.SweepSlo} (for non-streaming it applies to E2E)", chart.Caption, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_SweepWithoutTtftLimit_DrawsNoLimit()
    {
        using var run = TestRun.Standard(sweep: true).Save();

        var chart = Assert.Single(ChartBuilder.Write(run.Report(), run.Directory), c => c.Id == "sweep-latency");

        Assert.DoesNotContain(Labels(chart.SvgPath), l => l.StartsWith("SLO ", StringComparison.Ordinal));
        Assert.DoesNotContain("dashed line", chart.Caption, StringComparison.Ordinal);
    }

    /// <summary>The texts of an SVG chart (drawn as outlines, each kept in its group's <c>aria-label</c>).</summary>
    private static List<string> Labels(string svgPath) =>
        [.. XDocument.Load(svgPath).Descendants(Svg + "g").Attributes("aria-label").Select(a => a.Value)];

    [Fact]
    public void Quartiles_Interpolate_BetweenOrderStatistics()
    {
        Assert.Equal((2.0, 4.0), LatencyBoxChart.Quartiles([5, 1, 4, 2, 3]));
        Assert.Equal((7.0, 7.0), LatencyBoxChart.Quartiles([7]));
    }

    [Fact]
    public void CdfSteps_RiseFromZeroTo100_InSortedOrder()
    {
        var (xs, ys) = LatencyCdfChart.Steps([30, 10, 20, 40]);

        Assert.Equal([10, 10, 20, 30, 40], xs);
        Assert.Equal([0, 25, 50, 75, 100], ys);
    }

    [Fact]
    public void ItlShares_SumTo100_WithValuesBeyondTheLastBinCounted()
    {
        var values = new double[] { 0, 0.5, 1, 59.9, 60, 61, 100 };

        var (shares, beyond) = ItlHistogramChart.Shares(values, binWidth: 1);

        Assert.Equal(2, beyond);
        Assert.Equal(100.0 * 5 / 7, shares.Sum(), 6);
        Assert.Equal(100.0 * 2 / 7, shares[0], 6);
        Assert.Equal(100.0 * 2 / 7, shares[^1], 6); // 59.9 and exactly 60 (the last bin is closed)
    }
}
