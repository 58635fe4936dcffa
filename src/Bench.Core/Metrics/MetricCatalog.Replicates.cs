using Bench.Core.Statistics;

namespace Bench.Core.Metrics;

/// <summary>The figures of replicate runs (<c>bench run --repeat N</c>): the replicate number of a record and of a
/// <c>replicates.csv</c> row, and the replicate-level statistics of a cell in <c>summary.json</c>.</summary>
public static partial class MetricCatalog
{
    private const string ReplicateSource = "Student 1908 (t interval; R's t.test), via Perfolizer's StudentDistribution; Bench.Core.Statistics.SampleSummary";

    /// <summary><c>replicate</c>: the replicate a request (<c>records.csv</c>) or a row of <c>replicates.csv</c> belongs
    /// to, 1..N; empty without replicates. Written by position (the row's replicate), read from a record.</summary>
    public static MetricDefinition Replicate => _replicate ??= new MetricDefinition
    {
        Id = "replicate", DisplayName = "replicate", Format = NumberFormat.Integer,
        Definition = "the replicate the request (records.csv) or the row (replicates.csv) belongs to, 1..N, in a run with --repeat N (the plan run N times, replicate r of every cell before replicate r+1 of any); empty without replicates",
        Exports = MetricExports.RecordsCsv | MetricExports.ReplicatesCsv, Request = r => MetricValue.Count(r.Replicate),
    };

    /// <summary>The replicate-level statistics of a cell in <c>summary.json</c> (<c>/replicates/…</c>), present only in
    /// a run with replicates: <c>count</c>, then under <c>figures</c> one object per threshold-eligible figure
    /// (<see cref="MetricDefinition.ThresholdEligible"/>) with its <c>id</c> and the <see cref="SampleSummary"/> of its
    /// per-replicate values. Each is read from a <see cref="ReplicateFigureStatistics"/>
    /// (<see cref="MetricDefinition.FromReplicates"/>), built from the replicates' summaries by <c>Report/Model/ReplicateReport</c>,
    /// not from one cell.</summary>
    public static IReadOnlyList<MetricDefinition> ReplicateFigures => _replicateFigures ??=
    [
        ReplicateKey("replicates", "count", "replicates", NumberFormat.Integer, "replicates with a record of the cell (a batch-api cell runs in replicate 1 only)",
            v => MetricValue.Count(v.Replicates)),
        ReplicateKey("replicates_figure", "figures/*/id", "", NumberFormat.Exact, "the catalogue id of the figure whose replicate-level statistics follow (every threshold-eligible figure with a value in some replicate)",
            v => MetricValue.Text(v.Figure.Id)),
        ReplicateKey("replicates_n", "figures/*/n", "replicates", NumberFormat.Integer, "replicates in which the figure has a value",
            v => MetricValue.Count(v.Statistics.N)),
        ReplicateKey("replicates_mean", "figures/*/mean", "", NumberFormat.Exact, "mean of the figure over the replicates, in the figure's unit",
            v => InFigureUnit(v, v.Statistics.Mean)),
        ReplicateKey("replicates_sd", "figures/*/sd", "", NumberFormat.Exact, "sample standard deviation (n − 1) of the figure over the replicates; absent for one replicate",
            v => InFigureUnit(v, v.Statistics.Sd)),
        ReplicateKey("replicates_min", "figures/*/min", "", NumberFormat.Exact, "smallest replicate value", v => InFigureUnit(v, v.Statistics.Min)),
        ReplicateKey("replicates_median", "figures/*/median", "", NumberFormat.Exact, "median replicate value (the mean of the middle two for an even count)",
            v => InFigureUnit(v, v.Statistics.Median)),
        ReplicateKey("replicates_max", "figures/*/max", "", NumberFormat.Exact, "largest replicate value", v => InFigureUnit(v, v.Statistics.Max)),
        ReplicateKey("replicates_mean_ci_low", "figures/*/mean_ci_low", "", NumberFormat.Exact, "lower bound of the 95 % confidence interval of the mean: mean − t(0.975; n − 1) · sd / √n; absent for one replicate",
            v => InFigureUnit(v, v.Statistics.MeanCiLow)),
        ReplicateKey("replicates_mean_ci_high", "figures/*/mean_ci_high", "", NumberFormat.Exact, "upper bound of the 95 % confidence interval of the mean: mean + t(0.975; n − 1) · sd / √n; absent for one replicate",
            v => InFigureUnit(v, v.Statistics.MeanCiHigh)),
        ReplicateKey("replicates_cv", "figures/*/cv", "ratio", NumberFormat.Ratio, "coefficient of variation, sd ÷ |mean|: the replicates' spread relative to their level; absent for one replicate or a mean of 0",
            v => MetricValue.Number(v.Statistics.Cv)),
    ];

    /// <summary>A statistic in its figure's unit, rounded as the figure with at least 4 decimals (a mean of counts keeps
    /// its fraction); missing when null.</summary>
    private static MetricValue InFigureUnit(ReplicateFigureStatistics v, double? value) =>
        MetricValue.Number(value is { } x && v.Figure.Format.Decimals is { } d ? new NumberFormat(Math.Max(d, 4)).Round(x) : value);

    private static MetricDefinition? _replicate;
    private static IReadOnlyList<MetricDefinition>? _replicateFigures;

    private static MetricDefinition ReplicateKey(string id, string path, string unit, NumberFormat format, string definition,
        Func<ReplicateFigureStatistics, MetricValue> read) => new()
    {
        Id = id, DisplayName = id.Replace('_', ' '), Unit = unit, Format = format, Definition = definition, Source = ReplicateSource,
        Exports = MetricExports.SummaryJson, JsonPaths = [$"/replicates/{path}"], FromReplicates = read,
    };
}
