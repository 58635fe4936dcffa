using System.Collections.Concurrent;
using Bench.Core.Metrics;
using Bench.Core.Prompts.Datasets;
using Bench.Core.Scenarios;

namespace Bench.Core.Prompts;

/// <summary>
/// Each cell's request shape and prompt source (issue 15: "one per scenario, or per cell"): the first
/// <see cref="Scenario.CellRequests"/> entry that names a cell decides it (<see cref="Scenario.RequestFor"/>), the
/// scenario's <c>request</c> every other cell's. Every source is built, and every dataset read (once per file), when
/// this is made, before anything is sent. Thread-safe.
/// </summary>
public sealed class CellPromptSources
{
    private readonly Entry _default;
    private readonly IReadOnlyList<(CellRequestSpec Spec, Entry Entry)> _cells;
    private readonly ConcurrentDictionary<CellKey, Entry> _byCell = new();

    private CellPromptSources(Entry fallback, IReadOnlyList<(CellRequestSpec, Entry)> cells)
    {
        _default = fallback;
        _cells = cells;
    }

    /// <summary>One shape and source for every cell.</summary>
    public static CellPromptSources Single(RequestShape shape, IPromptSource source)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(source);
        return new CellPromptSources(new Entry(shape, source), []);
    }

    /// <summary>The sources of <paramref name="scenario"/> with its seed.</summary>
    /// <param name="scenario">The planned scenario.</param>
    /// <param name="scenarioDirectory">Where relative dataset paths are resolved from (the working directory when
    /// null).</param>
    /// <exception cref="Configuration.ConfigException">A dataset cannot be read or has bad entries.</exception>
    public static CellPromptSources For(Scenario scenario, string? scenarioDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var datasets = new Dictionary<(string Path, string? Format), PromptDataset>();
        PromptDataset Load(DatasetSpec spec)
        {
            var key = (PromptSources.ResolvePath(spec.Path, scenarioDirectory), spec.Format);
            if (!datasets.TryGetValue(key, out var dataset))
            {
                datasets[key] = dataset = PromptDataset.Load(key.Item1, spec.Format);
            }

            return dataset;
        }

        Entry Build(RequestShape shape) => new(shape, PromptSources.For(shape, scenario.Seed, Load));
        return new CellPromptSources(Build(scenario.Request), [.. scenario.CellRequests.Select(c => (c, Build(c.Request.ApplyTo(scenario.Request))))]);
    }

    /// <summary>The scenario's own shape and source (cells no entry names).</summary>
    public (RequestShape Shape, IPromptSource Source) Default => (_default.Shape, _default.Source);

    /// <summary>Every distinct source: the scenario's, then each entry's.</summary>
    public IReadOnlyList<IPromptSource> All => [_default.Source, .. _cells.Select(c => c.Entry.Source)];

    /// <summary>The shape and source of <paramref name="cell"/>.</summary>
    public (RequestShape Shape, IPromptSource Source) For(CellKey cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var entry = _cells.Count == 0 ? _default
            : _byCell.GetOrAdd(cell, key => _cells.FirstOrDefault(c => c.Spec.Selects(key)).Entry ?? _default);
        return (entry.Shape, entry.Source);
    }

    private sealed record Entry(RequestShape Shape, IPromptSource Source);
}
