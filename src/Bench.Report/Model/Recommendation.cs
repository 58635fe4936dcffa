using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Scenarios;

namespace Bench.Report.Model;

/// <summary>
/// For one SLO set: the cheapest model × mode that met it in this run, the runner-up, and why the others did not.
/// "Cheapest" is by cost per successful request (so failures' billed cost counts against a cell); cells that met the
/// SLOs but have no price cannot be ranked and are listed apart.
/// </summary>
/// <param name="Slo">The SLO set's name.</param>
/// <param name="Criteria">The set's conditions in words, e.g. "ttft_ms ≤ 500 for 95 % of requests".</param>
/// <param name="Best">The cheapest cell that met the set, or null when none did.</param>
/// <param name="RunnerUp">The next cheapest, or null.</param>
/// <param name="MetUnpriced">Cells that met the set but could not be priced.</param>
/// <param name="Failed">Cells that did not meet the set, each with the reason.</param>
/// <param name="Set">The SLO set itself.</param>
public sealed record Recommendation(
    string Slo,
    string Criteria,
    CellResult? Best,
    CellResult? RunnerUp,
    IReadOnlyList<CellResult> MetUnpriced,
    IReadOnlyList<(CellResult Cell, string Why)> Failed,
    SloSet Set)
{
    /// <summary>One recommendation per SLO set, in the order the scenario declares them.</summary>
    public static IReadOnlyList<Recommendation> For(IReadOnlyList<CellResult> cells, IReadOnlyList<SloSet> slos)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(slos);
        var list = new List<Recommendation>();
        foreach (var slo in slos)
        {
            var judged = cells
                .Select(c => (Cell: c, Result: c.Summary.Slos.FirstOrDefault(s => s.Name == slo.Name)))
                .Where(x => x.Result is not null)
                .ToList();
            var met = judged.Where(x => x.Result!.Met).Select(x => x.Cell).ToList();
            var ranked = met.Where(c => c.CostUsdPerSuccess is not null)
                .OrderBy(c => c.CostUsdPerSuccess)
                .ThenBy(c => KeyLatency(c, slo))
                .ToList();
            list.Add(new Recommendation(
                slo.Name,
                Describe(slo),
                ranked.ElementAtOrDefault(0),
                ranked.ElementAtOrDefault(1),
                [.. met.Where(c => c.CostUsdPerSuccess is null)],
                [.. judged.Where(x => !x.Result!.Met).Select(x => (x.Cell, x.Result!.Why ?? "not met"))],
                slo));
        }

        return list;
    }

    /// <summary>The SLO set's conditions in words.</summary>
    public static string Describe(SloSet slo)
    {
        ArgumentNullException.ThrowIfNull(slo);
        var parts = new List<string>();
        if (slo.MaxMs.Count > 0)
        {
            var limits = string.Join(" and ", slo.MaxMs.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} ≤ {kv.Value:0.###} ms")));
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{limits} for {slo.Percentile:0.#} % of requests"));
        }

        if (slo.MinSuccessRate is { } min)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"success rate ≥ {min * 100:0.##} %"));
        }

        return string.Join("; ", parts);
    }

    /// <summary>The latency that matters most for the set: its first threshold's metric (E2E when it has none), and
    /// the metric that stands for it in <paramref name="cell"/>'s mode (<see cref="Metric.JudgedAs"/>: a non-streaming
    /// first token is its E2E).</summary>
    public static (MetricDescriptor Named, MetricDescriptor Judged) KeyMetric(CellResult cell, SloSet slo)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(slo);
        var named = slo.MaxMs.Keys.Select(Metric.Find).FirstOrDefault(m => m is not null) ?? Metric.E2e;
        return (named, Metric.JudgedAs(named, cell.Summary.Mode));
    }

    /// <summary>The p95 of the set's key latency (<see cref="KeyMetric"/>) in the cell, for ties; +∞ without samples.</summary>
    public static double KeyLatency(CellResult cell, SloSet slo) =>
        cell.Summary.Get(KeyMetric(cell, slo).Judged)?.P95 ?? double.PositiveInfinity;
}
