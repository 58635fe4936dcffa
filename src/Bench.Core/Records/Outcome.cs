using System.Text.Json.Serialization;

namespace Bench.Core.Records;

/// <summary>
/// How one request ended. A closed set: every request gets exactly one, and failures are classified, never thrown.
/// Serialised in snake_case (<c>rate_limited</c>, <c>stream_interrupted</c>, ...).
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
    /// <summary>A stream that started (HTTP 200, some events) but ended early: a dropped connection, an error event
    /// mid-stream, or a body that ended with neither <c>[DONE]</c> nor a finish reason.</summary>
    [JsonStringEnumMemberName("stream_interrupted")]
    StreamInterrupted,
    /// <summary>A 2xx response whose body could not be read as the protocol says (non-JSON, wrong shape, line too long).</summary>
    [JsonStringEnumMemberName("malformed")]
    Malformed,
}
