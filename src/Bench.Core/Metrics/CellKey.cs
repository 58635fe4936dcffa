using Bench.Core.Records;

namespace Bench.Core.Metrics;

/// <summary>
/// The identity of one cell: target × model × mode × resilience policy — the key every grouping of records into cells
/// uses (aggregation, charts, comparisons, failure summaries), so that one model served by two targets, or measured in
/// two modes at one target, is never merged.
/// </summary>
/// <param name="Target">The target's name (<see cref="RequestRecord.Target"/>); <see langword="null"/> for records
/// written before targets existed, which group as one unnamed target.</param>
/// <param name="Model">Model id as the catalogue names it.</param>
/// <param name="Mode">Mode.</param>
/// <param name="Policy">The resilience policy's name, or <see langword="null"/> for none.</param>
public sealed record CellKey(string? Target, string Model, Mode Mode, string? Policy)
{
    /// <summary>The cell a record belongs to.</summary>
    public static CellKey Of(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Target, record.Model, record.Mode, record.Policy);
    }

    /// <summary>The cell a summary describes.</summary>
    public static CellKey Of(CellSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new(summary.Target, summary.Model, summary.Mode, summary.Policy);
    }

    /// <summary>The same cell with its target forgotten: model × mode × policy (to pair cells of two runs whose
    /// targets are named differently, or to list a single-target run's cells without repeating the target).</summary>
    public CellKey WithoutTarget => this with { Target = null };

    /// <summary>The cell in text: <c>target · model · mode[ · policy]</c>; without a target (old records),
    /// <c>model · mode[ · policy]</c> as before targets.</summary>
    public override string ToString() => Label(Target, Model, Mode, Policy);

    /// <summary>The cell in text without its target: <c>model · mode[ · policy]</c> (a table with a target column of
    /// its own, or a chart of a one-target run whose header names the target).</summary>
    public string ModelLabel => Label(null, Model, Mode, Policy);

    /// <summary>A cell in text: <c>target · model · mode[ · policy]</c>, the target left out when
    /// <see langword="null"/> or empty.</summary>
    public static string Label(string? target, string model, Mode mode, string? policy)
    {
        var cell = policy is null ? $"{model} · {Names.Of(mode)}" : $"{model} · {Names.Of(mode)} · {policy}";
        return string.IsNullOrEmpty(target) ? cell : $"{target} · {cell}";
    }
}
