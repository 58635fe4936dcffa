using Bench.Core.Records;

namespace Bench.Core.Client;

/// <summary>
/// One <c>/v1/chat/completions</c> request as Bench sends it; written to the wire by
/// <see cref="Wire.ChatRequestWriter"/>.
/// </summary>
/// <param name="Model">The <c>model</c> id, e.g. <c>gpt-4o-mini</c>.</param>
/// <param name="Mode"><see cref="Mode.Streaming"/> sends <c>stream: true</c> with
/// <c>stream_options.include_usage</c>; <see cref="Mode.NonStreaming"/> sends <c>stream: false</c>.</param>
/// <param name="Messages">The conversation, in order.</param>
/// <param name="MaxTokens">The output token limit, sent as <c>max_tokens</c>.</param>
/// <param name="Seed">The <c>seed</c> for reproducible sampling; not sent when <see langword="null"/>.</param>
/// <param name="UseMaxCompletionTokens">Send the limit as <c>max_completion_tokens</c> (OpenAI's newer name, required by
/// its reasoning models) instead of <c>max_tokens</c>.</param>
/// <param name="CaptureAnswer">Keep the answer's text in <see cref="RequestRecord.AnswerText"/> (a multi-turn session
/// sends it back as the next turn's history); off for ordinary requests, which keep no text.</param>
/// <param name="IgnoreEos">Ask for exactly <paramref name="MaxTokens"/> tokens: the Chat Completions body adds
/// <c>"ignore_eos": true, "min_tokens": MaxTokens</c> (vLLM's sampling parameters; OpenAI's own API refuses unknown
/// fields, so a scenario asks for it only against targets that take it).</param>
public sealed record ChatRequest(
    string Model,
    Mode Mode,
    IReadOnlyList<ChatMessage> Messages,
    int MaxTokens,
    int? Seed = null,
    bool UseMaxCompletionTokens = false,
    bool CaptureAnswer = false,
    bool IgnoreEos = false);

/// <summary>One message of a <see cref="ChatRequest"/>.</summary>
/// <param name="Role"><c>system</c>, <c>user</c> or <c>assistant</c>.</param>
/// <param name="Content">The message text.</param>
public sealed record ChatMessage(string Role, string Content);
