using Bench.Core.Records;

namespace Bench.Core.Metrics;

/// <summary>
/// Every figure Bench reports, declared once: the per-request values and per-cell statistics of each distribution of
/// <see cref="Metric"/>, rates, counts and ratios, token figures, cost, SLO figures (templated by set name) and schedule
/// accuracy. <c>summary.csv</c>, <c>summary.json</c>, <c>records.csv</c>, the report's tables, SLOs and thresholds read
/// figures from here; nobody spells an id twice. Look a figure up by its column id with <see cref="Find"/> or
/// <see cref="TryFind"/> (<c>ttft_ms_p99</c>, <c>goodput_rps_interactive</c>); enumerate what a file writes with
/// <see cref="SummaryCsv"/> and <see cref="RecordsCsv"/>, or everything with <see cref="All"/> and
/// <see cref="Templates"/>.
/// </summary>
public static partial class MetricCatalog
{
    private const string Successful = "over successful requests";

    // ----- labels and counts -----

    /// <summary><c>target</c>: the target's name, of a cell or a request (<see cref="Records.RequestRecord.Target"/>);
    /// empty (JSON null) for records written before targets existed.</summary>
    public static readonly MetricDefinition Target = new()
    {
        Id = "target", DisplayName = "target",
        Definition = "the target's name (scenario targets[].name; the single target's name, \"simulator\" for the embedded simulator, else its name or the base URL's host); empty for results written before targets existed",
        Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson | MetricExports.RecordsCsv,
        JsonPaths = ["/target"], Cell = c => MetricValue.Text(c.Summary.Target), Request = r => MetricValue.Text(r.Target),
    };

    /// <summary><c>model</c>: the model id, of a cell or a request.</summary>
    public static readonly MetricDefinition Model = new()
    {
        Id = "model", DisplayName = "model", Definition = "the model id as requested", Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson | MetricExports.RecordsCsv,
        JsonPaths = ["/model"], Cell = c => MetricValue.Text(c.Summary.Model), Request = r => MetricValue.Text(r.Model),
    };

    /// <summary><c>mode</c>: <c>streaming</c> or <c>non-streaming</c>, of a cell or a request.</summary>
    public static readonly MetricDefinition Mode = new()
    {
        Id = "mode", DisplayName = "mode", Definition = "non-streaming or streaming (ARCHITECTURE.md, \"Modes\")", Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson | MetricExports.RecordsCsv,
        JsonPaths = ["/mode"], Cell = c => MetricValue.Text(Names.Of(c.Summary.Mode)), Request = r => MetricValue.Text(Names.Of(r.Mode)),
    };

    /// <summary><c>policy</c>: the resilience policy a cell or request ran under; empty for none.</summary>
    public static readonly MetricDefinition Policy = new()
    {
        Id = "policy", DisplayName = "policy", Definition = "the resilience policy's name (scenario resilience[].name, or the one --retries makes); empty for none: one attempt per request, the raw endpoint",
        Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson | MetricExports.RecordsCsv,
        JsonPaths = ["/policy"], Cell = c => MetricValue.Text(c.Summary.Policy ?? ""), Request = r => MetricValue.Text(r.Policy ?? ""),
    };

    /// <summary><c>requests</c>: requests attempted in the cell (every outcome).</summary>
    public static readonly MetricDefinition Requests = new()
    {
        Id = "requests", DisplayName = "requests", Unit = "requests", Format = NumberFormat.Integer, Definition = "requests attempted (every outcome) in the measure phase",
        Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson, JsonPaths = ["/requests"], Reduce = MetricReduce.Sum, Cell = c => MetricValue.Count(c.Summary.Requests),
    };

    /// <summary><c>successes</c>: successful requests (also <c>outcomes.success</c> in <c>summary.json</c>).</summary>
    public static readonly MetricDefinition Successes = new()
    {
        Id = "successes", DisplayName = "successes", Unit = "requests", Format = NumberFormat.Integer, Direction = MetricDirection.HigherIsBetter,
        Definition = "requests whose outcome was success", Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson,
        JsonPaths = ["/successes", "/outcomes/success"], Reduce = MetricReduce.Sum, Cell = c => MetricValue.Count(c.Summary.Successes),
    };

    /// <summary><c>success_rate</c>: successful / attempted, 0..1.</summary>
    public static readonly MetricDefinition SuccessRate = new()
    {
        Id = "success_rate", DisplayName = "success", Unit = "ratio", Format = NumberFormat.Ratio, Direction = MetricDirection.HigherIsBetter,
        Definition = "successful / attempted requests, 0..1; 0 when nothing was attempted", Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson,
        JsonPaths = ["/success_rate"], Cell = c => MetricValue.Number(c.Summary.SuccessRate),
    };

    /// <summary><c>failed_&lt;outcome&gt;</c>: attempted requests per failure outcome, in <see cref="Outcome"/> order.</summary>
    public static IReadOnlyList<MetricDefinition> Failures { get; } = [.. Outcomes.Failures.Select(FailedEntry)];

    /// <summary><c>dropped</c>: open-schedule arrivals the client did not send (in-flight cap reached); not attempts.</summary>
    public static readonly MetricDefinition Dropped = NotAttempted(Outcome.Dropped,
        "open-schedule arrivals the client did not send because the cap on requests in flight was reached; not attempts, outside every statistic");

    /// <summary><c>cancelled</c>: requests in flight when the run was interrupted; not attempts.</summary>
    public static readonly MetricDefinition Cancelled = NotAttempted(Outcome.Cancelled,
        "requests in flight when the run was interrupted (Ctrl-C, SIGTERM), cancelled by Bench; not attempts, outside every statistic");

    // ----- distributions: per request (records.csv) and per cell (statistics) -----

    /// <summary>The statistics of each distribution, in file order, with the files that write them.</summary>
    private static readonly (Statistic Statistic, string IdSuffix, string JsonName, string Label, MetricExports Exports)[] StatisticColumns =
    [
        (Statistic.Count, "count", "count", "samples", MetricExports.SummaryJson),
        (Statistic.Mean, "mean", "mean", "mean", MetricExports.SummaryCsv | MetricExports.SummaryJson),
        (Statistic.P50, "p50", "p50", "p50", MetricExports.SummaryCsv | MetricExports.SummaryJson),
        (Statistic.P90, "p90", "p90", "p90", MetricExports.SummaryCsv | MetricExports.SummaryJson),
        (Statistic.P95, "p95", "p95", "p95", MetricExports.SummaryCsv | MetricExports.SummaryJson),
        (Statistic.P99, "p99", "p99", "p99", MetricExports.SummaryCsv | MetricExports.SummaryJson),
        (Statistic.P999, "p999", "p99.9", "p99.9", MetricExports.SummaryCsv | MetricExports.SummaryJson),
        (Statistic.Min, "min", "min", "min", MetricExports.SummaryJson),
        (Statistic.Max, "max", "max", "max", MetricExports.SummaryCsv | MetricExports.SummaryJson),
    ];

    /// <summary>Per distribution of <see cref="Metric.Latencies"/>, its statistics (<c>ttft_ms_p99</c>), in file order.</summary>
    public static IReadOnlyList<MetricDefinition> LatencyStatistics { get; } =
        [.. Metric.Latencies.SelectMany(m => StatisticColumns.Select(s => StatisticEntry(m, s.Statistic, s.IdSuffix, s.JsonName, s.Label, s.Exports)))];

    /// <summary><c>decode_tps_mean</c>: mean per-request decode rate.</summary>
    public static readonly MetricDefinition DecodeTpsMean = new()
    {
        Id = "decode_tps_mean", DisplayName = "Decode mean", Unit = "tok/s", Format = NumberFormat.Rate, Direction = MetricDirection.HigherIsBetter, Distribution = Metric.DecodeTps,
        Definition = "mean of decode_tps over successful streaming requests (one bursty request pulls it up: prefer the p50)", Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson,
        JsonPaths = ["/decode_tps_mean"], Cell = c => MetricValue.Number(c.Summary.DecodeTpsMean),
    };

    /// <summary><c>decode_tps_p50</c>: median per-request decode rate.</summary>
    public static readonly MetricDefinition DecodeTpsP50 = new()
    {
        Id = "decode_tps_p50", DisplayName = "Decode p50", Unit = "tok/s", Format = NumberFormat.Rate, Direction = MetricDirection.HigherIsBetter, Distribution = Metric.DecodeTps,
        Definition = "median of decode_tps over successful streaming requests (HdrHistogram, 3 significant digits)", Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson,
        JsonPaths = ["/decode_tps_p50"], Cell = c => MetricValue.Number(c.Summary.DecodeTpsP50),
    };

    // ----- tokens -----

    /// <summary><c>prompt_tokens_mean</c>.</summary>
    public static readonly MetricDefinition PromptTokensMean = TokenMean("prompt_tokens_mean", "prompt tokens mean", "mean prompt tokens (usage) per successful request", s => s.PromptTokensMean);

    /// <summary><c>completion_tokens_mean</c> (reasoning included).</summary>
    public static readonly MetricDefinition CompletionTokensMean = TokenMean("completion_tokens_mean", "completion tokens mean", "mean completion tokens (reasoning included) per successful request", s => s.CompletionTokensMean);

    /// <summary><c>reasoning_tokens_mean</c>.</summary>
    public static readonly MetricDefinition ReasoningTokensMean = TokenMean("reasoning_tokens_mean", "reasoning tokens mean", "mean reasoning tokens per successful request", s => s.ReasoningTokensMean);

    /// <summary><c>cached_tokens_mean</c>.</summary>
    public static readonly MetricDefinition CachedTokensMean = TokenMean("cached_tokens_mean", "cached tokens mean", "mean cached prompt tokens per successful request", s => s.CachedTokensMean);

    /// <summary><c>tokenizer_compared_requests</c>.</summary>
    public static readonly MetricDefinition TokenizerComparedRequests = new()
    {
        Id = "tokenizer_compared_requests", DisplayName = "tokenizer-compared requests", Unit = "requests", Format = NumberFormat.Integer,
        Definition = "successful requests with both the server's usage.completion_tokens and a local tokenizer count of the text received",
        Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson, JsonPaths = ["/tokenizer_compared_requests"], Reduce = MetricReduce.Sum, Cell = c => MetricValue.Count(c.Summary.TokenizerComparedRequests),
    };

    /// <summary><c>completion_tokens_vs_tokenizer_diff_mean</c>.</summary>
    public static readonly MetricDefinition CompletionTokenDiffMean = new()
    {
        Id = "completion_tokens_vs_tokenizer_diff_mean", DisplayName = "difference mean (server − tokenizer)", Unit = "tokens", Format = NumberFormat.TokenDifference,
        Definition = "mean of (server completion tokens − tokenizer completion tokens) per compared request", Source = "Bench (tiktoken o200k_base/cl100k_base via Microsoft.ML.Tokenizers)",
        Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson, JsonPaths = ["/completion_tokens_vs_tokenizer_diff_mean"], Cell = c => MetricValue.Number(c.Summary.CompletionTokenDiffMean),
    };

    /// <summary><c>completion_tokens_vs_tokenizer_diff_pct</c>.</summary>
    public static readonly MetricDefinition CompletionTokenDiffPercent = new()
    {
        Id = "completion_tokens_vs_tokenizer_diff_pct", DisplayName = "difference %", Unit = "%", Format = NumberFormat.TokenDifference,
        Definition = "Σ(server − tokenizer) / Σ tokenizer completion tokens × 100", Source = "Bench (tiktoken o200k_base/cl100k_base via Microsoft.ML.Tokenizers)",
        Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson, JsonPaths = ["/completion_tokens_vs_tokenizer_diff_pct"], Cell = c => MetricValue.Number(c.Summary.CompletionTokenDiffPercent),
    };

    /// <summary><c>usage_flagged</c>: attempted requests whose usage was not believed.</summary>
    public static readonly MetricDefinition UsageFlagged = new()
    {
        Id = "usage_flagged", DisplayName = "usage flagged", Unit = "requests", Format = NumberFormat.Integer, Direction = MetricDirection.LowerIsBetter,
        Definition = "attempted requests whose usage was negative, fractional, overflowing, not a number or inconsistent (cached > prompt, completion far above max_tokens or the text received): billed from the local tokenizer's count, or unpriced",
        Source = "Bench (UsageCheck)", Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson, JsonPaths = ["/usage_flagged"], Reduce = MetricReduce.Sum,
        Cell = c => MetricValue.Count(c.Summary.UsageFlagged),
    };

    // ----- time and rates -----

    /// <summary><c>duration_s</c>.</summary>
    public static readonly MetricDefinition DurationS = new()
    {
        Id = "duration_s", DisplayName = "duration", Unit = "s", Format = NumberFormat.Milliseconds, Definition = "measured duration: first request sent → last request ended, in this cell",
        Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson, JsonPaths = ["/duration_s"], Cell = c => MetricValue.Number(c.Summary.DurationS),
    };

    /// <summary><c>rps</c>.</summary>
    public static readonly MetricDefinition Rps = new()
    {
        Id = "rps", DisplayName = "req/s", Unit = "req/s", Format = NumberFormat.Rate, Direction = MetricDirection.HigherIsBetter, Definition = "completed requests / measured duration",
        Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson, JsonPaths = ["/rps"], Cell = c => MetricValue.Number(c.Summary.Rps),
    };

    /// <summary><c>intended_rps</c>: the rate an open schedule asked for.</summary>
    public static readonly MetricDefinition IntendedRps = new()
    {
        Id = "intended_rps", DisplayName = "intended req/s", Unit = "req/s", Format = NumberFormat.Rate,
        Definition = "open load only: (n − 1) / (last − first intended send time)", Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson,
        JsonPaths = ["/intended_rps"], Cell = c => MetricValue.Number(c.Summary.IntendedRatePerS),
    };

    /// <summary><c>achieved_send_rps</c>: the rate requests actually went out at (schedule accuracy).</summary>
    public static readonly MetricDefinition AchievedSendRps = new()
    {
        Id = "achieved_send_rps", DisplayName = "sent req/s", Unit = "req/s", Format = NumberFormat.Rate, Direction = MetricDirection.HigherIsBetter,
        Definition = "open load only: (n − 1) / (last − first actual send time); below intended_rps when the client fell behind",
        Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson, JsonPaths = ["/achieved_send_rps"], Cell = c => MetricValue.Number(c.Summary.AchievedSendRatePerS),
    };

    /// <summary><c>output_tps</c>.</summary>
    public static readonly MetricDefinition OutputTps = new()
    {
        Id = "output_tps", DisplayName = "output tok/s", Unit = "tok/s", Format = NumberFormat.TokenRate, Direction = MetricDirection.HigherIsBetter,
        Definition = "total completion tokens of successful requests / measured duration", Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson,
        JsonPaths = ["/output_tps"], Cell = c => MetricValue.Number(c.Summary.OutputTps),
    };

    // ----- cost -----

    /// <summary><c>cost_usd</c>.</summary>
    public static readonly MetricDefinition CostUsd = Money("cost_usd", "cost", "cost of every attempted request's billed tokens", c => c.Cost.CostUsd, MetricReduce.Sum);

    /// <summary><c>cost_usd_per_1k_requests</c>.</summary>
    public static readonly MetricDefinition CostUsdPer1kRequests = Money("cost_usd_per_1k_requests", "$ per 1k requests", "billed cost / attempted requests × 1,000", c => c.Cost.CostUsdPer1kRequests);

    /// <summary><c>cost_usd_per_success</c>.</summary>
    public static readonly MetricDefinition CostUsdPerSuccess = Money("cost_usd_per_success", "$ per successful request", "billed cost / successful requests (failures' cost is carried by successes)", c => c.Cost.CostUsdPerSuccess);

    /// <summary><c>billing_currency</c>, <c>billing_units_per_list_usd</c>, <c>billing_market_units_per_usd</c>,
    /// <c>cost_billed</c>, <c>cost_billed_per_1k_requests</c>, <c>cost_billed_per_success</c> (in the billing currency)
    /// and <c>cost_billed_usd</c>, <c>cost_billed_usd_per_1k_requests</c>, <c>cost_billed_usd_per_success</c> (that
    /// invoice in USD at the market rate): a cell's cost in its target's billing (<see cref="Pricing.BilledCost"/>;
    /// <c>summary.json</c> <c>/cost/billing</c>).</summary>
    public static IReadOnlyList<MetricDefinition> BilledCostFigures { get; } =
    [
        new()
        {
            Id = "billing_currency", DisplayName = "billing currency", Definition = "ISO 4217 code of the target's invoices (targets[].billing.currency; USD by default)",
            Source = BillingSource, Exports = MetricExports.SummaryJson, JsonPaths = ["/cost/billing/billing_currency"],
            Cell = c => MetricValue.Text(c.Cost.Billed.Currency),
        },
        new()
        {
            Id = "billing_units_per_list_usd", DisplayName = "units per list USD", Unit = "billing currency per USD", Format = NumberFormat.Usd,
            Definition = "units of the billing currency the target charges per 1 USD of list price (1 for a ¥1 = $1 relay)",
            Source = BillingSource, Exports = MetricExports.SummaryJson, JsonPaths = ["/cost/billing/billing_units_per_list_usd"],
            Cell = c => MetricValue.Usd(c.Cost.Billed.UnitsPerListUsd),
        },
        new()
        {
            Id = "billing_market_units_per_usd", DisplayName = "market rate", Unit = "billing currency per USD", Format = NumberFormat.Usd,
            Definition = "the market rate: units of the billing currency per 1 USD (1 for USD)",
            Source = BillingSource, Exports = MetricExports.SummaryJson, JsonPaths = ["/cost/billing/billing_market_units_per_usd"],
            Cell = c => MetricValue.Usd(c.Cost.Billed.MarketUnitsPerUsd),
        },
        BilledMoney("cost_billed", "billed cost", "billing currency", "cost_usd × units per list USD: the cell's cost as the target invoices it", c => c.Cost.Billed.Cost, MetricReduce.Sum),
        BilledMoney("cost_billed_per_1k_requests", "billed per 1k requests", "billing currency", "cost_usd_per_1k_requests × units per list USD", c => c.Cost.Billed.CostPer1kRequests),
        BilledMoney("cost_billed_per_success", "billed per success", "billing currency", "cost_usd_per_success × units per list USD", c => c.Cost.Billed.CostPerSuccess),
        BilledMoney("cost_billed_usd", "billed cost in USD", "USD", "cost_billed / market units per USD: the invoice in USD at the market rate", c => c.Cost.Billed.CostUsd, MetricReduce.Sum),
        BilledMoney("cost_billed_usd_per_1k_requests", "billed USD per 1k requests", "USD", "cost_billed_per_1k_requests / market units per USD", c => c.Cost.Billed.CostUsdPer1kRequests),
        BilledMoney("cost_billed_usd_per_success", "billed USD per success", "USD", "cost_billed_per_success / market units per USD", c => c.Cost.Billed.CostUsdPerSuccess),
    ];

    /// <summary><c>price_source</c>: where the price came from; in <c>summary.csv</c>, why a cell is unpriced.</summary>
    public static readonly MetricDefinition PriceSource = new()
    {
        Id = "price_source", DisplayName = "price source", Definition = "the price catalogue entry's source; for an unpriced cell (CSV), why it has no price",
        Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson, JsonPaths = ["/cost/price_source"],
        Cell = c => MetricValue.Text(c.Cost.Price?.Source ?? c.Cost.Unpriced ?? ""),
    };

    /// <summary><c>unpriced</c>: why a cell has no price (<c>summary.json</c>).</summary>
    public static readonly MetricDefinition Unpriced = new()
    {
        Id = "unpriced", DisplayName = "unpriced", Definition = "why the model has no price (never counted as free)",
        Exports = MetricExports.SummaryJson, JsonPaths = ["/cost/unpriced"], Cell = c => MetricValue.Text(c.Cost.Unpriced),
    };

    /// <summary><c>billed_prompt_tokens</c>, <c>billed_cached_tokens</c>, <c>billed_completion_tokens</c>: tokens billed
    /// over all attempted requests.</summary>
    public static IReadOnlyList<MetricDefinition> BilledTokens { get; } =
    [
        Billed("prompt_tokens", "prompt", c => c.Summary.BilledTokens.PromptTokens),
        Billed("cached_tokens", "cached prompt", c => c.Summary.BilledTokens.CachedTokens),
        Billed("completion_tokens", "completion", c => c.Summary.BilledTokens.CompletionTokens),
        Billed("cache_write_tokens", "cache-write prompt", c => c.Summary.BilledTokens.CacheWriteTokens),
    ];

    // ----- the per-attempt view: what the endpoint did (AttemptMetrics); every figure above is per logical request -----

    private const string AttemptSource = "Bench (AttemptMetrics)";

    /// <summary><c>attempts</c>: attempts sent to the endpoint.</summary>
    public static readonly MetricDefinition Attempts = AttemptFigure("attempts", "attempts", "requests", NumberFormat.Integer, MetricDirection.None,
        "attempts sent to the endpoint over the cell's attempted logical requests: one per request without a policy; every retry and hedge counts, an attempt the policy refused (client_rejected) does not, a hedging loser cancelled in flight does",
        c => MetricValue.Count(c.Summary.Attempts), MetricReduce.Sum);

    /// <summary><c>attempt_success_rate</c>: what the endpoint did, per attempt.</summary>
    public static readonly MetricDefinition AttemptSuccessRate = AttemptFigure("attempt_success_rate", "attempt success", "ratio", NumberFormat.Ratio, MetricDirection.HigherIsBetter,
        "successful attempts / attempts sent to the endpoint, 0..1: the endpoint's own success rate, every retry counted (success_rate is the user's: per logical request)",
        c => MetricValue.Number(c.Summary.AttemptSuccessRate));

    /// <summary><c>first_attempt_success_rate</c>: the success rate without the policy.</summary>
    public static readonly MetricDefinition FirstAttemptSuccessRate = AttemptFigure("first_attempt_success_rate", "first-attempt success", "ratio", NumberFormat.Ratio, MetricDirection.HigherIsBetter,
        "logical requests whose first attempt succeeded / attempted logical requests, 0..1: the success rate the cell would have had without its policy (a first attempt cancelled because a hedge won counts as not succeeded); equals success_rate without a policy",
        c => MetricValue.Number(c.Summary.FirstAttemptSuccessRate));

    /// <summary><c>attempts_per_request</c>.</summary>
    public static readonly MetricDefinition AttemptsPerRequest = AttemptFigure("attempts_per_request", "attempts per request", "attempts", NumberFormat.Rate, MetricDirection.LowerIsBetter,
        "attempts sent / attempted logical requests (1 without a policy)", c => MetricValue.Number(c.Summary.AttemptsPerRequest));

    /// <summary><c>attempts_per_success</c>.</summary>
    public static readonly MetricDefinition AttemptsPerSuccess = AttemptFigure("attempts_per_success", "attempts per success", "attempts", NumberFormat.Rate, MetricDirection.LowerIsBetter,
        "attempts sent / successful logical requests (the attempts of failed requests carried by the successes); empty when none succeeded", c => MetricValue.Number(c.Summary.AttemptsPerSuccess));

    /// <summary><c>retried_requests</c>.</summary>
    public static readonly MetricDefinition RetriedRequests = AttemptFigure("retried_requests", "retried requests", "requests", NumberFormat.Integer, MetricDirection.None,
        "logical requests that sent at least one retry (an attempt after the first that was not a hedge)", c => MetricValue.Count(c.Summary.RetriedRequests), MetricReduce.Sum);

    /// <summary><c>hedged_requests</c>.</summary>
    public static readonly MetricDefinition HedgedRequests = AttemptFigure("hedged_requests", "hedged requests", "requests", NumberFormat.Integer, MetricDirection.None,
        "logical requests that sent at least one hedged attempt (sent while an earlier attempt was still running)", c => MetricValue.Count(c.Summary.HedgedRequests), MetricReduce.Sum);

    private const string RetryAddedDefinition =
        "of retry_added_ms over successful logical requests: the request's e2e_ms (first attempt sent → end of the attempt that ended it) minus that attempt's own e2e (its send → its end), i.e. the earlier attempts, back-off, server-asked and limiter waits before the attempt that succeeded; 0 for a request that succeeded at its first attempt (counted exactly, HdrHistogram for the rest)";

    /// <summary><c>retry_added_ms_p50</c>.</summary>
    public static readonly MetricDefinition RetryAddedMsP50 = AttemptFigure("retry_added_ms_p50", "added by retries p50", "ms", NumberFormat.Milliseconds, MetricDirection.LowerIsBetter,
        "p50 " + RetryAddedDefinition, c => MetricValue.Number(c.Summary.RetryAddedMs?.P50), MetricReduce.Histogram);

    /// <summary><c>retry_added_ms_p95</c>.</summary>
    public static readonly MetricDefinition RetryAddedMsP95 = AttemptFigure("retry_added_ms_p95", "added by retries p95", "ms", NumberFormat.Milliseconds, MetricDirection.LowerIsBetter,
        "p95 " + RetryAddedDefinition, c => MetricValue.Number(c.Summary.RetryAddedMs?.P95), MetricReduce.Histogram);

    /// <summary><c>retry_added_ms_max</c>.</summary>
    public static readonly MetricDefinition RetryAddedMsMax = AttemptFigure("retry_added_ms_max", "added by retries max", "ms", NumberFormat.Milliseconds, MetricDirection.LowerIsBetter,
        "max " + RetryAddedDefinition, c => MetricValue.Number(c.Summary.RetryAddedMs?.Max), MetricReduce.Max);

    /// <summary><c>backoff_ms_total</c>.</summary>
    public static readonly MetricDefinition BackoffMsTotal = AttemptFigure("backoff_ms_total", "back-off waited", "ms", NumberFormat.Milliseconds, MetricDirection.LowerIsBetter,
        "time waited between attempts (the policy's back-off and server-asked delays), summed over the cell's logical requests", c => MetricValue.Number(c.Summary.BackoffMsTotal), MetricReduce.Sum);

    /// <summary><c>rate_limited_ms_total</c>.</summary>
    public static readonly MetricDefinition RateLimitedMsTotal = AttemptFigure("rate_limited_ms_total", "time rate-limited", "ms", NumberFormat.Milliseconds, MetricDirection.LowerIsBetter,
        "time spent rate-limited, summed over the cell's logical requests: waits the server asked for (Retry-After, retry-after-ms, x-ratelimit-reset-*) plus waits for the client-side rate limiter",
        c => MetricValue.Number(c.Summary.RateLimitedMsTotal), MetricReduce.Sum);

    /// <summary><c>retry_prompt_tokens</c>, <c>retry_cached_tokens</c>, <c>retry_completion_tokens</c>: tokens billed by
    /// attempts that did not end their request (part of <c>billed_*</c>).</summary>
    public static IReadOnlyList<MetricDefinition> RetryTokens { get; } =
    [
        AttemptFigure("retry_prompt_tokens", "retry prompt tokens", "tokens", NumberFormat.Integer, MetricDirection.LowerIsBetter,
            "prompt tokens billed by the attempts that did not end their logical request (failed attempts that were retried, hedging losers that carried usage); part of billed_prompt_tokens",
            c => MetricValue.Count(c.Summary.RetryBilledTokens.PromptTokens), MetricReduce.Sum),
        AttemptFigure("retry_cached_tokens", "retry cached tokens", "tokens", NumberFormat.Integer, MetricDirection.None,
            "cached prompt tokens billed by the attempts that did not end their logical request; part of billed_cached_tokens",
            c => MetricValue.Count(c.Summary.RetryBilledTokens.CachedTokens), MetricReduce.Sum),
        AttemptFigure("retry_completion_tokens", "retry completion tokens", "tokens", NumberFormat.Integer, MetricDirection.LowerIsBetter,
            "completion tokens billed by the attempts that did not end their logical request; part of billed_completion_tokens",
            c => MetricValue.Count(c.Summary.RetryBilledTokens.CompletionTokens), MetricReduce.Sum),
    ];

    /// <summary><c>retry_cost_usd</c>.</summary>
    public static readonly MetricDefinition RetryCostUsd = Money("retry_cost_usd", "cost of retries", "the part of cost_usd billed by attempts that did not end their logical request (retry_*_tokens priced)", c => c.Cost.RetryCostUsd, MetricReduce.Sum);

    /// <summary><c>retry_cost_usd_per_1k_requests</c>.</summary>
    public static readonly MetricDefinition RetryCostUsdPer1kRequests = Money("retry_cost_usd_per_1k_requests", "retries $ per 1k requests", "retry_cost_usd / attempted logical requests × 1,000", c => c.Cost.RetryCostUsdPer1kRequests);

    /// <summary><c>retry_cost_percent</c>.</summary>
    public static readonly MetricDefinition RetryCostPercent = new()
    {
        Id = "retry_cost_percent", DisplayName = "retries % of cost", Unit = "%", Format = NumberFormat.TokenDifference, Direction = MetricDirection.LowerIsBetter,
        Definition = "retry_cost_usd / cost_usd × 100: the share of the cell's cost billed by attempts that did not end their request; empty when unpriced or the cell cost nothing",
        Source = "ARCHITECTURE.md (\"Cost model\")", Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson, JsonPaths = ["/cost/retry_cost_percent"],
        Cell = c => MetricValue.Number(c.Cost.RetryCostPercent is { } p ? (double)p : null),
    };

    /// <summary><c>attempts_failed_&lt;outcome&gt;</c>: attempts sent per failure outcome (what the endpoint did with each
    /// send, every retry counted), then <c>attempts_cancelled</c> (hedging losers), in <see cref="Outcome"/> order.</summary>
    public static IReadOnlyList<MetricDefinition> AttemptFailures { get; } =
    [
        .. Outcomes.Failures.Where(o => o != Outcome.ClientRejected).Select(o => AttemptFigure($"attempts_failed_{Names.Of(o)}", $"attempts failed: {Names.Of(o)}", "attempts", NumberFormat.Integer,
            MetricDirection.LowerIsBetter, $"attempts sent whose outcome was {Names.Of(o)}, every retry and hedge counted (failed_{Names.Of(o)} counts the logical requests that ended so)",
            c => MetricValue.Count(c.Summary.AttemptOutcomes.GetValueOrDefault(o)), MetricReduce.Sum)),
        AttemptFigure("attempts_cancelled", "attempts cancelled", "attempts", NumberFormat.Integer, MetricDirection.None,
            "attempts sent and then cancelled by Bench: hedging losers (another attempt of the request had won), and attempts in flight at an interrupt",
            c => MetricValue.Count(c.Summary.AttemptOutcomes.GetValueOrDefault(Outcome.Cancelled)), MetricReduce.Sum),
    ];

    /// <summary>The per-attempt view, in file order.</summary>
    public static IReadOnlyList<MetricDefinition> AttemptView { get; } =
    [
        Attempts, .. AttemptFailures, AttemptSuccessRate, FirstAttemptSuccessRate, AttemptsPerRequest, AttemptsPerSuccess, RetriedRequests, HedgedRequests,
        RetryAddedMsP50, RetryAddedMsP95, RetryAddedMsMax, BackoffMsTotal, RateLimitedMsTotal, .. RetryTokens,
    ];

    // ----- SLOs -----

    /// <summary><c>goodput_rps</c>: requests/s that succeeded and met every SLO set (null without SLOs).</summary>
    public static readonly MetricDefinition GoodputRps = new()
    {
        Id = "goodput_rps", DisplayName = "goodput req/s", Unit = "req/s", Format = NumberFormat.Rate, Direction = MetricDirection.HigherIsBetter,
        Definition = "requests/s that succeeded AND met every SLO set of the scenario (errors count against it)", Source = "ARCHITECTURE.md (DistServe's goodput)",
        Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson, JsonPaths = ["/goodput_rps"], OnlyWithSlos = true, Cell = c => MetricValue.Number(c.Summary.GoodputRps),
    };

    /// <summary><c>slo_&lt;name&gt;_name</c>: the set's name (<c>summary.json</c>'s <c>slos[].name</c>).</summary>
    public static readonly MetricTemplate SloName = Slo("slo_", "_name", "SLO set", "the SLO set's name", MetricExports.SummaryJson, "name", MetricDirection.None, NumberFormat.Exact, (n, _) => MetricValue.Text(n));

    /// <summary><c>slo_&lt;name&gt;_met</c>: whether the cell met the set.</summary>
    public static readonly MetricTemplate SloMet = Slo("slo_", "_met", "met", "true when the good fraction reaches the set's percentile and the success rate its minimum",
        MetricExports.SummaryCsv | MetricExports.SummaryJson, "met", MetricDirection.HigherIsBetter, NumberFormat.Exact, (_, r) => MetricValue.Flag(r?.Met));

    /// <summary><c>slo_&lt;name&gt;_good_requests</c>: requests that succeeded and met every threshold of the set.</summary>
    public static readonly MetricTemplate SloGoodRequests = Slo("slo_", "_good_requests", "good requests", "requests that succeeded and met every threshold of the set",
        MetricExports.SummaryJson, "good_requests", MetricDirection.HigherIsBetter, NumberFormat.Integer, (_, r) => MetricValue.Count(r?.GoodRequests), MetricReduce.Sum);

    /// <summary><c>slo_&lt;name&gt;_good_fraction</c>: good / attempted, 0..1.</summary>
    public static readonly MetricTemplate SloGoodFraction = Slo("slo_", "_good_fraction", "good", "good / attempted requests, 0..1",
        MetricExports.SummaryCsv | MetricExports.SummaryJson, "good_fraction", MetricDirection.HigherIsBetter, NumberFormat.Ratio, (_, r) => MetricValue.Number(r?.GoodFraction));

    /// <summary><c>goodput_rps_&lt;name&gt;</c>: good requests of the set / measured duration.</summary>
    public static readonly MetricTemplate SloGoodputRps = Slo("goodput_rps_", "", "goodput req/s", "requests/s that succeeded and met every threshold of the set",
        MetricExports.SummaryCsv | MetricExports.SummaryJson, "goodput_rps", MetricDirection.HigherIsBetter, NumberFormat.Rate, (_, r) => MetricValue.Number(r?.GoodputRps));

    /// <summary><c>slo_&lt;name&gt;_why</c>: which condition failed, with the measured figure; null when met.</summary>
    public static readonly MetricTemplate SloWhy = Slo("slo_", "_why", "why not met", "which condition of the set failed, with the measured figure",
        MetricExports.SummaryJson, "why", MetricDirection.None, NumberFormat.Exact, (_, r) => MetricValue.Text(r?.Why));

    /// <summary><c>slo_&lt;name&gt;_shown</c>: whether the sample shows the set is met (one-sided 95 % exact bounds).</summary>
    public static readonly MetricTemplate SloShown = Slo("slo_", "_shown", "shown",
        "true when the one-sided 95 % exact (Clopper–Pearson) lower bound of the good fraction reaches the set's percentile and that of the success rate its minimum",
        MetricExports.SummaryCsv | MetricExports.SummaryJson, "shown", MetricDirection.HigherIsBetter, NumberFormat.Exact,
        (_, r) => MetricValue.Flag(r is null ? null : r.Evidence == SloEvidence.Shown));

    /// <summary><c>slo_&lt;name&gt;_evidence</c>: <c>shown</c>, <c>not met</c> or <c>inconclusive</c>
    /// (<see cref="SloEvaluator.Evidence"/>).</summary>
    public static readonly MetricTemplate SloEvidenceWord = Slo("slo_", "_evidence", "evidence",
        "shown (every condition's one-sided 95 % lower bound reaches its target), not met (some condition's upper bound falls short) or inconclusive",
        MetricExports.SummaryJson, "evidence", MetricDirection.None, NumberFormat.Exact, (_, r) => MetricValue.Text(r is null ? null : EvidenceWord(r.Evidence)));

    /// <summary><c>slo_&lt;name&gt;_good_fraction_lower95</c>: the one-sided 95 % exact lower bound of the good fraction.</summary>
    public static readonly MetricTemplate SloGoodFractionLower = Slo("slo_", "_good_fraction_lower95", "good ≥ (95 %)",
        "one-sided 95 % exact (Clopper–Pearson) lower bound of good / attempted, 0..1",
        MetricExports.SummaryJson, "good_fraction_lower95", MetricDirection.HigherIsBetter, NumberFormat.Ratio, (_, r) => MetricValue.Number(r?.GoodFractionLower));

    /// <summary>The SLO templates, in the order <c>summary.json</c> writes a set's keys.</summary>
    public static IReadOnlyList<MetricTemplate> SloTemplates { get; } = [SloName, SloMet, SloShown, SloEvidenceWord, SloGoodRequests, SloGoodFraction, SloGoodFractionLower, SloGoodputRps, SloWhy];

    /// <summary>The SLO columns of <c>summary.csv</c> per set, in order.</summary>
    private static readonly MetricTemplate[] SloCsvTemplates = [SloMet, SloShown, SloGoodFraction, SloGoodputRps];

    // ----- batch-api cells: their batch jobs (batches.jsonl); empty for the other modes -----

    private const string BatchSource = "OpenAI Batch API object timestamps (created_at, in_progress_at, finalizing_at, completed_at/failed_at/expired_at/cancelled_at) via batches.jsonl";

    /// <summary><c>batches</c>: batch jobs of a batch-api cell.</summary>
    public static readonly MetricDefinition Batches = BatchFigure("batches", "batches", "batches", NumberFormat.Integer, MetricDirection.None,
        "batch jobs of the batch-api cell (Bench submits one per cell); empty for the other modes", b => MetricValue.Count(b.Count), MetricReduce.Sum);

    /// <summary><c>turnaround_s_p50</c>.</summary>
    public static readonly MetricDefinition TurnaroundSP50 = BatchFigure("turnaround_s_p50", "turnaround p50", "s", NumberFormat.Milliseconds, MetricDirection.LowerIsBetter,
        "median batch turnaround: created_at → the terminal time (completed, failed, expired or cancelled at), provider seconds (simulated seconds on the embedded simulator: see turnaround_simulated), over the cell's batches that ended; a batch line's only latency",
        b => MetricValue.Number(b.TurnaroundSP50), MetricReduce.Recompute);

    /// <summary><c>turnaround_s_p95</c>.</summary>
    public static readonly MetricDefinition TurnaroundSP95 = BatchFigure("turnaround_s_p95", "turnaround p95", "s", NumberFormat.Milliseconds, MetricDirection.LowerIsBetter,
        "nearest-rank 95th percentile of the batch turnarounds (created_at → terminal time), provider seconds; with one batch, its turnaround",
        b => MetricValue.Number(b.TurnaroundSP95), MetricReduce.Recompute);

    /// <summary><c>turnaround_s_max</c>.</summary>
    public static readonly MetricDefinition TurnaroundSMax = BatchFigure("turnaround_s_max", "turnaround max", "s", NumberFormat.Milliseconds, MetricDirection.LowerIsBetter,
        "longest batch turnaround (created_at → terminal time), provider seconds", b => MetricValue.Number(b.TurnaroundSMax), MetricReduce.Max);

    /// <summary><c>batch_queue_s</c>.</summary>
    public static readonly MetricDefinition BatchQueueS = BatchFigure("batch_queue_s", "batch queue", "s", NumberFormat.Milliseconds, MetricDirection.LowerIsBetter,
        "median over the cell's batches of created_at → in_progress_at (validation and queueing), provider seconds", b => MetricValue.Number(b.QueueS), MetricReduce.Recompute);

    /// <summary><c>batch_lines_per_s</c>.</summary>
    public static readonly MetricDefinition BatchLinesPerS = BatchFigure("batch_lines_per_s", "batch lines/s", "lines/s", NumberFormat.Rate, MetricDirection.HigherIsBetter,
        "median over the cell's batches of lines run (request_counts completed + failed) / (finalizing_at − in_progress_at), per provider second", b => MetricValue.Number(b.LinesPerS), MetricReduce.Recompute);

    /// <summary><c>observed_turnaround_s</c>.</summary>
    public static readonly MetricDefinition ObservedTurnaroundS = BatchFigure("observed_turnaround_s", "observed turnaround", "s", NumberFormat.Milliseconds, MetricDirection.LowerIsBetter,
        "median on Bench's run clock of batch creation sent → terminal status first seen, real seconds (includes up to one poll interval)", b => MetricValue.Number(b.ObservedTurnaroundS), MetricReduce.Recompute, "Bench (run clock)");

    /// <summary><c>batch_polls</c>.</summary>
    public static readonly MetricDefinition BatchPolls = BatchFigure("batch_polls", "batch polls", "polls", NumberFormat.Integer, MetricDirection.LowerIsBetter,
        "status polls (GET /v1/batches/{id}) Bench made, summed over the cell's batches", b => MetricValue.Count(b.Polls), MetricReduce.Sum, "Bench (batch client)");

    /// <summary><c>turnaround_simulated</c>.</summary>
    public static readonly MetricDefinition TurnaroundSimulated = BatchFigure("turnaround_simulated", "turnaround simulated", "", NumberFormat.Exact, MetricDirection.None,
        "true when the batches' provider clock was the embedded simulator's (time scale ≠ 1): turnaround and queue figures are simulated seconds, not a provider's", b => MetricValue.Flag(b.Simulated), MetricReduce.None, "Bench (batches.jsonl time_scale)");

    /// <summary><c>batch_time_scale</c>.</summary>
    public static readonly MetricDefinition BatchTimeScale = BatchFigure("batch_time_scale", "batch time scale", "×", NumberFormat.Rate, MetricDirection.None,
        "simulated provider seconds per real second of the batches' clock (the simulator's batch time scale; 1 for a real endpoint)", b => MetricValue.Number(b.TimeScale), MetricReduce.None, "Bench (batches.jsonl time_scale)");

    /// <summary><c>price_tier</c>.</summary>
    public static readonly MetricDefinition PriceTierUsed = new()
    {
        Id = "price_tier", DisplayName = "price tier", Definition = "which of the model's price lists applies: standard (streaming, non-streaming) or batch (batch-api: the Batch API's input/output prices; a model without them is unpriced in batch)",
        Source = "ARCHITECTURE.md (\"Cost model\")", Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson, JsonPaths = ["/cost/price_tier"],
        Cell = c => MetricValue.Text(c.Cost.Tier == Pricing.PriceTier.Batch ? "batch" : "standard"),
    };

    /// <summary>The batch figures of a cell, in file order (<c>summary.json</c>'s <c>batch</c> object).</summary>
    public static IReadOnlyList<MetricDefinition> BatchFigures { get; } =
        [Batches, TurnaroundSP50, TurnaroundSP95, TurnaroundSMax, BatchQueueS, BatchLinesPerS, ObservedTurnaroundS, BatchPolls, TurnaroundSimulated, BatchTimeScale];

    // ----- per request (records.csv) -----

    /// <summary>The columns of <c>records.csv</c>, in order: the record's identity, outcome and timestamps, each
    /// per-request distribution value (<see cref="RequestMetrics"/>), and token counts.</summary>
    public static IReadOnlyList<MetricDefinition> RecordsCsv { get; } =
    [
        Target,
        RequestField("id", "request id", "the record's id, unique in the run", NumberFormat.Integer, r => MetricValue.Count(r.Id)),
        Model,
        Mode,
        Policy,
        Replicate,
        RequestField("phase", "phase", "warmup, measure or sweep (only measure counts in statistics)", NumberFormat.Exact, r => MetricValue.Text(r.Phase)),
        RequestField("outcome", "outcome", "success or the failure class: timeout, rate_limited, server_error, client_error, connection_error, stream_interrupted, malformed", NumberFormat.Exact, r => MetricValue.Text(Names.Of(r.Outcome))),
        RequestField("http_status", "HTTP status", "the response's HTTP status code, if any", NumberFormat.Integer, r => MetricValue.Count(r.HttpStatus)),
        RequestField("error_type", "error type", "the error's type as the server said or Bench observed it", NumberFormat.Exact, r => MetricValue.Text(r.Error?.Type)),
        RequestField("error_code", "error code", "the error's code as the server said it", NumberFormat.Exact, r => MetricValue.Text(r.Error?.Code)),
        RequestField("message", "message", "the error's message as the server said it or Bench observed it (the API key redacted)", NumberFormat.Exact, r => MetricValue.Text(r.Error?.Message)),
        RequestField("finish_reason", "finish reason", "the choice's finish_reason", NumberFormat.Exact, r => MetricValue.Text(r.FinishReason)),
        RequestField("intended_ms", "intended", "open load only: the scheduled send time, ms from the run's origin", NumberFormat.Milliseconds, r => MetricValue.Number(r.IntendedMs), "ms"),
        RequestField("sent_ms", "sent", "when the request was sent, ms from the run's origin", NumberFormat.Milliseconds, r => MetricValue.Number(r.SentMs), "ms"),
        RequestField("headers_ms", "headers", "when the response headers had arrived, ms from the run's origin (empty when no response arrived)", NumberFormat.Milliseconds, r => MetricValue.Number(r.HeadersMs), "ms"),
        RequestField("end_ms", "end", "when the response ended, ms from the run's origin", NumberFormat.Milliseconds, r => MetricValue.Number(r.EndMs), "ms"),
        RequestField("attempt_count", "attempts", "attempts this logical request sent to the endpoint (1 without a policy; retries and hedges count, an attempt the policy refused does not); every attempt is in records.jsonl's attempts", NumberFormat.Integer, r => MetricValue.Count(AttemptMetrics.SentCount(r)), "attempts"),
        RequestField("backoff_ms", "back-off", "time the logical request waited between attempts (back-off and server-asked delays), ms", NumberFormat.Milliseconds, r => MetricValue.Number(AttemptMetrics.BackoffMs(r)), "ms"),
        RequestField("limiter_wait_ms", "limiter wait", "time the request waited for the client-side rate limiter before its first send, ms; empty without a limiter", NumberFormat.Milliseconds, r => MetricValue.Number(r.LimiterWaitMs), "ms"),
        RequestField("retry_added_ms", "added by retries", "e2e_ms minus the E2E of the attempt that ended the request (its send → its end): what earlier attempts and waits added; 0 for one attempt", NumberFormat.Milliseconds, r => MetricValue.Number(AttemptMetrics.RetryAddedMs(r)), "ms"),
        RequestField("custom_id", "custom id", "batch-api only: the line's custom_id in the batch's input, output and error files (bench-<id>)", NumberFormat.Exact, r => MetricValue.Text(r.CustomId)),
        RequestField("batch_id", "batch id", "batch-api only: the provider's id of the batch the line ran in", NumberFormat.Exact, r => MetricValue.Text(r.BatchId)),
        RequestField("connection_retried", "connection retried", "true when the request's reused pooled connection failed before any response byte (the keep-alive race) and it was sent again, once, on a fresh connection", NumberFormat.Exact, r => MetricValue.Flag(r.ConnectionRetried)),
        PerRequest(Metric.Ttfb),
        PerRequest(Metric.Ttft),
        PerRequest(Metric.Ttfo),
        PerRequest(Metric.E2e),
        PerRequest(Metric.Tpot),
        PerRequest(Metric.Queue),
        PerRequest(Metric.Response),
        RequestField("token_events", "token events", "token-bearing events received", NumberFormat.Integer, r => MetricValue.Count(r.TokenEventsMs.Count)),
        RequestField("prompt_tokens", "prompt tokens", "usage.prompt_tokens (or the local tokenizer's count)", NumberFormat.Integer, r => MetricValue.Count(r.PromptTokens), "tokens"),
        RequestField("completion_tokens", "completion tokens", "usage.completion_tokens, reasoning included (or the local tokenizer's count)", NumberFormat.Integer, r => MetricValue.Count(r.CompletionTokens), "tokens"),
        RequestField("reasoning_tokens", "reasoning tokens", "usage.completion_tokens_details.reasoning_tokens", NumberFormat.Integer, r => MetricValue.Count(r.ReasoningTokens), "tokens"),
        RequestField("cached_tokens", "cached tokens", "usage.prompt_tokens_details.cached_tokens", NumberFormat.Integer, r => MetricValue.Count(r.CachedTokens), "tokens"),
        RequestField("tokens_source", "tokens source", "usage (the server's) or tokenizer (counted locally)", NumberFormat.Exact, r => MetricValue.Text(r.TokensSource)),
        RequestField("usage_issue", "usage issue", "why the server's usage was not believed (kind: detail; see UsageCheck), empty when it was", NumberFormat.Exact, r => MetricValue.Text(r.UsageIssue)),
        RequestField("probe_rate_per_s", "probe rate", "sweep only: the offered rate of the probe the request belongs to", NumberFormat.Exact, r => MetricValue.Number(r.ProbeRatePerS), "req/s"),
    ];

    /// <summary>The intended-against-achieved lengths of a cell (issue 15), written in <c>summary.json</c>'s
    /// <c>lengths</c> block only when a request carried an intended length (<see cref="CellSummary.Lengths"/>).</summary>
    public static IReadOnlyList<MetricDefinition> LengthFigures { get; } =
    [
        LengthFigure("intended_prompt_tokens_mean", "intended prompt tokens mean", "mean intended prompt tokens (the message contents the source built, in the model family's tokenizer, no chat-template overhead) of successful requests with usage", l => l.IntendedPromptMean),
        LengthFigure("intended_prompt_tokens_p50", "intended prompt tokens p50", "median intended prompt tokens of the same requests (HdrHistogram, 3 significant digits)", l => l.IntendedPromptP50),
        LengthFigure("achieved_prompt_tokens_mean", "achieved prompt tokens mean", "mean usage prompt_tokens of the same requests (chat-template overhead included)", l => l.AchievedPromptMean),
        LengthFigure("achieved_prompt_tokens_p50", "achieved prompt tokens p50", "median usage prompt_tokens of the same requests", l => l.AchievedPromptP50),
        LengthFigure("prompt_overhead_tokens_mean", "prompt overhead tokens mean", "achieved_prompt_tokens_mean − intended_prompt_tokens_mean: the chat template (OpenAI's cookbook: 3 per message + 3) and any tokenizer difference", l => l.PromptOverheadMean),
        LengthFigure("intended_completion_tokens_mean", "intended completion tokens mean", "mean intended answer length (drawn output_tokens, an entry's max_tokens or a ShareGPT answer's tokens) of successful requests with usage", l => l.IntendedCompletionMean),
        LengthFigure("intended_completion_tokens_p50", "intended completion tokens p50", "median intended answer length of the same requests", l => l.IntendedCompletionP50),
        LengthFigure("achieved_completion_tokens_mean", "achieved completion tokens mean", "mean usage completion_tokens of the same requests", l => l.AchievedCompletionMean),
        LengthFigure("achieved_completion_tokens_p50", "achieved completion tokens p50", "median usage completion_tokens of the same requests", l => l.AchievedCompletionP50),
    ];

    /// <summary>Every figure with a fixed id: cell figures in <c>summary.csv</c> order (then those only in
    /// <c>summary.json</c>), then the per-request figures of <c>records.csv</c> not already listed. Ids are unique.</summary>
    public static IReadOnlyList<MetricDefinition> All { get; } = BuildAll();

    /// <summary>The figures whose ids carry a scenario name (SLO sets).</summary>
    public static IReadOnlyList<MetricTemplate> Templates => SloTemplates;

    private static readonly Dictionary<string, MetricDefinition> ById = All.ToDictionary(m => m.Id, StringComparer.Ordinal);

    /// <summary>The figure with column id <paramref name="id"/> (<c>ttft_ms_p99</c>, <c>goodput_rps_interactive</c>),
    /// fixed or templated.</summary>
    /// <exception cref="KeyNotFoundException">No figure has that id.</exception>
    public static MetricDefinition Find(string id) =>
        TryFind(id, out var metric) ? metric : throw new KeyNotFoundException($"No metric '{id}' in the catalogue.");

    /// <summary>Looks a figure up by column id: fixed ids first, then the templates (<c>slo_&lt;name&gt;_met</c>).</summary>
    public static bool TryFind(string id, out MetricDefinition metric)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (ById.TryGetValue(id, out metric!))
        {
            return true;
        }

        foreach (var template in SloTemplates)
        {
            if (template.TryMatch(id, out var name))
            {
                metric = template.For(name);
                return true;
            }
        }

        return false;
    }

    /// <summary>The columns of <c>summary.csv</c>, in order: the fixed cell figures, then — when there are SLO sets —
    /// <c>goodput_rps</c> and, per set, <c>slo_&lt;name&gt;_met</c>, <c>slo_&lt;name&gt;_good_fraction</c>,
    /// <c>goodput_rps_&lt;name&gt;</c>.</summary>
    public static IReadOnlyList<MetricDefinition> SummaryCsv(IReadOnlyList<string> sloNames)
    {
        ArgumentNullException.ThrowIfNull(sloNames);
        var columns = All.Where(m => m.Exports.HasFlag(MetricExports.SummaryCsv) && (!m.OnlyWithSlos || sloNames.Count > 0)).ToList();
        foreach (var name in sloNames)
        {
            columns.AddRange(SloCsvTemplates.Select(t => t.For(name)));
        }

        return columns;
    }

    /// <summary>The column id of a statistic of a distribution (<c>ttft_ms_p999</c>).</summary>
    public static string StatisticId(MetricDescriptor metric, Statistic statistic)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return $"{metric.Id}_{StatisticColumns.Single(s => s.Statistic == statistic).IdSuffix}";
    }

    /// <summary>The failure count of one outcome (<c>failed_rate_limited</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="outcome"/> is <see cref="Outcome.Success"/>, or not an attempt
    /// (<see cref="Dropped"/>, <see cref="Cancelled"/> have entries of their own).</exception>
    public static MetricDefinition Failed(Outcome outcome) => outcome == Outcome.Success || !outcome.IsAttempt()
        ? throw new ArgumentException($"{outcome} is not a failure of an attempt.", nameof(outcome))
        : Failures[((IList<Outcome>)Outcomes.Failures).IndexOf(outcome)];

    private static List<MetricDefinition> BuildAll()
    {
        var all = new List<MetricDefinition> { Target, Model, Mode, Policy, Requests, Successes, SuccessRate };
        all.AddRange(SuccessRateIntervals);
        all.AddRange(Failures);
        all.Add(Dropped);
        all.Add(Cancelled);
        all.AddRange(LatencyStatistics);
        all.AddRange(LatencyIntervals);
        all.AddRange([DecodeTpsMean, DecodeTpsP50, PromptTokensMean, CompletionTokensMean, ReasoningTokensMean, CachedTokensMean,
            TokenizerComparedRequests, CompletionTokenDiffMean, CompletionTokenDiffPercent, UsageFlagged, DurationS, Rps, IntendedRps, AchievedSendRps, OutputTps]);
        all.AddRange(BatchFigures);
        all.AddRange(LengthFigures);
        all.AddRange(AttemptView);
        all.AddRange([CostUsd, CostUsdPer1kRequests, CostUsdPerSuccess, .. CostIntervals, RetryCostUsd, RetryCostUsdPer1kRequests, RetryCostPercent, PriceSource, PriceTierUsed]);
        all.AddRange(PromptCaching);
        all.AddRange([GoodputRps, Unpriced]);
        all.AddRange(BilledTokens);
        all.AddRange(BilledCostFigures);
        all.AddRange(CellPrices);
        all.AddRange(ReplicateFigures);
        all.AddRange(RecordsCsv.Where(r => !all.Contains(r)));
        return all;
    }

    private static MetricDefinition NotAttempted(Outcome outcome, string definition) => new()
    {
        Id = Names.Of(outcome), DisplayName = Names.Of(outcome), Unit = "requests", Format = NumberFormat.Integer, Direction = MetricDirection.LowerIsBetter,
        Definition = definition, Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson,
        JsonPaths = [$"/outcomes/{Names.Of(outcome)}"], Reduce = MetricReduce.Sum, Cell = c => MetricValue.Count(c.Summary.Outcomes.GetValueOrDefault(outcome)),
    };

    private static MetricDefinition FailedEntry(Outcome outcome) => new()
    {
        Id = $"failed_{Names.Of(outcome)}", DisplayName = $"failed: {Names.Of(outcome)}", Unit = "requests", Format = NumberFormat.Integer, Direction = MetricDirection.LowerIsBetter,
        Definition = $"attempted requests whose outcome was {Names.Of(outcome)}", Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson,
        JsonPaths = [$"/outcomes/{Names.Of(outcome)}"], Reduce = MetricReduce.Sum, Cell = c => MetricValue.Count(c.Summary.Outcomes.GetValueOrDefault(outcome)),
    };

    private static MetricDefinition StatisticEntry(MetricDescriptor metric, Statistic statistic, string idSuffix, string jsonName, string label, MetricExports exports)
    {
        var over = metric == Metric.Queue || metric == Metric.Response ? "over every attempted request" : Successful;
        return new MetricDefinition
        {
            Id = $"{metric.Id}_{idSuffix}",
            DisplayName = $"{metric.DisplayName} {label}",
            Unit = statistic == Statistic.Count ? "samples" : metric.Unit,
            Format = statistic == Statistic.Count ? NumberFormat.Integer : NumberFormat.Milliseconds,
            Direction = statistic == Statistic.Count ? MetricDirection.None : metric.Direction,
            Definition = statistic switch
            {
                Statistic.Count => $"samples of {metric.Id} {over}",
                Statistic.Mean or Statistic.Min or Statistic.Max => $"exact {label} of {metric.Id} {over}",
                _ => $"{label} of {metric.Id} {over} (HdrHistogram, 3 significant digits)",
            },
            Source = metric.Source,
            Distribution = metric,
            Statistic = statistic,
            Exports = exports,
            JsonPaths = [$"/latency/{metric.Id}/{jsonName}"],
            Reduce = statistic switch
            {
                Statistic.Count => MetricReduce.Sum,
                Statistic.Min => MetricReduce.Min,
                Statistic.Max => MetricReduce.Max,
                Statistic.Mean => MetricReduce.Recompute,
                _ => MetricReduce.Histogram,
            },
            Cell = statistic == Statistic.Count
                ? c => MetricValue.Count(c.Summary.Get(metric)?.Count)
                : c => MetricValue.Number(c.Summary.Get(metric) is { } stats ? Of(stats, statistic) : null),
        };
    }

    private static double Of(MetricStats s, Statistic statistic) => statistic switch
    {
        Statistic.Mean => s.Mean,
        Statistic.P50 => s.P50,
        Statistic.P90 => s.P90,
        Statistic.P95 => s.P95,
        Statistic.P99 => s.P99,
        Statistic.P999 => s.P999,
        Statistic.Min => s.Min,
        Statistic.Max => s.Max,
        _ => s.Count,
    };

    private static MetricDefinition LengthFigure(string id, string display, string definition, Func<LengthComparison, double?> read) => new()
    {
        Id = id, DisplayName = display, Unit = "tokens", Format = NumberFormat.Tokens, Definition = definition, Source = "Bench (issue 15: prompt sources)",
        Exports = MetricExports.SummaryJson, JsonPaths = [$"/lengths/{id}"], Cell = c => MetricValue.Number(c.Summary.Lengths is { } l ? read(l) : null),
    };

    private static MetricDefinition TokenMean(string id, string display, string definition, Func<CellSummary, double?> read) => new()
    {
        Id = id, DisplayName = display, Unit = "tokens", Format = NumberFormat.Tokens, Definition = definition,
        Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson, JsonPaths = [$"/{id}"], Cell = c => MetricValue.Number(read(c.Summary)),
    };

    private static MetricDefinition BatchFigure(string id, string display, string unit, NumberFormat format, MetricDirection direction, string definition,
        Func<BatchSummary, MetricValue> read, MetricReduce reduce, string source = BatchSource) => new()
    {
        Id = id, DisplayName = display, Unit = unit, Format = format, Direction = direction, Definition = definition, Source = source, Reduce = reduce,
        Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson, JsonPaths = [$"/batch/{id}"],
        Cell = c => c.Batch is { } batch ? read(batch) : MetricValue.Number(null),
    };

    private static MetricDefinition Money(string id, string display, string definition, Func<CellResult, decimal?> read, MetricReduce reduce = MetricReduce.Recompute) => new()
    {
        Reduce = reduce,
        Id = id, DisplayName = display, Unit = "USD", Format = NumberFormat.Usd, Direction = MetricDirection.LowerIsBetter, Definition = definition,
        Source = "ARCHITECTURE.md (\"Cost model\")", Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson, JsonPaths = [$"/cost/{id}"],
        Cell = c => MetricValue.Usd(read(c)),
    };

    private const string BillingSource = "issue 14 (targets[].billing); Bench.Core.Pricing.BilledCost";

    private static MetricDefinition BilledMoney(string id, string display, string unit, string definition, Func<CellResult, decimal?> read, MetricReduce reduce = MetricReduce.Recompute) => new()
    {
        Reduce = reduce,
        Id = id, DisplayName = display, Unit = unit, Format = NumberFormat.Usd, Direction = MetricDirection.LowerIsBetter, Definition = definition,
        Source = BillingSource, Exports = MetricExports.SummaryJson, JsonPaths = [$"/cost/billing/{id}"],
        Cell = c => MetricValue.Usd(read(c)),
    };

    private static MetricDefinition AttemptFigure(string id, string display, string unit, NumberFormat format, MetricDirection direction, string definition,
        Func<CellResult, MetricValue> read, MetricReduce reduce = MetricReduce.Recompute) => new()
    {
        Id = id, DisplayName = display, Unit = unit, Format = format, Direction = direction, Definition = definition, Source = AttemptSource, Reduce = reduce,
        Exports = MetricExports.SummaryCsv | MetricExports.SummaryJson, JsonPaths = [$"/attempts/{id}"], Cell = read,
    };

    private static MetricDefinition Billed(string tokens, string kind, Func<CellResult, long> read) => new()
    {
        Id = $"billed_{tokens}", DisplayName = $"billed {kind} tokens", Unit = "tokens", Format = NumberFormat.Integer,
        Definition = $"{kind} tokens the provider billed over every attempted request", Source = "ARCHITECTURE.md (\"Cost model\")",
        Exports = MetricExports.SummaryJson, JsonPaths = [$"/billed_tokens/{tokens}"], Reduce = MetricReduce.Sum, Cell = c => MetricValue.Count(read(c)),
    };

    private static MetricTemplate Slo(string prefix, string suffix, string display, string definition, MetricExports exports, string jsonName,
        MetricDirection direction, NumberFormat format, Func<string, SloResult?, MetricValue> read, MetricReduce reduce = MetricReduce.Recompute) =>
        new(prefix, suffix, name => new MetricDefinition
        {
            Reduce = jsonName == "name" ? MetricReduce.None : reduce,
            Id = prefix + name + suffix,
            DisplayName = $"{name}: {display}",
            Unit = format == NumberFormat.Ratio ? "ratio" : format == NumberFormat.Rate ? "req/s" : "",
            Format = format,
            Direction = direction,
            Definition = $"SLO set {name}: {definition}",
            Source = "ARCHITECTURE.md (goodput as in DistServe)",
            Exports = exports,
            JsonPaths = [$"/slos/*/{jsonName}"],
            Cell = c => read(name, c.Summary.Slos.FirstOrDefault(s => s.Name == name)),
        });

    private static MetricDefinition RequestField(string id, string display, string definition, NumberFormat format, Func<RequestRecord, MetricValue> read, string unit = "") => new()
    {
        Id = id, DisplayName = display, Unit = unit, Format = format, Definition = definition, Exports = MetricExports.RecordsCsv, Request = read,
    };

    private static MetricDefinition PerRequest(MetricDescriptor metric) => new()
    {
        Id = metric.Id, DisplayName = metric.DisplayName, Unit = metric.Unit, Format = NumberFormat.Milliseconds, Direction = metric.Direction,
        Definition = metric.Definition, Source = metric.Source, Distribution = metric, Exports = MetricExports.RecordsCsv,
        Request = r => MetricValue.Number(metric.PerRequest!(r)),
    };
}
