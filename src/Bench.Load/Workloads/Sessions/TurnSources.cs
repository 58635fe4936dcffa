using Bench.Core.Prompts;
using Bench.Core.Scenarios;

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
/// is the source's draw for the key <c>n × 1,000 + k − 1</c> (<see cref="ConversationSpec.MaxTurns"/> turns at most), so
/// no two turns of a run share a draw.</summary>
/// <param name="source">The prompt source.</param>
public sealed class PromptSourceTurns(IPromptSource source) : ITurnPromptSource
{
    /// <inheritdoc />
    public PromptDraw Draw(long session, int turn, string model) =>
        source.Draw(checked((session * ConversationSpec.MaxTurns) + turn - 1), model);
}
