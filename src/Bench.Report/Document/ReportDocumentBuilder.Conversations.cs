using Bench.Report.Model;

namespace Bench.Report.Document;

/// <summary>The words for multi-turn sessions.</summary>
public static partial class ReportDocumentBuilder
{
    /// <summary>"Conversations: per turn": per cell, how sessions ended and each turn's requests, success, TTFT, prompt
    /// and cached tokens and mean cost — the cost growth per turn. Null when no record carries a turn.</summary>
    private static Section? ConversationsSection(RunReport report)
    {
        if (report.Conversations.Count == 0)
        {
            return null;
        }

        var blocks = new List<Block>
        {
            Para("Each turn of a session sends the whole conversation so far — the first prompt, every earlier user message and every earlier answer — plus a new user message, ",
                "so the prompt, its price and usually the time to the first token grow turn by turn. ",
                "A failed or dropped turn ends its session (", Strong("ended early"), "); a session the step's count or end stopped is ", Strong("cut"), ". ",
                "TTFT is of successful turns (a non-streaming answer's first token arrives with its end: its E2E); prompt and cached tokens are the server's usage; cost is the mean per request at the model's standard list price in USD."),
        };
        foreach (var cell in report.Conversations)
        {
            var growth = cell.CostGrowth is { } g ? string.Create(Inv, $"; turn {cell.Turns.Count} costs {g:0.0#}× turn 1") : "";
            blocks.Add(Para(Strong(cell.Cell.ToString()), string.Create(Inv,
                $": {cell.Sessions:N0} sessions, {cell.Complete:N0} complete, {cell.EndedEarly:N0} ended early, {cell.Cut:N0} cut{growth}.")));
            blocks.Add(Table(["turn", "requests", "success", "TTFT p50 ms", "TTFT p95 ms", "prompt tokens", "cached tokens", "USD / request"], "RRRRRRRR",
                cell.Turns.Select(t => Row([
                    t.Turn.ToString(Inv), t.Requests.ToString("N0", Inv), t.SuccessRate is { } rate ? Pct(rate) : "–",
                    Ms(t.Ttft?.P50, "N1"), Ms(t.Ttft?.P95, "N1"), Tok(t.MeanPromptTokens), Tok(t.MeanCachedTokens), Usd(t.MeanCostUsd, "0.000000"),
                ]))));
        }

        return new Section(Ids.Conversations, "Conversations: per turn", blocks);
    }
}
