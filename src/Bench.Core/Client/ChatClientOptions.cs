using Bench.Core.Wire;

namespace Bench.Core.Client;

/// <summary>
/// Settings of a <see cref="ChatClient"/>, validated when the client is created.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>option</term><description>default</description></listheader>
/// <item><term><see cref="Timeout"/></term><description>120 s (<see cref="DefaultTimeout"/>)</description></item>
/// <item><term><see cref="FirstByteTimeout"/></term><description><see langword="null"/>: only <see cref="Timeout"/></description></item>
/// <item><term><see cref="IdleTimeout"/></term><description><see langword="null"/>: only <see cref="Timeout"/></description></item>
/// <item><term><see cref="UseMaxCompletionTokens"/></term><description><see langword="false"/></description></item>
/// <item><term><see cref="Tokenizer"/></term><description><see langword="null"/>: the encoding of the model's family</description></item>
/// <item><term><see cref="ModelTokenizers"/></term><description><see langword="null"/>: none</description></item>
/// <item><term><see cref="MaxResponseBytes"/></term><description>16 MiB (<see cref="ResponseCaps.DefaultMaxResponseBytes"/>)</description></item>
/// <item><term><see cref="MaxEventBytes"/></term><description>8 MiB (<see cref="ResponseCaps.DefaultMaxEventBytes"/>)</description></item>
/// <item><term><see cref="MaxErrorBodyBytes"/></term><description>16 KiB (<see cref="ResponseCaps.DefaultMaxErrorBodyBytes"/>)</description></item>
/// </list>
/// Each cap is in bytes, from 1 KiB (1024) to 1 GiB (1,073,741,824).
/// </remarks>
public sealed class ChatClientOptions
{
    /// <summary>The default <see cref="Timeout"/>: 120 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The longest a request may take from send to the end of its response; then it is recorded as a
    /// timeout. Positive, at most <see cref="int.MaxValue"/> milliseconds. Set the <see cref="HttpClient.Timeout"/> of the
    /// client's <see cref="HttpClient"/> to <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> so that this one rules.</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>The longest from send to the first byte of the response body (the headers' wait included), on the run
    /// clock; then the request is a <see cref="Records.Outcome.Timeout"/> whose message says "No first byte within 5 s
    /// (first-byte timeout)." <see langword="null"/>: none (only <see cref="Timeout"/>). Positive, at most
    /// <see cref="int.MaxValue"/> milliseconds. Scenario: <c>request.first_byte_timeout_s</c>.</summary>
    public TimeSpan? FirstByteTimeout { get; set; }

    /// <summary>The longest one read of the response body may wait for bytes (the silence between SSE events, or within
    /// a body), on the run clock; then the request is a <see cref="Records.Outcome.Timeout"/> whose message says "No
    /// response byte for 30 s (idle timeout)." <see langword="null"/>: none (only <see cref="Timeout"/>). Positive, at most
    /// <see cref="int.MaxValue"/> milliseconds. Scenario: <c>request.idle_timeout_s</c>.</summary>
    public TimeSpan? IdleTimeout { get; set; }

    /// <summary>Send <c>max_completion_tokens</c> instead of <c>max_tokens</c> on every request, whatever
    /// <see cref="ChatRequest.UseMaxCompletionTokens"/> says (for endpoints that reject <c>max_tokens</c>).</summary>
    public bool UseMaxCompletionTokens { get; set; }

    /// <summary>How to count tokens locally (always alongside server usage, and in its place when a response has none):
    /// <see langword="null"/> picks the encoding from the model's family (<see cref="Tokens.TokenEncodings.ForModel"/>:
    /// gpt-4o/4.1/5 and o-series → <c>o200k_base</c>, gpt-4/3.5 → <c>cl100k_base</c>, others <c>o200k_base</c>);
    /// <c>o200k_base</c> or <c>cl100k_base</c> forces one; <c>none</c> turns local counting off.</summary>
    public string? Tokenizer { get; set; }

    /// <summary>Per-model choices that override <see cref="Tokenizer"/>: model id (as sent) → <c>o200k_base</c>,
    /// <c>cl100k_base</c> or <c>none</c>. <see langword="null"/> or a model not in it: <see cref="Tokenizer"/>.</summary>
    public IReadOnlyDictionary<string, string>? ModelTokenizers { get; set; }

    /// <summary>The cap, in bytes, on a non-streaming 2xx body (and on a JSON body answering a streaming request): a
    /// longer one is recorded as <c>malformed</c> ("the body exceeded the 16 MiB cap"), the rest is dropped unread and the
    /// connection closed. Default 16 MiB; scenario field <c>request.max_response_bytes</c>.</summary>
    public int MaxResponseBytes { get; set; } = ResponseCaps.DefaultMaxResponseBytes;

    /// <summary>The cap, in bytes, on one SSE event of a stream (its lines, terminators excluded; so also on one line): a
    /// longer one is recorded as <c>malformed</c> ("SSE line longer than 8 MiB"), the rest of the body is dropped unread
    /// and the connection closed. Default 8 MiB; scenario field <c>request.max_event_bytes</c>.</summary>
    public int MaxEventBytes { get; set; } = ResponseCaps.DefaultMaxEventBytes;

    /// <summary>How many bytes of a non-2xx body (and of a 2xx body that is not what was asked for) are read to say
    /// why; the rest is dropped unread (the outcome still follows the status). Default 16 KiB.</summary>
    public int MaxErrorBodyBytes { get; set; } = ResponseCaps.DefaultMaxErrorBodyBytes;
}
