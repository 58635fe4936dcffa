using System.Text.Json;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Report.Model;

namespace Bench.Report.Exporters;

/// <summary>
/// Writes <c>summary.json</c>: per model × mode, counts, outcomes, each latency metric's statistics (ms), token
/// means, throughput and cost — the same figures as <c>summary.csv</c>, structured.
/// </summary>
public static class SummaryJsonExporter
{
    /// <summary>File name inside a results folder.</summary>
    public const string FileName = "summary.json";

    /// <summary>Writes <c>summary.json</c> into <paramref name="directory"/>; returns its path.</summary>
    public static string Write(RunReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        var path = Path.Combine(directory, FileName);
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("run_id", report.Run.RunId);
        json.WriteString("price_catalog", report.PriceCatalog);
        json.WriteStartArray("cells");
        foreach (var cell in report.Cells)
        {
            WriteCell(json, cell);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        return path;
    }

    private static void WriteCell(Utf8JsonWriter json, CellReport cell)
    {
        var s = cell.Summary;
        json.WriteStartObject();
        json.WriteString("model", s.Model);
        json.WriteString("mode", Names.Of(s.Mode));
        json.WriteNumber("requests", s.Requests);
        json.WriteNumber("successes", s.Successes);
        json.WriteNumber("success_rate", s.SuccessRate);
        json.WriteStartObject("outcomes");
        foreach (var (outcome, count) in s.Outcomes)
        {
            json.WriteNumber(Names.Of(outcome), count);
        }

        json.WriteEndObject();
        json.WriteStartObject("latency");
        foreach (var metric in Metric.Latencies)
        {
            if (s.Get(metric) is not { } stats)
            {
                continue;
            }

            json.WriteStartObject(metric.Id);
            json.WriteNumber("count", stats.Count);
            json.WriteNumber("mean", Math.Round(stats.Mean, 3));
            json.WriteNumber("p50", stats.P50);
            json.WriteNumber("p90", stats.P90);
            json.WriteNumber("p95", stats.P95);
            json.WriteNumber("p99", stats.P99);
            json.WriteNumber("p99.9", stats.P999);
            json.WriteNumber("min", stats.Min);
            json.WriteNumber("max", stats.Max);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        Number(json, "decode_tps_mean", s.DecodeTpsMean);
        Number(json, "decode_tps_p50", s.DecodeTpsP50);
        Number(json, "prompt_tokens_mean", s.PromptTokensMean);
        Number(json, "completion_tokens_mean", s.CompletionTokensMean);
        Number(json, "reasoning_tokens_mean", s.ReasoningTokensMean);
        Number(json, "cached_tokens_mean", s.CachedTokensMean);
        json.WriteNumber("tokenizer_compared_requests", s.TokenizerComparedRequests);
        Number(json, "completion_tokens_vs_tokenizer_diff_mean", s.CompletionTokenDiffMean);
        Number(json, "completion_tokens_vs_tokenizer_diff_pct", s.CompletionTokenDiffPercent);
        json.WriteNumber("duration_s", Math.Round(s.DurationS, 3));
        json.WriteNumber("rps", Math.Round(s.Rps, 3));
        Number(json, "goodput_rps", s.GoodputRps);
        Number(json, "intended_rps", s.IntendedRatePerS);
        Number(json, "achieved_send_rps", s.AchievedSendRatePerS);
        json.WriteNumber("output_tps", Math.Round(s.OutputTps, 3));
        json.WriteStartArray("slos");
        foreach (var slo in s.Slos)
        {
            json.WriteStartObject();
            json.WriteString("name", slo.Name);
            json.WriteBoolean("met", slo.Met);
            json.WriteNumber("good_requests", slo.GoodRequests);
            json.WriteNumber("good_fraction", Math.Round(slo.GoodFraction, 6));
            json.WriteNumber("goodput_rps", Math.Round(slo.GoodputRps, 3));
            json.WriteString("why", slo.Why);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("billed_tokens");
        json.WriteNumber("prompt_tokens", s.BilledTokens.PromptTokens);
        json.WriteNumber("cached_tokens", s.BilledTokens.CachedTokens);
        json.WriteNumber("completion_tokens", s.BilledTokens.CompletionTokens);
        json.WriteEndObject();
        json.WriteStartObject("cost");
        if (cell.CostUsd is { } cost)
        {
            json.WriteNumber("cost_usd", cost);
            Money(json, "cost_usd_per_1k_requests", cell.CostUsdPer1kRequests);
            Money(json, "cost_usd_per_success", cell.CostUsdPerSuccess);
            json.WriteString("price_source", cell.Price!.Source);
        }
        else
        {
            json.WriteString("unpriced", cell.Unpriced);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, Math.Round(v, 3));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Money(Utf8JsonWriter json, string name, decimal? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, Math.Round(v, 10));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
