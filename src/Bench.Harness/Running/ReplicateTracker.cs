using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Load.Running;

namespace Bench.Harness.Running;

/// <summary>
/// Follows a run with replicates (<c>--repeat N</c>) cell by cell, passing every call on to the observer it wraps, so
/// that an interrupted run can say in run.json which replicates are complete, which replicate and cell were running
/// (<see cref="RunInfo.CompleteReplicates"/>, <see cref="RunInfo.InterruptedAt"/>) and which cells of which replicates
/// it cut short or never started (<see cref="RunInfo.PartialCells"/>, each as <see cref="Key"/>).
/// </summary>
/// <param name="inner">The observer every call is passed to.</param>
/// <param name="plan">The plan (its <see cref="Plan.SynchronousOrder"/>).</param>
/// <param name="finishedBefore">Keys (<see cref="Key"/>) of cells a resumed run measured before it (not rerun).</param>
internal sealed class ReplicateTracker(ILoadObserver inner, Plan plan, IReadOnlySet<string>? finishedBefore = null) : ILoadObserver
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _finished = [.. finishedBefore ?? new HashSet<string>()];
    private Cell? _running;

    /// <summary>A cell's key in run.json's <c>partial_cells</c> and in resume's bookkeeping: <c>model mode [policy]</c>
    /// (<c>gpt-4.1 streaming</c>), then <c> replicate r</c> in a run with replicates.</summary>
    public static string Key(string? target, string model, Mode mode, string? policy, int? replicate) =>
        (target is null ? "" : target + " ") + (policy is null ? $"{model} {Names.Of(mode)}" : $"{model} {Names.Of(mode)} {policy}")
        + (replicate is { } r ? FormattableString.Invariant($" replicate {r}") : "");

    /// <inheritdoc />
    public void CellStarted(Cell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        lock (_gate)
        {
            _running = cell;
        }

        inner.CellStarted(cell);
    }

    /// <inheritdoc />
    public void RequestCompleted(Cell cell, RequestRecord record) => inner.RequestCompleted(cell, record);

    /// <inheritdoc />
    public void CellFinished(Cell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        lock (_gate)
        {
            _finished.Add(Key(cell.Target, cell.Model, cell.Mode, cell.Policy, cell.Replicate));
            _running = null;
        }

        inner.CellFinished(cell);
    }

    /// <summary>Writes what an interrupted run with replicates must say into <paramref name="run"/>: the complete
    /// replicates, the replicate and cell running at the stop (else the first not finished), and every cell of every
    /// replicate not finished, in plan order. Does nothing for a run without replicates.</summary>
    public void DescribeInterrupt(RunInfo run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (plan.Repeat == 1)
        {
            return;
        }

        lock (_gate)
        {
            var unfinished = plan.SynchronousOrder.Where(p => !_finished.Contains(Key(p.Cell.Target, p.Cell.Model, p.Cell.Mode, p.Cell.Policy, p.Replicate))).ToList();
            run.PartialCells = [.. unfinished.Select(p => Key(p.Cell.Target, p.Cell.Model, p.Cell.Mode, p.Cell.Policy, p.Replicate))];
            run.CompleteReplicates = [.. Enumerable.Range(1, plan.Repeat).Where(r => unfinished.All(p => p.Replicate != r))];
            var at = _running is { Replicate: { } replicate } running
                ? new ReplicatePosition { Replicate = replicate, Target = running.Target, Model = running.Model, Mode = running.Mode, Policy = running.Policy }
                : unfinished.FirstOrDefault() is { } next
                    ? new ReplicatePosition { Replicate = next.Replicate ?? 1, Target = next.Cell.Target, Model = next.Cell.Model, Mode = next.Cell.Mode, Policy = next.Cell.Policy }
                    : null;
            run.InterruptedAt = at;
        }
    }
}
