using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Planning;
using Bench.Core.Records;

namespace Bench.Core.Thresholds;

/// <summary>What a threshold said about one cell.</summary>
public enum ThresholdStatus
{
    /// <summary>The cell's figure meets the limit.</summary>
    Passed,

    /// <summary>The cell's figure misses the limit.</summary>
    Failed,

    /// <summary>The metric applies to the cell but it has no value (no successful request, an unpriced model), or the
    /// threshold applies to no cell at all. Counts as a failure: a gate that cannot see is not passed.</summary>
    NoData,
}

/// <summary>One threshold judged on one cell (or, with <see cref="Cell"/> null, a threshold that applied to no cell).
/// Immutable.</summary>
/// <param name="Expression">The threshold as shown (<see cref="Threshold.ToString"/>).</param>
/// <param name="Cell">The cell judged, or <see langword="null"/> when no cell had the figure.</param>
/// <param name="MetricId">The metric the expression names (<c>ttft_ms_p95</c>).</param>
/// <param name="JudgedAs">The figure actually read: <paramref name="MetricId"/>, or what stands for it in the cell's
/// mode (<c>e2e_ms_p95</c> for a non-streaming cell's TTFT, <see cref="Metric.JudgedAs"/>).</param>
/// <param name="Value">The cell's figure as <c>summary.json</c> writes it (rounded by its format), or null.</param>
/// <param name="Operator">The comparison.</param>
/// <param name="Limit">The limit.</param>
/// <param name="Status">Passed, failed or no data.</param>
/// <param name="Reason">The comparison in words (<c>412.5 &lt; 500</c>, <c>612.5 is not &lt; 500</c>) or why there is
/// no data.</param>
/// <param name="AbortOnFail">Whether the threshold stops a run when it fails.</param>
public sealed record ThresholdResult(string Expression, CellKey? Cell, string MetricId, string JudgedAs, double? Value, ThresholdOperator Operator, double Limit,
    ThresholdStatus Status, string Reason, bool AbortOnFail = false)
{
    /// <summary>True when <see cref="Status"/> is <see cref="ThresholdStatus.Passed"/>; no data is not a pass.</summary>
    public bool Passed => Status == ThresholdStatus.Passed;
}

/// <summary>
/// Judges thresholds on cells, purely: for each threshold × each cell it selects, the cell's figure
/// (<see cref="MetricDefinition.Value"/>, rounded as <c>summary.json</c> writes it) against the limit.
/// </summary>
/// <remarks>
/// <para><b>Not applicable</b> (the cell is skipped, no row): a per-request latency statistic of a <c>batch-api</c> cell
/// (<see cref="Metric.HasRequestLatency"/>: a batch line has no latency, a batch's is <c>turnaround_s_*</c>); a
/// streaming-only distribution (<c>tpot_ms</c>, <c>itl_ms</c>, <c>decode_tps</c>) of a non-streaming cell;
/// <c>queue_ms</c> of a closed-load cell (no intended send times: no queue sample though requests were attempted); a
/// batch figure (<c>turnaround_s_*</c>, <c>batch_*</c>) of a cell that is not batch-api.</para>
/// <para><b>Judged as another figure</b>, as SLOs and the recommendation judge it: <c>ttft_ms_*</c> and
/// <c>ttfo_ms_*</c> of a non-streaming cell read <c>e2e_ms_*</c> (its first token arrives with its end,
/// <see cref="Metric.FirstTokenArrivesWithEnd"/>); <c>response_ms_*</c> of a closed-load cell reads <c>e2e_ms_*</c>
/// (no schedule to be late against, as <see cref="Metric.SloValue"/>).</para>
/// <para><b>No data</b> (a failure): the metric applies but the cell has no value (no successful request, an unpriced
/// model's cost, an SLO set the run does not have); and a threshold that applies to no cell at all gets one row with
/// no cell ("no cell has ttft_ms_p95") — a gate over nothing is not passed.</para>
/// </remarks>
public static class ThresholdEvaluator
{
    /// <summary>Judges every threshold on every cell it selects, in threshold order, then cell order.</summary>
    /// <param name="thresholds">The thresholds.</param>
    /// <param name="cells">The run's cells (a <see cref="CellResult"/> each).</param>
    /// <returns>One result per threshold × applicable selected cell; one cell-less <see cref="ThresholdStatus.NoData"/>
    /// result for a threshold that applies to no cell.</returns>
    public static IReadOnlyList<ThresholdResult> Evaluate(IReadOnlyList<Threshold> thresholds, IReadOnlyList<CellResult> cells)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(cells);
        var results = new List<ThresholdResult>();
        foreach (var threshold in thresholds)
        {
            var selected = cells.Where(c => threshold.Selects(KeyOf(c))).ToList();
            var judged = selected.Select(c => EvaluateCell(threshold, c)).OfType<ThresholdResult>().ToList();
            if (judged.Count > 0)
            {
                results.AddRange(judged);
                continue;
            }

            var metric = threshold.Expression.Metric;
            var why = selected.Count == 0
                ? cells.Count == 0 ? "no cell was measured" : $"no cell of the run matches {string.Join(", ", threshold.Cells)}"
                : $"no cell has {metric.Id} ({Applicability(metric, selected[0]).Why})";
            results.Add(new ThresholdResult(threshold.ToString(), null, metric.Id, metric.Id, null, threshold.Expression.Operator, threshold.Expression.Limit,
                ThresholdStatus.NoData, why, threshold.AbortOnFail));
        }

        return results;
    }

    /// <summary>Judges one threshold on one cell (what <c>abort_on_fail</c> does as each cell finishes).</summary>
    /// <returns>The result, or <see langword="null"/> when the threshold does not select the cell or its metric does not
    /// apply to it (see the remarks).</returns>
    public static ThresholdResult? EvaluateCell(Threshold threshold, CellResult cell)
    {
        ArgumentNullException.ThrowIfNull(threshold);
        ArgumentNullException.ThrowIfNull(cell);
        var key = KeyOf(cell);
        if (!threshold.Selects(key))
        {
            return null;
        }

        var expression = threshold.Expression;
        var (applies, read, _) = Applicability(expression.Metric, cell);
        if (!applies)
        {
            return null;
        }

        var value = Rounded(read, cell);
        var op = expression.Operator;
        var limit = expression.Limit;
        var status = value is not { } v ? ThresholdStatus.NoData : op.Holds(v, limit) ? ThresholdStatus.Passed : ThresholdStatus.Failed;
        var shown = read == expression.Metric ? "" : $" ({read.Id}: {WhyJudgedAs(expression.Metric, cell)})";
        var reason = status switch
        {
            ThresholdStatus.NoData => NoDataReason(read, cell),
            ThresholdStatus.Passed => string.Create(CultureInfo.InvariantCulture, $"{value:0.######} {op.Symbol()} {limit:0.######}{shown}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{value:0.######} is not {op.Symbol()} {limit:0.######}{shown}"),
        };
        return new ThresholdResult(threshold.ToString(), key, expression.Metric.Id, read.Id, value, op, limit, status, reason, threshold.AbortOnFail);
    }

    /// <summary>The cell a result describes: target × model × mode × policy.</summary>
    public static CellKey KeyOf(CellResult cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.Summary.Key;
    }

    /// <summary>Whether <paramref name="metric"/> applies to <paramref name="cell"/>, the figure to read when it does
    /// (itself, or what stands for it in the cell's mode), and why not when it does not (see the type's remarks).</summary>
    public static (bool Applies, MetricDefinition Read, string Why) Applicability(MetricDefinition metric, CellResult cell)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(cell);
        var s = cell.Summary;
        if (metric.Distribution is { } d)
        {
            if (!Metric.HasRequestLatency(s.Mode))
            {
                return (false, metric, $"a batch-api line has no {d.Id}; a batch's latency is turnaround_s_*");
            }

            if (Metric.FirstTokenArrivesWithEnd(d, s.Mode))
            {
                return (true, Swap(metric, d, Metric.E2e), "");
            }

            if (s.Mode != Mode.Streaming && (d == Metric.Tpot || d == Metric.Itl || d == Metric.DecodeTps))
            {
                return (false, metric, $"{d.Id} exists only for streaming");
            }

            if ((d == Metric.Queue || d == Metric.Response) && ClosedLoad(s))
            {
                return d == Metric.Queue
                    ? (false, metric, "queue_ms exists only under open load (no intended send times)")
                    : (true, Swap(metric, d, Metric.E2e), "");
            }
        }

        if (metric.JsonPaths is [var path, ..] && path.StartsWith("/batch/", StringComparison.Ordinal) && s.Mode != Mode.BatchApi)
        {
            return (false, metric, $"{metric.Id} is a batch figure; only batch-api cells have batches");
        }

        return (true, metric, "");
    }

    /// <summary>A closed-load cell: requests were attempted and none had an intended send time (an open cell has a
    /// queue sample for every attempted request).</summary>
    private static bool ClosedLoad(CellSummary s) => s.Requests > 0 && (s.Get(Metric.Queue)?.Count ?? 0) == 0;

    private static string WhyJudgedAs(MetricDefinition metric, CellResult cell) => metric.Distribution == Metric.Response
        ? "closed load: no schedule to be late against, response is E2E"
        : $"a {Names.Of(cell.Summary.Mode)} answer's first token arrives with its end";

    /// <summary>The same statistic of another distribution (<c>ttft_ms_p95</c> → <c>e2e_ms_p95</c>).</summary>
    private static MetricDefinition Swap(MetricDefinition metric, MetricDescriptor from, MetricDescriptor to) =>
        MetricCatalog.Find(to.Id + metric.Id[from.Id.Length..]);

    /// <summary>The figure as <c>summary.json</c> writes it (the entry's rounding), or null when missing.</summary>
    private static double? Rounded(MetricDefinition metric, CellResult cell)
    {
        var value = metric.Read(cell);
        return value.AsUsd is { } usd ? (double)metric.Format.Round(usd)
            : value.AsDouble is { } number ? metric.Format.Round(number)
            : null;
    }

    private static string NoDataReason(MetricDefinition metric, CellResult cell)
    {
        var s = cell.Summary;
        if (metric.Unit == "USD" && cell.Unpriced is { } unpriced)
        {
            return $"no {metric.Id}: unpriced ({unpriced})";
        }

        if (metric == MetricCatalog.GoodputRps && s.Slos.Count == 0)
        {
            return $"no {metric.Id}: the run has no SLO sets";
        }

        foreach (var template in MetricCatalog.SloTemplates)
        {
            if (template.TryMatch(metric.Id, out var name) && s.Slos.All(slo => slo.Name != name))
            {
                return $"no {metric.Id}: the run has no SLO set '{name}'";
            }
        }

        return s.Requests == 0 ? $"no {metric.Id}: no request was measured"
            : s.Successes == 0 ? $"no {metric.Id}: no successful request"
            : $"no {metric.Id} in this cell";
    }
}
