using System.Text.Json.Serialization;

namespace Bench.Core.Records;

/// <summary>
/// Everything Bench observed about one request: one line of <c>records.jsonl</c>.
/// </summary>
/// <remarks>
/// Times are milliseconds (µs resolution) on the run's monotonic clock (<see cref="System.Diagnostics.Stopwatch"/>),
/// measured from the run's origin, so records of one run can be placed on one timeline. They are taken when bytes come
/// off the socket, before any JSON parsing. A time is <see langword="null"/> when the event never happened (no first
/// byte on a refused connection, no token on a non-streaming response). Metrics are derived from these times by
/// <see cref="Metrics.RequestMetrics"/>, never stored twice.
/// </remarks>
public sealed class RequestRecord
{
    /// <summary>Sequence number of the request within the run, from 0.</summary>
    public long Id { get; set; }

    /// <summary>The target the request went to (scenario <c>targets[].name</c>; the single target's name otherwise):
    /// cells are target × model × mode (× policy). <see langword="null"/> only in records written before targets
    /// existed, read as the run's one target.</summary>
    public string? Target { get; set; }

    /// <summary>Model id as the catalogue and the scenario name it (a target's <c>model_map</c> may send another name
    /// in the request body).</summary>
    public string Model { get; set; } = "";

    /// <summary>How the request was made.</summary>
    public Mode Mode { get; set; }

    /// <summary><c>measure</c>, <c>warmup</c> or <c>sweep</c>; the main statistics read only <c>measure</c>.</summary>
    public string Phase { get; set; } = Phases.Measure;

    /// <summary>Sweep probes only: the request rate (requests/s) the probe offered.</summary>
    public double? ProbeRatePerS { get; set; }

    /// <summary>Open load only: when the schedule intended the request to be sent (ms on the run clock).</summary>
    public double? IntendedMs { get; set; }

    /// <summary>When the request was handed to the socket (ms on the run clock).</summary>
    public double SentMs { get; set; }

    /// <summary>When the response headers had arrived (ms on the run clock: the moment the HTTP client returned the
    /// response with its headers read), in both modes; <see langword="null"/> when no response arrived. A server that
    /// sends its headers at once and delays the body shows as a gap between this and <see cref="FirstByteMs"/>.</summary>
    public double? HeadersMs { get; set; }

    /// <summary>When the first byte of the response body arrived.</summary>
    public double? FirstByteMs { get; set; }

    /// <summary>When the first event carrying a non-empty content, reasoning or tool-call delta arrived (streaming).</summary>
    public double? FirstTokenMs { get; set; }

    /// <summary>When the first event carrying non-reasoning output (content or tool call) arrived (streaming).</summary>
    public double? FirstOutputTokenMs { get; set; }

    /// <summary>When the last token-bearing event arrived (streaming).</summary>
    public double? LastTokenMs { get; set; }

    /// <summary>When the response ended: the final event or <c>[DONE]</c>, the end of the JSON body, or the failure.</summary>
    public double EndMs { get; set; }

    /// <summary>Arrival time of every token-bearing event, in order (streaming). ITL is the gaps between them.</summary>
    public List<double> TokenEventsMs { get; set; } = [];

    /// <summary>True when the request's reused pooled connection failed before any response byte (the keep-alive race:
    /// the server had closed it) and the request was sent again, once, on a fresh connection; its times then run from
    /// the first send. Omitted from <c>records.jsonl</c> when false.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ConnectionRetried { get; set; }

    /// <summary>The resilience policy the request ran under (<see cref="Resilience.ResiliencePolicy.Name"/>);
    /// <see langword="null"/> (omitted) for none: one attempt, the raw endpoint.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Policy { get; set; }

    /// <summary>The replicate this request belongs to, 1..N, when the run repeated its plan (<c>bench run --repeat N</c>:
    /// the plan run N times into one results folder, interleaved by cell); <see langword="null"/> (omitted) for a run
    /// without replicates.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Replicate { get; set; }

    /// <summary>The shard that sent this request, 1..N, in a run split with <c>bench run --shard I/N</c> (and kept by
    /// <c>bench merge</c>); <see langword="null"/> (omitted) for an unsharded run.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Shard { get; set; }

    /// <summary>Every attempt of this logical request, in the order sent, when more than one was made (retries,
    /// hedging) or the policy refused one; <see langword="null"/> (omitted) for a single attempt, which is then the record
    /// itself. The record's own fields are the logical request's, what the user saw: sent when the first attempt was,
    /// its outcome, times, tokens and rate-limit headers those of the attempt whose result it returned.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<AttemptRecord>? Attempts { get; set; }

    /// <summary>Total time the logical request waited between attempts (back-off and server-asked delays), ms;
    /// <see langword="null"/> (omitted) when it never waited.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? BackoffMs { get; set; }

    /// <summary>Time the logical request waited for the client-side rate limiter, ms, summed over its attempts (each
    /// attempt takes a permit); <see langword="null"/> (omitted) without a limiter.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? LimiterWaitMs { get; set; }

    /// <summary>The rate-limit headers of the response (<see cref="RateLimitInfo"/>); <see langword="null"/> (omitted)
    /// when it had none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RateLimitInfo? RateLimit { get; set; }

    /// <summary>Batch API lines only: the batch job the line ran in (<see cref="Batches.BatchRecord.BatchId"/>);
    /// <see langword="null"/> (omitted) for synchronous requests, and for lines whose batch was never created.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BatchId { get; set; }

    /// <summary>Batch API lines only: the line's <c>custom_id</c> (<c>bench-{Id}</c>), by which its output line was
    /// joined; <see langword="null"/> (omitted) for synchronous requests.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CustomId { get; set; }

    /// <summary>HTTP status code, or <see langword="null"/> when no response arrived.</summary>
    public int? HttpStatus { get; set; }

    /// <summary>How the request ended.</summary>
    public Outcome Outcome { get; set; }

    /// <summary>Error details for failures: type, code and message as the server sent them, or Bench's own.</summary>
    public ErrorInfo? Error { get; set; }

    /// <summary><c>finish_reason</c> of the (first) choice, when the server sent one.</summary>
    public string? FinishReason { get; set; }

    /// <summary>Prompt (input) tokens, every one: <c>usage.prompt_tokens</c> (Chat Completions), which includes the
    /// cached ones. Other protocols are mapped to this meaning: Anthropic's <c>input_tokens</c> +
    /// <c>cache_read_input_tokens</c> + <c>cache_creation_input_tokens</c>, the Responses API's <c>input_tokens</c>,
    /// Gemini's <c>promptTokenCount</c>. So uncached = prompt − <see cref="CachedTokens"/> − <see cref="CacheWriteTokens"/>.</summary>
    public int? PromptTokens { get; set; }

    /// <summary><c>usage.completion_tokens</c> (reasoning tokens included: they are output tokens).</summary>
    public int? CompletionTokens { get; set; }

    /// <summary><c>usage.completion_tokens_details.reasoning_tokens</c>.</summary>
    public int? ReasoningTokens { get; set; }

    /// <summary>Prompt tokens read from the provider's prompt cache (part of <see cref="PromptTokens"/>):
    /// <c>usage.prompt_tokens_details.cached_tokens</c>; Anthropic <c>cache_read_input_tokens</c>, Responses
    /// <c>input_tokens_details.cached_tokens</c>, Gemini <c>cachedContentTokenCount</c>.</summary>
    public int? CachedTokens { get; set; }

    /// <summary>Prompt tokens written to the provider's prompt cache (part of <see cref="PromptTokens"/>, billed at the
    /// cache-write price): Anthropic <c>cache_creation_input_tokens</c>; <see langword="null"/> (omitted) when the
    /// protocol does not report it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? CacheWriteTokens { get; set; }

    /// <summary>Where the token counts came from: <c>usage</c> (the server), <c>tokenizer</c> (counted locally) or <c>none</c>.</summary>
    public string TokensSource { get; set; } = TokenSources.None;

    /// <summary>The tiktoken encoding of the local counts (<c>o200k_base</c>, <c>cl100k_base</c>); <see langword="null"/>
    /// when nothing was counted locally (no 2xx response, or counting turned off).</summary>
    public string? TokenizerEncoding { get; set; }

    /// <summary>Prompt tokens counted locally from the request messages (OpenAI cookbook formula), kept beside
    /// <see cref="PromptTokens"/> so the two can be compared; copied into it when the server sent no usage.</summary>
    public int? TokenizerPromptTokens { get; set; }

    /// <summary>Completion tokens counted locally from the received text (content, reasoning and tool-call arguments),
    /// kept beside <see cref="CompletionTokens"/>; copied into it when the server sent no usage.</summary>
    public int? TokenizerCompletionTokens { get; set; }

    /// <summary>Why the server's <c>usage</c> was not believed, or <see langword="null"/> when it was (or none came):
    /// one or more <c>kind: detail</c> reasons joined by <c>"; "</c>, the kinds being those of <see cref="UsageCheck"/>
    /// (<c>negative</c>, <c>cached_above_prompt</c>, <c>above_max_tokens</c>, ...) and the detail quoting the raw
    /// value. A flagged record's token counts are the local tokenizer's (<see cref="TokensSource"/> <c>tokenizer</c>) or
    /// absent (the request is unpriced), never the server's.</summary>
    public string? UsageIssue { get; set; }

    /// <summary><see langword="true"/> when a local count was partly estimated: the prompt or the received text was
    /// longer than the tokenizer counts per request (<see cref="Tokens.TokenCounter.MaxCountedChars"/>), and the rest
    /// was extrapolated at the counted part's tokens per character; absent otherwise.</summary>
    public bool? TokenizerCountEstimated { get; set; }

    /// <summary>The prompt size the workload meant to send, in tokens of the model family's tokenizer (a length drawn
    /// from <c>request.input_tokens</c>, a trace line's input length, or a dataset prompt's counted size); compared with
    /// <see cref="PromptTokens"/> in the report's intended-against-achieved table. Absent when the workload sets none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? IntendedPromptTokens { get; set; }

    /// <summary>The answer length the workload meant to get, in tokens (a length drawn from
    /// <c>request.output_tokens</c>, a trace line's output length, or a dataset answer's size); sent as
    /// <c>max_tokens</c> (with <c>ignore_eos</c>/<c>min_tokens</c> where the target takes them). Absent when none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? IntendedCompletionTokens { get; set; }

    /// <summary>The conversation this request belongs to (a multi-turn session, or a trace line's session id); absent
    /// for a single-turn request.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SessionId { get; set; }

    /// <summary>The turn within <see cref="SessionId"/>, from 1; absent for a single-turn request.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Turn { get; set; }

    /// <summary>The turns its session was drawn to have (<see cref="Turn"/> of <see cref="SessionTurns"/>); absent for a
    /// single-turn request. A session whose last record has a lower turn ended early (a failed or dropped turn) or was
    /// cut (the step's count or end).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SessionTurns { get; set; }

    /// <summary>The answer's text, kept only when the request asked for it (<see cref="Client.ChatRequest.CaptureAnswer"/>:
    /// a session's next turn sends it back). Never written to <c>records.jsonl</c>.</summary>
    [JsonIgnore]
    public string? AnswerText { get; set; }

    /// <summary>The shared-prefix group whose system prompt this request carried (<c>request.shared_prefix</c>, from 0);
    /// absent when it carried none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? PrefixGroup { get; set; }

    /// <summary>Where the prompt came from in a file: the dataset entry's or the trace line's index (from 0); absent for
    /// a synthetic prompt.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SourceIndex { get; set; }

    /// <summary>Number of SSE events received (streaming), including the role prelude and usage chunk.</summary>
    public int Events { get; set; }

    /// <summary>Characters of content text received.</summary>
    public int ContentChars { get; set; }

    /// <summary>Characters of reasoning text received.</summary>
    public int ReasoningChars { get; set; }
}

/// <summary>Error details kept in a record: what the server said, or what Bench observed.</summary>
/// <param name="Type">OpenAI-style <c>error.type</c> (e.g. <c>invalid_request_error</c>), or Bench's classification.</param>
/// <param name="Code">OpenAI-style <c>error.code</c> (e.g. <c>model_not_found</c>), when given.</param>
/// <param name="Message">Human-readable message. Never contains the API key.</param>
public sealed record ErrorInfo(string? Type, string? Code, string? Message);

/// <summary>Values of <see cref="RequestRecord.Phase"/>.</summary>
public static class Phases
{
    /// <summary>Counted in statistics.</summary>
    public const string Measure = "measure";

    /// <summary>Recorded, excluded from statistics.</summary>
    public const string Warmup = "warmup";

    /// <summary>A sweep probe: summarised per offered rate (<see cref="RequestRecord.ProbeRatePerS"/>), apart from the main statistics.</summary>
    public const string Sweep = "sweep";
}

/// <summary>Values of <see cref="RequestRecord.TokensSource"/>.</summary>
public static class TokenSources
{
    /// <summary>Counts from the server's <c>usage</c> object.</summary>
    public const string Usage = "usage";

    /// <summary>Counted locally from the received text.</summary>
    public const string Tokenizer = "tokenizer";

    /// <summary>No counts available.</summary>
    public const string None = "none";
}
