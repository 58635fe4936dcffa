namespace Bench.Core.Metrics;

public static partial class MetricCatalog
{
    /// <summary>The top-level key of <c>summary.json</c> holding multi-turn sessions per cell (written only when records
    /// carry turns).</summary>
    public const string ConversationsJsonKey = "conversations";

    /// <summary>The keys of each element of <c>summary.json</c>'s top-level <c>conversations</c> array (one per cell
    /// with sessions), in file order. <c>ConversationsReportTests</c> fails when the exporter writes a key not declared
    /// here.</summary>
    public static IReadOnlyList<SummaryJsonField> ConversationJsonFields { get; } =
    [
        new("target", "the cell's target; null for records written before targets existed"),
        new("model", "the cell's model"),
        new("mode", "the cell's mode"),
        new("policy", "the cell's resilience policy; null for none"),
        new("sessions", "sessions with a measured record (session_id), count"),
        new("sessions_complete", "sessions whose every drawn turn (session_turns) succeeded, count"),
        new("sessions_ended_early", "sessions a failed or dropped turn ended: their later turns were not sent, count"),
        new("sessions_cut", "sessions the step's count or end (or an interrupt) stopped before their drawn turns, every turn sent having succeeded, count"),
        new("cost_growth", "the last turn's mean cost per request ÷ the first turn's (ratio); null without a price or a second turn"),
        new("turns", "one object per turn, 1 to the highest recorded, keys in ConversationTurnJsonFields"),
    ];

    /// <summary>The keys of each element of a <c>conversations</c> cell's <c>turns</c> array, in file order.</summary>
    public static IReadOnlyList<SummaryJsonField> ConversationTurnJsonFields { get; } =
    [
        new("turn", "the turn, from 1"),
        new("requests", "attempted requests at this turn (dropped and cancelled turns are not attempts), count"),
        new("successes", "of which succeeded, count"),
        new("success_rate", "successes ÷ requests (ratio, 4 decimals); null without requests"),
        new("ttft_ms_p50", "median TTFT of the successful requests at this turn, ms (a non-streaming answer's first token arrives with its end: its E2E); null without one"),
        new("ttft_ms_p95", "95th percentile of the same, ms"),
        new("prompt_tokens_mean", "mean prompt tokens (the server's usage, else the local count) of the requests with a count: the history's growth"),
        new("cached_tokens_mean", "mean cached prompt tokens over the same requests"),
        new("cost_usd_per_request", "mean cost per attempted request with billable tokens at the model's standard list price, USD (8 decimals); null when unpriced"),
    ];
}
