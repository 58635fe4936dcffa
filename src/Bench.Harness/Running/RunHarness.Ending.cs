using Bench.Core.Planning;
using Bench.Core.Results;
using Bench.Harness.Reporting;
using Bench.Report;
using Bench.Report.Terminal;

namespace Bench.Harness.Running;

/// <summary>The end of <c>bench run</c>, however it ended: run.json, the report, the summary table, the failure lines
/// and the exit code.</summary>
public static partial class RunHarness
{
    /// <summary>
    /// Writes run.json (<see cref="RunInfo.Interrupted"/> and <see cref="RunInfo.PartialCells"/> when the run stopped
    /// early, else <see cref="RunInfo.EndedUtc"/>) and every report file, prints the summary table and where the
    /// results went on <paramref name="output"/>, then on <paramref name="error"/> the refused key (when
    /// <paramref name="guard"/> stopped the run) and one line per cell without a successful request
    /// (<see cref="CellFailures.Line"/>; when interrupted, only cells that had attempts). Prints the threshold table
    /// after the summary. Returns the exit code: 130/143 when interrupted by a signal (or cancelled), else 99 when a
    /// threshold failed or had no data (or an <c>abort_on_fail</c> threshold stopped the run), else 1 for a cell without
    /// success or the refused key, else 0.
    /// </summary>
    private static async Task<RunOutcome> FinishAsync(Plan plan, RunInfo run, string directory, string? interrupted, AuthGuard guard,
        TextWriter output, TextWriter error, TimeProvider time, IReadOnlyList<string>? partialBefore = null, ReplicateTracker? replicates = null)
    {
        // Synchronous cells first (they run in that order; a stopped run's partial cells are among them), then the
        // batch-api cells, each with its batch.
        var failures = FailureSummary.Read(Path.Combine(directory, ResultsDirectory.RecordsFile), [.. plan.SynchronousCells, .. plan.BatchCells]);
        failures.AddBatches(BatchesFile.ReadAll(directory).Batches);
        run.Interrupted = interrupted;
        run.PartialCells = interrupted is null ? null : failures.PartialCells(plan.ExpectedRequestsPerCell, plan.SynchronousCells.Count);
        run.CompleteReplicates = null;
        run.InterruptedAt = null;
        if (interrupted is not null && plan.Repeat > 1)
        {
            // Every cell ran once per replicate: the cells cut short are (cell, replicate) pairs, not cells.
            replicates?.DescribeInterrupt(run);
        }

        if (partialBefore is [_, ..])
        {
            // A resumed run does not rerun a cell an earlier process cut short: it stays partial.
            run.PartialCells = [.. partialBefore.Union(run.PartialCells ?? [])];
        }

        run.EndedUtc = interrupted is null ? time.GetUtcNow() : null;
        if (interrupted is not null)
        {
            output.WriteLine(run.PartialCells is [_, ..] partial
                ? $"Interrupted ({interrupted}): reporting the records completed so far; partial cells: {string.Join(", ", partial)}."
                : $"Interrupted ({interrupted}): reporting the records completed so far.");
            if (run.CompleteReplicates is { } complete)
            {
                output.WriteLine(complete.Count == 0
                    ? $"No replicate of {plan.Repeat} completed."
                    : $"Complete replicates: {string.Join(", ", complete)} of {plan.Repeat}.");
            }
        }

        ResultsDirectory.WriteRunInfo(directory, run);
        var report = ReportBuilder.Write(directory, run, ReportPrices.Catalog(run.Report));
        SummaryTable.Print(report, output);
        ThresholdTable.Print(report, output);
        output.WriteLine();
        output.WriteLine($"Results: {Display(directory)}{Path.DirectorySeparatorChar}");

        if (guard.Refusal is { } refusal)
        {
            await error.WriteLineAsync(AuthGuard.Describe(refusal)).ConfigureAwait(false);
        }

        foreach (var left in failures.LeftRunning)
        {
            await error.WriteLineAsync(left.LeftRunningLine(Display(directory))).ConfigureAwait(false);
        }

        var failing = failures.Failing.Where(c => interrupted is null || c.Attempts > 0).ToList();
        foreach (var cell in failing)
        {
            await error.WriteLineAsync(cell.Line()).ConfigureAwait(false);
        }

        // Precedence: an interrupt (130/143) > a failed threshold (99; an abort_on_fail stop included) > a measured
        // failure (1: a cell without success, the refused key) > 0.
        var exitCode = interrupted is not null && interrupted != InterruptReasons.ApiKeyRefused && interrupted != InterruptReasons.ThresholdAbort
                ? Interrupts.ExitCodeOf(interrupted)
            : report.ThresholdsFailed || interrupted == InterruptReasons.ThresholdAbort ? ExitCodes.ThresholdsFailed
            : interrupted is not null || failing.Count > 0 ? ExitCodes.MeasuredFailure
            : ExitCodes.Success;
        return new RunOutcome(exitCode, directory);
    }
}
