using Bench.Core.Client;
using Bench.Core.Prompts;
using Bench.Core.Scenarios;
using Bench.Core.Text;

namespace Bench.Load.Workloads.Sessions;

/// <summary>
/// The new material of each turn of a multi-turn session: turn 1's whole draw (its system prompt or shared prefix, its
/// user message, its answer length), and for every later turn the draw whose last user message is added to the
/// history, with its answer length. Deterministic: the same seed, session number, turn and model give the same draw
/// whatever order sessions run in, so every mode of a model sends the same conversations.
/// </summary>
public interface ITurnPromptSource
{
    /// <summary>The draw for turn <paramref name="turn"/> (from 1) of session <paramref name="session"/> (from 1) to
    /// <paramref name="model"/>.</summary>
    PromptDraw Draw(long session, int turn, string model);
}

/// <summary>A session's turns from any <see cref="IPromptSource"/> (the scenario's default source): turn k of session n
/// is the source's draw for the key <c>n × 1,000 + k</c> (<see cref="ConversationSpec.MaxTurns"/> turns at most), so
/// no two turns of a run share a draw.</summary>
/// <param name="source">The prompt source.</param>
public sealed class PromptSourceTurns(IPromptSource source) : ITurnPromptSource
{
    /// <inheritdoc />
    public PromptDraw Draw(long session, int turn, string model) =>
        source.Draw(checked((session * ConversationSpec.MaxTurns) + turn - 1), model);
}

/// <summary>
/// The fallback turn source on the fixed request shape (<c>request.prompt_tokens</c>, <c>max_tokens</c>,
/// <c>system_prompt</c>): each user message is <c>session N turn K</c> followed by one of 16 synthetic bodies of
/// <see cref="SyntheticText"/> words (chosen from the seed, session and turn), as <c>ChatExecutor</c> builds single
/// requests. No intended token counts (the words are not measured by a tokenizer here).
/// </summary>
public sealed class SyntheticTurns : ITurnPromptSource
{
    private const int Variants = 16;
    private readonly RequestShape _shape;
    private readonly int _seed;
    private readonly string[] _bodies;

    /// <summary>Builds the bodies once.</summary>
    /// <param name="shape">The request shape.</param>
    /// <param name="seed">The scenario's seed.</param>
    public SyntheticTurns(RequestShape shape, int seed)
    {
        ArgumentNullException.ThrowIfNull(shape);
        _shape = shape;
        _seed = seed;
        // "session N turn K" takes 4 words.
        var bodyTokens = Math.Max(0, shape.PromptTokens - 4);
        _bodies = [.. Enumerable.Range(0, Variants).Select(i => SyntheticText.Prompt(bodyTokens, seed + i))];
    }

    /// <inheritdoc />
    public PromptDraw Draw(long session, int turn, string model)
    {
        var body = _bodies[(int)(SessionRandom.Mix(_seed, session, turn) % Variants)];
        var user = new ChatMessage("user", $"session {session} turn {turn} {body}");
        IReadOnlyList<ChatMessage> messages = turn == 1 && _shape.SystemPrompt is { } system
            ? [new ChatMessage("system", system), user]
            : [user];
        return new PromptDraw(messages, _shape.MaxTokens);
    }
}
