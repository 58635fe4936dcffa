using Bench.Core.Client;

namespace Bench.Core.Prompts;

/// <summary>
/// What one request sends, as a prompt source decides it: the messages, the answer length asked for, and what the
/// workload meant (kept in the record so the report can set achieved lengths against intended ones).
/// </summary>
/// <param name="Messages">The conversation to send, in order (a shared prefix as the first system message; a
/// multi-turn session's history with the previous answers).</param>
/// <param name="MaxTokens">The answer limit sent (<c>max_tokens</c>).</param>
/// <param name="IntendedPromptTokens">The prompt size meant, in tokens of the model family's tokenizer, or null.</param>
/// <param name="IntendedCompletionTokens">The answer length meant, or null (then only <paramref name="MaxTokens"/>
/// bounds it).</param>
/// <param name="IgnoreEos">Ask the server to generate exactly <paramref name="MaxTokens"/> tokens (vLLM's
/// <c>ignore_eos</c>, <c>min_tokens</c>), where the target takes it.</param>
/// <param name="PrefixGroup">The shared-prefix group, or null.</param>
/// <param name="SourceIndex">The dataset entry or trace line, or null for a synthetic prompt.</param>
public sealed record PromptDraw(
    IReadOnlyList<ChatMessage> Messages,
    int MaxTokens,
    int? IntendedPromptTokens = null,
    int? IntendedCompletionTokens = null,
    bool IgnoreEos = false,
    int? PrefixGroup = null,
    long? SourceIndex = null);

/// <summary>
/// Decides each request's prompt and answer length (issue 15): the synthetic shape of <c>request</c> (length
/// distributions, shared prefixes), a dataset of the user's prompts, or a trace's lengths. Deterministic: the same
/// seed, request id and model give the same draw whatever order requests are sent in, so every mode of a model (and a
/// batch line) asks the same thing for the same id.
/// </summary>
public interface IPromptSource
{
    /// <summary>The draw for request <paramref name="requestId"/> to <paramref name="model"/> (its family decides
    /// the tokenizer that exact token counts are measured with).</summary>
    PromptDraw Draw(long requestId, string model);
}
