using Bench.Core.Configuration;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Core.Thresholds;
using Bench.Report.Exporters;
using Bench.Report.Model;

namespace Bench.Report;

/// <summary>
/// Builds every report file of a results folder from its <c>records.jsonl</c> (and <c>run.json</c>): the one path
/// used both at the end of a run and by <c>bench report</c>, so the two cannot disagree. The flow is one way: records →
/// aggregates and chart samples → the immutable <see cref="RunReport"/> → its <see cref="Document.ReportDocument"/> →
/// exporters that only format. Records are streamed twice, so
/// memory does not grow with the run's length: once to aggregate, once for the bounded samples the charts and the
/// streaming-against-non-streaming test use (their per-cell size depends on the cells the first pass found).
/// </summary>
public static class ReportBuilder
{
    /// <summary>Aggregates the folder's records (and its batch jobs, <c>batches.jsonl</c>, when it has batch-api
    /// cells) and writes <c>summary.csv</c>, <c>summary.json</c>, <c>replicates.csv</c> (a run with replicates),
    /// <c>records.csv</c>, <c>histograms/*.hlog</c>, <c>report.md</c> (with the fault check when the folder holds
    /// <c>injections.jsonl</c> or run.json declares faults), the charts (<c>charts/*.png</c> and
    /// <c>*.svg</c>) and the self-contained <c>report.html</c>; returns the report model.</summary>
    /// <exception cref="FileNotFoundException"><c>records.jsonl</c> is missing.</exception>
    /// <param name="directory">The results folder.</param>
    /// <param name="run">Its run.json.</param>
    /// <param name="prices">The price catalogue.</param>
    /// <param name="extraThresholds">Thresholds judged besides the run's own (run.json's scenario <c>thresholds</c>,
    /// which hold the run's <c>--threshold</c> flags): <c>bench report DIR --threshold</c>.</param>
    /// <exception cref="PricingException">A projection setting (FX rate, mix) is invalid; every problem is listed.</exception>
    public static RunReport Write(string directory, RunInfo run, PriceCatalog prices, IReadOnlyList<Threshold>? extraThresholds = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var scenario = ScenarioOf(run);
        var slos = scenario?.Slos ?? [];
        var replicates = new ReplicateAggregator(slos);
        var aggregator = replicates.Combined;
        var sweeps = new SweepAggregator(slos);
        var faults = FaultCheckBuilder.Start(directory, run);
        var conversations = new ConversationsBuilder(prices);
        RecordsReadResult read;
        using (var recordsCsv = new RecordsCsvExporter(directory))
        {
            read = RecordsReader.Read(Path.Combine(directory, ResultsDirectory.RecordsFile), r =>
            {
                replicates.Add(r);
                sweeps.Add(r);
                recordsCsv.Add(r);
                faults?.Add(r);
                conversations.Add(r);
            });
        }

        var sweepSlo = scenario?.Workload.FirstOrDefault(w => w.Kind == StepKind.Sweep)?.Slo;
        var samples = Charts.RunSamples.Read(Path.Combine(directory, ResultsDirectory.RecordsFile), aggregator.Summarize());
        var (batches, batchesRead) = BatchesFile.ReadAll(directory);
        batchesRead.Records = batches.Count;
        var report = RunReport.Build(run, aggregator, read, prices, slos, sweeps.Curves(sweepSlo), ModeDifferenceTest.Results(samples), faults?.Build(), batches, batchesRead, replicates,
            [.. ThresholdsOf(scenario), .. extraThresholds ?? []], samples, conversations.Build());
        var document = Document.ReportDocumentBuilder.Build(report);
        HistogramLogExporter.Write(aggregator, run.StartedUtc, directory);
        SummaryCsvExporter.Write(report, directory);
        SummaryJsonExporter.Write(report, directory);
        ReplicatesCsvExporter.Write(report, directory);
        MarkdownExporter.Write(document, directory);
        var charts = Charts.ChartBuilder.Write(report, directory, samples);
        Html.HtmlExporter.Write(document, report, directory, charts);
        return report;
    }

    /// <summary>The thresholds of the scenario recorded in <c>run.json</c> (its <c>--threshold</c> flags included).</summary>
    public static IReadOnlyList<Threshold> ThresholdsOf(RunInfo run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return ThresholdsOf(ScenarioOf(run));
    }

    private static IReadOnlyList<Threshold> ThresholdsOf(Scenario? scenario) => [.. (scenario?.Thresholds ?? []).Select(t => t.ToThreshold())];

    /// <summary>The scenario recorded in <c>run.json</c>, or null when it has none or it cannot be read.</summary>
    public static Scenario? ScenarioOf(RunInfo run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.ScenarioJson is not { } json)
        {
            return null;
        }

        try
        {
            return ScenarioLoader.Parse(json.GetRawText(), ResultsDirectory.RunFile);
        }
        catch (ConfigException)
        {
            return null;
        }
    }
}
