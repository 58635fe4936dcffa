using Bench.Core.Records;

namespace Bench.Core.Planning;

/// <summary>One cell of a plan: a model measured in one mode on one target, under one resilience policy or none (the
/// load engine's <c>Cell</c>).</summary>
/// <param name="Model">Model id, as sent in the request's <c>model</c> field.</param>
/// <param name="Mode">Mode.</param>
/// <param name="Policy">The resilience policy's name (<see cref="Resilience.ResiliencePolicy.Name"/>), or
/// <see langword="null"/> for none.</param>
/// <param name="Target">The target's name (<see cref="Scenarios.TargetSpec.Name"/>, every plan's cells carry one); null
/// only for a cell built without a target (a result folder from before targets).</param>
public sealed record PlanCell(string Model, Mode Mode, string? Policy = null, string? Target = null)
{
    /// <summary><c>target · model · mode[ · policy]</c> (without the target when it is null).</summary>
    public override string ToString() => Text(Target, Model, Mode, Policy);

    /// <summary>A cell's text: <c>target · model · mode[ · policy]</c>, the target left out when null.</summary>
    public static string Text(string? target, string model, Mode mode, string? policy) =>
        (target is null ? "" : target + " · ") + (policy is null ? $"{model} · {Names.Of(mode)}" : $"{model} · {Names.Of(mode)} · {policy}");
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
