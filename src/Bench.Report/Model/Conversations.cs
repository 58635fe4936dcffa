using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;

namespace Bench.Report.Model;

/// <summary>One turn of a cell's multi-turn sessions: what the n-th turns of every session did (measured phase, sent
/// requests only: dropped and cancelled turns are not attempts).</summary>
/// <param name="Turn">The turn, from 1.</param>
/// <param name="Requests">Attempted requests at this turn.</param>
/// <param name="Successes">Of which succeeded.</param>
/// <param name="Ttft">TTFT of the successful ones, ms (a non-streaming answer's first token arrives with its end:
/// its E2E, <see cref="Metric.FirstTokenArrivesWithEnd"/>); null without one.</param>
/// <param name="MeanPromptTokens">Mean prompt tokens (the server's usage, else the local count) of the requests with a
/// count; it grows with the history.</param>
/// <param name="MeanCachedTokens">Mean cached prompt tokens over the same requests (0 when usage reports none).</param>
/// <param name="MeanCostUsd">Mean cost per attempted request with a price (<see cref="CostModel.RequestCostUsd(RequestRecord, ModelPrice, bool)"/>
/// at the model's standard prices), USD; null when the model is unpriced.</param>
public sealed record ConversationTurn(int Turn, long Requests, long Successes, MetricStats? Ttft, double? MeanPromptTokens, double? MeanCachedTokens, decimal? MeanCostUsd)
{
    /// <summary>Successes ÷ requests; null without requests.</summary>
    public double? SuccessRate => Requests == 0 ? null : (double)Successes / Requests;
}

/// <summary>A cell's multi-turn sessions: how they ended, and each turn's figures — the cost growth per turn as the
/// history grows.</summary>
/// <param name="Cell">The cell.</param>
/// <param name="Sessions">Sessions with a measured record.</param>
/// <param name="Complete">Sessions whose every drawn turn succeeded.</param>
/// <param name="EndedEarly">Sessions a failed or dropped turn ended (their later turns were not sent).</param>
/// <param name="Cut">Sessions the step's count or end stopped before their drawn turns (every turn sent succeeded), or
/// that an interrupt cut.</param>
/// <param name="Turns">Per turn, 1 to the highest turn recorded.</param>
public sealed record ConversationCell(CellKey Cell, long Sessions, long Complete, long EndedEarly, long Cut, IReadOnlyList<ConversationTurn> Turns)
{
    /// <summary>The last turn's mean cost ÷ the first's: how much dearer a request gets as the history grows; null
    /// without both.</summary>
    public decimal? CostGrowth => Turns.Count > 1 && Turns[0].MeanCostUsd is > 0m and var first && Turns[^1].MeanCostUsd is { } last
        ? last / first
        : null;
}

/// <summary>
/// Gathers the records of multi-turn sessions (those with a <see cref="RequestRecord.Turn"/>) in the report's one pass
/// over <c>records.jsonl</c>, per cell and turn; memory grows with cells × turns and with sessions (one small entry
/// each), not with requests (TTFT goes into an HdrHistogram per turn).
/// </summary>
/// <param name="prices">The price catalogue each request is priced with (the model's standard prices).</param>
public sealed class ConversationsBuilder(PriceCatalog prices)
{
    private readonly Dictionary<CellKey, CellState> _cells = [];

    /// <summary>Adds one record (warm-up records and records without a turn are ignored).</summary>
    public void Add(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Turn is not { } turn || turn < 1 || record.Phase == Phases.Warmup)
        {
            return;
        }

        var key = CellKey.Of(record);
        if (!_cells.TryGetValue(key, out var cell))
        {
            _cells[key] = cell = new CellState(prices.TryGet(key.Model, out var price) ? price : null);
        }

        cell.Add(record, turn);
    }

    /// <summary>The cells with sessions, in first-seen order. Empty when no record carries a turn.</summary>
    public IReadOnlyList<ConversationCell> Build() => [.. _cells.Select(p => p.Value.Build(p.Key))];

    private sealed class TurnState
    {
        public long Requests;
        public long Successes;
        public readonly LatencyHistogram Ttft = new();
        public long Counted;
        public double PromptTokens;
        public double CachedTokens;
        public decimal Cost;
        public long CostCount;
    }

    private sealed class CellState(ModelPrice? price)
    {
        private readonly List<TurnState> _turns = [];
        private readonly Dictionary<string, (int Last, bool Ok, int Drawn)> _sessions = new(StringComparer.Ordinal);

        public void Add(RequestRecord record, int turn)
        {
            if (record.SessionId is { } id)
            {
                var ok = record.Outcome == Outcome.Success;
                var drawn = record.SessionTurns ?? turn;
                _sessions[id] = _sessions.TryGetValue(id, out var seen) && seen.Last > turn
                    ? seen
                    : (turn, ok, drawn);
            }

            if (!record.Outcome.IsAttempt())
            {
                return;
            }

            while (_turns.Count < turn)
            {
                _turns.Add(new TurnState());
            }

            var state = _turns[turn - 1];
            state.Requests++;
            if (record.Outcome == Outcome.Success)
            {
                state.Successes++;
                var ttft = RequestMetrics.TtftMs(record) ?? (Metric.FirstTokenArrivesWithEnd(Metric.Ttft, record.Mode) ? RequestMetrics.E2eMs(record) : null);
                if (ttft is { } ms && ms >= 0)
                {
                    state.Ttft.Record(ms);
                }
            }

            if (record.PromptTokens is { } prompt)
            {
                state.Counted++;
                state.PromptTokens += prompt;
                state.CachedTokens += record.CachedTokens ?? 0;
            }

            if (price is not null && CostModel.RequestCostUsd(record, price, record.Mode == Mode.BatchApi) is { } cost)
            {
                state.Cost += cost;
                state.CostCount++;
            }
        }

        public ConversationCell Build(CellKey key)
        {
            var turns = new List<ConversationTurn>(_turns.Count);
            for (var i = 0; i < _turns.Count; i++)
            {
                var t = _turns[i];
                decimal? cost = price is null || t.CostCount == 0 ? null : t.Cost / t.CostCount;

                turns.Add(new ConversationTurn(i + 1, t.Requests, t.Successes, t.Ttft.ToStats(),
                    t.Counted == 0 ? null : t.PromptTokens / t.Counted, t.Counted == 0 ? null : t.CachedTokens / t.Counted, cost));
            }

            var complete = _sessions.Values.Count(s => s.Ok && s.Last >= s.Drawn);
            var endedEarly = _sessions.Values.Count(s => !s.Ok);
            return new ConversationCell(key, _sessions.Count, complete, endedEarly, _sessions.Count - complete - endedEarly, turns);
        }
    }
}
