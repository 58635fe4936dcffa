using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Report.Model;

namespace Bench.Report.Charts;

/// <summary>
/// The per-request data the charts need, read in one streaming pass over <c>records.jsonl</c> and bounded whatever
/// the run's length: per cell (target × model × mode × policy), seeded reservoir samples of TTFT, E2E and ITL gaps and of the timeline
/// (end time, E2E), plus exact completion counts per second. Metrics come from <see cref="RequestMetrics"/>, and
/// latency samples take the requests <see cref="CellSummary"/> takes (measure phase, successful), so a chart
/// and its table describe the same requests.
/// </summary>
internal sealed class RunSamples : Model.ITargetSamples
{
    /// <summary>Default bound on the points one chart draws.</summary>
    public const int DefaultMaxPointsPerChart = 20_000;

    /// <summary>Fewest points a cell keeps however many cells share a chart's budget.</summary>
    public const int MinPointsPerCell = 500;

    /// <summary>Seed of every reservoir (charts are reproducible).</summary>
    public const int Seed = 20_240_601;

    private readonly Dictionary<CellKey, CellSamples> _cells = [];

    /// <summary>Empty samples of <paramref name="perCell"/> points per cell (tests add records with <see cref="Add"/>).</summary>
    internal RunSamples(int perCell) => PointsPerCell = perCell;

    /// <summary>Sample size of one cell in one chart.</summary>
    public int PointsPerCell { get; }

    /// <summary>Cells in run order (those of the report first, then any seen only in sweep or failed records).</summary>
    public IReadOnlyList<CellSamples> Cells => [.. _cells.Values];

    /// <summary>The samples of a cell, or null when it has no records.</summary>
    /// <param name="model">Model id.</param>
    /// <param name="mode">Mode.</param>
    /// <param name="policy">The resilience policy's name, or null for none.</param>
    /// <param name="target">The target's name, or null for records without one.</param>
    public CellSamples? For(string model, Mode mode, string? policy, string? target = null) => _cells.GetValueOrDefault(new CellKey(target, model, mode, policy));

    /// <inheritdoc />
    public IReadOnlyList<double>? TtftMs(string target, string model, Mode mode, string? policy) => For(model, mode, policy, target)?.TtftMs.Items;

    /// <inheritdoc />
    public IReadOnlyList<double>? E2eMs(string target, string model, Mode mode, string? policy) => For(model, mode, policy, target)?.E2eMs.Items;

    /// <summary>The samples of a summarised cell, or null when it has no records.</summary>
    public CellSamples? For(CellSummary cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return For(cell.Model, cell.Mode, cell.Policy, cell.Target);
    }

    /// <summary>Streams <paramref name="recordsPath"/> once, splitting <paramref name="maxPointsPerChart"/> between
    /// the report's cells (at least <see cref="MinPointsPerCell"/> each).</summary>
    /// <exception cref="FileNotFoundException">The records file is missing.</exception>
    public static RunSamples Read(string recordsPath, RunReport report, int maxPointsPerChart = DefaultMaxPointsPerChart)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Read(recordsPath, [.. report.Cells.Select(c => c.Summary)], maxPointsPerChart);
    }

    /// <summary>Streams <paramref name="recordsPath"/> once, splitting <paramref name="maxPointsPerChart"/> between
    /// <paramref name="cells"/> (at least <see cref="MinPointsPerCell"/> each): before the report model exists, so
    /// the model can hold the tests run on these samples.</summary>
    /// <exception cref="FileNotFoundException">The records file is missing.</exception>
    public static RunSamples Read(string recordsPath, IReadOnlyList<CellSummary> cells, int maxPointsPerChart = DefaultMaxPointsPerChart)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var samples = new RunSamples(Math.Max(MinPointsPerCell, maxPointsPerChart / Math.Max(1, cells.Count)));
        foreach (var cell in cells)
        {
            samples.Cell(cell.Key);
        }

        RecordsReader.Read(recordsPath, samples.Add);
        return samples;
    }

    /// <summary>Adds one record (exposed for tests that build samples without a file).</summary>
    internal void Add(RequestRecord record)
    {
        if (record.Phase == Phases.Warmup || !Metric.HasRequestLatency(record.Mode))
        {
            // A batch line has no latency of its own and all its batch's lines end at the download: latency and
            // timeline charts leave batch cells out (their turnaround is in the cost–latency chart).
            return;
        }

        var cell = Cell(CellKey.Of(record));

        // The timeline shows every request after warm-up (sweep probes included: that is where load changes).
        cell.Timeline.Add(new TimelinePoint(record.EndMs / 1000.0, RequestMetrics.E2eMs(record), record.Outcome == Outcome.Success));
        if (record.Outcome == Outcome.Success)
        {
            cell.CountCompletion(record.EndMs / 1000.0);
        }

        // Distributions are the measure phase's successful requests, as in CellSummary.
        if (record.Phase != Phases.Measure || record.Outcome != Outcome.Success)
        {
            return;
        }

        cell.E2eMs.Add(RequestMetrics.E2eMs(record));
        if (RequestMetrics.TtftMs(record) is { } ttft)
        {
            cell.TtftMs.Add(ttft);
        }

        foreach (var gap in RequestMetrics.ItlMs(record))
        {
            cell.ItlMs.Add(gap);
        }
    }

    private CellSamples Cell(CellKey key)
    {
        if (!_cells.TryGetValue(key, out var cell))
        {
            cell = new CellSamples(key.Model, key.Mode, PointsPerCell, key.Policy, key.Target);
            _cells.Add(key, cell);
        }

        return cell;
    }
}

/// <summary>One request on the run's timeline.</summary>
/// <param name="EndS">When it ended, seconds since the run clock's origin (the run's start).</param>
/// <param name="E2eMs"><c>e2e_ms</c>.</param>
/// <param name="Success">Whether it succeeded.</param>
internal readonly record struct TimelinePoint(double EndS, double E2eMs, bool Success);

/// <summary>The bounded samples of one cell.</summary>
internal sealed class CellSamples(string model, Mode mode, int capacity, string? policy = null, string? target = null)
{
    private readonly List<int> _completionsPerSecond = [];

    /// <summary>The target's name, or null for records without one.</summary>
    public string? Target { get; } = target;

    /// <summary>The cell's identity.</summary>
    public CellKey Key => new(Target, Model, Mode, Policy);

    /// <summary>Model id.</summary>
    public string Model { get; } = model;

    /// <summary>Mode.</summary>
    public Mode Mode { get; } = mode;

    /// <summary>The resilience policy's name, or null for none.</summary>
    public string? Policy { get; } = policy;

    /// <summary><c>ttft_ms</c> of successful measured requests (streaming only).</summary>
    public Reservoir<double> TtftMs { get; } = new(capacity, RunSamples.Seed);

    /// <summary><c>e2e_ms</c> of successful measured requests.</summary>
    public Reservoir<double> E2eMs { get; } = new(capacity, RunSamples.Seed + 1);

    /// <summary><c>itl_ms</c> gaps of successful measured requests, pooled.</summary>
    public Reservoir<double> ItlMs { get; } = new(capacity, RunSamples.Seed + 2);

    /// <summary>Requests after warm-up (measure and sweep phases, every outcome): end time and E2E.</summary>
    public Reservoir<TimelinePoint> Timeline { get; } = new(capacity, RunSamples.Seed + 3);

    /// <summary>Successful completions per 1 s bucket of the run clock ([k, k + 1) s), exact.</summary>
    public IReadOnlyList<int> CompletionsPerSecond => _completionsPerSecond;

    /// <summary>Longest timeline counted, seconds (a week); later completions are ignored.</summary>
    public const int MaxSeconds = 7 * 24 * 3600;

    /// <summary>Counts a successful completion at <paramref name="endS"/> seconds.</summary>
    public void CountCompletion(double endS)
    {
        if (!(endS < MaxSeconds))
        {
            return;
        }

        var bucket = (int)Math.Floor(Math.Max(0, endS));
        while (_completionsPerSecond.Count <= bucket)
        {
            _completionsPerSecond.Add(0);
        }

        _completionsPerSecond[bucket]++;
    }
}
