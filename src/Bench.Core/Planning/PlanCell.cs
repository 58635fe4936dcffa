using Bench.Core.Records;

namespace Bench.Core.Planning;

/// <summary>One cell of a plan: a model measured in one mode (the load engine's <c>Cell</c>).</summary>
/// <param name="Model">Model id, as sent in the request's <c>model</c> field.</param>
/// <param name="Mode">Mode.</param>
public sealed record PlanCell(string Model, Mode Mode)
{
    /// <inheritdoc />
    public override string ToString() => $"{Model} · {Names.Of(Mode)}";
}
