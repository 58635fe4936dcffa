using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Report.Model;

namespace Bench.Report.Exporters;

/// <summary>
/// The columns of <c>summary.csv</c>, defined once: id (snake_case with unit) and how to read it from a cell.
/// Numbers use the invariant culture; an undefined value (TTFT of a non-streaming cell, cost of an unpriced model)
/// is an empty field, never 0.
/// </summary>
public static class SummaryColumns
{
    /// <summary>Statistics written for each latency metric.</summary>
    private static readonly string[] Statistics = ["mean", "p50", "p90", "p95", "p99", "p99.9", "max"];

    /// <summary>The fixed columns, in order.</summary>
    public static IReadOnlyList<(string Id, Func<CellReport, string> Value)> All { get; } = Build();

    /// <summary>The fixed columns, <c>goodput_rps</c> (every SLO set met) when there are SLOs, then three per SLO set
    /// of the report: <c>slo_&lt;name&gt;_met</c>,
    /// <c>slo_&lt;name&gt;_good_fraction</c>, <c>goodput_rps_&lt;name&gt;</c>.</summary>
    public static IReadOnlyList<(string Id, Func<CellReport, string> Value)> For(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var columns = All.ToList();
        var names = report.Cells.SelectMany(c => c.Summary.Slos.Select(s => s.Name)).Distinct().ToList();
        if (names.Count > 0)
        {
            columns.Add(("goodput_rps", c => Num(c.Summary.GoodputRps)));
        }

        foreach (var name in names)
        {
            SloResult? Slo(CellReport c) => c.Summary.Slos.FirstOrDefault(s => s.Name == name);
            columns.Add(($"slo_{name}_met", c => Slo(c) is { } r ? (r.Met ? "true" : "false") : ""));
            columns.Add(($"slo_{name}_good_fraction", c => Num(Slo(c)?.GoodFraction, "0.####")));
            columns.Add(($"goodput_rps_{name}", c => Num(Slo(c)?.GoodputRps)));
        }

        return columns;
    }

    private static List<(string, Func<CellReport, string>)> Build()
    {
        var columns = new List<(string, Func<CellReport, string>)>
        {
            ("model", c => c.Summary.Model),
            ("mode", c => Names.Of(c.Summary.Mode)),
            ("requests", c => Int(c.Summary.Requests)),
            ("successes", c => Int(c.Summary.Successes)),
            ("success_rate", c => Num(c.Summary.SuccessRate, "0.####")),
        };
        foreach (var outcome in Enum.GetValues<Outcome>().Where(o => o != Outcome.Success))
        {
            columns.Add(($"failed_{Names.Of(outcome)}", c => Int(c.Summary.Outcomes.GetValueOrDefault(outcome))));
        }

        foreach (var metric in Metric.Latencies)
        {
            foreach (var statistic in Statistics)
            {
                var id = $"{metric.Id}_{(statistic == "p99.9" ? "p999" : statistic)}";
                columns.Add((id, c => Num(c.Summary.Get(metric)?.Get(statistic))));
            }
        }

        columns.AddRange(
        [
            ("decode_tps_mean", c => Num(c.Summary.DecodeTpsMean)),
            ("decode_tps_p50", c => Num(c.Summary.DecodeTpsP50)),
            ("prompt_tokens_mean", c => Num(c.Summary.PromptTokensMean, "0.#")),
            ("completion_tokens_mean", c => Num(c.Summary.CompletionTokensMean, "0.#")),
            ("reasoning_tokens_mean", c => Num(c.Summary.ReasoningTokensMean, "0.#")),
            ("cached_tokens_mean", c => Num(c.Summary.CachedTokensMean, "0.#")),
            ("tokenizer_compared_requests", c => Int(c.Summary.TokenizerComparedRequests)),
            ("completion_tokens_vs_tokenizer_diff_mean", c => Num(c.Summary.CompletionTokenDiffMean, "0.##")),
            ("completion_tokens_vs_tokenizer_diff_pct", c => Num(c.Summary.CompletionTokenDiffPercent, "0.##")),
            ("duration_s", c => Num(c.Summary.DurationS)),
            ("rps", c => Num(c.Summary.Rps)),
            ("intended_rps", c => Num(c.Summary.IntendedRatePerS)),
            ("achieved_send_rps", c => Num(c.Summary.AchievedSendRatePerS)),
            ("output_tps", c => Num(c.Summary.OutputTps, "0.#")),
            ("cost_usd", c => Money(c.CostUsd)),
            ("cost_usd_per_1k_requests", c => Money(c.CostUsdPer1kRequests)),
            ("cost_usd_per_success", c => Money(c.CostUsdPerSuccess)),
            ("price_source", c => c.Price?.Source ?? c.Unpriced ?? ""),
        ]);
        return columns;
    }

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Num(double? value, string format = "0.###") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "";

    /// <summary>USD with up to 6 decimals (fractions of a cent matter per request), no rounding beyond that.</summary>
    private static string Money(decimal? value) => value is { } v ? Math.Round(v, 6).ToString("0.######", CultureInfo.InvariantCulture) : "";
}
