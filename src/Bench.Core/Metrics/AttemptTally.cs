using Bench.Core.Pricing;
using Bench.Core.Records;

namespace Bench.Core.Metrics;

/// <summary>
/// Folds the attempts of one cell's logical requests (<see cref="AttemptMetrics"/>) into the per-attempt view: what
/// the endpoint did (attempts sent, their successes), what the policy changed (first-attempt success, retried and
/// hedged requests) and what it cost (latency added, waits, tokens billed by attempts that did not end the request).
/// Constant memory. Not thread-safe: the <see cref="CellAggregator"/> that owns it serialises access.
/// </summary>
internal sealed class AttemptTally
{
    private readonly long[] _outcomes = new long[Enum.GetValues<Outcome>().Length];
    private readonly LatencyHistogram _retryAddedPositive = new();
    private long _retryAddedZero;
    private long _prompt;
    private long _cached;
    private long _completion;

    public long Sent { get; private set; }

    public long SentSuccesses { get; private set; }

    public long FirstAttemptSuccesses { get; private set; }

    public long Retried { get; private set; }

    public long Hedged { get; private set; }

    public double BackoffMs { get; private set; }

    public double RateLimitedMs { get; private set; }

    public TokenCounts RetryTokens => new(_prompt, _cached, _completion);

    /// <summary>Attempts sent, per outcome (a hedging loser is <see cref="Outcome.Cancelled"/>).</summary>
    public IReadOnlyDictionary<Outcome, long> Outcomes => Enum.GetValues<Outcome>().Where(o => o != Outcome.ClientRejected).ToDictionary(o => o, o => _outcomes[(int)o]);

    /// <summary>Adds one attempted logical request (not dropped, not cancelled).</summary>
    public void Add(RequestRecord r)
    {
        if (r.Attempts is not { Count: > 0 } attempts)
        {
            // The record is its own only attempt: the common case, counted without building an attempt.
            var sent = r.Outcome != Outcome.ClientRejected;
            Sent += sent ? 1 : 0;
            _outcomes[(int)r.Outcome] += sent ? 1 : 0;
            SentSuccesses += r.Outcome == Outcome.Success ? 1 : 0;
            FirstAttemptSuccesses += r.Outcome == Outcome.Success ? 1 : 0;
            if (r.Outcome == Outcome.Success)
            {
                _retryAddedZero++;
            }
        }
        else
        {
            foreach (var a in attempts)
            {
                if (AttemptMetrics.WasSent(a))
                {
                    Sent++;
                    _outcomes[(int)a.Outcome]++;
                    SentSuccesses += a.Outcome == Outcome.Success ? 1 : 0;
                }
            }

            FirstAttemptSuccesses += attempts[0].Outcome == Outcome.Success ? 1 : 0;
            Retried += AttemptMetrics.IsRetried(r) ? 1 : 0;
            Hedged += AttemptMetrics.IsHedged(r) ? 1 : 0;
            var retry = AttemptMetrics.RetryBilledTokens(r);
            _prompt += retry.PromptTokens;
            _cached += retry.CachedTokens;
            _completion += retry.CompletionTokens;
            if (r.Outcome == Outcome.Success)
            {
                var added = AttemptMetrics.RetryAddedMs(r);
                if (added > 0)
                {
                    _retryAddedPositive.Record(added);
                }
                else
                {
                    _retryAddedZero++;
                }
            }
        }

        BackoffMs += AttemptMetrics.BackoffMs(r);
        RateLimitedMs += AttemptMetrics.RateLimitedMs(r);
    }

    /// <summary>The distribution of <c>retry_added_ms</c> over successful logical requests (zeros, the requests that
    /// succeeded at their first attempt, counted exactly: a percentile that falls among them is 0), or null when none
    /// succeeded.</summary>
    public MetricStats? RetryAdded()
    {
        var positive = _retryAddedPositive.ToStats();
        var total = _retryAddedZero + (positive?.Count ?? 0);
        if (total == 0)
        {
            return null;
        }

        if (positive is null)
        {
            return new MetricStats(total, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        double At(double percentile)
        {
            // The rank HdrHistogram uses: the smallest value with at least ⌈p/100 × n⌉ samples at or below it.
            var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * total));
            if (rank <= _retryAddedZero)
            {
                return 0;
            }

            var inPositive = (double)(rank - _retryAddedZero) / positive.Count * 100;
            return _retryAddedPositive.Histogram.GetValueAtPercentile(Math.Min(100, inPositive)) / 1000.0;
        }

        return new MetricStats(total, positive.Mean * positive.Count / total, At(50), At(90), At(95), At(99), At(99.9),
            _retryAddedZero > 0 ? 0 : positive.Min, positive.Max);
    }
}
