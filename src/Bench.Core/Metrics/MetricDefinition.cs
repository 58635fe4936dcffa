using System.Text.Json;
using Bench.Core.Records;

namespace Bench.Core.Metrics;

/// <summary>Which files write a figure.</summary>
[Flags]
public enum MetricExports
{
    /// <summary>None (a catalogue test fails for such an entry).</summary>
    None = 0,

    /// <summary>A column of <c>summary.csv</c> (one row per cell).</summary>
    SummaryCsv = 1,

    /// <summary>A key of each cell in <c>summary.json</c> (at <see cref="MetricDefinition.JsonPaths"/>).</summary>
    SummaryJson = 2,

    /// <summary>A column of <c>records.csv</c> (one row per request).</summary>
    RecordsCsv = 4,

    /// <summary>A column of <c>replicates.csv</c> (one row per replicate × cell, <c>bench run --repeat N</c>) beyond the
    /// <c>summary.csv</c> columns it repeats.</summary>
    ReplicatesCsv = 8,
}

/// <summary>
/// How a cell figure combines when cells are merged (shards of one run, replicates): crank's <c>Reduce</c>, declared
/// once per figure. Percentiles are recomputed from the merged histograms, never taken as the max of each part's p99.
/// </summary>
public enum MetricReduce
{
    /// <summary>Not reduced: a per-request figure, or a label every part must share (model, mode, price source).</summary>
    None,

    /// <summary>Add the parts (counts, billed tokens, cost).</summary>
    Sum,

    /// <summary>The smallest of the parts.</summary>
    Min,

    /// <summary>The largest of the parts.</summary>
    Max,

    /// <summary>Read again from the merged histograms (HdrHistogram logs add).</summary>
    Histogram,

    /// <summary>Computed again from the merged totals (ratios, rates, means, SLO verdicts).</summary>
    Recompute,
}

/// <summary>Whether a figure describes a whole cell (model × mode) or one request.</summary>
public enum MetricLevel
{
    /// <summary>Read from a <see cref="CellResult"/>.</summary>
    Cell,

    /// <summary>Read from a <see cref="RequestRecord"/>.</summary>
    Request,
}

/// <summary>
/// One figure Bench reports, declared once in <see cref="MetricCatalog"/> (after BenchmarkDotNet's
/// <c>IMetricDescriptor</c> and crank's <c>MeasurementMetadata</c>): its id in files, how it is shown, rounded and
/// compared, where its definition comes from, how it is read, which files write it, and whether an SLO or threshold
/// may name it.
/// </summary>
public sealed class MetricDefinition
{
    /// <summary>Id in files and column headers, snake_case with the unit (<c>ttft_ms_p99</c>, <c>cost_usd</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Short name for tables (<c>TTFT p99</c>).</summary>
    public required string DisplayName { get; init; }

    /// <summary>Unit (<c>ms</c>, <c>req/s</c>, <c>USD</c>, <c>tokens</c>; empty for labels).</summary>
    public string Unit { get; init; } = "";

    /// <summary>How the value is rounded, in every file alike.</summary>
    public NumberFormat Format { get; init; } = NumberFormat.Exact;

    /// <summary>Which direction is better (none for counts and labels).</summary>
    public MetricDirection Direction { get; init; }

    /// <summary>One-line definition.</summary>
    public required string Definition { get; init; }

    /// <summary>Where the definition comes from (<c>ARCHITECTURE.md</c>, <c>vLLM benchmark_serving</c>).</summary>
    public string Source { get; init; } = "ARCHITECTURE.md";

    /// <summary>Cell or request.</summary>
    public MetricLevel Level => Cell is null ? MetricLevel.Request : MetricLevel.Cell;

    /// <summary>How the figure combines across merged cells; by default <see cref="MetricReduce.None"/> for
    /// per-request figures and labels, <see cref="MetricReduce.Recompute"/> for other cell figures.</summary>
    public MetricReduce Reduce
    {
        get => _reduce ?? (Cell is null || Direction == MetricDirection.None && Unit.Length == 0 ? MetricReduce.None : MetricReduce.Recompute);
        init => _reduce = value;
    }

    private readonly MetricReduce? _reduce;

    /// <summary>The distribution this figure is a statistic or a per-request value of, or null.</summary>
    public MetricDescriptor? Distribution { get; init; }

    /// <summary>Which statistic of <see cref="Distribution"/> this figure is (<c>ttft_ms_p95</c>: <see cref="Metrics.Statistic.P95"/>),
    /// or null when it is not one of the per-distribution statistic columns.</summary>
    public Statistic? Statistic { get; init; }

    /// <summary>The share of a sample on the far side of this statistic: 0.10 for p90, 0.05 for p95, 0.01 for p99,
    /// 0.001 for p99.9, 0 for the minimum and the maximum (a single extreme value); null for the mean, the median and
    /// figures that are not order statistics. A statistic of n samples rests on n × this share of them.</summary>
    public double? TailShare => Statistic switch
    {
        Metrics.Statistic.P90 => 0.10,
        Metrics.Statistic.P95 => 0.05,
        Metrics.Statistic.P99 => 0.01,
        Metrics.Statistic.P999 => 0.001,
        Metrics.Statistic.Min or Metrics.Statistic.Max => 0,
        _ => null,
    };

    /// <summary>True for a bound of a confidence interval of another figure (<c>success_rate_ci_low</c>): a property of
    /// the sample, which thresholds may name (gate on what the sample shows) but which replicate statistics and
    /// <c>bench compare</c> leave out — they judge the figure itself.</summary>
    public bool IsIntervalBound { get; init; }

    /// <summary>Files that write it.</summary>
    public required MetricExports Exports { get; init; }

    /// <summary>Where each cell of <c>summary.json</c> holds it, as JSON-pointer-like paths relative to the cell
    /// (<c>/latency/ttft_ms/p99.9</c>; <c>*</c> for any array element: <c>/slos/*/met</c>). Empty when not in
    /// <c>summary.json</c>.</summary>
    public IReadOnlyList<string> JsonPaths { get; init; } = [];

    /// <summary>The property name in <c>summary.json</c> (the last segment of the first <see cref="JsonPaths"/>).</summary>
    public string JsonName => JsonPaths.Count == 0 ? Id : JsonPaths[0][(JsonPaths[0].LastIndexOf('/') + 1)..];

    /// <summary>Written only when the scenario has SLO sets (<c>goodput_rps</c> in <c>summary.csv</c>).</summary>
    public bool OnlyWithSlos { get; init; }

    /// <summary>Whether an SLO set's <c>max_ms</c> may name it: the per-request value of an SLO-eligible
    /// distribution (<see cref="MetricDescriptor.SloEligible"/>), judged with <see cref="Metric.SloValue"/>.</summary>
    public bool SloEligible => Level == MetricLevel.Request && Distribution is { SloEligible: true };

    /// <summary>Whether a threshold or comparison may name it: a cell-level figure with a better direction.</summary>
    public bool ThresholdEligible => Level == MetricLevel.Cell && Direction != MetricDirection.None;

    /// <summary>Reads the figure from a cell, or null for a request-level figure.</summary>
    public Func<CellResult, MetricValue>? Cell { get; init; }

    /// <summary>Reads the figure from one catalogue figure's replicate-level statistics (a key of <c>summary.json</c>'s
    /// <c>replicates</c> block, <see cref="MetricCatalog.ReplicateFigures"/>), or null for every other figure.</summary>
    public Func<ReplicateFigureStatistics, MetricValue>? FromReplicates { get; init; }

    /// <summary>Reads the figure from a request, or null for a cell-level figure.</summary>
    public Func<RequestRecord, MetricValue>? Request { get; init; }

    /// <summary>The cell's value.</summary>
    /// <exception cref="InvalidOperationException">The figure is not read from cells.</exception>
    public MetricValue Read(CellResult cell) =>
        (Cell ?? throw new InvalidOperationException($"'{Id}' is not a cell figure."))(cell);

    /// <summary>The request's value.</summary>
    /// <exception cref="InvalidOperationException">The figure is not read from requests.</exception>
    public MetricValue Read(RequestRecord record) =>
        (Request ?? throw new InvalidOperationException($"'{Id}' is not a per-request figure."))(record);

    /// <summary>The cell's value as a number (null when missing or a label): what thresholds compare.</summary>
    public double? Value(CellResult cell) => Read(cell).AsDouble;

    /// <summary>The cell's value as written in CSV (empty when missing).</summary>
    public string Text(CellResult cell) => Read(cell).ToText(Format);

    /// <summary>The request's value as written in CSV (empty when missing).</summary>
    public string Text(RequestRecord record) => Read(record).ToText(Format);

    /// <summary>Writes the cell's value as <see cref="JsonName"/>, rounded as in CSV.</summary>
    public void WriteJson(Utf8JsonWriter json, CellResult cell) => Read(cell).WriteJson(json, JsonName, Format);

    /// <inheritdoc />
    public override string ToString() => Id;
}

/// <summary>
/// A family of figures whose id carries a name from the scenario (<c>slo_&lt;name&gt;_met</c>,
/// <c>goodput_rps_&lt;name&gt;</c>): declared once, instantiated per SLO set.
/// </summary>
public sealed class MetricTemplate
{
    private readonly Func<string, MetricDefinition> _create;

    /// <summary>Declares a template <c>prefix + name + suffix</c>.</summary>
    public MetricTemplate(string prefix, string suffix, Func<string, MetricDefinition> create)
    {
        Prefix = prefix;
        Suffix = suffix;
        _create = create;
    }

    /// <summary>Text before the name.</summary>
    public string Prefix { get; }

    /// <summary>Text after the name.</summary>
    public string Suffix { get; }

    /// <summary>The pattern as documented: <c>slo_&lt;name&gt;_met</c>.</summary>
    public string Pattern => $"{Prefix}<name>{Suffix}";

    /// <summary>The figure for one name.</summary>
    public MetricDefinition For(string name) => _create(name);

    /// <summary>When <paramref name="id"/> has this template's shape, the name in it.</summary>
    public bool TryMatch(string id, out string name)
    {
        ArgumentNullException.ThrowIfNull(id);
        name = "";
        if (id.Length <= Prefix.Length + Suffix.Length || !id.StartsWith(Prefix, StringComparison.Ordinal)
            || !id.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        name = id[Prefix.Length..^Suffix.Length];
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Pattern;
}

/// <summary>What a key of <c>summary.json</c>'s <c>replicates</c> block is read from (<see cref="MetricDefinition.FromReplicates"/>):
/// one cell's replicate count and one catalogue figure's statistics over those replicates.</summary>
/// <param name="Replicates">Replicates with a record of the cell.</param>
/// <param name="Figure">The figure described.</param>
/// <param name="Statistics">Its per-replicate values described (<see cref="Statistics.SampleSummary"/>).</param>
public sealed record ReplicateFigureStatistics(int Replicates, MetricDefinition Figure, Statistics.SampleSummary Statistics);
