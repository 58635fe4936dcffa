using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Report.Exporters;
using Bench.Report.Model;

namespace Bench.Report;

/// <summary>
/// Builds every report file of a results folder from its <c>records.jsonl</c> (and <c>run.json</c>): the one path
/// used both at the end of a run and by <c>bench report</c>, so the two cannot disagree.
/// </summary>
public static class ReportBuilder
{
    /// <summary>Aggregates the folder's records, writes <c>summary.csv</c>, <c>summary.json</c> and <c>report.md</c>,
    /// and returns the report model.</summary>
    /// <exception cref="FileNotFoundException"><c>records.jsonl</c> is missing.</exception>
    public static RunReport Write(string directory, RunInfo run, PriceCatalog prices)
    {
        var slos = run.ScenarioJson is { } json ? ScenarioSlos(json) : [];
        var aggregator = new RunAggregator(slos);
        var sweeps = new SweepAggregator(slos);
        var read = RecordsReader.Read(Path.Combine(directory, ResultsDirectory.RecordsFile), r =>
        {
            aggregator.Add(r);
            sweeps.Add(r);
        });
        var report = RunReport.Build(run, aggregator, read, prices, sweeps.Curves(SweepSlo(run)));
        HistogramLogExporter.Write(aggregator, run.StartedUtc, directory);
        SummaryCsvExporter.Write(report, directory);
        SummaryJsonExporter.Write(report, directory);
        MarkdownExporter.Write(report, directory);
        return report;
    }

    /// <summary>The SLO set the scenario's sweep step judged by (null: the first).</summary>
    private static string? SweepSlo(RunInfo run)
    {
        if (run.ScenarioJson is not { } json)
        {
            return null;
        }

        try
        {
            return ScenarioLoader.Parse(json.GetRawText(), ResultsDirectory.RunFile).Workload.FirstOrDefault(w => w.Kind == StepKind.Sweep)?.Slo;
        }
        catch (ScenarioException)
        {
            return null;
        }
    }

    /// <summary>The SLO sets of the scenario recorded in <c>run.json</c> (empty when it has none or cannot be read).</summary>
    private static IReadOnlyList<SloSet> ScenarioSlos(System.Text.Json.JsonElement scenario)
    {
        try
        {
            return ScenarioLoader.Parse(scenario.GetRawText(), ResultsDirectory.RunFile).Slos;
        }
        catch (ScenarioException)
        {
            return [];
        }
    }
}
