using Bench.Core.Records;
using Bench.Core.Scenarios;

namespace Bench.Core.Metrics;

/// <summary>
/// Summarises sweep probes: one <see cref="CellAggregator"/> per target × model × mode × policy × offered rate, judged against the
/// sweep's SLO set, and the highest rate that met it — the same judgement the sweep made while running.
/// </summary>
public sealed class SweepAggregator
{
    private readonly Dictionary<(CellKey Cell, double Rate), CellAggregator> _probes = [];
    private readonly IReadOnlyList<SloSet> _slos;

    /// <summary>Creates an aggregator judging probes against <paramref name="slos"/>.</summary>
    public SweepAggregator(IReadOnlyList<SloSet> slos) => _slos = slos;

    /// <summary>Adds a record; ignores everything but sweep probes.</summary>
    public void Add(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Phase != Phases.Sweep || record.ProbeRatePerS is not { } rate)
        {
            return;
        }

        var key = (CellKey.Of(record), rate);
        if (!_probes.TryGetValue(key, out var probe))
        {
            probe = new CellAggregator(record.Model, record.Mode, _slos, Phases.Sweep, record.Policy, record.Target);
            _probes.Add(key, probe);
        }

        probe.Add(record);
    }

    /// <summary>True when any probe was seen.</summary>
    public bool HasProbes => _probes.Count > 0;

    /// <summary>Each cell's curve: probes by rising rate, and the highest sustainable rate for the SLO set named
    /// <paramref name="slo"/> (the first set when null).</summary>
    public IReadOnlyList<SweepCurve> Curves(string? slo)
    {
        var name = slo ?? _slos.FirstOrDefault()?.Name;
        return [.. _probes
            .GroupBy(p => p.Key.Cell)
            .Select(g =>
            {
                var points = g.OrderBy(p => p.Key.Rate).Select(p => new SweepPoint(p.Key.Rate, p.Value.Summarize())).ToList();
                return new SweepCurve(g.Key.Model, g.Key.Mode, name, points, SweepCurve.Sustainable(points, name), g.Key.Policy) { Target = g.Key.Target };
            })];
    }
}

/// <summary>One probe of a sweep: the offered rate and what was measured at it.</summary>
/// <param name="RatePerS">Offered request rate, requests/s.</param>
/// <param name="Summary">The probe's statistics and SLO results.</param>
public sealed record SweepPoint(double RatePerS, CellSummary Summary)
{
    /// <summary>Whether the probe met the named SLO set.</summary>
    public bool Met(string? slo) => Summary.Slos.FirstOrDefault(s => s.Name == slo)?.Met ?? false;
}

/// <summary>A cell's sweep: rate → latency percentiles and goodput, and the highest rate meeting the SLO set.</summary>
/// <param name="Model">Model id.</param>
/// <param name="Mode">Mode.</param>
/// <param name="Slo">The SLO set judged.</param>
/// <param name="Points">Probes by rising rate.</param>
/// <param name="SustainableRatePerS">Highest offered rate that met the SLOs below every rate that failed; null when none met.</param>
/// <param name="Policy">The resilience policy's name, or null for none.</param>
public sealed record SweepCurve(string Model, Mode Mode, string? Slo, IReadOnlyList<SweepPoint> Points, double? SustainableRatePerS, string? Policy = null)
{
    /// <summary>The target's name, or null for records without one.</summary>
    public string? Target { get; init; }

    /// <summary>The highest met rate that lies below the lowest failed rate (so a lucky probe above a failure does not count).</summary>
    public static double? Sustainable(IReadOnlyList<SweepPoint> points, string? slo)
    {
        ArgumentNullException.ThrowIfNull(points);
        var lowestFailed = points.Where(p => !p.Met(slo)).Select(p => p.RatePerS).DefaultIfEmpty(double.PositiveInfinity).Min();
        var met = points.Where(p => p.Met(slo) && p.RatePerS < lowestFailed).Select(p => p.RatePerS).ToList();
        return met.Count == 0 ? null : met.Max();
    }
}
