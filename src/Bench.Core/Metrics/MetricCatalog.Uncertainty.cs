namespace Bench.Core.Metrics;

// The figures that say how sure a result is. The SLO evidence templates (slo_<set>_shown, _evidence,
// _good_fraction_lower95) sit beside the other SLO templates in MetricCatalog.cs because SloTemplates lists them and
// static initialisation order across partial files is unspecified; the fixed figures here are lazily built properties
// for the same reason (BuildAll reads them).
public static partial class MetricCatalog
{
    private const string CiSource = "Wilson 1927 (success rate); Student t and the delta method for a ratio, Cochran 1977 §6.3 (cost)";

    /// <summary><c>success_rate_ci_low</c>: lower bound of the two-sided 95 % Wilson interval of the success rate.</summary>
    public static MetricDefinition SuccessRateCiLow => field ??= Ci("success_rate_ci_low", "success rate 95 % low", "lower bound of the two-sided 95 % Wilson score interval of successes / attempted requests, 0..1",
        NumberFormat.Ratio, MetricDirection.HigherIsBetter, "/success_rate_ci_low", c => MetricValue.Number(c.Summary.SuccessRateCi?.Lower));

    /// <summary><c>success_rate_ci_high</c>: upper bound of the two-sided 95 % Wilson interval of the success rate.</summary>
    public static MetricDefinition SuccessRateCiHigh => field ??= Ci("success_rate_ci_high", "success rate 95 % high", "upper bound of the two-sided 95 % Wilson score interval of successes / attempted requests, 0..1",
        NumberFormat.Ratio, MetricDirection.HigherIsBetter, "/success_rate_ci_high", c => MetricValue.Number(c.Summary.SuccessRateCi?.Upper));

    /// <summary><c>cost_usd_per_1k_requests_ci_low</c>.</summary>
    public static MetricDefinition CostUsdPer1kRequestsCiLow => field ??= Ci("cost_usd_per_1k_requests_ci_low", "$ per 1k requests 95 % low",
        "lower bound of the 95 % Student t interval of the mean billed cost per attempted request × 1,000 (variance from the billed token counts' second moments and the prices)",
        NumberFormat.Usd, MetricDirection.LowerIsBetter, "/cost/cost_usd_per_1k_requests_ci_low", c => Usd(c.Cost.CostUsdPer1kRequestsCi?.Lower), "USD");

    /// <summary><c>cost_usd_per_1k_requests_ci_high</c>.</summary>
    public static MetricDefinition CostUsdPer1kRequestsCiHigh => field ??= Ci("cost_usd_per_1k_requests_ci_high", "$ per 1k requests 95 % high",
        "upper bound of the 95 % Student t interval of the mean billed cost per attempted request × 1,000",
        NumberFormat.Usd, MetricDirection.LowerIsBetter, "/cost/cost_usd_per_1k_requests_ci_high", c => Usd(c.Cost.CostUsdPer1kRequestsCi?.Upper), "USD");

    /// <summary><c>cost_usd_per_success_ci_low</c>.</summary>
    public static MetricDefinition CostUsdPerSuccessCiLow => field ??= Ci("cost_usd_per_success_ci_low", "$ per success 95 % low",
        "lower bound of the 95 % delta-method interval of billed cost / successful requests (a ratio estimator)",
        NumberFormat.Usd, MetricDirection.LowerIsBetter, "/cost/cost_usd_per_success_ci_low", c => Usd(c.Cost.CostUsdPerSuccessCi?.Lower), "USD");

    /// <summary><c>cost_usd_per_success_ci_high</c>.</summary>
    public static MetricDefinition CostUsdPerSuccessCiHigh => field ??= Ci("cost_usd_per_success_ci_high", "$ per success 95 % high",
        "upper bound of the 95 % delta-method interval of billed cost / successful requests (a ratio estimator)",
        NumberFormat.Usd, MetricDirection.LowerIsBetter, "/cost/cost_usd_per_success_ci_high", c => Usd(c.Cost.CostUsdPerSuccessCi?.Upper), "USD");

    /// <summary>The success-rate interval figures, in <c>summary.csv</c> order (after <c>success_rate</c>).</summary>
    public static IReadOnlyList<MetricDefinition> SuccessRateIntervals => [SuccessRateCiLow, SuccessRateCiHigh];

    /// <summary>The cost interval figures, in <c>summary.csv</c> order (after <c>cost_usd_per_success</c>).</summary>
    public static IReadOnlyList<MetricDefinition> CostIntervals => [CostUsdPer1kRequestsCiLow, CostUsdPer1kRequestsCiHigh, CostUsdPerSuccessCiLow, CostUsdPerSuccessCiHigh];

    /// <summary><c>&lt;latency&gt;_p50|p95|p99_ci_low|high</c> for every latency distribution: the 95 % distribution-free
    /// order-statistic interval (<see cref="Statistics.QuantileInterval"/>), in <c>summary.json</c> at
    /// <c>/latency/&lt;id&gt;/ci95/&lt;stat&gt;/low|high</c>; only the p95 of TTFT and E2E in <c>summary.csv</c>. A side the
    /// sample cannot bound (too few requests for the rank) is null. Values carry the histogram's 3 significant digits.</summary>
    public static IReadOnlyList<MetricDefinition> LatencyIntervals => field ??= [.. Metric.Latencies.SelectMany(LatencyIntervalsOf)];

    /// <summary>The interval figures of one latency distribution, in <c>summary.json</c> order.</summary>
    public static IEnumerable<MetricDefinition> LatencyIntervalsOf(MetricDescriptor metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var csv = metric == Metric.Ttft || metric == Metric.E2e;
        // The statistics whose intervals are exported (a local: static initialisation order across parts is unspecified).
        (string Name, Func<Statistics.QuantileIntervals, Statistics.Interval> Read)[] statistics =
            [("p50", q => q.P50), ("p95", q => q.P95), ("p99", q => q.P99)];
        foreach (var (name, read) in statistics)
        {
            foreach (var (side, low) in new[] { ("low", true), ("high", false) })
            {
                yield return new MetricDefinition
                {
                    Id = $"{metric.Id}_{name}_ci_{side}",
                    DisplayName = $"{metric.DisplayName} {name} 95 % {side}",
                    Unit = "ms",
                    Format = NumberFormat.Milliseconds,
                    Direction = metric.Direction,
                    IsIntervalBound = true,
                    Definition = $"{(low ? "lower" : "upper")} bound of the 95 % distribution-free interval of {metric.Id}'s {name} (order statistics at exact binomial ranks, Hahn & Meeker 1991 §5.2), read from the histogram (3 significant digits); null when the sample cannot bound that side",
                    Source = "Hahn & Meeker, Statistical Intervals (1991); Conover, Practical Nonparametric Statistics §3.2",
                    Exports = csv && name == "p95" ? MetricExports.SummaryCsv | MetricExports.SummaryJson : MetricExports.SummaryJson,
                    JsonPaths = [$"/latency/{metric.Id}/ci95/{name}/{side}"],
                    Cell = c => MetricValue.Number(c.Summary.LatencyCi.TryGetValue(metric.Id, out var q) && (low ? read(q).Lower : read(q).Upper) is var v && double.IsFinite(v) ? v : null),
                };
            }
        }
    }

    /// <summary>The word for an <see cref="SloEvidence"/> in exports and the report.</summary>
    public static string EvidenceWord(SloEvidence evidence) => evidence switch
    {
        SloEvidence.Shown => "shown",
        SloEvidence.NotMet => "not met",
        _ => "inconclusive",
    };

    private static MetricValue Usd(double? value) => MetricValue.Usd(value is { } v && double.IsFinite(v) ? (decimal)v : null);

    private static MetricDefinition Ci(string id, string display, string definition, NumberFormat format, MetricDirection direction, string jsonPath,
        Func<CellResult, MetricValue> read, string unit = "ratio") => new()
    {
        Id = id, DisplayName = display, Unit = unit, Format = format, Direction = direction, Definition = definition, Source = CiSource,
        Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson, JsonPaths = [jsonPath], Cell = read, IsIntervalBound = true,
    };
}
