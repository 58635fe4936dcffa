using Bench.Core.Records;

namespace Bench.Core.Metrics;

/// <summary>
/// Per-request metrics, each defined once, exactly as ARCHITECTURE.md ("Metric definitions") states, from the
/// monotonic timestamps in a <see cref="RequestRecord"/>. All results are milliseconds (or tokens/s), and
/// <see langword="null"/> when the metric is undefined for that request.
/// </summary>
public static class RequestMetrics
{
    /// <summary><c>ttfb_ms</c>: request sent → first response byte of the body (any SSE event, including a role-only
    /// prelude; for non-streaming, the first byte of the JSON body).</summary>
    public static double? TtfbMs(RequestRecord r) => r.FirstByteMs - r.SentMs;

    /// <summary><c>ttft_ms</c>: request sent → first event carrying a non-empty content, reasoning or tool-call delta.
    /// Streaming only: a non-streaming response has no first token distinct from its end. Per protocol (the readers in
    /// <c>Core/Wire</c>): Chat Completions <c>delta.content</c> / <c>reasoning_content</c> / <c>reasoning</c> /
    /// <c>tool_calls</c>; Responses <c>response.output_text.delta</c>, <c>response.refusal.delta</c>,
    /// <c>response.reasoning_summary_text.delta</c>, <c>response.reasoning_text.delta</c>,
    /// <c>response.function_call_arguments.delta</c> or a <c>function_call</c> item added; Anthropic
    /// <c>text_delta</c>, <c>thinking_delta</c>, <c>input_json_delta</c> or a <c>tool_use</c> block start; Gemini a part
    /// with <c>text</c> (a thought or not) or a <c>functionCall</c>.</summary>
    public static double? TtftMs(RequestRecord r) => r.Mode == Mode.Streaming ? r.FirstTokenMs - r.SentMs : null;

    /// <summary><c>ttfo_ms</c>: request sent → first non-reasoning output token (content or tool call). Streaming only.
    /// The events <see cref="TtftMs"/> counts without reasoning: Chat <c>reasoning_content</c> / <c>reasoning</c>,
    /// Responses <c>reasoning_summary_text</c> / <c>reasoning_text</c> deltas, Anthropic <c>thinking_delta</c>, Gemini
    /// <c>thought: true</c> parts.</summary>
    public static double? TtfoMs(RequestRecord r) => r.Mode == Mode.Streaming ? r.FirstOutputTokenMs - r.SentMs : null;

    /// <summary><c>e2e_ms</c>: request sent → end of response (final event / <c>[DONE]</c> / end of JSON body).</summary>
    public static double E2eMs(RequestRecord r) => r.EndMs - r.SentMs;

    /// <summary>
    /// <c>tpot_ms</c>: (t_last_token − t_first_token) / (completion_tokens − 1), per request — TPOT as defined by
    /// vLLM's <c>benchmark_serving</c>. Undefined (null) for non-streaming, without token counts, or for fewer than
    /// two completion tokens.
    /// </summary>
    public static double? TpotMs(RequestRecord r)
    {
        if (r.Mode != Mode.Streaming || r.FirstTokenMs is not { } first || r.LastTokenMs is not { } last
            || r.CompletionTokens is not { } tokens || tokens < 2)
        {
            return null;
        }

        return (last - first) / (tokens - 1);
    }

    /// <summary>
    /// <c>itl_ms</c>: the gaps between consecutive token-bearing events of one request (a stream of n token events has
    /// n − 1 gaps). Pooled across requests into one distribution by the aggregation.
    /// </summary>
    public static IEnumerable<double> ItlMs(RequestRecord r)
    {
        var events = r.TokenEventsMs;
        for (var i = 1; i < events.Count; i++)
        {
            yield return events[i] - events[i - 1];
        }
    }

    /// <summary><c>decode_tps</c>: completion_tokens / (t_last_token − t_first_token) in tokens per second, per request.
    /// Undefined when the span is zero or the counts are missing.</summary>
    public static double? DecodeTps(RequestRecord r)
    {
        if (r.Mode != Mode.Streaming || r.FirstTokenMs is not { } first || r.LastTokenMs is not { } last
            || r.CompletionTokens is not { } tokens || last <= first)
        {
            return null;
        }

        return tokens / ((last - first) / 1000.0);
    }

    /// <summary><c>queue_ms</c>: open load only, intended send time → actual send time (the scheduler's lag).</summary>
    public static double? QueueMs(RequestRecord r) => r.SentMs - r.IntendedMs;

    /// <summary><c>response_ms</c>: open load only, intended send time → end (latency corrected for coordinated omission).</summary>
    public static double? ResponseMs(RequestRecord r) => r.EndMs - r.IntendedMs;
}
