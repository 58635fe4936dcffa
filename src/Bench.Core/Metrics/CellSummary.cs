using Bench.Core.Records;

namespace Bench.Core.Metrics;

/// <summary>
/// The summary of one cell — one model at one target in one mode under one resilience policy (or none) — over the records of the <c>measure</c> phase. Latency
/// distributions and token means are over successful requests; counts and billed tokens over all attempted ones.
/// </summary>
public sealed class CellSummary
{
    /// <summary>The target's name (<see cref="RequestRecord.Target"/>), or null for records without one.</summary>
    public string? Target { get; init; }

    /// <summary>Model id.</summary>
    public required string Model { get; init; }

    /// <summary>The cell's identity: target × model × mode × policy.</summary>
    public CellKey Key => new(Target, Model, Mode, Policy);

    /// <summary>The cell in text: <c>target · model · mode[ · policy]</c> (<see cref="CellKey.ToString"/>).</summary>
    public string Label => Key.ToString();

    /// <summary>Mode.</summary>
    public required Mode Mode { get; init; }

    /// <summary>The resilience policy's name (<see cref="RequestRecord.Policy"/>), or null for none: one attempt per
    /// request, the raw endpoint.</summary>
    public string? Policy { get; init; }

    /// <summary>Requests attempted (every outcome but the non-attempts <see cref="Outcome.Dropped"/> and
    /// <see cref="Outcome.Cancelled"/>).</summary>
    public long Requests { get; init; }

    /// <summary>Requests whose outcome was <see cref="Outcome.Success"/>.</summary>
    public long Successes { get; init; }

    /// <summary><c>success_rate</c>: successful / attempted, 0..1; 0 when nothing was attempted.</summary>
    public double SuccessRate => Requests == 0 ? 0 : (double)Successes / Requests;

    /// <summary>Requests per outcome (successes included), for the failure split; the non-attempts
    /// (<see cref="Outcome.Dropped"/>, <see cref="Outcome.Cancelled"/>) are here too, outside <see cref="Requests"/>.</summary>
    public required IReadOnlyDictionary<Outcome, long> Outcomes { get; init; }

    /// <summary>Distributions per latency metric id (<c>ttft_ms</c>, ...); a metric with no samples is absent.</summary>
    public required IReadOnlyDictionary<string, MetricStats> Latency { get; init; }

    /// <summary>Mean <c>decode_tps</c> over successful streaming requests, or null. A request whose last events
    /// arrive together (a pause on either side) has a huge rate and pulls the mean up: prefer
    /// <see cref="DecodeTpsP50"/> as the headline.</summary>
    public double? DecodeTpsMean { get; init; }

    /// <summary>Median <c>decode_tps</c> over successful streaming requests (3 significant digits), or null.</summary>
    public double? DecodeTpsP50 { get; init; }

    /// <summary>Mean prompt tokens per successful request, or null without usage.</summary>
    public double? PromptTokensMean { get; init; }

    /// <summary>Mean completion tokens (reasoning included) per successful request, or null without usage.</summary>
    public double? CompletionTokensMean { get; init; }

    /// <summary>Mean reasoning tokens per successful request, or null.</summary>
    public double? ReasoningTokensMean { get; init; }

    /// <summary>Mean cached prompt tokens per successful request, or null.</summary>
    public double? CachedTokensMean { get; init; }

    /// <summary>Successful requests that have both the server's <c>usage.completion_tokens</c> and a local tokenizer
    /// count of the text received (<see cref="RequestRecord.TokenizerCompletionTokens"/>).</summary>
    public long TokenizerComparedRequests { get; init; }

    /// <summary>Sum of the server's completion tokens over the <see cref="TokenizerComparedRequests"/>.</summary>
    public long ComparedServerCompletionTokens { get; init; }

    /// <summary>Sum of the locally counted completion tokens over the <see cref="TokenizerComparedRequests"/>.</summary>
    public long ComparedTokenizerCompletionTokens { get; init; }

    /// <summary>Mean of (server completion tokens − tokenizer completion tokens) per compared request, tokens; null when
    /// none was compared. Positive: the server counted more than the text it sent accounts for (hidden reasoning,
    /// tool-call framing, another tokenizer, or a relay's padding).</summary>
    public double? CompletionTokenDiffMean => TokenizerComparedRequests == 0
        ? null
        : (double)(ComparedServerCompletionTokens - ComparedTokenizerCompletionTokens) / TokenizerComparedRequests;

    /// <summary>The same difference relative to the tokenizer's count, percent: Σ(server − tokenizer) / Σ tokenizer ×
    /// 100; null when nothing was compared or the tokenizer counted nothing.</summary>
    public double? CompletionTokenDiffPercent => TokenizerComparedRequests == 0 || ComparedTokenizerCompletionTokens == 0
        ? null
        : 100.0 * (ComparedServerCompletionTokens - ComparedTokenizerCompletionTokens) / ComparedTokenizerCompletionTokens;

    /// <summary>Tokens the provider billed over all attempted requests (whatever usage each reported), every attempt of
    /// a logical request included (<see cref="RetryBilledTokens"/> is the part billed by attempts that did not end
    /// their request).</summary>
    public required Pricing.TokenCounts BilledTokens { get; init; }

    // ----- the per-attempt view (AttemptMetrics): what the endpoint did, and what the policy added -----

    /// <summary><c>retry_*_tokens</c>: tokens billed by the attempts that did not end their logical request
    /// (<see cref="AttemptMetrics.RetryBilledTokens"/>), summed over the cell; part of <see cref="BilledTokens"/>.</summary>
    public Pricing.TokenCounts RetryBilledTokens { get; init; }

    /// <summary><c>attempts</c>: attempts sent to the endpoint over the cell's attempted logical requests (a request
    /// without a policy is one attempt; an attempt the policy refused, <see cref="Outcome.ClientRejected"/>, was not
    /// sent; a cancelled hedging loser was).</summary>
    public long Attempts { get; init; }

    /// <summary>Attempts sent, per outcome: what the endpoint did with each send (a hedging loser cancelled in flight
    /// is <see cref="Outcome.Cancelled"/>; <see cref="Outcome.ClientRejected"/> is absent: those were not sent). Without
    /// a policy, the same as <see cref="Outcomes"/> for the attempted requests.</summary>
    public IReadOnlyDictionary<Outcome, long> AttemptOutcomes { get; init; } = new Dictionary<Outcome, long>();

    /// <summary>Attempts sent that succeeded.</summary>
    public long AttemptSuccesses { get; init; }

    /// <summary><c>attempt_success_rate</c>: successful / sent attempts, 0..1; null when none was sent.</summary>
    public double? AttemptSuccessRate => Attempts == 0 ? null : (double)AttemptSuccesses / Attempts;

    /// <summary>Logical requests whose first attempt succeeded.</summary>
    public long FirstAttemptSuccesses { get; init; }

    /// <summary><c>first_attempt_success_rate</c>: logical requests whose first attempt succeeded / attempted logical
    /// requests, 0..1: the success rate the cell would have had without its policy's retries and hedges (a first
    /// attempt a hedge cancelled counts as not succeeded). Equals <see cref="SuccessRate"/> without a policy.</summary>
    public double FirstAttemptSuccessRate => Requests == 0 ? 0 : (double)FirstAttemptSuccesses / Requests;

    /// <summary><c>attempts_per_request</c>: <see cref="Attempts"/> / attempted logical requests; null when none.</summary>
    public double? AttemptsPerRequest => Requests == 0 ? null : (double)Attempts / Requests;

    /// <summary><c>attempts_per_success</c>: <see cref="Attempts"/> / successful logical requests (failed requests'
    /// attempts carried by the successes); null when none succeeded.</summary>
    public double? AttemptsPerSuccess => Successes == 0 ? null : (double)Attempts / Successes;

    /// <summary><c>retried_requests</c>: logical requests that sent a retry (a non-hedged attempt after the first).</summary>
    public long RetriedRequests { get; init; }

    /// <summary><c>hedged_requests</c>: logical requests that sent a hedged attempt.</summary>
    public long HedgedRequests { get; init; }

    /// <summary><c>retry_added_ms</c> over successful logical requests (<see cref="AttemptMetrics.RetryAddedMs"/>: 0 for
    /// one attempt), ms; null when none succeeded.</summary>
    public MetricStats? RetryAddedMs { get; init; }

    /// <summary><c>backoff_ms_total</c>: time waited between attempts (back-off and server-asked delays), summed over
    /// the cell's logical requests, ms.</summary>
    public double BackoffMsTotal { get; init; }

    /// <summary><c>rate_limited_ms_total</c>: time spent rate-limited (<see cref="AttemptMetrics.RateLimitedMs"/>:
    /// server-asked waits plus client-side limiter waits), summed over the cell's logical requests, ms.</summary>
    public double RateLimitedMsTotal { get; init; }

    /// <summary>Attempted requests with no token counts at all (billing unknown; typically rejected requests).</summary>
    public long RequestsWithoutUsage { get; init; }

    /// <summary><c>usage_flagged</c>: attempted requests whose <c>usage</c> was not believed
    /// (<see cref="RequestRecord.UsageIssue"/>): billed from the local tokenizer's count, or not at all.</summary>
    public long UsageFlagged { get; init; }

    /// <summary>The part of <see cref="UsageFlagged"/> with no local count either: unpriced (outside the cost).</summary>
    public long UsageFlaggedUnpriced { get; init; }

    /// <summary>Flagged requests per issue kind (<see cref="UsageCheck"/>), most frequent first.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> UsageIssueKinds { get; init; } = [];

    /// <summary>The first few flagged request ids (<see cref="UsageFlags.MaxExampleIds"/>).</summary>
    public IReadOnlyList<long> UsageFlaggedExampleIds { get; init; } = [];

    /// <summary>Failed attempts by outcome and HTTP status, with their most common messages, largest group first.</summary>
    public IReadOnlyList<FailureGroup> FailureGroups { get; init; } = [];

    /// <summary>Measured duration in seconds: first request sent → last request ended, in this cell.</summary>
    public double DurationS { get; init; }

    /// <summary><c>rps</c>: completed (attempted) requests / measured duration.</summary>
    public double Rps => DurationS > 0 ? Requests / DurationS : 0;

    /// <summary><c>goodput_rps</c> as ARCHITECTURE.md defines it: requests that succeeded and met every SLO set of the
    /// scenario, per second of <see cref="DurationS"/>; null when the scenario has no SLOs. Each set's own goodput is
    /// in <see cref="Slos"/>.</summary>
    public double? GoodputRps { get; init; }

    /// <summary>Open load only: the rate the schedule asked for, (n − 1) / (last intended − first intended) send
    /// time over every arrival (dropped ones included), requests/s; null for closed load.</summary>
    public double? IntendedRatePerS { get; init; }

    /// <summary>Open load only: the rate requests actually went out at, (n − 1) / (last − first actual send time),
    /// requests/s. Below <see cref="IntendedRatePerS"/> when the client fell behind.</summary>
    public double? AchievedSendRatePerS { get; init; }

    /// <summary><c>output_tps</c>: completion tokens of successful requests / measured duration.</summary>
    public double OutputTps { get; init; }

    /// <summary>How the cell did against each SLO set of the scenario, in declaration order.</summary>
    public IReadOnlyList<SloResult> Slos { get; init; } = [];

    /// <summary>Moments of attempted requests' billed token counts and success, for the cost intervals
    /// (<see cref="Statistics.TokenMoments"/>); null for a summary not built by <see cref="CellAggregator"/>.</summary>
    public Statistics.TokenMoments? BilledTokenMoments { get; init; }

    /// <summary>The 95 % distribution-free intervals of p50/p95/p99 per latency metric id (ms), from the same
    /// histograms as <see cref="Latency"/> (<see cref="Statistics.QuantileInterval"/>).</summary>
    public IReadOnlyDictionary<string, Statistics.QuantileIntervals> LatencyCi { get; init; } = new Dictionary<string, Statistics.QuantileIntervals>();

    /// <summary><c>success_rate_ci_low/high</c>: the two-sided 95 % Wilson interval of the success rate
    /// (<see cref="Statistics.WilsonInterval"/>), null without requests.</summary>
    public Statistics.BinomialInterval? SuccessRateCi =>
        Requests > 0 && Successes <= Requests ? Statistics.WilsonInterval.Compute(Successes, Requests) : null;

    /// <summary>Intended against achieved prompt and completion lengths (issue 15), or null when no successful request
    /// carried an intended length.</summary>
    public LengthComparison? Lengths { get; init; }

    /// <summary>Latency stats for a metric id, or null when the metric has no samples.</summary>
    public MetricStats? Get(MetricDescriptor metric) => Latency.GetValueOrDefault(metric.Id);
}
