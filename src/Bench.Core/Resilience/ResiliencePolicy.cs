using System.Collections.ObjectModel;
using System.Globalization;
using System.ComponentModel.DataAnnotations;
using Bench.Core.Configuration;
using Bench.Core.Records;
using Bench.Core.Scenarios;

namespace Bench.Core.Resilience;

/// <summary>
/// How the client treats a failed request: retries with back-off, per-attempt and total timeouts, a circuit breaker, a
/// client-side RPM/TPM rate limiter and hedging, built with Polly. A scenario's
/// <c>resilience</c> lists named policies; each becomes its own cells (model × mode × policy) so policies are compared
/// side by side on one report. No policy (the default) measures the raw endpoint: one attempt per request. JSON:
/// <c>{ "name": "retries-3", "retry": { "max_retries": 3 }, "circuit_breaker": { "failure_ratio": 0.5 } }</c>.
/// </summary>
public sealed record ResiliencePolicy : IConfigValidatable
{
    private const string NameRule = "use letters, digits, '-', '_', '+' or '.'";

    /// <summary>The policy's name, shown in the report and in each record's <c>policy</c>; unique in the scenario.
    /// JSON <c>name</c>.</summary>
    [Required(ErrorMessage = "is required")]
    [RegularExpression("^[A-Za-z0-9._+-]+$", ErrorMessage = NameRule)]
    public string Name { get; init; } = "";

    /// <summary>Retries; unset: none. JSON <c>retry</c>.</summary>
    public RetrySpec? Retry { get; init; }

    /// <summary>The longest one attempt may take, in seconds (Polly's timeout inside the retry: a slow attempt is cut
    /// and may be retried); unset: only the request's own deadlines (<c>request.timeout_s</c>, connect, first-byte,
    /// idle) bound it. JSON <c>attempt_timeout_s</c>.</summary>
    [TimeoutSeconds]
    public double? AttemptTimeoutS { get; init; }

    /// <summary>The longest a logical request may take over all its attempts and waits, in seconds (Polly's outermost
    /// timeout); unset: no bound beyond the attempts'. JSON <c>total_timeout_s</c>.</summary>
    [TimeoutSeconds]
    public double? TotalTimeoutS { get; init; }

    /// <summary>A circuit breaker; unset: none. JSON <c>circuit_breaker</c>.</summary>
    public CircuitBreakerSpec? CircuitBreaker { get; init; }

    /// <summary>A client-side rate limiter; unset: none. JSON <c>rate_limiter</c>.</summary>
    public ClientRateLimitSpec? RateLimiter { get; init; }

    /// <summary>Hedging (non-streaming requests only): a second attempt when the first is slow, the loser cancelled;
    /// unset: none. JSON <c>hedging</c>.</summary>
    public HedgingSpec? Hedging { get; init; }

    /// <summary>True when the policy does nothing (the raw endpoint under a name).</summary>
    public bool IsNone => Retry is null && AttemptTimeoutS is null && TotalTimeoutS is null && CircuitBreaker is null
        && RateLimiter is null && Hedging is null;

    /// <summary>No cross-field rules beyond the parts' own.</summary>
    public void Validate(ConfigValidation validation) => ArgumentNullException.ThrowIfNull(validation);
}

/// <summary>Retry with exponential back-off and jitter (Polly's retry strategy). JSON <c>retry</c>.</summary>
public sealed record RetrySpec
{
    /// <summary>Retries after the first attempt (0–100). JSON <c>max_retries</c>; default 3.</summary>
    [Range(0, 100, ErrorMessage = "must be between 0 and 100")]
    public int MaxRetries { get; init; } = 3;

    /// <summary>The first back-off, in milliseconds (doubling after each retry, with jitter). JSON <c>base_delay_ms</c>;
    /// default 1000.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "must be a number of milliseconds ≥ 0")]
    public double BaseDelayMs { get; init; } = 1000;

    /// <summary>The longest wait before a retry, in milliseconds, whether from back-off or from the server's
    /// <c>Retry-After</c>/reset headers; a server asking for longer ends the request (it is not retried). JSON
    /// <c>max_delay_ms</c>; default 60000.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "must be a number of milliseconds ≥ 0")]
    public double MaxDelayMs { get; init; } = 60_000;

    /// <summary>Randomise each back-off (Polly's decorrelated jitter). JSON <c>jitter</c>; default true.</summary>
    public bool Jitter { get; init; } = true;

    /// <summary>Wait what the server asks: <c>Retry-After</c> (seconds or HTTP date), <c>retry-after-ms</c>, or the
    /// <c>x-ratelimit-reset-requests|tokens</c> of an exhausted limit, instead of the back-off. JSON
    /// <c>honour_retry_after</c>; default true.</summary>
    public bool HonourRetryAfter { get; init; } = true;

    /// <summary>The outcomes retried. JSON <c>retry_on</c>; default rate_limited, server_error, connection_error,
    /// timeout, stream_interrupted, provider_error and empty_response (never client_error, malformed, local_error).</summary>
    public IReadOnlyList<Outcome> RetryOn { get; init => field = ReadOnly.CopyOf(value); } = DefaultRetryOn;

    /// <summary>The default <see cref="RetryOn"/>.</summary>
    public static IReadOnlyList<Outcome> DefaultRetryOn { get; } =
    [
        Outcome.RateLimited, Outcome.ServerError, Outcome.ConnectionError, Outcome.Timeout,
        Outcome.StreamInterrupted, Outcome.ProviderError, Outcome.EmptyResponse,
    ];
}

/// <summary>A circuit breaker (Polly's): when the failure ratio over a sampling window passes a threshold, requests
/// are refused at once (<c>client_rejected</c>) for a break, then one trial is let through (half-open). JSON
/// <c>circuit_breaker</c>.</summary>
public sealed record CircuitBreakerSpec
{
    /// <summary>Failure ratio that opens the circuit, (0, 1]. JSON <c>failure_ratio</c>; default 0.5.</summary>
    [Range(0d, 1d, MinimumIsExclusive = true, ErrorMessage = "must be in (0, 1]")]
    public double FailureRatio { get; init; } = 0.5;

    /// <summary>Attempts in the window before the ratio counts (≥ 2). JSON <c>minimum_throughput</c>; default 20.</summary>
    [Range(2, int.MaxValue, ErrorMessage = "must be at least 2")]
    public int MinimumThroughput { get; init; } = 20;

    /// <summary>The sampling window, in seconds (0.5 – 86,400: Polly's bounds). JSON <c>sampling_s</c>; default 10.</summary>
    [Range(0.5, 86_400, ErrorMessage = "must be between 0.5 and 86,400 seconds")]
    public double SamplingS { get; init; } = 10;

    /// <summary>How long the circuit stays open, in seconds (0.5 – 86,400: Polly's bounds), then one attempt is let
    /// through (half-open): its success closes the circuit, its failure opens it again. JSON <c>break_s</c>; default 5.</summary>
    [Range(0.5, 86_400, ErrorMessage = "must be between 0.5 and 86,400 seconds")]
    public double BreakS { get; init; } = 5;
}

/// <summary>A client-side rate limiter (Polly.RateLimiting over token buckets): requests wait for a permit, in
/// order; one that would wait past the queue is refused (<c>client_rejected</c>). JSON <c>rate_limiter</c>.</summary>
public sealed record ClientRateLimitSpec : IConfigValidatable
{
    /// <summary>Requests per minute. JSON <c>rpm</c>.</summary>
    [Range(1, 100_000_000, ErrorMessage = "must be between 1 and 100,000,000 requests per minute")]
    public int? Rpm { get; init; }

    /// <summary>Tokens per minute, each request counting its prompt tokens plus <c>max_tokens</c>. JSON <c>tpm</c>.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be between 1 and 2,147,483,647 tokens per minute")]
    public int? Tpm { get; init; }

    /// <summary>Requests that may wait for a permit at once. JSON <c>queue</c>; default 10000.</summary>
    [Range(0, 1_000_000, ErrorMessage = "must be between 0 and 1,000,000")]
    public int Queue { get; init; } = 10_000;

    /// <summary>At least one limit.</summary>
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (Rpm is null && Tpm is null)
        {
            validation.Error($"give {validation.NameOf(nameof(Rpm))}, {validation.NameOf(nameof(Tpm))} or both");
        }
    }
}

/// <summary>Hedging (Polly's): when a non-streaming attempt has not answered after <see cref="DelayMs"/>, another is
/// sent (at once when an attempt fails with an outcome in the retry's <c>retry_on</c>); the first good answer wins and
/// the others are cancelled (recorded as <c>cancelled</c> attempts). A streaming cell of a policy with hedging runs
/// without it (a stream's first bytes already answered). JSON <c>hedging</c>.</summary>
public sealed record HedgingSpec
{
    /// <summary>Wait before each hedged attempt, in milliseconds. JSON <c>delay_ms</c>; default 2000.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "must be a number of milliseconds ≥ 0")]
    public double DelayMs { get; init; } = 2000;

    /// <summary>Hedged attempts beyond the first (1–10). JSON <c>max_hedged_attempts</c>; default 1.</summary>
    [Range(1, 10, ErrorMessage = "must be between 1 and 10")]
    public int MaxHedgedAttempts { get; init; } = 1;
}
