using Bench.Core.Configuration;
using Bench.Core.Planning;
using Bench.Core.Pricing;
using Bench.Core.Results;
using Bench.Core.Thresholds;
using Bench.Report;
using Bench.Report.Terminal;

namespace Bench.Harness.Reporting;

/// <summary><c>bench report DIR</c>: rebuilds every report file of a results folder from <c>records.jsonl</c> alone
/// (a killed run, or one copied from another machine).</summary>
public static class ReportHarness
{
    /// <summary>Rebuilds the report of <paramref name="directory"/>, with <c>run.json</c>'s settings (when present)
    /// changed by <paramref name="overrides"/>, prints the summary table and judges the thresholds: the run's own
    /// (run.json's scenario) and <paramref name="thresholds"/> (<c>--threshold</c>), so a CI job can gate a folder it
    /// already has.</summary>
    /// <returns><see cref="ExitCodes.Success"/>; <see cref="ExitCodes.ThresholdsFailed"/> when a threshold failed or had
    /// no data; or <see cref="ExitCodes.BadInput"/> when the folder has no <c>records.jsonl</c>, a setting or the price
    /// file is invalid, or a <c>--threshold</c> does not parse or names a cell the run did not plan (nothing is written
    /// then).</returns>
    public static int Rebuild(string directory, ReportOverrides overrides, TextWriter output, TextWriter error, IReadOnlyList<string>? thresholds = null)
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
            ReportPrices.Validate(run.Report, run.Report.Current is null ? null : PlannedCells(run));
            catalog = ReportPrices.Catalog(run.Report);
        }
        catch (Exception e) when (e is PricingException or ConfigException)
        {
            error.WriteLine(e.Message);
            return ExitCodes.BadInput;
        }

        if (FlagThresholds(thresholds ?? [], run, out var extra) is { Count: > 0 } thresholdErrors)
        {
            error.WriteLine(new ConfigException(thresholdErrors).Message);
            return ExitCodes.BadInput;
        }

        var report = ReportBuilder.Write(dir, run, catalog, extra);
        SummaryTable.Print(report, output);
        ThresholdTable.Print(report, output);
        if (report.Records.Skipped > 0)
        {
            var read = report.Records;
            var shown = read.SkippedLines.Zip(read.SkippedReasons).Take(3).Select(l => $"line {l.First} ({l.Second})");
            output.WriteLine($"Skipped {read.Skipped} unreadable line(s) of records.jsonl (cut off mid-write or corrupt): {string.Join("; ", shown)}{(read.Skipped > 3 ? $"; lines {string.Join(", ", read.SkippedLines.Skip(3).Take(10))}{(read.Skipped > 13 ? ", …" : "")}" : "")}.");
        }

        output.WriteLine($"Rebuilt the report from {report.Records.Records:N0} records: {dir}{Path.DirectorySeparatorChar}");
        return report.ThresholdsFailed ? ExitCodes.ThresholdsFailed : ExitCodes.Success;
    }

    /// <summary>
    /// <see cref="Rebuild"/>, then, when <paramref name="pdf"/> is given (<c>--pdf</c>), <c>report.pdf</c> printed from
    /// the new <c>report.html</c> by headless Chromium (<see cref="Report.Pdf.PdfPrinter"/>), once every other file is
    /// written.
    /// </summary>
    /// <returns>What <see cref="Rebuild"/> returns, except that a PDF that could not be printed (no Chromium, Chromium
    /// failed or timed out, the folder cannot be written) turns <see cref="ExitCodes.Success"/> into
    /// <see cref="ExitCodes.BadInput"/>: the command did not do what its flags asked, and the machine, not the
    /// measurement, is at fault. A failed threshold (99) keeps its code, the message is printed all the same.
    /// <see cref="ExitCodes.Interrupted"/> when <paramref name="cancellationToken"/> fires while printing.</returns>
    public static async Task<int> RebuildAsync(string directory, ReportOverrides overrides, PdfRequest? pdf, TextWriter output, TextWriter error,
        IReadOnlyList<string>? thresholds = null, CancellationToken cancellationToken = default)
    {
        var exitCode = Rebuild(directory, overrides, output, error, thresholds);
        if (pdf is null || exitCode == ExitCodes.BadInput)
        {
            return exitCode;
        }

        try
        {
            var printed = await ReportPdf.PrintAsync(Path.GetFullPath(directory), pdf, output, error, cancellationToken).ConfigureAwait(false);
            return printed || exitCode != ExitCodes.Success ? exitCode : ExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Interrupted while printing: report.pdf not written (the other report files are).").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>The cells run.json's scenario plans (what <c>--current</c> and <c>--threshold</c> selectors are checked
    /// against), or null when the folder has no scenario this version can plan again.</summary>
    private static IReadOnlyList<Core.Metrics.CellKey>? PlannedCells(RunInfo run)
    {
        if (ReportBuilder.ScenarioOf(run) is not { } scenario)
        {
            return null;
        }

        try
        {
            // scenario_json does not carry the resilience policies; run.json keeps them beside it.
            var planned = run.Resilience is { Count: > 0 } policies ? scenario with { Resilience = [.. policies], Thresholds = [] } : scenario with { Thresholds = [] };
            return ReportPrices.KeysOf(Plan.Create(planned, PlanOverrides.None, ResultsDirectory.RunFile).Cells);
        }
        catch (ConfigException)
        {
            return null;
        }
    }

    /// <summary>Parses the <c>--threshold</c> flags; each must parse, and each of its cell selectors must name a cell
    /// the run planned (run.json's scenario; not checked for a folder without one, where a threshold that matches no
    /// measured cell fails as no data).</summary>
    private static List<ConfigError> FlagThresholds(IReadOnlyList<string> expressions, RunInfo run, out List<Threshold> thresholds)
    {
        thresholds = [];
        var errors = new List<ConfigError>();
        IReadOnlyList<PlanCell>? cells = null;
        if (expressions.Count > 0 && ReportBuilder.ScenarioOf(run) is { } scenario)
        {
            try
            {
                cells = Plan.Create(scenario with { Thresholds = [] }, PlanOverrides.None, ResultsDirectory.RunFile).Cells;
            }
            catch (ConfigException)
            {
                cells = null; // a run.json this version cannot plan again: judge against the measured cells only
            }
        }

        foreach (var text in expressions)
        {
            if (!ThresholdExpression.TryParse(text, out var expression, out var problem))
            {
                errors.Add(new ConfigError(PlanOverrides.CommandLine, "--threshold", problem));
                continue;
            }

            foreach (var selector in expression.Cells.Where(s => cells is not null && !cells.Any(s.Matches)))
            {
                errors.Add(new ConfigError(PlanOverrides.CommandLine, "--threshold",
                    $"'{text}': the cell selector '{selector}' matches no cell of the run ({string.Join(", ", cells!)})"));
            }

            thresholds.Add(new Threshold(expression, expression.Cells));
        }

        return errors;
    }
}
