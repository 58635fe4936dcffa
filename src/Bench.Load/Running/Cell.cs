using Bench.Core.Records;

namespace Bench.Load.Running;

/// <summary>One cell of a run: a model measured in one mode on one target, under one resilience policy or none, in one
/// replicate or in a run without replicates.</summary>
/// <param name="Model">Model id.</param>
/// <param name="Mode">Mode.</param>
/// <param name="Policy">The resilience policy's name, or <see langword="null"/> for none.</param>
/// <param name="Replicate">1..N in a run with <c>--repeat N</c> (every record of the cell carries it); null without
/// replicates. Each replicate of a cell is its own cell to the runner: its own seed, its own policy state.</param>
/// <param name="Target">The target's name, stamped on every record of the cell (<see cref="RequestRecord.Target"/>) and
/// used to route its requests (<see cref="TargetRouter"/>); null for a runner without targets.</param>
public sealed record Cell(string Model, Mode Mode, string? Policy = null, int? Replicate = null, string? Target = null)
{
    /// <summary><c>target · model · mode[ · policy]</c> (without the target when it is null).</summary>
    public override string ToString() => Core.Planning.PlanCell.Text(Target, Model, Mode, Policy);
}

/// <summary>What the scheduler hands to the executor for each request.</summary>
/// <param name="Cell">Model and mode.</param>
/// <param name="Id">Sequence number within the run.</param>
/// <param name="Phase"><c>measure</c> or <c>warmup</c>.</param>
/// <param name="IntendedMs">Open workloads: when the schedule meant to send it (ms on the run clock); null for closed.</param>
/// <param name="Draw">What to send, when the workload decides it (a trace line's lengths, a session's turn with its
/// history); null: the executor's prompt source draws it from the id.</param>
/// <param name="SessionId">The conversation the request belongs to, or null.</param>
/// <param name="Turn">Its turn in <paramref name="SessionId"/>, from 1, or null.</param>
/// <param name="SessionTurns">A multi-turn session's drawn turns (its answers are captured to be sent back), or null.</param>
public readonly record struct RequestTicket(Cell Cell, long Id, string Phase, double? IntendedMs,
    Core.Prompts.PromptDraw? Draw = null, string? SessionId = null, int? Turn = null, int? SessionTurns = null);

/// <summary>
/// Sends one request and reports what happened. Implementations classify every failure into the record's outcome and
/// throw only <see cref="OperationCanceledException"/> when the run is cancelled.
/// </summary>
public interface IRequestExecutor
{
    /// <summary>Sends the request described by <paramref name="ticket"/> and returns its record.</summary>
    Task<RequestRecord> ExecuteAsync(RequestTicket ticket, CancellationToken cancellationToken);
}

/// <summary>Receives progress from the runner. Called concurrently from request completions: keep it cheap.</summary>
public interface ILoadObserver
{
    /// <summary>A cell is about to start.</summary>
    void CellStarted(Cell cell);

    /// <summary>A record was sunk: a request completed (any outcome), an open arrival was dropped
    /// (<see cref="Outcome.Dropped"/>) or a request was cut short by cancellation (<see cref="Outcome.Cancelled"/>).</summary>
    void RequestCompleted(Cell cell, RequestRecord record);

    /// <summary>A cell finished.</summary>
    void CellFinished(Cell cell);
}

/// <summary>What the runner can say about its own load at any moment (read by the client-saturation sampler).</summary>
public interface ILoadGauge
{
    /// <summary>Requests handed to the executor and not yet ended, across the run.</summary>
    int InFlight { get; }

    /// <summary>Open arrivals not sent so far (<see cref="Outcome.Dropped"/> records), across the run.</summary>
    long Dropped { get; }
}
