using System.Globalization;
using Bench.Core.Batches;
using Bench.Core.Metrics;
using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Results;

namespace Bench.Harness.Running;

/// <summary>
/// What <c>records.jsonl</c> says about each cell of a plan, read in one pass with bounded memory: measured attempts,
/// successes, the dominant failure with its most common message, and how many records each cell has. It decides exit
/// code 1 (a cell with no successful request) and writes the one line per failing cell printed on standard error,
/// e.g. <c>gpt-4.1 streaming: 0/20 succeeded — 20 client_error 401 invalid_api_key: Incorrect API key provided:
/// sk-***</c>, and it finds the cells an interrupted run left partial.
/// </summary>
/// <remarks>
/// Measured means every attempt outside warm-up (sweep probes included), as the report counts requests; dropped and
/// cancelled records are not attempts (<see cref="Outcomes.IsAttempt"/>) and are only counted. Failures are grouped
/// as the report's failure table groups them (<see cref="FailureTally"/>: outcome, HTTP status, provider code, bounded
/// memory); the dominant group is the largest. Messages are as the records keep them (the client masks API keys
/// before writing a record).
/// </remarks>
public sealed class FailureSummary
{
    /// <summary>Cells outside the plan told apart (a file naming endless cells adds none past it).</summary>
    public const int MaxExtraCells = 32;

    private FailureSummary(IReadOnlyList<CellFailures> cells) => Cells = cells;

    /// <summary>One entry per plan cell, in plan order; then any cell found in the records but not in the plan.</summary>
    public IReadOnlyList<CellFailures> Cells { get; }

    /// <summary>The cells with no successful measured request, in plan order; a batch-api cell whose batch was
    /// deliberately left running (<see cref="CellFailures.LeftRunning"/>) is not one.</summary>
    public IEnumerable<CellFailures> Failing => Cells.Where(c => c.Successes == 0 && !c.LeftRunning);

    /// <summary>The batch-api cells whose batch was left running (timeout with <c>leave</c>, or an interrupt).</summary>
    public IEnumerable<CellFailures> LeftRunning => Cells.Where(c => c.LeftRunning);

    /// <summary>Gives each batch-api cell its batch (the last record of its model in <c>batches.jsonl</c>), whose
    /// failure (not submitted, failed validation, polls refused) names the cause of the cell's line.</summary>
    public void AddBatches(IEnumerable<BatchRecord> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        foreach (var batch in batches)
        {
            if (Cells.FirstOrDefault(c => c.Mode == Mode.BatchApi && c.Model == batch.Model) is { } cell)
            {
                cell.Batch = batch;
            }
        }
    }

    /// <summary>Reads <paramref name="recordsPath"/> once (a missing file reads as no records; unreadable lines are
    /// skipped, as <see cref="RecordsReader"/> does).</summary>
    /// <param name="recordsPath">A <c>records.jsonl</c>.</param>
    /// <param name="cells">The plan's cells, in plan order (each with its target, so a model measured through two
    /// targets gives two lines).</param>
    public static FailureSummary Read(string recordsPath, IReadOnlyList<PlanCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return Read(recordsPath, [.. cells.Select(c => new CellKey(c.Target, c.Model, c.Mode, c.Policy))]);
    }

    /// <summary>Reads <paramref name="recordsPath"/> once (a missing file reads as no records; unreadable lines are
    /// skipped, as <see cref="RecordsReader"/> does).</summary>
    /// <param name="recordsPath">A <c>records.jsonl</c>.</param>
    /// <param name="cells">The plan's cells (target × model × mode × policy), in plan order. A record matches its own
    /// cell, else the plan's target-less cell of its model × mode × policy (a plan or records from before targets).</param>
    public static FailureSummary Read(string recordsPath, IReadOnlyList<CellKey> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var byCell = new Dictionary<CellKey, CellFailures>();
        var ordered = new List<CellFailures>();
        foreach (var cell in cells)
        {
            if (!byCell.ContainsKey(cell))
            {
                var entry = new CellFailures(cell.Model, cell.Mode, cell.Policy, cell.Target);
                byCell.Add(cell, entry);
                ordered.Add(entry);
            }
        }

        if (File.Exists(recordsPath))
        {
            RecordsReader.Read(recordsPath, record =>
            {
                var key = CellKey.Of(record);
                if (!byCell.TryGetValue(key, out var entry) && !byCell.TryGetValue(key.WithoutTarget, out entry))
                {
                    // Bounded: a file naming endless cells that are not in the plan adds none past the groups' cap.
                    if (byCell.Count >= cells.Count + MaxExtraCells)
                    {
                        return;
                    }

                    entry = new CellFailures(record.Model, record.Mode, record.Policy, record.Target);
                    byCell.Add(key, entry);
                    ordered.Add(entry);
                }

                entry.Add(record);
            });
        }

        return new FailureSummary(ordered);
    }

    /// <summary>The cells a stopped run left partial, in plan order, as <c>model mode</c>: the cell in progress at the
    /// stop (the last plan cell with a record, as cells run one after another) unless it had reached
    /// <paramref name="expectedRequestsPerCell"/> attempts, and every cell after it. Empty when the last cell had
    /// finished.</summary>
    /// <param name="expectedRequestsPerCell"><see cref="Plan.ExpectedRequestsPerCell"/>: a cell with that many attempts
    /// (warm-up included) had finished; <see langword="null"/> for a workload bound by time.</param>
    /// <param name="planCells">How many of <see cref="Cells"/> are the plan's (the first ones).</param>
    public List<string> PartialCells(int? expectedRequestsPerCell, int planCells)
    {
        var plan = Cells.Take(planCells).ToList();
        var current = plan.FindLastIndex(c => c.Records > 0);
        if (current >= 0 && expectedRequestsPerCell is { } expected && plan[current].AllAttempts >= expected)
        {
            current++;
        }

        return [.. plan.Skip(Math.Max(current, 0)).Select(c => c.Name)];
    }

    /// <summary>A record's failure as one phrase: <c>401 invalid_api_key: Incorrect API key provided: sk-***</c>
    /// (status, provider code or type, message), or the outcome's name with the message when there was no
    /// response (<c>connection_error: Connection refused (127.0.0.1:9)</c>).</summary>
    public static string Describe(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var head = record.HttpStatus is { } status ? status.ToString(CultureInfo.InvariantCulture) : Names.Of(record.Outcome);
        var code = FailureTally.CodeOf(record);
        return head + (code is null ? "" : " " + code)
            + (record.Error?.Message is { Length: > 0 } message ? ": " + FailureTally.Clean(message) : "");
    }
}

/// <summary>One cell's attempts and failures (see <see cref="FailureSummary"/>).</summary>
public sealed class CellFailures
{
    private readonly FailureTally _failures = new();

    internal CellFailures(string model, Mode mode, string? policy = null, string? target = null)
    {
        Target = target;
        Model = model;
        Mode = mode;
        Policy = policy;
    }

    /// <summary>The model.</summary>
    public string Model { get; }

    /// <summary>The mode.</summary>
    public Mode Mode { get; }

    /// <summary>The resilience policy's name, or null for none.</summary>
    public string? Policy { get; }

    /// <summary>The cell as the report names it: <c>gpt-4.1 streaming</c>, and its policy when it has one
    /// (<c>gpt-4.1 streaming retries-3</c>), after its target when it has one (<c>relay gpt-4.1 streaming</c>).</summary>
    public string Name => (Target is { Length: > 0 } target ? target + " " : "") + (Policy is null ? $"{Model} {Names.Of(Mode)}" : $"{Model} {Names.Of(Mode)} {Policy}");

    /// <summary>The target's name, or null for a plan or records without targets.</summary>
    public string? Target { get; }

    /// <summary>A batch-api cell's batch (its last record in batches.jsonl), or null.</summary>
    public BatchRecord? Batch { get; internal set; }

    /// <summary>True for a batch-api cell whose batch was left running, uncollected: not a failure (resume it).</summary>
    public bool LeftRunning => Batch is { Ending: BatchEndings.TimedOutLeft or BatchEndings.Interrupted } && Records == 0;

    /// <summary>The line printed for a batch left running: where it is and how to pick it up.</summary>
    public string LeftRunningLine(string directory) =>
        $"{Name}: batch {Batch?.BatchId} left running ({Batch?.Ending}, last seen {Batch?.Status}) — not a failure; collect it with: bench run --resume {directory}";

    /// <summary>Records of the cell, of any phase and outcome.</summary>
    public long Records { get; private set; }

    /// <summary>Attempts of any phase (warm-up included).</summary>
    public long AllAttempts { get; private set; }

    /// <summary>Measured attempts (outside warm-up).</summary>
    public long Attempts { get; private set; }

    /// <summary>Successful measured attempts.</summary>
    public long Successes { get; private set; }

    /// <summary>Records that were not attempts (dropped, cancelled), any phase.</summary>
    public long NotAttempted { get; private set; }

    /// <summary>The line printed on standard error for a cell without a successful request:
    /// <c>gpt-4.1 streaming: 0/20 succeeded — 20 client_error 401 invalid_api_key: Incorrect API key provided:
    /// sk-***</c> (the largest failure group and its most common message); further failures are counted after it
    /// (<c>(+3 other failures)</c>).</summary>
    public string Line()
    {
        var line = $"{Name}: {Successes.ToString(CultureInfo.InvariantCulture)}/{Attempts.ToString(CultureInfo.InvariantCulture)} succeeded";
        if (Batch is { } batch && (batch.Ending is BatchEndings.NotSubmitted or BatchEndings.PollFailed || batch.Status == BatchStatuses.Failed))
        {
            // The batch's own failure says more than its lines' (which, when there are any, all share it).
            return $"{Name}: {Successes.ToString(CultureInfo.InvariantCulture)}/{Math.Max(Attempts, batch.Lines).ToString(CultureInfo.InvariantCulture)} succeeded — {batch.Message ?? batch.Status}";
        }

        if (_failures.Groups() is [var dominant, ..])
        {
            line += $" — {dominant.Count.ToString(CultureInfo.InvariantCulture)} {Names.Of(dominant.Outcome)}";
            line += dominant.HttpStatus is { } status ? " " + status.ToString(CultureInfo.InvariantCulture) : "";
            line += dominant.Code is { } code ? " " + code : "";
            line += dominant.TopMessages is [var message, ..] && message.Message != FailureTally.NoMessage ? ": " + message.Message : "";
            var others = _failures.Failures - dominant.Count;
            line += others > 0 ? $" (+{others.ToString(CultureInfo.InvariantCulture)} other failures)" : "";
        }
        else if (Attempts == 0)
        {
            line += NotAttempted > 0
                ? $" — no request was attempted ({NotAttempted.ToString(CultureInfo.InvariantCulture)} dropped or cancelled)"
                : " — no measured request completed";
        }

        return line;
    }

    internal void Add(RequestRecord record)
    {
        Records++;
        if (!record.Outcome.IsAttempt())
        {
            NotAttempted++;
            return;
        }

        AllAttempts++;
        if (record.Phase == Phases.Warmup)
        {
            return;
        }

        Attempts++;
        if (record.Outcome == Outcome.Success)
        {
            Successes++;
        }

        _failures.Add(record);
    }
}
