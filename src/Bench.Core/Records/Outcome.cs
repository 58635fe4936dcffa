using System.Text.Json.Serialization;

namespace Bench.Core.Records;

/// <summary>
/// How one request ended. A closed set: every request gets exactly one, and failures are classified, never thrown.
/// Serialised in snake_case (<c>rate_limited</c>, <c>stream_interrupted</c>, ...). Two outcomes are not attempts at
/// all and stay outside every statistic (<see cref="Outcomes.IsAttempt"/>): <see cref="Dropped"/> (the client never
/// sent it) and <see cref="Cancelled"/> (the run was interrupted while it was in flight).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Outcome>))]
public enum Outcome
{
    /// <summary>A complete response: HTTP 2xx, a parseable body, and (streaming) a final event or a finish reason.</summary>
    [JsonStringEnumMemberName("success")]
    Success,
    /// <summary>The client's per-request timeout elapsed before the response ended.</summary>
    [JsonStringEnumMemberName("timeout")]
    Timeout,
    /// <summary>HTTP 429.</summary>
    [JsonStringEnumMemberName("rate_limited")]
    RateLimited,
    /// <summary>HTTP 5xx.</summary>
    [JsonStringEnumMemberName("server_error")]
    ServerError,
    /// <summary>HTTP 4xx other than 429 (401 bad key, 404 unknown model, 400 bad request...).</summary>
    [JsonStringEnumMemberName("client_error")]
    ClientError,
    /// <summary>The connection could not be made or broke before any response byte arrived.</summary>
    [JsonStringEnumMemberName("connection_error")]
    ConnectionError,
    /// <summary>A stream that started (HTTP 200, some events) but ended early: a dropped connection, or a body that
    /// ended with neither <c>[DONE]</c> nor a finish reason. (An error the server reported in the stream is
    /// <see cref="ProviderError"/>.)</summary>
    [JsonStringEnumMemberName("stream_interrupted")]
    StreamInterrupted,
    /// <summary>A 2xx response whose body was not what its Content-Type and protocol promise: non-JSON, random bytes,
    /// HTML, undecoded compression, the wrong shape, or a body, line or event past Bench's size cap.</summary>
    [JsonStringEnumMemberName("malformed")]
    Malformed,
    /// <summary>A well-formed 2xx response that carried no output (no content, reasoning or tool call) and no finish
    /// reason: <c>data: [DONE]</c> alone, or <c>choices: []</c>. A broken relay answers this way, fast.</summary>
    [JsonStringEnumMemberName("empty_response")]
    EmptyResponse,
    /// <summary>A 2xx response whose body reported an error: an SSE <c>error</c> field or <c>event: error</c>, or an
    /// <c>{"error":{…}}</c> object anywhere in a stream or body; the record keeps the provider's type, code and message.</summary>
    [JsonStringEnumMemberName("provider_error")]
    ProviderError,
    /// <summary>Bench's own machine failed the request before the endpoint could answer: descriptors or ephemeral
    /// ports exhausted, or another local error before anything was sent. Never the endpoint's failure.</summary>
    [JsonStringEnumMemberName("local_error")]
    LocalError,
    /// <summary>The client's own resilience policy refused to send the request (or a further attempt): its circuit
    /// breaker was open, or its rate limiter's queue was full. Nothing reached the endpoint; never billed. A failure of
    /// the logical request (the user saw it), but not an attempt on the endpoint in the per-attempt view.</summary>
    [JsonStringEnumMemberName("client_rejected")]
    ClientRejected,
    /// <summary>A Batch API line the provider did not run before the batch's completion window passed (OpenAI's
    /// <c>batch_expired</c>). A failure of the line; never billed.</summary>
    [JsonStringEnumMemberName("expired")]
    Expired,

    /// <summary>Not an attempt: an open schedule's arrival the client did not send, because the cap on requests in
    /// flight was reached. Counted apart, outside every statistic.</summary>
    [JsonStringEnumMemberName("dropped")]
    Dropped,
    /// <summary>Not an attempt: in flight when the run was interrupted (Ctrl-C, SIGTERM) and cancelled by Bench.
    /// Counted apart, outside every statistic.</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}

/// <summary>What an <see cref="Outcome"/> means for the statistics.</summary>
public static class Outcomes
{
    /// <summary>True for every outcome that was an attempt on the endpoint: all but <see cref="Outcome.Dropped"/> and
    /// <see cref="Outcome.Cancelled"/>, which count apart and enter no rate, latency or cost.</summary>
    public static bool IsAttempt(this Outcome outcome) => outcome is not (Outcome.Dropped or Outcome.Cancelled);

    /// <summary>The failure outcomes of an attempt, in <see cref="Outcome"/> order (every outcome but success and the
    /// two non-attempts).</summary>
    public static IReadOnlyList<Outcome> Failures { get; } = [.. Enum.GetValues<Outcome>().Where(o => o != Outcome.Success && o.IsAttempt())];
}
