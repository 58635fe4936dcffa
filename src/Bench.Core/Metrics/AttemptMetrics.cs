using Bench.Core.Pricing;
using Bench.Core.Records;

namespace Bench.Core.Metrics;

/// <summary>
/// The per-attempt view of one logical request (<see cref="RequestRecord"/>), each formula defined once. A record is
/// what the user saw: its outcome, times and tokens are those of the attempt that ended it, except
/// <see cref="RequestRecord.SentMs"/>, when the logical request began. <see cref="RequestRecord.Attempts"/> lists every
/// attempt when there was more than one or the policy refused one; when it is null the record is its own only attempt.
/// </summary>
public static class AttemptMetrics
{
    /// <summary>The attempts of <paramref name="r"/>, in the order sent: its <see cref="RequestRecord.Attempts"/>, or
    /// the record itself as attempt 1 when it has none.</summary>
    public static IReadOnlyList<AttemptRecord> Of(RequestRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return r.Attempts is { Count: > 0 } attempts ? attempts : [AsAttempt(r)];
    }

    /// <summary>True when the attempt went to the endpoint: every attempt but one the client's policy refused
    /// (<see cref="Outcome.ClientRejected"/>; a hedging loser cancelled in flight was sent, and counts).</summary>
    public static bool WasSent(AttemptRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return attempt.Outcome != Outcome.ClientRejected;
    }

    /// <summary>The attempt whose result the logical request returned: the last attempt whose outcome is the record's
    /// (for a hedged request, the winner; for a request retried to its end, the last), else the last attempt.</summary>
    public static AttemptRecord Ending(RequestRecord r)
    {
        var attempts = Of(r);
        for (var i = attempts.Count - 1; i >= 0; i--)
        {
            if (attempts[i].Outcome == r.Outcome)
            {
                return attempts[i];
            }
        }

        return attempts[^1];
    }

    /// <summary><c>attempt_count</c>: attempts the logical request sent to the endpoint (<see cref="WasSent"/>); 1
    /// without a policy, 0 when the policy refused its only attempt.</summary>
    public static int SentCount(RequestRecord r) => Of(r).Count(WasSent);

    /// <summary><c>retry_added_ms</c>: what retries and hedging added to the user's wait — the logical request's
    /// <c>e2e_ms</c> (first attempt's start → the end of the attempt that ended it) minus that ending attempt's own
    /// E2E (its send → its end); i.e. the time from the logical request's start to the send of the attempt that
    /// ended it: earlier attempts, back-off, server-asked and limiter waits. 0 for a single attempt; never negative
    /// (a clock anomaly reads 0).</summary>
    public static double RetryAddedMs(RequestRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.Attempts is not { Count: > 0 })
        {
            return 0;
        }

        var ending = Ending(r);
        return Math.Max(0, RequestMetrics.E2eMs(r) - (ending.EndMs - ending.SentMs));
    }

    /// <summary>True when the logical request was retried: some attempt after the first was not a hedge.</summary>
    public static bool IsRetried(RequestRecord r) => Of(r).Skip(1).Any(a => !a.Hedged && WasSent(a));

    /// <summary>True when the logical request sent a hedged attempt.</summary>
    public static bool IsHedged(RequestRecord r) => Of(r).Any(a => a.Hedged && WasSent(a));

    /// <summary>Total wait between attempts (back-off and server-asked delays), ms:
    /// <see cref="RequestRecord.BackoffMs"/>, else the sum of the attempts' <see cref="AttemptRecord.BackoffMs"/>.</summary>
    public static double BackoffMs(RequestRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return r.BackoffMs ?? (r.Attempts is { } attempts ? attempts.Sum(a => Math.Max(0, a.BackoffMs)) : 0);
    }

    /// <summary>Time the logical request spent rate-limited, ms: the waits the server asked for (attempts whose
    /// back-off came from <c>Retry-After</c>, <c>retry-after-ms</c> or the reset headers,
    /// <see cref="AttemptRecord.ServerDelay"/>) plus the wait for the client-side limiter
    /// (<see cref="RequestRecord.LimiterWaitMs"/>).</summary>
    public static double RateLimitedMs(RequestRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var server = r.Attempts is { } attempts ? attempts.Where(a => a.ServerDelay).Sum(a => Math.Max(0, a.BackoffMs)) : 0;
        return server + Math.Max(0, r.LimiterWaitMs ?? 0);
    }

    /// <summary>Tokens billed by the attempts that did not end the request (retried failures, cancelled hedging
    /// losers that carried usage), as their <see cref="AttemptRecord"/> counts say; impossible counts (negative,
    /// cached above prompt) are left out, never billed. Zero for a single attempt.</summary>
    public static TokenCounts RetryBilledTokens(RequestRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.Attempts is not { Count: > 0 } attempts)
        {
            return default;
        }

        var ending = Ending(r);
        long prompt = 0, cached = 0, completion = 0;
        foreach (var a in attempts)
        {
            if (ReferenceEquals(a, ending) || !Billable(a))
            {
                continue;
            }

            prompt += a.PromptTokens ?? 0;
            cached += a.CachedTokens ?? 0;
            completion += a.CompletionTokens ?? 0;
        }

        return new TokenCounts(prompt, cached, completion);
    }

    private static bool Billable(AttemptRecord a) =>
        a.PromptTokens is not < 0 && a.CompletionTokens is not < 0 && a.CachedTokens is not < 0 && (a.CachedTokens ?? 0) <= (a.PromptTokens ?? 0);

    private static AttemptRecord AsAttempt(RequestRecord r) => new()
    {
        Number = 1,
        BackoffMs = 0,
        SentMs = r.SentMs,
        HeadersMs = r.HeadersMs,
        FirstByteMs = r.FirstByteMs,
        FirstTokenMs = r.FirstTokenMs,
        EndMs = r.EndMs,
        HttpStatus = r.HttpStatus,
        Outcome = r.Outcome,
        Error = r.Error,
        PromptTokens = r.PromptTokens,
        CompletionTokens = r.CompletionTokens,
        CachedTokens = r.CachedTokens,
        TokensSource = r.TokensSource,
        RateLimit = r.RateLimit,
        ConnectionRetried = r.ConnectionRetried,
    };
}
