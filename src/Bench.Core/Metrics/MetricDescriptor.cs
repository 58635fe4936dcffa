using Bench.Core.Records;

namespace Bench.Core.Metrics;

/// <summary>
/// A per-request distribution Bench aggregates into a histogram per cell (after BenchmarkDotNet's metric descriptors
/// and crank's measurement metadata): its id in files (<c>ttft_ms</c>), a display name, unit, definition, the source
/// of that definition, which direction is better, and how a request's value is computed
/// (<see cref="RequestMetrics"/> holds the formulas). Each statistic of it (<c>ttft_ms_p99</c>) is a
/// <see cref="MetricDefinition"/> of <see cref="MetricCatalog"/>: see <see cref="Column"/>.
/// </summary>
/// <param name="Id">Column/file id, snake_case with the unit (<c>ttft_ms</c>).</param>
/// <param name="DisplayName">Short name for tables (<c>TTFT</c>).</param>
/// <param name="Unit">Unit (<c>ms</c>, <c>tok/s</c>, <c>req/s</c>).</param>
/// <param name="Definition">One-line definition, as in ARCHITECTURE.md.</param>
/// <param name="LowerIsBetter">True for latencies, false for throughputs.</param>
public sealed record MetricDescriptor(string Id, string DisplayName, string Unit, string Definition, bool LowerIsBetter)
{
    /// <summary>Where the definition comes from (<c>ARCHITECTURE.md</c>, <c>vLLM benchmark_serving</c>).</summary>
    public string Source { get; init; } = "ARCHITECTURE.md";

    /// <summary>A request's one value of the metric (null when undefined for it), or null for a metric with several
    /// values per request (<c>itl_ms</c>: one per gap between token events).</summary>
    public Func<RequestRecord, double?>? PerRequest { get; init; }

    /// <summary>Whether an SLO set's <c>max_ms</c> (and a threshold) may name this metric.</summary>
    public bool SloEligible { get; init; }

    /// <summary>Which direction is better.</summary>
    public MetricDirection Direction => LowerIsBetter ? MetricDirection.LowerIsBetter : MetricDirection.HigherIsBetter;

    /// <summary>The catalogue entry of one statistic of this distribution (<c>ttft_ms_p99</c>).</summary>
    /// <exception cref="KeyNotFoundException">The catalogue does not export that statistic of this metric
    /// (<c>decode_tps</c> has only a mean and a median).</exception>
    public MetricDefinition Column(Statistic statistic) => MetricCatalog.Find(MetricCatalog.StatisticId(this, statistic));
}

/// <summary>A statistic of a distribution, as it appears in ids (<c>_p999</c>) and in <c>summary.json</c>
/// (<c>p99.9</c>).</summary>
public enum Statistic
{
    /// <summary>Number of samples (<c>summary.json</c> only).</summary>
    Count,

    /// <summary>Exact arithmetic mean.</summary>
    Mean,

    /// <summary>Median.</summary>
    P50,

    /// <summary>90th percentile.</summary>
    P90,

    /// <summary>95th percentile.</summary>
    P95,

    /// <summary>99th percentile.</summary>
    P99,

    /// <summary>99.9th percentile: <c>p999</c> in ids, <c>p99.9</c> in <c>summary.json</c>.</summary>
    P999,

    /// <summary>Smallest sample (<c>summary.json</c> only).</summary>
    Min,

    /// <summary>Largest sample.</summary>
    Max,
}

/// <summary>Which direction of a figure is better (BenchmarkDotNet's <c>TheGreaterTheBetter</c>, with a third value
/// for counts and labels).</summary>
public enum MetricDirection
{
    /// <summary>Neither: a count, a label or a setting.</summary>
    None,

    /// <summary>Lower is better (latencies, cost, failures).</summary>
    LowerIsBetter,

    /// <summary>Higher is better (throughputs, success rate, goodput).</summary>
    HigherIsBetter,
}

/// <summary>The per-request distributions Bench aggregates into histograms, in report order, and the one rule that
/// judges a non-streaming answer's first token.</summary>
public static class Metric
{
    /// <summary>Request sent → first response byte of the body.</summary>
    public static readonly MetricDescriptor Ttfb = new("ttfb_ms", "TTFB", "ms",
        "request sent → first response byte of the body (any SSE event, including a role-only prelude)", true)
    { PerRequest = OwnLatency(RequestMetrics.TtfbMs), SloEligible = true };

    /// <summary>Request sent → first token-bearing event.</summary>
    public static readonly MetricDescriptor Ttft = new("ttft_ms", "TTFT", "ms",
        "request sent → first event carrying a generated token: content, reasoning or a tool call (name or arguments). Per protocol: Chat Completions a non-empty delta content, reasoning_content/reasoning or tool_calls; Responses response.output_text/refusal/reasoning_summary_text/reasoning_text/function_call_arguments .delta or a function_call item added; Anthropic text_delta, thinking_delta, input_json_delta or a tool_use block start; Gemini a part with text (thought or not) or a functionCall", true)
    { PerRequest = OwnLatency(RequestMetrics.TtftMs), SloEligible = true };

    /// <summary>Request sent → first non-reasoning output token.</summary>
    public static readonly MetricDescriptor Ttfo = new("ttfo_ms", "TTFO", "ms",
        "request sent → first non-reasoning output token: the events TTFT counts, without reasoning (Chat reasoning_content/reasoning, Responses reasoning_summary_text/reasoning_text deltas, Anthropic thinking_delta, Gemini thought: true parts)", true)
    { PerRequest = OwnLatency(RequestMetrics.TtfoMs), SloEligible = true };

    /// <summary>Request sent → end of response.</summary>
    public static readonly MetricDescriptor E2e = new("e2e_ms", "E2E", "ms",
        "request sent → end of response (final event / [DONE] / end of JSON body)", true)
    { PerRequest = OwnLatency(r => RequestMetrics.E2eMs(r)), SloEligible = true };

    /// <summary>Time per output token after the first (vLLM).</summary>
    public static readonly MetricDescriptor Tpot = new("tpot_ms", "TPOT", "ms",
        "(t_last_token − t_first_token) / (completion_tokens − 1), per request (vLLM's TPOT)", true)
    { PerRequest = OwnLatency(RequestMetrics.TpotMs), SloEligible = true, Source = "vLLM benchmark_serving" };

    /// <summary>Gaps between token-bearing events, pooled.</summary>
    public static readonly MetricDescriptor Itl = new("itl_ms", "ITL", "ms",
        "gaps between consecutive token-bearing events, pooled across requests", true)
    { Source = "vLLM benchmark_serving" };

    /// <summary>Scheduler lag in open workloads.</summary>
    public static readonly MetricDescriptor Queue = new("queue_ms", "Queue", "ms",
        "open model only: intended send time → actual send time (scheduler lag)", true)
    { PerRequest = OwnLatency(RequestMetrics.QueueMs) };

    /// <summary>Latency corrected for coordinated omission.</summary>
    public static readonly MetricDescriptor Response = new("response_ms", "Response", "ms",
        "open model only: intended send time → end (latency corrected for coordinated omission)", true)
    { PerRequest = OwnLatency(RequestMetrics.ResponseMs), SloEligible = true, Source = "ARCHITECTURE.md (coordinated omission: Gil Tene, HdrHistogram)" };

    /// <summary>Decode rate per request.</summary>
    public static readonly MetricDescriptor DecodeTps = new("decode_tps", "Decode", "tok/s",
        "completion_tokens / (t_last_token − t_first_token), per request", false)
    { PerRequest = OwnLatency(RequestMetrics.DecodeTps) };

    /// <summary>All histogrammed metrics, in report order.</summary>
    public static IReadOnlyList<MetricDescriptor> Latencies { get; } = [Ttfb, Ttft, Ttfo, Tpot, Itl, E2e, Queue, Response];

    /// <summary>The metrics an SLO set may name in <c>max_ms</c>, in report order.</summary>
    public static IReadOnlyList<MetricDescriptor> SloEligible { get; } = [.. Latencies.Where(m => m.SloEligible)];

    /// <summary>A distribution by id (<c>ttft_ms</c>, <c>decode_tps</c>), or null.</summary>
    public static MetricDescriptor? Find(string id) =>
        Latencies.FirstOrDefault(m => m.Id == id) ?? (id == DecodeTps.Id ? DecodeTps : null);

    /// <summary>
    /// The batch rule, the one place it is written: a <see cref="Mode.BatchApi"/> line has no latency of its own (it
    /// waits in the provider's queue with the rest of its batch; its sent and end times are the batch's submission and
    /// download), so it enters no per-request distribution (TTFB, TTFT, TTFO, TPOT, ITL, E2E, queue, response, decode
    /// rate) and no latency limit of an SLO. A batch's latency is its turnaround
    /// (<see cref="Batches.BatchRecord.TurnaroundS"/>, provider clock; <see cref="BatchSummary"/> per cell). Success
    /// rates, failures, tokens and cost come from the lines as for the other modes. False for batch-api.
    /// </summary>
    public static bool HasRequestLatency(Mode mode) => mode != Mode.BatchApi;

    /// <summary>A per-request formula under the batch rule (<see cref="HasRequestLatency"/>): null for a batch line.</summary>
    private static Func<RequestRecord, double?> OwnLatency(Func<RequestRecord, double?> formula) =>
        r => HasRequestLatency(r.Mode) ? formula(r) : null;

    /// <summary>
    /// The non-streaming first-token rule, the one place it is written: a non-streaming answer's first token reaches
    /// the user with its end, so <c>ttft_ms</c> and <c>ttfo_ms</c> of a non-streaming cell are judged (SLOs,
    /// thresholds, recommendations) on <c>e2e_ms</c>. True when that substitution applies.
    /// </summary>
    public static bool FirstTokenArrivesWithEnd(MetricDescriptor metric, Mode mode) =>
        mode != Mode.Streaming && (metric == Ttft || metric == Ttfo);

    /// <summary>The metric that stands for <paramref name="metric"/> when judging a cell of <paramref name="mode"/>:
    /// <see cref="E2e"/> for a non-streaming first token (<see cref="FirstTokenArrivesWithEnd"/>), else itself.</summary>
    public static MetricDescriptor JudgedAs(MetricDescriptor metric, Mode mode)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return FirstTokenArrivesWithEnd(metric, mode) ? E2e : metric;
    }

    /// <summary>
    /// A request's value of an SLO-eligible metric as SLOs judge it: the first-token rule applies
    /// (<see cref="JudgedAs"/>), and <c>response_ms</c> of a closed-load request (no intended send time) is its
    /// E2E. Null when the metric is undefined for the request (TPOT of a one-token answer), which no limit violates,
    /// and for a batch line (<see cref="HasRequestLatency"/>), which <see cref="SloEvaluator"/> never counts as good
    /// under a latency limit.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is not SLO-eligible.</exception>
    public static double? SloValue(RequestRecord r, MetricDescriptor metric)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(metric);
        if (!metric.SloEligible)
        {
            throw new ArgumentException($"'{metric.Id}' is not an SLO metric; use one of {string.Join(", ", SloEligible.Select(m => m.Id))}.", nameof(metric));
        }

        if (!HasRequestLatency(r.Mode))
        {
            return null;
        }

        var judged = JudgedAs(metric, r.Mode);
        return judged.PerRequest!(r) ?? (judged == Response ? RequestMetrics.E2eMs(r) : null);
    }
}
