using System.Text.Json;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Thresholds;
using Bench.Report.Model;

namespace Bench.Report.Exporters;

/// <summary>
/// Writes <c>summary.json</c>: per model × mode × policy, counts, outcomes, each latency metric's statistics (ms), token
/// means, throughput, SLOs, billed tokens and cost — the same figures as <c>summary.csv</c>, structured. Every value is
/// a <see cref="MetricCatalog"/> entry written at its <see cref="MetricDefinition.JsonPaths"/> with the entry's
/// rounding (the same as in CSV); this class only lays out the nesting.
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
        if (report.Run.Interrupted is { } interrupted)
        {
            // Only in an interrupted run's file: its figures cover the requests completed before the stop.
            json.WriteString("interrupted", interrupted);
            json.WriteStartArray("partial_cells");
            foreach (var cell in report.Run.PartialCells ?? [])
            {
                json.WriteStringValue(cell);
            }

            json.WriteEndArray();
        }

        json.WriteStartArray("cells");
        foreach (var cell in report.Cells)
        {
            WriteCell(json, cell, report.Replicates?.Cells.FirstOrDefault(r => ReferenceEquals(r.Combined, cell)));
        }

        json.WriteEndArray();
        if (report.Conversations.Count > 0)
        {
            WriteConversations(json, report.Conversations);
        }

        if (report.Thresholds.Count > 0)
        {
            WriteThresholds(json, report);
        }

        if (report.Plan is { } plan)
        {
            WritePlan(json, plan);
        }

        if (report.PromptCaching is { } caching)
        {
            WritePromptCaching(json, caching);
        }

        json.WriteEndObject();
        return path;
    }

    /// <summary>The top-level <c>prompt_caching</c> object (keys declared in <see cref="MetricCatalog.PromptCachingJsonFields"/>
    /// and <see cref="MetricCatalog.PromptCachingCellJsonFields"/>): each cell's saving at the stated monthly volume,
    /// USD as paid, rounded like every USD figure.</summary>
    private static void WritePromptCaching(Utf8JsonWriter json, PromptCaching caching)
    {
        json.WriteStartObject(MetricCatalog.PromptCachingJsonKey);
        json.WriteNumber("monthly_requests", NumberFormat.Usd.Round(caching.MonthlyRequests));
        json.WriteStartArray("cells");
        foreach (var row in caching.Cells)
        {
            var s = row.Cell.Summary;
            json.WriteStartObject();
            json.WriteString("target", s.Target);
            json.WriteString("model", s.Model);
            json.WriteString("mode", Names.Of(s.Mode));
            json.WriteString("policy", s.Policy);
            MetricValue.Number(row.CachedShare).WriteJson(json, "cached_prompt_share", NumberFormat.Ratio);
            MetricValue.Number(row.CacheWriteShare).WriteJson(json, "cache_write_prompt_share", NumberFormat.Ratio);
            MetricValue.Usd(row.SavingUsdPer1kRequests).WriteJson(json, "cache_saving_usd_per_1k_requests", NumberFormat.Usd);
            MetricValue.Usd(row.SavingUsdPerMonth).WriteJson(json, "cache_saving_usd_per_month", NumberFormat.Usd);
            MetricValue.Number(row.SavingPercent is { } p ? (double)p : null).WriteJson(json, "cache_saving_percent", NumberFormat.TokenDifference);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The top-level <c>plan</c> object (keys declared in <see cref="MetricCatalog.PlanJsonFields"/> and the
    /// lists beside it): the budget holder's plan, money in USD as paid.</summary>
    private static void WritePlan(Utf8JsonWriter json, BudgetPlan plan)
    {
        json.WriteStartObject(MetricCatalog.PlanJsonKey);
        Decimal(json, "monthly_requests", plan.MonthlyRequests);
        json.WriteString("currency", plan.Fx.Count > 0 ? plan.Fx[0].Label : "USD");
        Decimal(json, "units_per_usd", plan.Fx.Count > 0 ? plan.Fx[0].UnitsPerUsd : 1m);
        json.WriteBoolean("complete", plan.Complete);
        Money(json, "total_usd", plan.TotalUsd);
        json.WriteString("current", plan.Current?.Text);
        Money(json, "current_usd", plan.CurrentUsd);
        Money(json, "saving_usd", plan.SavingUsd);
        Decimal(json, "saving_percent", plan.SavingPercent is { } p ? NumberFormat.TokenDifference.Round(p) : null);
        Decimal(json, "break_even_monthly_requests", plan.BreakEven?.MonthlyRequests is { } v ? NumberFormat.Usd.Round(v) : null);
        Money(json, "break_even_usd", plan.BreakEven?.MonthlyUsd);
        json.WriteBoolean("simulated", plan.Simulated);
        Strings(json, "simulated_targets", plan.SimulatedTargets);
        Strings(json, "problems", plan.Problems);
        json.WriteStartArray("classes");
        foreach (var c in plan.Classes)
        {
            json.WriteStartObject();
            json.WriteString("name", c.Class.Name);
            Decimal(json, "share_percent", c.Class.SharePercent is { } share ? NumberFormat.Usd.Round(share) : null);
            Decimal(json, "monthly_requests", NumberFormat.Usd.Round(c.Class.MonthlyRequests));
            if (c.Class.Set.MaxTurnaroundH is { } hours)
            {
                json.WriteNumber("max_turnaround_h", hours);
            }
            else
            {
                json.WriteNull("max_turnaround_h");
            }

            Option(json, "choice", c.Choice);
            Option(json, "runner_up", c.RunnerUp);
            Option(json, "current", c.Current);
            Money(json, "saving_vs_runner_up_usd", c.SavingVsRunnerUpUsd);
            Money(json, "saving_vs_current_usd", c.SavingVsCurrentUsd);
            json.WriteStartArray("options");
            foreach (var option in c.Options)
            {
                Option(json, null, option);
            }

            json.WriteEndArray();
            if (c.Risk is { } risk)
            {
                json.WriteStartObject("risk");
                json.WriteNumber("requests", risk.Requests);
                json.WriteNumber("successes", risk.Successes);
                json.WriteNumber("failure_rate", NumberFormat.Ratio.Round(risk.FailureRate));
                json.WriteNumber("failure_rate_upper", NumberFormat.Ratio.Round(risk.FailureRateUpper));
                json.WriteStartObject("failure_kinds");
                foreach (var (kind, count) in risk.FailureKinds)
                {
                    json.WriteNumber(kind, count);
                }

                json.WriteEndObject();
                json.WriteNumber("rate_limited_attempts", risk.RateLimited);
                json.WriteString("evidence", risk.Evidence switch
                {
                    SloEvidence.Shown => "shown",
                    SloEvidence.NotMet => "not_met",
                    _ => "inconclusive",
                });
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("risk");
            }

            Strings(json, "notes", c.Notes.Select(n => n.Text));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();

        static void Option(Utf8JsonWriter json, string? name, PricedOption? option)
        {
            if (option is null)
            {
                json.WriteNull(name!);
                return;
            }

            if (name is null)
            {
                json.WriteStartObject();
            }
            else
            {
                json.WriteStartObject(name);
            }

            var s = option.Cell.Summary;
            json.WriteString("target", s.Target);
            json.WriteString("model", s.Model);
            json.WriteString("mode", Names.Of(s.Mode));
            json.WriteString("policy", s.Policy);
            Money(json, "monthly_usd", option.MonthlyUsd);
            Money(json, "list_usd", option.Budget.TotalCostUsd);
            Decimal(json, "usd_per_list_usd", NumberFormat.Usd.Round(option.UsdPerListUsd));
            Money(json, "paid_usd_per_success", Recommendation.PaidUsdPerSuccess(option.Cell));
            json.WriteEndObject();
        }

        static void Money(Utf8JsonWriter json, string name, decimal? usd) => Decimal(json, name, usd is { } v ? NumberFormat.Usd.Round(v) : null);

        static void Decimal(Utf8JsonWriter json, string name, decimal? value)
        {
            if (value is { } v)
            {
                json.WriteNumber(name, v);
            }
            else
            {
                json.WriteNull(name);
            }
        }

        static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
        {
            json.WriteStartArray(name);
            foreach (var value in values)
            {
                json.WriteStringValue(value);
            }

            json.WriteEndArray();
        }
    }

    /// <summary>The top-level <c>conversations</c> array: one object per cell with sessions, its turns inside (keys
    /// declared in <see cref="MetricCatalog.ConversationJsonFields"/> and <see cref="MetricCatalog.ConversationTurnJsonFields"/>).</summary>
    private static void WriteConversations(Utf8JsonWriter json, IReadOnlyList<Model.ConversationCell> cells)
    {
        static void Number(Utf8JsonWriter json, string name, double? value, int decimals)
        {
            if (value is { } v && double.IsFinite(v))
            {
                json.WriteNumber(name, Math.Round(v, decimals, MidpointRounding.AwayFromZero));
            }
            else
            {
                json.WriteNull(name);
            }
        }

        json.WriteStartArray(MetricCatalog.ConversationsJsonKey);
        foreach (var cell in cells)
        {
            json.WriteStartObject();
            json.WriteString("target", cell.Cell.Target);
            json.WriteString("model", cell.Cell.Model);
            json.WriteString("mode", Names.Of(cell.Cell.Mode));
            json.WriteString("policy", cell.Cell.Policy);
            json.WriteNumber("sessions", cell.Sessions);
            json.WriteNumber("sessions_complete", cell.Complete);
            json.WriteNumber("sessions_ended_early", cell.EndedEarly);
            json.WriteNumber("sessions_cut", cell.Cut);
            Number(json, "cost_growth", (double?)cell.CostGrowth, 4);
            json.WriteStartArray("turns");
            foreach (var t in cell.Turns)
            {
                json.WriteStartObject();
                json.WriteNumber("turn", t.Turn);
                json.WriteNumber("requests", t.Requests);
                json.WriteNumber("successes", t.Successes);
                Number(json, "success_rate", t.SuccessRate, 4);
                Number(json, "ttft_ms_p50", t.Ttft?.P50, 3);
                Number(json, "ttft_ms_p95", t.Ttft?.P95, 3);
                Number(json, "prompt_tokens_mean", t.MeanPromptTokens, 2);
                Number(json, "cached_tokens_mean", t.MeanCachedTokens, 2);
                if (t.MeanCostUsd is { } cost)
                {
                    json.WriteNumber("cost_usd_per_request", Math.Round(cost, 8, MidpointRounding.AwayFromZero));
                }
                else
                {
                    json.WriteNull("cost_usd_per_request");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>The top-level <c>thresholds</c> array: one object per threshold × cell, failing first (keys declared in
    /// <see cref="MetricCatalog.ThresholdJsonFields"/>).</summary>
    private static void WriteThresholds(Utf8JsonWriter json, RunReport report)
    {
        json.WriteStartArray(MetricCatalog.ThresholdsJsonKey);
        foreach (var t in Model.ThresholdVerdicts.Ordered(report.Thresholds))
        {
            json.WriteStartObject();
            json.WriteString("expression", t.Expression);
            json.WriteString("target", t.Cell?.Target);
            json.WriteString("model", t.Cell?.Model);
            json.WriteString("mode", t.Cell is { } cell ? Names.Of(cell.Mode) : null);
            json.WriteString("policy", t.Cell?.Policy);
            json.WriteString("metric", t.MetricId);
            json.WriteString("judged_as", t.JudgedAs);
            if (t.Value is { } value)
            {
                json.WriteNumber("value", value);
            }
            else
            {
                json.WriteNull("value");
            }

            json.WriteString("op", t.Operator.Symbol());
            json.WriteNumber("limit", t.Limit);
            json.WriteString("status", Model.ThresholdVerdicts.StatusName(t.Status));
            json.WriteBoolean("passed", t.Passed);
            json.WriteString("reason", t.Reason);
            json.WriteBoolean("abort_on_fail", t.AbortOnFail);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteCell(Utf8JsonWriter json, CellResult cell, ReplicateCell? replicates)
    {
        var s = cell.Summary;
        json.WriteStartObject();
        Write(json, cell, MetricCatalog.Target, MetricCatalog.Model, MetricCatalog.Mode, MetricCatalog.Policy, MetricCatalog.Requests, MetricCatalog.Successes, MetricCatalog.SuccessRate);
        WriteSuccessRateInterval(json, cell);
        json.WriteStartObject("outcomes");
        foreach (var (outcome, count) in s.Outcomes)
        {
            // /outcomes/success is declared on successes, every other outcome on its failed_<outcome> entry.
            json.WriteNumber(Names.Of(outcome), count);
        }

        json.WriteEndObject();
        json.WriteStartObject("latency");
        foreach (var metric in Metric.Latencies)
        {
            if (s.Get(metric) is null)
            {
                continue;
            }

            json.WriteStartObject(metric.Id);
            foreach (var statistic in Enum.GetValues<Statistic>())
            {
                metric.Column(statistic).WriteJson(json, cell);
            }

            WriteLatencyIntervals(json, cell, metric);

            json.WriteEndObject();
        }

        json.WriteEndObject();
        Write(json, cell,
            MetricCatalog.DecodeTpsMean, MetricCatalog.DecodeTpsP50,
            MetricCatalog.PromptTokensMean, MetricCatalog.CompletionTokensMean, MetricCatalog.ReasoningTokensMean, MetricCatalog.CachedTokensMean,
            MetricCatalog.TokenizerComparedRequests, MetricCatalog.CompletionTokenDiffMean, MetricCatalog.CompletionTokenDiffPercent, MetricCatalog.UsageFlagged,
            MetricCatalog.DurationS, MetricCatalog.Rps, MetricCatalog.GoodputRps, MetricCatalog.IntendedRps, MetricCatalog.AchievedSendRps,
            MetricCatalog.OutputTps);
        json.WriteStartArray("slos");
        foreach (var slo in s.Slos)
        {
            json.WriteStartObject();
            Write(json, cell, [.. MetricCatalog.SloTemplates.Select(t => t.For(slo.Name))]);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("billed_tokens");
        Write(json, cell, [.. MetricCatalog.BilledTokens, .. MetricCatalog.CacheShares]);
        json.WriteEndObject();
        json.WriteStartObject("attempts");
        Write(json, cell, [.. MetricCatalog.AttemptView]);
        json.WriteEndObject();
        json.WriteStartObject("cost");
        if (cell.CostUsd is not null)
        {
            Write(json, cell, MetricCatalog.CostUsd, MetricCatalog.CostUsdPer1kRequests, MetricCatalog.CostUsdPerSuccess, MetricCatalog.PriceSource,
                MetricCatalog.RetryCostUsd, MetricCatalog.RetryCostUsdPer1kRequests, MetricCatalog.RetryCostPercent, MetricCatalog.PriceTierUsed);
            WriteCostIntervals(json, cell);
            json.WriteStartObject("prompt_caching");
            Write(json, cell, [.. MetricCatalog.CacheSavings]);
            json.WriteEndObject();
            json.WriteStartObject("billing");
            Write(json, cell, [.. MetricCatalog.BilledCostFigures]);
            json.WriteEndObject();
            json.WriteStartObject("prices");
            Write(json, cell, [.. MetricCatalog.CellPrices]);
            json.WriteEndObject();
        }
        else
        {
            Write(json, cell, MetricCatalog.Unpriced, MetricCatalog.PriceTierUsed);
        }

        json.WriteEndObject();
        if (s.Lengths is not null)
        {
            // Only when some request carried an intended length (a prompt source of issue 15).
            json.WriteStartObject("lengths");
            Write(json, cell, [.. MetricCatalog.LengthFigures]);
            json.WriteEndObject();
        }

        if (cell.Batch is not null)
        {
            // Only a batch-api cell has batch jobs: its latency is their turnaround (Metric.HasRequestLatency).
            json.WriteStartObject("batch");
            Write(json, cell, [.. MetricCatalog.BatchFigures]);
            json.WriteEndObject();
        }

        if (replicates is not null)
        {
            WriteReplicates(json, replicates);
        }

        json.WriteEndObject();
    }

    /// <summary>The cell's <c>replicates</c> block (a run with replicates only): the replicate count, then each
    /// threshold-eligible figure's replicate-level statistics, every key and value as
    /// <see cref="MetricCatalog.ReplicateFigures"/> declares and reads it (a statistic without a value is left out).</summary>
    private static void WriteReplicates(Utf8JsonWriter json, ReplicateCell cell)
    {
        var (count, keys) = (MetricCatalog.ReplicateFigures[0], MetricCatalog.ReplicateFigures.Skip(1).ToList());
        json.WriteStartObject("replicates");
        MetricValue.Count(cell.Replicates.Count).WriteJson(json, count.JsonName, count.Format);
        json.WriteStartArray("figures");
        foreach (var (metric, statistics) in cell.Figures)
        {
            var values = new ReplicateFigureStatistics(cell.Replicates.Count, metric, statistics);
            json.WriteStartObject();
            foreach (var key in keys)
            {
                if (key.FromReplicates!(values) is { IsMissing: false } value)
                {
                    value.WriteJson(json, key.JsonName, key.Format);
                }
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The success rate's Wilson interval beside it (issue 13: intervals where decisions are read).</summary>
    private static void WriteSuccessRateInterval(Utf8JsonWriter json, CellResult cell) => Write(json, cell, [.. MetricCatalog.SuccessRateIntervals]);

    /// <summary>A latency distribution's <c>ci95</c> object: <c>{"p50": {"low", "high"}, "p95": …, "p99": …}</c>.</summary>
    private static void WriteLatencyIntervals(Utf8JsonWriter json, CellResult cell, MetricDescriptor metric)
    {
        if (!cell.Summary.LatencyCi.ContainsKey(metric.Id))
        {
            return;
        }

        json.WriteStartObject("ci95");
        foreach (var pair in MetricCatalog.LatencyIntervalsOf(metric).Chunk(2))
        {
            json.WriteStartObject(pair[0].Id.Split('_')[^3]);
            Write(json, cell, pair);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary>The cost intervals inside <c>cost</c> (priced cells only).</summary>
    private static void WriteCostIntervals(Utf8JsonWriter json, CellResult cell) => Write(json, cell, [.. MetricCatalog.CostIntervals]);

    private static void Write(Utf8JsonWriter json, CellResult cell, params MetricDefinition[] metrics)
    {
        foreach (var metric in metrics)
        {
            metric.WriteJson(json, cell);
        }
    }
}
