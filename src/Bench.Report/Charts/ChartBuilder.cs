using Bench.Core.Results;
using Bench.Report.Model;

namespace Bench.Report.Charts;

/// <summary>
/// Writes every chart of a results folder into its <c>charts/</c> folder, as PNG and SVG: the money charts of the budget
/// plan (monthly cost per option, cost against monthly volume; none without a plan), latency distributions
/// (box plots, CDFs, the ITL histogram), latency and throughput over time, streaming against non-streaming, sweep
/// curves, resilience policies side by side and cost against latency. A chart without data is skipped, not drawn empty. Summary figures (means,
/// percentiles) come from the report model; per-request points come from one streaming pass over
/// <c>records.jsonl</c>, sampled so that no chart draws more than about <c>maxPointsPerChart</c> points.
/// </summary>
public static class ChartBuilder
{
    /// <summary>Folder inside a results folder that holds the charts.</summary>
    public const string DirectoryName = "charts";

    /// <summary>Every chart, in report order.</summary>
    internal static IReadOnlyList<IChart> All { get; } =
    [
        new MonthlyCostChart(),
        new CostVolumeChart(),
        new LatencyBoxChart(Core.Metrics.Metric.Ttft),
        new LatencyBoxChart(Core.Metrics.Metric.E2e),
        new LatencyCdfChart(Core.Metrics.Metric.Ttft),
        new LatencyCdfChart(Core.Metrics.Metric.E2e),
        new ItlHistogramChart(),
        new LatencyOverTimeChart(),
        new ThroughputOverTimeChart(),
        new ModeComparisonChart(),
        new SweepLatencyChart(),
        new SweepGoodputChart(),
        new ResilienceChart(ResilienceChart.Figure.Success),
        new ResilienceChart(ResilienceChart.Figure.E2eP95),
        new CostLatencyChart(),
    ];

    /// <summary>Ids of every chart this version can draw (file names without extension), in report order.</summary>
    public static IReadOnlyList<string> Ids { get; } = [.. All.Select(c => c.Id)];

    /// <summary>Draws the charts of <paramref name="report"/> into <c>{directory}/charts/</c> and returns those written,
    /// in report order. Chart files of an earlier build that are not drawn again are deleted.</summary>
    /// <param name="report">The report model (summaries, prices, sweeps).</param>
    /// <param name="directory">The results folder (holds <c>records.jsonl</c>).</param>
    /// <param name="maxPointsPerChart">Bound on the per-request points one chart draws (split between cells).</param>
    /// <exception cref="FileNotFoundException"><c>records.jsonl</c> is missing.</exception>
    public static IReadOnlyList<ChartFile> Write(RunReport report, string directory, int maxPointsPerChart = RunSamples.DefaultMaxPointsPerChart)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Write(report, directory, RunSamples.Read(Path.Combine(directory, ResultsDirectory.RecordsFile), report, maxPointsPerChart));
    }

    /// <summary>Draws the charts from samples already read (see <see cref="RunSamples.Read(string, RunReport, int)"/>).</summary>
    internal static IReadOnlyList<ChartFile> Write(RunReport report, string directory, RunSamples samples)
    {
        ArgumentNullException.ThrowIfNull(report);
        var folder = Path.Combine(directory, DirectoryName);
        Directory.CreateDirectory(folder);
        foreach (var stale in Ids.SelectMany(id => new[] { id + ".png", id + ".svg" }).Select(f => Path.Combine(folder, f)))
        {
            File.Delete(stale);
        }

        // Cells first, then sweep curves, then any model seen only in the samples (a sweep record without a probe
        // rate, from a hand-edited file): every model drawn has a colour.
        var run = ModelPalette.For(report);
        var palette = new ModelPalette(run.Models.Concat(samples.Cells.Select(c => run.Name(c.Target, c.Model))), run.MultiTarget);
        var context = new ChartContext(report, samples, palette, folder);
        return [.. All.Select(chart => chart.Draw(context)).OfType<ChartFile>()];
    }
}

/// <summary>What a chart draws from.</summary>
/// <param name="Report">The report model.</param>
/// <param name="Samples">Bounded per-request samples.</param>
/// <param name="Palette">Model colours.</param>
/// <param name="Directory">The <c>charts/</c> folder to write into.</param>
internal sealed record ChartContext(RunReport Report, RunSamples Samples, ModelPalette Palette, string Directory);

/// <summary>One kind of chart.</summary>
internal interface IChart
{
    /// <summary>File name without extension, and the HTML figure id.</summary>
    string Id { get; }

    /// <summary>Draws and saves the chart, or returns null when the run has no data for it.</summary>
    ChartFile? Draw(ChartContext context);
}
