using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;

namespace Bench.Core.Tests.Metrics;

/// <summary>
/// The two views of one cell on hand-made logical requests: a single attempt, three attempts with 429s and back-off,
/// a hedge whose loser was cancelled, and requests the policy refused — each figure checked exactly, with the cell's
/// cost billing every attempt to the cent.
/// </summary>
public class AttemptMetricsTests
{
    private const string Model = "m";
    private const string Policy = "retries-3";

    /// <summary>One attempt, no policy: sent at 0, succeeded at 500 ms.</summary>
    private static RequestRecord Single(long id = 0, string? policy = Policy) => new()
    {
        Id = id, Model = Model, Mode = Mode.NonStreaming, Policy = policy, SentMs = 0, FirstByteMs = 400, EndMs = 500, HttpStatus = 200,
        Outcome = Outcome.Success, PromptTokens = 100_000, CompletionTokens = 50_000, TokensSource = TokenSources.Usage,
    };

    /// <summary>Three attempts: a 429 (the server asked for 1 s), a stream cut after 25,000 tokens (billed; the
    /// policy backed off 2 s), then a success. The limiter held the request 250 ms before its first send.</summary>
    private static RequestRecord ThreeAttempts(long id = 1) => new()
    {
        Id = id, Model = Model, Mode = Mode.NonStreaming, Policy = Policy, SentMs = 1000, FirstByteMs = 4500, EndMs = 4560, HttpStatus = 200,
        Outcome = Outcome.Success, PromptTokens = 100_000, CompletionTokens = 50_000, TokensSource = TokenSources.Usage,
        BackoffMs = 3000, LimiterWaitMs = 250,
        Attempts =
        [
            new AttemptRecord { Number = 1, SentMs = 1000, HeadersMs = 1030, EndMs = 1030, HttpStatus = 429, Outcome = Outcome.RateLimited,
                RateLimit = new RateLimitInfo(RetryAfterMs: 1000) },
            new AttemptRecord { Number = 2, BackoffMs = 1000, ServerDelay = true, SentMs = 2030, HeadersMs = 2040, EndMs = 2060, HttpStatus = 200,
                Outcome = Outcome.StreamInterrupted, PromptTokens = 100_000, CompletionTokens = 25_000, TokensSource = TokenSources.Usage },
            new AttemptRecord { Number = 3, BackoffMs = 2000, SentMs = 4060, HeadersMs = 4400, FirstByteMs = 4500, EndMs = 4560, HttpStatus = 200,
                Outcome = Outcome.Success, PromptTokens = 100_000, CompletionTokens = 50_000, TokensSource = TokenSources.Usage },
        ],
    };

    /// <summary>A hedge: attempt 1 was slow, attempt 2 (hedged at 2 s) won at 2.5 s and attempt 1 was cancelled.</summary>
    private static RequestRecord Hedged(long id = 2) => new()
    {
        Id = id, Model = Model, Mode = Mode.NonStreaming, Policy = Policy, SentMs = 0, FirstByteMs = 2450, EndMs = 2500, HttpStatus = 200,
        Outcome = Outcome.Success, PromptTokens = 100_000, CompletionTokens = 50_000, TokensSource = TokenSources.Usage,
        Attempts =
        [
            new AttemptRecord { Number = 1, SentMs = 0, EndMs = 2500, Outcome = Outcome.Cancelled },
            new AttemptRecord { Number = 2, Hedged = true, SentMs = 2000, FirstByteMs = 2450, EndMs = 2500, HttpStatus = 200, Outcome = Outcome.Success,
                PromptTokens = 100_000, CompletionTokens = 50_000, TokensSource = TokenSources.Usage },
        ],
    };

    /// <summary>The circuit was open: the policy refused the only attempt.</summary>
    private static RequestRecord Refused(long id = 3) => new()
    {
        Id = id, Model = Model, Mode = Mode.NonStreaming, Policy = Policy, SentMs = 5000, EndMs = 5000, Outcome = Outcome.ClientRejected,
        Attempts = [new AttemptRecord { Number = 1, SentMs = 5000, EndMs = 5000, Outcome = Outcome.ClientRejected }],
    };

    /// <summary>A 503, then the breaker opened and refused the retry.</summary>
    private static RequestRecord FailedThenRefused(long id = 4) => new()
    {
        Id = id, Model = Model, Mode = Mode.NonStreaming, Policy = Policy, SentMs = 6000, EndMs = 6520, Outcome = Outcome.ClientRejected, BackoffMs = 500,
        Attempts =
        [
            new AttemptRecord { Number = 1, SentMs = 6000, HeadersMs = 6020, EndMs = 6020, HttpStatus = 503, Outcome = Outcome.ServerError },
            new AttemptRecord { Number = 2, BackoffMs = 500, SentMs = 6520, EndMs = 6520, Outcome = Outcome.ClientRejected },
        ],
    };

    [Fact]
    public void Of_SingleAttempt_IsTheRecordItself()
    {
        var r = Single();

        var only = Assert.Single(AttemptMetrics.Of(r));

        Assert.Equal((1, 0.0, 500.0, Outcome.Success, 100_000), (only.Number, only.SentMs, only.EndMs, only.Outcome, only.PromptTokens!.Value));
        Assert.Equal(1, AttemptMetrics.SentCount(r));
        Assert.Equal(0, AttemptMetrics.RetryAddedMs(r));
        Assert.Equal(default, AttemptMetrics.RetryBilledTokens(r));
        Assert.False(AttemptMetrics.IsRetried(r));
        Assert.False(AttemptMetrics.IsHedged(r));
    }

    [Fact]
    public void RetryAddedMs_ThreeAttempts_IsE2eMinusTheEndingAttemptsE2e()
    {
        var r = ThreeAttempts();

        // e2e 4560 − 1000 = 3560; the attempt that ended it took 4560 − 4060 = 500.
        Assert.Equal(3060, AttemptMetrics.RetryAddedMs(r));
        Assert.Equal(3, AttemptMetrics.Ending(r).Number);
        Assert.Equal(3, AttemptMetrics.SentCount(r));
        Assert.True(AttemptMetrics.IsRetried(r));
        Assert.False(AttemptMetrics.IsHedged(r));
        Assert.Equal(3000, AttemptMetrics.BackoffMs(r));
        Assert.Equal(1000 + 250, AttemptMetrics.RateLimitedMs(r));
        Assert.Equal(new TokenCounts(100_000, 0, 25_000), AttemptMetrics.RetryBilledTokens(r));
    }

    [Fact]
    public void Hedged_LoserCancelled_WasSent_WinnerEndsTheRequest()
    {
        var r = Hedged();

        Assert.Equal(2, AttemptMetrics.Ending(r).Number);
        Assert.Equal(2, AttemptMetrics.SentCount(r));
        Assert.Equal(2000, AttemptMetrics.RetryAddedMs(r));
        Assert.True(AttemptMetrics.IsHedged(r));
        Assert.False(AttemptMetrics.IsRetried(r));
        Assert.Equal(default, AttemptMetrics.RetryBilledTokens(r));
    }

    [Fact]
    public void ClientRejected_WasNotSent()
    {
        Assert.Equal(0, AttemptMetrics.SentCount(Refused()));
        Assert.Equal(1, AttemptMetrics.SentCount(FailedThenRefused()));
        Assert.Equal(2, AttemptMetrics.Ending(FailedThenRefused()).Number);
        Assert.False(AttemptMetrics.IsRetried(Refused()));
        Assert.False(AttemptMetrics.IsRetried(FailedThenRefused()));
    }

    [Fact]
    public void Summarize_EveryShape_BothViewsExactly()
    {
        var cell = new CellAggregator(Model, Mode.NonStreaming, policy: Policy);
        foreach (var r in new[] { Single(), ThreeAttempts(), Hedged(), Refused(), FailedThenRefused() })
        {
            cell.Add(r);
        }

        // A record of the same model and mode under another policy (or none) is another cell.
        cell.Add(Single(id: 9, policy: null));

        var s = cell.Summarize();

        Assert.Equal(Policy, s.Policy);
        // What the user saw: 5 logical requests, 3 successes.
        Assert.Equal((5L, 3L), (s.Requests, s.Successes));
        Assert.Equal(0.6, s.SuccessRate, 12);
        // What the endpoint did: 1 + 3 + 2 + 0 + 1 attempts sent, 3 of them successes.
        Assert.Equal(7, s.Attempts);
        Assert.Equal(3.0 / 7, s.AttemptSuccessRate!.Value, 12);
        // Per attempt outcome: a 429, a cut stream, a 503 and a cancelled hedging loser beside the 3 successes; the
        // refused attempts were not sent.
        Assert.Equal(
            [(Outcome.Success, 3L), (Outcome.RateLimited, 1L), (Outcome.ServerError, 1L), (Outcome.StreamInterrupted, 1L), (Outcome.Cancelled, 1L)],
            s.AttemptOutcomes.Where(o => o.Value > 0).Select(o => (o.Key, o.Value)).OrderByDescending(o => o.Key == Outcome.Success).ThenBy(o => o.Key == Outcome.Cancelled).ThenBy(o => o.Key));
        Assert.False(s.AttemptOutcomes.ContainsKey(Outcome.ClientRejected));
        // First attempts that succeeded: only the single one (the hedge's first attempt was cancelled).
        Assert.Equal(1, s.FirstAttemptSuccesses);
        Assert.Equal(0.2, s.FirstAttemptSuccessRate, 12);
        Assert.Equal(7.0 / 5, s.AttemptsPerRequest!.Value, 12);
        Assert.Equal(7.0 / 3, s.AttemptsPerSuccess!.Value, 12);
        Assert.Equal((1L, 1L), (s.RetriedRequests, s.HedgedRequests));
        // Retry-added over the 3 successes: 0, 2000, 3060.
        var added = s.RetryAddedMs!;
        Assert.Equal(3, added.Count);
        Assert.Equal(0, added.Min);
        // Percentiles of the non-zero part from HdrHistogram: within its 3 significant digits (0.1 %).
        Assert.InRange(added.P50, 2000, 2002);
        Assert.InRange(added.P95, 3060, 3063.1);
        Assert.Equal(3060, added.Max);
        Assert.Equal(5060.0 / 3, added.Mean, 9);
        Assert.Equal(3000 + 500, s.BackoffMsTotal);
        Assert.Equal(1250, s.RateLimitedMsTotal);
        Assert.Equal(new TokenCounts(100_000, 0, 25_000), s.RetryBilledTokens);
        // Billed: three successes' tokens plus the interrupted attempt's.
        Assert.Equal(new TokenCounts(400_000, 0, 175_000), s.BilledTokens);
        Assert.Equal(2, s.Outcomes[Outcome.ClientRejected]);
    }

    [Fact]
    public void Summarize_NoPolicy_PerAttemptViewEqualsPerRequestView()
    {
        var cell = new CellAggregator(Model, Mode.NonStreaming);
        cell.Add(Single(0, policy: null));
        var failed = Single(1, policy: null);
        failed.Outcome = Outcome.ServerError;
        failed.PromptTokens = null;
        failed.CompletionTokens = null;
        cell.Add(failed);

        var s = cell.Summarize();

        Assert.Null(s.Policy);
        Assert.Equal(s.Requests, s.Attempts);
        Assert.Equal(s.SuccessRate, s.FirstAttemptSuccessRate);
        Assert.Equal(s.SuccessRate, s.AttemptSuccessRate);
        Assert.Equal(1.0, s.AttemptsPerRequest);
        Assert.Equal((0L, 0L), (s.RetriedRequests, s.HedgedRequests));
        Assert.Equal(0, s.RetryAddedMs!.P95);
        Assert.Equal((0.0, 0.0), (s.BackoffMsTotal, s.RateLimitedMsTotal));
    }

    [Fact]
    public void CellCost_BillsEveryAttempt_ToTheCent()
    {
        // $2 per 1M input tokens, $8 per 1M output tokens.
        var prices = PriceCatalog.Create("test", [new ModelPrice(Model, 2m, null, 8m, null, null, "test")]);
        var cell = new CellAggregator(Model, Mode.NonStreaming, policy: Policy);
        cell.Add(Single());
        cell.Add(ThreeAttempts());

        var cost = CellCost.Of(cell.Summarize(), prices);

        // Each success: 100,000 × $2/1M + 50,000 × $8/1M = $0.60; the interrupted attempt: $0.20 + 25,000 × $8/1M = $0.40.
        Assert.Equal(1.60m, cost.CostUsd);
        Assert.Equal(0.40m, cost.RetryCostUsd);
        Assert.Equal(200m, cost.RetryCostUsdPer1kRequests);
        Assert.Equal(25m, cost.RetryCostPercent);
        Assert.Equal(800m, cost.CostUsdPer1kRequests);
    }

    [Fact]
    public void RunAggregator_PolicyIsPartOfTheCell()
    {
        var run = new RunAggregator();
        run.Add(Single(0, policy: null));
        run.Add(Single(1, policy: Policy));
        run.Add(Single(2, policy: "other"));
        run.Add(Single(3, policy: Policy));

        var cells = run.Summarize();

        Assert.Equal([null, Policy, "other"], cells.Select(c => c.Policy));
        Assert.Equal([1L, 2L, 1L], cells.Select(c => c.Requests));
    }
}
