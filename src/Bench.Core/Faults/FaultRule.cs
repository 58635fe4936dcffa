using System.Collections.ObjectModel;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Bench.Core.Configuration;
using Bench.Core.Records;
using Bench.Core.Scenarios;

namespace Bench.Core.Faults;

/// <summary>
/// The failure classes the simulator can inject; in files the snake_case of the name (<c>rate_limited</c>,
/// <c>hang_before_headers</c>). Each maps to the <see cref="Outcome"/> Bench must record for it
/// (<see cref="FaultKinds.ExpectedOutcome"/>), which is how tests and the report join what was injected to what was
/// observed.
/// </summary>
[Description("fault kind")]
[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>HTTP 429 with <c>Retry-After</c> (<see cref="FaultRule.RetryAfterS"/>, as seconds or an HTTP date) and
    /// OpenAI's <c>x-ratelimit-*</c> headers.</summary>
    [JsonStringEnumMemberName("rate_limited")]
    RateLimited,

    /// <summary>HTTP 500, 502, 503 or 504 (<see cref="FaultRule.Status"/>) with a JSON or HTML body
    /// (<see cref="FaultRule.Body"/>).</summary>
    [JsonStringEnumMemberName("server_error")]
    ServerError,

    /// <summary>HTTP 529 with Anthropic's <c>overloaded_error</c> body.</summary>
    [JsonStringEnumMemberName("overloaded")]
    Overloaded,

    /// <summary>A new connection is accepted and closed at once, before any request is read (as a server whose
    /// listener refuses): drawn per connection, not per request.</summary>
    [JsonStringEnumMemberName("connection_refused")]
    ConnectionRefused,

    /// <summary>The request is read, then its connection is reset (RST) before any response byte.</summary>
    [JsonStringEnumMemberName("connection_reset")]
    ConnectionReset,

    /// <summary>Nothing is sent, not even the headers, for <see cref="FaultRule.DurationS"/> (default: until the
    /// client gives up).</summary>
    [JsonStringEnumMemberName("hang_before_headers")]
    HangBeforeHeaders,

    /// <summary>Headers (and, streaming, the role prelude) are sent, then no token for <see cref="FaultRule.DurationS"/>
    /// (default: until the client gives up).</summary>
    [JsonStringEnumMemberName("hang_before_first_token")]
    HangBeforeFirstToken,

    /// <summary>At <see cref="FaultRule.At"/> of the answer the stream pauses for <see cref="FaultRule.DurationS"/>
    /// (default: until the client gives up), then goes on; non-streaming, the body comes that much later.</summary>
    [JsonStringEnumMemberName("stall")]
    Stall,

    /// <summary>The answer is paced at <see cref="FaultRule.TokensPerS"/> instead of the profile's decode rate.</summary>
    [JsonStringEnumMemberName("trickle")]
    Trickle,

    /// <summary>The connection is closed at <see cref="FaultRule.At"/> of the answer (FIN, or RST with
    /// <see cref="FaultRule.Reset"/>): streaming, when the first chunk past it is due; non-streaming, after the headers
    /// and that fraction of the body's bytes, when the rest was due.</summary>
    [JsonStringEnumMemberName("disconnect")]
    Disconnect,

    /// <summary>At <see cref="FaultRule.At"/> of the answer an event (or, non-streaming, the body) is not valid JSON.</summary>
    [JsonStringEnumMemberName("malformed_chunk")]
    MalformedChunk,

    /// <summary>Streaming: the stream ends cleanly after its last content chunk, with neither finish reason nor
    /// <c>[DONE]</c>. Not injected into a non-streaming request (a JSON body has no <c>[DONE]</c>).</summary>
    [JsonStringEnumMemberName("missing_done")]
    MissingDone,

    /// <summary>A 200 answer with no content and no finish reason (<c>[DONE]</c> alone; <c>choices: []</c>).</summary>
    [JsonStringEnumMemberName("empty_answer")]
    EmptyAnswer,

    /// <summary>At <see cref="FaultRule.At"/> of the answer an <c>{"error":{…}}</c> object arrives in the 200 body.</summary>
    ErrorMidStream,

    /// <summary>A complete answer whose <c>usage</c> is absurd (negative, or far above <c>max_tokens</c>).</summary>
    AbsurdUsage,
}

/// <summary>One fault the simulator injects: a kind, how often (a probability per request, or per connection for
/// <see cref="FaultKind.ConnectionRefused"/>), and optionally when (a window on the simulator's fault clock, which
/// starts with the simulator and again with each cell of an embedded run). JSON, in a profile's or a scenario's
/// <c>faults</c> list: <c>{ "kind": "server_error", "status": 503, "body": "html", "rate": 0.5, "from_s": 30, "to_s": 45 }</c>.
/// </summary>
/// <remarks>A request draws one uniform number; the rules active at that moment for its model and mode are walked in
/// order, each taking its <see cref="Rate"/> of the unit interval, and the first hit is injected (so rates add up, and
/// what is left past 1 is never reached).</remarks>
public sealed record FaultRule : IConfigValidatable
{
    /// <summary>Which failure. JSON <c>kind</c>.</summary>
    [Required(ErrorMessage = "is required")]
    public FaultKind Kind { get; init; }

    /// <summary>Probability per request (per new connection for <see cref="FaultKind.ConnectionRefused"/>), 0–1.
    /// JSON <c>rate</c>; default 1 (every request, usually inside a window).</summary>
    [Range(0.0, 1.0, ErrorMessage = "must be a probability between 0 and 1")]
    public double Rate { get; init; } = 1;

    /// <summary>Start of the window, seconds on the fault clock (≥ 0); unset: from the start. JSON <c>from_s</c>.</summary>
    [Range(0, ScenarioLimitsSeconds.Max, ErrorMessage = "must be a number of seconds ≥ 0")]
    public double? FromS { get; init; }

    /// <summary>End of the window (exclusive), seconds on the fault clock, after <see cref="FromS"/>; unset: for ever.
    /// JSON <c>to_s</c>.</summary>
    [Range(0, ScenarioLimitsSeconds.Max, ErrorMessage = "must be a number of seconds ≥ 0")]
    public double? ToS { get; init; }

    /// <summary>The modes it applies to; empty (the default): both. JSON <c>modes</c>.</summary>
    public IReadOnlyList<Mode> Modes { get; init => field = ReadOnly.CopyOf(value); } = [];

    /// <summary>Scenario rules only: the models it applies to; empty (the default): every model. JSON <c>models</c>.</summary>
    public IReadOnlyList<string> Models { get; init => field = ReadOnly.CopyOf(value); } = [];

    /// <summary><see cref="FaultKind.ServerError"/>: 500, 502, 503 or 504 (default 500). JSON <c>status</c>.</summary>
    public int? Status { get; init; }

    /// <summary><see cref="FaultKind.ServerError"/>: <c>json</c> (OpenAI's error object, the default) or <c>html</c>
    /// (a gateway's error page). JSON <c>body</c>.</summary>
    public FaultBody Body { get; init; } = FaultBody.Json;

    /// <summary><see cref="FaultKind.RateLimited"/>: the wait the server asks for, in seconds (default 1). JSON
    /// <c>retry_after_s</c>.</summary>
    [Range(0, ScenarioLimitsSeconds.Max, ErrorMessage = "must be a number of seconds ≥ 0")]
    public double? RetryAfterS { get; init; }

    /// <summary><see cref="FaultKind.RateLimited"/>: how <c>Retry-After</c> is written: <c>seconds</c> (the default) or
    /// <c>date</c> (an HTTP date). JSON <c>retry_after_format</c>.</summary>
    public RetryAfterFormat RetryAfterFormat { get; init; } = RetryAfterFormat.Seconds;

    /// <summary>Hangs and <see cref="FaultKind.Stall"/>: how long, in seconds; unset for a hang: until the client gives
    /// up. JSON <c>duration_s</c>.</summary>
    [TimeoutSeconds]
    public double? DurationS { get; init; }

    /// <summary>Mid-answer faults (stall, disconnect, malformed chunk, error mid-stream): where, as a fraction of the
    /// answer's tokens, 0–1 (default 0.5). JSON <c>at</c>.</summary>
    [Range(0.0, 1.0, ErrorMessage = "must be a fraction of the answer between 0 and 1")]
    public double At { get; init; } = 0.5;

    /// <summary><see cref="FaultKind.Trickle"/>: tokens per second (default 2). JSON <c>tokens_per_s</c>.</summary>
    [Range(0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be a finite number of tokens per second > 0")]
    public double? TokensPerS { get; init; }

    /// <summary><see cref="FaultKind.Disconnect"/>: reset (RST) instead of closing (FIN). JSON <c>reset</c>.</summary>
    public bool Reset { get; init; }

    /// <summary>Fields that only some kinds take are refused on the others; a window ends after it starts.</summary>
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (FromS is { } from && ToS is { } to && !(to > from))
        {
            validation.Error(nameof(ToS), $"must be after {validation.NameOf(nameof(FromS))} ({from}s)");
        }

        if (Status is { } status && (Kind != FaultKind.ServerError || status is not (500 or 502 or 503 or 504)))
        {
            validation.Error(nameof(Status), Kind == FaultKind.ServerError ? "must be 500, 502, 503 or 504" : "applies to server_error only");
        }

        Only(nameof(Body), FaultKind.ServerError, FaultKind.Overloaded);
        Only(nameof(RetryAfterS), FaultKind.RateLimited);
        Only(nameof(RetryAfterFormat), FaultKind.RateLimited);
        Only(nameof(DurationS), FaultKind.HangBeforeHeaders, FaultKind.HangBeforeFirstToken, FaultKind.Stall);
        Only(nameof(At), FaultKind.Stall, FaultKind.Disconnect, FaultKind.MalformedChunk, FaultKind.ErrorMidStream);
        Only(nameof(TokensPerS), FaultKind.Trickle);
        Only(nameof(Reset), FaultKind.Disconnect);

        void Only(string property, params FaultKind[] kinds)
        {
            if (validation.Given(property) == true && !kinds.Contains(Kind))
            {
                validation.Error(property, $"does not apply to {System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(Kind.ToString())}");
            }
        }
    }

    /// <summary>True when the rule applies at <paramref name="faultClockS"/> seconds (inside its window, if any).</summary>
    public bool ActiveAt(double faultClockS) => !(faultClockS < (FromS ?? 0)) && !(ToS is { } to && faultClockS >= to);

    /// <summary>True when the rule applies to a request of <paramref name="model"/> in <paramref name="mode"/>.</summary>
    public bool AppliesTo(string model, Mode mode) =>
        (Modes.Count == 0 || Modes.Contains(mode)) && (Models.Count == 0 || Models.Contains(model, StringComparer.Ordinal));
}

/// <summary>The body of an injected <see cref="FaultKind.ServerError"/>.</summary>
[Description("error body")]
public enum FaultBody
{
    /// <summary>OpenAI's <c>{"error":{…}}</c> object, <c>application/json</c>.</summary>
    Json,

    /// <summary>A gateway's HTML error page, <c>text/html</c>.</summary>
    Html,
}

/// <summary>How an injected 429 writes <c>Retry-After</c> (RFC 9110 §10.2.3 allows both).</summary>
[Description("Retry-After format")]
public enum RetryAfterFormat
{
    /// <summary>A whole number of seconds (<c>Retry-After: 2</c>), rounded up.</summary>
    Seconds,

    /// <summary>An HTTP date (<c>Retry-After: Mon, 30 Nov 2026 12:00:02 GMT</c>), on the simulator's clock.</summary>
    Date,
}

/// <summary>Per-model request and token limits the simulator enforces with token buckets (as OpenAI's RPM and TPM
/// limits): a request over either is answered 429 with <c>x-ratelimit-*</c> headers saying which and when it resets.
/// JSON <c>rate_limits: { "rpm": 600, "tpm": 200000 }</c> in a profile or a scenario.</summary>
public sealed record RateLimitSpec : IConfigValidatable
{
    /// <summary>Requests per minute (≥ 1); unset: no request limit. JSON <c>rpm</c>.</summary>
    [Range(1, 100_000_000, ErrorMessage = "must be between 1 and 100,000,000 requests per minute")]
    public int? Rpm { get; init; }

    /// <summary>Tokens per minute (≥ 1), counting each request's prompt tokens plus its <c>max_tokens</c> as OpenAI
    /// does when it admits a request; unset: no token limit. JSON <c>tpm</c>.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be between 1 and 2,147,483,647 tokens per minute")]
    public int? Tpm { get; init; }

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

/// <summary>Which outcome Bench must record for each injected fault.</summary>
public static class FaultKinds
{
    /// <summary>The outcome a request that met <paramref name="kind"/> must end with, in <paramref name="mode"/>, when
    /// the client's deadlines are shorter than any hang (a hang or stall the client outlasts ends as
    /// <see cref="Outcome.Success"/>, and so does a trickle within the timeout): <c>rate_limited</c> → rate_limited;
    /// server_error, overloaded → server_error; connection refused/reset → connection_error; hangs → timeout;
    /// stall, trickle, absurd_usage → success (absurd usage flagged); disconnect → stream_interrupted in both modes (the
    /// status had arrived when the body broke off: <c>ChatClient</c> records any 2xx body that breaks off so);
    /// missing_done → stream_interrupted when streaming, and success when not (a JSON body has no <c>[DONE]</c>: the
    /// simulator does not inject it there); malformed_chunk → malformed; empty_answer → empty_response; error_mid_stream → provider_error.</summary>
    public static Outcome ExpectedOutcome(FaultKind kind, Mode mode) => kind switch
    {
        FaultKind.RateLimited => Outcome.RateLimited,
        FaultKind.ServerError or FaultKind.Overloaded => Outcome.ServerError,
        FaultKind.ConnectionRefused or FaultKind.ConnectionReset => Outcome.ConnectionError,
        FaultKind.HangBeforeHeaders or FaultKind.HangBeforeFirstToken => Outcome.Timeout,
        FaultKind.Stall or FaultKind.Trickle or FaultKind.AbsurdUsage => Outcome.Success,
        FaultKind.Disconnect => Outcome.StreamInterrupted,
        FaultKind.MissingDone => mode == Mode.Streaming ? Outcome.StreamInterrupted : Outcome.Success,
        FaultKind.MalformedChunk => Outcome.Malformed,
        FaultKind.EmptyAnswer => Outcome.EmptyResponse,
        FaultKind.ErrorMidStream => Outcome.ProviderError,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>The bound on seconds in fault fields (the same as every duration's: <see cref="Scenarios.ScenarioLimits.MaxSeconds"/>).</summary>
internal static class ScenarioLimitsSeconds
{
    public const double Max = Scenarios.ScenarioLimits.MaxSeconds;
}
