using System.CommandLine;
using Bench.Cli.Options;
using Bench.Harness.Reporting;

namespace Bench.Cli.Commands;

/// <summary><c>bench report DIR</c>: calls <see cref="ReportHarness.RebuildAsync"/>.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("dir") { Description = "A results folder holding records.jsonl (run.json is used when present)." };
        var command = new Command("report", "Rebuild summary.csv, summary.json, records.csv, histograms, report.md, charts and report.html from records.jsonl (and report.pdf with --pdf).") { directory };
        var report = new ReportFlags();
        report.AddTo(command);
        var threshold = SharedOptions.Threshold("A threshold judged on the folder's cells besides the run's own (run.json's scenario); any failing one exits 99.");
        command.Options.Add(threshold);
        var pdf = new PdfFlags();
        pdf.AddTo(command);
        command.SetAction((parse, cancellationToken) => ReportHarness.RebuildAsync(parse.GetValue(directory)!, report.Read(parse), pdf.Read(parse),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(threshold) ?? [], cancellationToken));
        return command;
    }
}
