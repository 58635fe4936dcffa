namespace Bench.Core.Metrics;

/// <summary>
/// How a metric shows and compares itself (after BenchmarkDotNet's metric descriptors and crank's measurement
/// metadata): its id in files (<c>ttft_ms</c>), a display name, unit, definition and which direction is better.
/// </summary>
/// <param name="Id">Column/file id, snake_case with the unit (<c>ttft_ms</c>).</param>
/// <param name="DisplayName">Short name for tables (<c>TTFT</c>).</param>
/// <param name="Unit">Unit (<c>ms</c>, <c>tok/s</c>, <c>req/s</c>).</param>
/// <param name="Definition">One-line definition, as in ARCHITECTURE.md.</param>
/// <param name="LowerIsBetter">True for latencies, false for throughputs.</param>
public sealed record MetricDescriptor(string Id, string DisplayName, string Unit, string Definition, bool LowerIsBetter);

/// <summary>The latency metrics Bench aggregates into histograms, in report order.</summary>
public static class Metric
{
    /// <summary>Request sent → first response byte of the body.</summary>
    public static readonly MetricDescriptor Ttfb = new("ttfb_ms", "TTFB", "ms",
        "request sent → first response byte of the body (any SSE event, including a role-only prelude)", true);

    /// <summary>Request sent → first token-bearing event.</summary>
    public static readonly MetricDescriptor Ttft = new("ttft_ms", "TTFT", "ms",
        "request sent → first event carrying a non-empty content, reasoning or tool-call delta", true);

    /// <summary>Request sent → first non-reasoning output token.</summary>
    public static readonly MetricDescriptor Ttfo = new("ttfo_ms", "TTFO", "ms",
        "request sent → first non-reasoning output token", true);

    /// <summary>Request sent → end of response.</summary>
    public static readonly MetricDescriptor E2e = new("e2e_ms", "E2E", "ms",
        "request sent → end of response (final event / [DONE] / end of JSON body)", true);

    /// <summary>Time per output token after the first (vLLM).</summary>
    public static readonly MetricDescriptor Tpot = new("tpot_ms", "TPOT", "ms",
        "(t_last_token − t_first_token) / (completion_tokens − 1), per request (vLLM's TPOT)", true);

    /// <summary>Gaps between token-bearing events, pooled.</summary>
    public static readonly MetricDescriptor Itl = new("itl_ms", "ITL", "ms",
        "gaps between consecutive token-bearing events, pooled across requests", true);

    /// <summary>Scheduler lag in open workloads.</summary>
    public static readonly MetricDescriptor Queue = new("queue_ms", "Queue", "ms",
        "open model only: intended send time → actual send time (scheduler lag)", true);

    /// <summary>Latency corrected for coordinated omission.</summary>
    public static readonly MetricDescriptor Response = new("response_ms", "Response", "ms",
        "open model only: intended send time → end (latency corrected for coordinated omission)", true);

    /// <summary>Decode rate per request.</summary>
    public static readonly MetricDescriptor DecodeTps = new("decode_tps", "Decode", "tok/s",
        "completion_tokens / (t_last_token − t_first_token), per request", false);

    /// <summary>All histogrammed metrics, in report order.</summary>
    public static IReadOnlyList<MetricDescriptor> Latencies { get; } = [Ttfb, Ttft, Ttfo, Tpot, Itl, E2e, Queue, Response];
}
