using Bench.Core.Records;

namespace Bench.Core.Planning;

/// <summary>One cell of a plan: a model measured in one mode, under one resilience policy or none (the load engine's
/// <c>Cell</c>).</summary>
/// <param name="Model">Model id, as sent in the request's <c>model</c> field.</param>
/// <param name="Mode">Mode.</param>
/// <param name="Policy">The resilience policy's name (<see cref="Resilience.ResiliencePolicy.Name"/>), or
/// <see langword="null"/> for none.</param>
public sealed record PlanCell(string Model, Mode Mode, string? Policy = null)
{
    /// <inheritdoc />
    public override string ToString() => Policy is null ? $"{Model} · {Names.Of(Mode)}" : $"{Model} · {Names.Of(Mode)} · {Policy}";
}

/// <summary>One entry of a plan's execution order (<see cref="Plan.SynchronousOrder"/>): a cell and the replicate it
/// runs in.</summary>
/// <param name="Cell">The cell.</param>
/// <param name="Replicate">1..N in a run with <c>--repeat N</c> (N &gt; 1); <see langword="null"/> without replicates.</param>
public sealed record PlannedCell(PlanCell Cell, int? Replicate)
{
    /// <inheritdoc />
    public override string ToString() => Replicate is { } r ? $"{Cell} (replicate {r})" : Cell.ToString();
}
