using System.CommandLine;
using Bench.Cli.Running;
using Bench.Core.Configuration;
using Bench.Core.Pricing;
using Bench.Core.Results;
using Bench.Report;

namespace Bench.Cli.Commands;

/// <summary><c>bench report DIR</c>: rebuilds every report file of a results folder from <c>records.jsonl</c> alone
/// (a killed run, or one copied from another machine).</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("dir") { Description = "A results folder holding records.jsonl (run.json is used when present)." };
        var reportOptions = new ReportOptions();
        var command = new Command("report", "Rebuild summary.csv, summary.json, records.csv, histograms, report.md, charts and report.html from records.jsonl.") { directory };
        reportOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var dir = Path.GetFullPath(parse.GetValue(directory)!);
            if (!File.Exists(Path.Combine(dir, ResultsDirectory.RecordsFile)))
            {
                Console.Error.WriteLine($"{dir}: no {ResultsDirectory.RecordsFile} here; give a results folder written by bench run.");
                return 2;
            }

            var run = ResultsDirectory.ReadRunInfo(dir) ?? new RunInfo
            {
                RunId = Path.GetFileName(dir),
                Scenario = "unknown (no run.json)",
                Target = "unknown (no run.json)",
            };
            PriceCatalog catalog;
            try
            {
                reportOptions.Apply(parse, run.Report);
                catalog = ReportOptions.Catalog(run.Report);
            }
            catch (Exception e) when (e is ArgumentException or ConfigException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }

            var report = ReportBuilder.Write(dir, run, catalog);
            SummaryTable.Print(report, Console.Out);
            if (report.Records.SkippedLines.Count > 0)
            {
                Console.WriteLine($"Skipped {report.Records.SkippedLines.Count} unreadable line(s) of records.jsonl (a run cut off mid-write): lines {string.Join(", ", report.Records.SkippedLines.Take(10))}.");
            }

            Console.WriteLine($"Rebuilt the report from {report.Records.Records:N0} records: {dir}{Path.DirectorySeparatorChar}");
            return 0;
        });
        return command;
    }
}
