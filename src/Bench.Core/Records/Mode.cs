using System.Text.Json.Serialization;

namespace Bench.Core.Records;

/// <summary>
/// How a request is made (ARCHITECTURE.md, "Modes"). Serialised as <c>non-streaming</c>, <c>streaming</c>, <c>batch-api</c>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Mode>))]
public enum Mode
{
    /// <summary>One request, one full JSON response (some articles call this "batch"). Measures E2E latency.</summary>
    [JsonStringEnumMemberName("non-streaming")]
    NonStreaming,
    /// <summary><c>stream: true</c>: Server-Sent Events with <c>stream_options.include_usage</c>. Measures TTFT, ITL, TPOT, E2E.</summary>
    [JsonStringEnumMemberName("streaming")]
    Streaming,
    /// <summary>The asynchronous OpenAI Batch API: the cell's requests are lines of one JSONL file uploaded to
    /// <c>/v1/files</c>, run by one <c>/v1/batches</c> job that is polled until it ends, and read back from its output and
    /// error files. Measures turnaround (per batch) and per-line success; priced at batch prices.</summary>
    [JsonStringEnumMemberName("batch-api")]
    BatchApi,
}

/// <summary>Names of <see cref="Mode"/> and <see cref="Outcome"/> as they appear in files and on the command line.</summary>
public static class Names
{
    /// <summary>The file/CLI name of a mode: <c>non-streaming</c>, <c>streaming</c> or <c>batch-api</c>.</summary>
    public static string Of(Mode mode) => mode switch
    {
        Mode.NonStreaming => "non-streaming",
        Mode.Streaming => "streaming",
        Mode.BatchApi => "batch-api",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>The file name of an outcome, snake_case: <c>success</c>, <c>rate_limited</c>, ...</summary>
    public static string Of(Outcome outcome) => outcome switch
    {
        Outcome.Success => "success",
        Outcome.Timeout => "timeout",
        Outcome.RateLimited => "rate_limited",
        Outcome.ServerError => "server_error",
        Outcome.ClientError => "client_error",
        Outcome.ConnectionError => "connection_error",
        Outcome.StreamInterrupted => "stream_interrupted",
        Outcome.Malformed => "malformed",
        Outcome.EmptyResponse => "empty_response",
        Outcome.ProviderError => "provider_error",
        Outcome.LocalError => "local_error",
        Outcome.ClientRejected => "client_rejected",
        Outcome.Expired => "expired",
        Outcome.Dropped => "dropped",
        Outcome.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>Parses a mode name; accepts <c>non-streaming</c>, <c>nonstreaming</c>, <c>streaming</c>, <c>batch-api</c>
    /// (also <c>batch_api</c>, <c>batchapi</c>), case-insensitive. Plain <c>batch</c> is refused: some articles say "batch"
    /// for non-streaming calls.</summary>
    public static bool TryParseMode(string? text, out Mode mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "non-streaming" or "nonstreaming" or "non_streaming":
                mode = Mode.NonStreaming;
                return true;
            case "streaming":
                mode = Mode.Streaming;
                return true;
            case "batch-api" or "batch_api" or "batchapi":
                mode = Mode.BatchApi;
                return true;
            default:
                mode = default;
                return false;
        }
    }

    /// <summary>Parses an outcome's snake_case name.</summary>
    public static bool TryParseOutcome(string? text, out Outcome outcome)
    {
        foreach (var candidate in Enum.GetValues<Outcome>())
        {
            if (string.Equals(Of(candidate), text, StringComparison.Ordinal))
            {
                outcome = candidate;
                return true;
            }
        }

        outcome = default;
        return false;
    }
}
