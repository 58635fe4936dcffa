using System.Text.Json.Serialization;

namespace Bench.Core.Records;

/// <summary>
/// One attempt of a logical request made under a resilience policy (<see cref="RequestRecord.Attempts"/>): what the
/// endpoint did with that send. Times are ms on the run clock, like the record's.
/// </summary>
public sealed class AttemptRecord
{
    /// <summary>1 for the first send, 2 for the first retry, ... (hedged attempts are numbered in the order sent).</summary>
    public int Number { get; set; }

    /// <summary>True for a hedged attempt (sent while an earlier one was still running).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Hedged { get; set; }

    /// <summary>Time waited before this attempt was sent (back-off, or the server's Retry-After/reset), ms; 0 for the
    /// first.</summary>
    public double BackoffMs { get; set; }

    /// <summary>Whether the back-off came from the server's <c>Retry-After</c>/<c>retry-after-ms</c>/reset headers
    /// (true) or from the policy's back-off (false).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ServerDelay { get; set; }

    /// <summary>When this attempt was handed to the socket.</summary>
    public double SentMs { get; set; }

    /// <summary>When its response headers arrived.</summary>
    public double? HeadersMs { get; set; }

    /// <summary>When its first body byte arrived.</summary>
    public double? FirstByteMs { get; set; }

    /// <summary>When its first token arrived (streaming).</summary>
    public double? FirstTokenMs { get; set; }

    /// <summary>When it ended.</summary>
    public double EndMs { get; set; }

    /// <summary>HTTP status, when a response arrived.</summary>
    public int? HttpStatus { get; set; }

    /// <summary>How the attempt ended (<see cref="Outcome.Cancelled"/> for a hedging loser, <see cref="Outcome.ClientRejected"/>
    /// when the policy refused to send it).</summary>
    public Outcome Outcome { get; set; }

    /// <summary>Error details for a failed attempt.</summary>
    public ErrorInfo? Error { get; set; }

    /// <summary>Prompt tokens the attempt was billed for (usage, else the local count), when known.</summary>
    public int? PromptTokens { get; set; }

    /// <summary>Completion tokens the attempt was billed for, when known.</summary>
    public int? CompletionTokens { get; set; }

    /// <summary>Cached prompt tokens, when known.</summary>
    public int? CachedTokens { get; set; }

    /// <summary>Where the token counts came from (<see cref="TokenSources"/>).</summary>
    public string TokensSource { get; set; } = TokenSources.None;

    /// <summary>The rate-limit headers of its response, when it had any.</summary>
    public RateLimitInfo? RateLimit { get; set; }

    /// <summary>True when the keep-alive retry resent it on a fresh connection.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ConnectionRetried { get; set; }
}

/// <summary>
/// The rate-limit headers of one response, as the server sent them (OpenAI's <c>x-ratelimit-limit-requests</c>,
/// <c>x-ratelimit-remaining-requests</c>, <c>x-ratelimit-reset-requests</c> and the same for tokens; RFC 9110's
/// <c>Retry-After</c>; OpenAI's <c>retry-after-ms</c>), parsed: resets and waits in milliseconds. Absent headers are
/// <see langword="null"/>; a header that does not parse is kept in <see cref="Unparsed"/>.
/// </summary>
/// <param name="LimitRequests"><c>x-ratelimit-limit-requests</c>.</param>
/// <param name="RemainingRequests"><c>x-ratelimit-remaining-requests</c>.</param>
/// <param name="ResetRequestsMs"><c>x-ratelimit-reset-requests</c> (e.g. <c>1s</c>, <c>6m0s</c>, <c>20ms</c>) in ms.</param>
/// <param name="LimitTokens"><c>x-ratelimit-limit-tokens</c>.</param>
/// <param name="RemainingTokens"><c>x-ratelimit-remaining-tokens</c>.</param>
/// <param name="ResetTokensMs"><c>x-ratelimit-reset-tokens</c> in ms.</param>
/// <param name="RetryAfterMs">The wait <c>retry-after-ms</c> or <c>Retry-After</c> asks for, ms (an HTTP date is taken
/// as its difference from the response's <c>Date</c> header when present, else from the client's wall clock).</param>
/// <param name="Unparsed">Headers present but unreadable, as <c>name: value</c> (cut to 200 characters).</param>
public sealed record RateLimitInfo(
    long? LimitRequests = null,
    long? RemainingRequests = null,
    double? ResetRequestsMs = null,
    long? LimitTokens = null,
    long? RemainingTokens = null,
    double? ResetTokensMs = null,
    double? RetryAfterMs = null,
    string? Unparsed = null);
