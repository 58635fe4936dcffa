using Bench.Core.Configuration;
using Bench.Core.Pricing;
using Bench.Core.Results;
using Bench.Report;
using Bench.Report.Terminal;

namespace Bench.Harness.Reporting;

/// <summary><c>bench report DIR</c>: rebuilds every report file of a results folder from <c>records.jsonl</c> alone
/// (a killed run, or one copied from another machine).</summary>
public static class ReportHarness
{
    /// <summary>Rebuilds the report of <paramref name="directory"/>, with <c>run.json</c>'s settings (when present)
    /// changed by <paramref name="overrides"/>, and prints the summary table.</summary>
    /// <returns><see cref="ExitCodes.Success"/>, or <see cref="ExitCodes.BadInput"/> when the folder has no
    /// <c>records.jsonl</c> or a setting or the price file is invalid (nothing is written then).</returns>
    public static int Rebuild(string directory, ReportOverrides overrides, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var dir = Path.GetFullPath(directory);
        if (!File.Exists(Path.Combine(dir, ResultsDirectory.RecordsFile)))
        {
            error.WriteLine($"{dir}: no {ResultsDirectory.RecordsFile} here; give a results folder written by bench run.");
            return ExitCodes.BadInput;
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
            overrides.ApplyTo(run.Report);
            ReportPrices.Validate(run.Report);
            catalog = ReportPrices.Catalog(run.Report);
        }
        catch (Exception e) when (e is PricingException or ConfigException)
        {
            error.WriteLine(e.Message);
            return ExitCodes.BadInput;
        }

        var report = ReportBuilder.Write(dir, run, catalog);
        SummaryTable.Print(report, output);
        if (report.Records.Skipped > 0)
        {
            var read = report.Records;
            var shown = read.SkippedLines.Zip(read.SkippedReasons).Take(3).Select(l => $"line {l.First} ({l.Second})");
            output.WriteLine($"Skipped {read.Skipped} unreadable line(s) of records.jsonl (cut off mid-write or corrupt): {string.Join("; ", shown)}{(read.Skipped > 3 ? $"; lines {string.Join(", ", read.SkippedLines.Skip(3).Take(10))}{(read.Skipped > 13 ? ", …" : "")}" : "")}.");
        }

        output.WriteLine($"Rebuilt the report from {report.Records.Records:N0} records: {dir}{Path.DirectorySeparatorChar}");
        return ExitCodes.Success;
    }
}
