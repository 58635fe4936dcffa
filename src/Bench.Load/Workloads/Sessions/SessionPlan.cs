using Bench.Core.Client;
using Bench.Core.Prompts;
using Bench.Core.Scenarios;

namespace Bench.Load.Workloads.Sessions;

/// <summary>
/// What a run's multi-turn sessions are (<c>request.conversation</c>): how many turns each session has, the think time
/// after each answer, and what each turn sends. Every draw is deterministic from the scenario's seed and the session
/// number (and turn), so the same session sends the same user messages in every mode of a model.
/// </summary>
/// <param name="conversation">The scenario's conversation.</param>
/// <param name="prompts">Each turn's new material (<see cref="PromptSourceTurns"/> over the scenario's prompt
/// source).</param>
/// <param name="seed">The scenario's seed.</param>
public sealed class SessionPlan(ConversationSpec conversation, ITurnPromptSource prompts, int seed)
{
    /// <summary>The conversation.</summary>
    public ConversationSpec Conversation { get; } = conversation ?? throw new ArgumentNullException(nameof(conversation));

    /// <summary>The turn source.</summary>
    public ITurnPromptSource Prompts { get; } = prompts ?? throw new ArgumentNullException(nameof(prompts));

    /// <summary>The turns of session <paramref name="session"/>: drawn from <see cref="ConversationSpec.Turns"/>, in
    /// [1, <see cref="ConversationSpec.MaxTurns"/>].</summary>
    public int Turns(long session) => Conversation.Turns is { } turns
        ? Math.Clamp(SessionRandom.Sample(turns, SessionRandom.For(seed, session, 0)), 1, ConversationSpec.MaxTurns)
        : 1;

    /// <summary>The think time after turn <paramref name="turn"/>'s answer, before turn <paramref name="turn"/> + 1 is
    /// sent, in ms (0 without <see cref="ConversationSpec.ThinkTimeMs"/>).</summary>
    public double ThinkMs(long session, int turn) => Conversation.ThinkTimeMs is { } think
        ? Math.Max(0, SessionRandom.Sample(think, SessionRandom.For(unchecked(seed ^ 0x5EED), session, turn)))
        : 0;

    /// <summary>
    /// What turn <paramref name="turn"/> sends. Turn 1: the source's draw as it is. Turn k &gt; 1: the previous turn's
    /// messages, the previous answer as an <c>assistant</c> message, then the last message of the source's draw for
    /// turn k (its new user message), with that draw's answer length; the intended prompt size is unknown (it holds the
    /// answers) and left null; the prefix group stays the first turn's.
    /// </summary>
    /// <param name="session">The session number.</param>
    /// <param name="turn">The turn, from 1.</param>
    /// <param name="cell">The cell (its model, and the source <c>cell_requests</c> gives it).</param>
    /// <param name="previous">The previous turn's draw (null for turn 1).</param>
    /// <param name="previousAnswer">The previous turn's answer text (null for turn 1).</param>
    public PromptDraw Draw(long session, int turn, Running.Cell cell, PromptDraw? previous, string? previousAnswer)
    {
        var draw = Prompts.Draw(session, turn, cell);
        if (turn == 1 || previous is null)
        {
            return draw;
        }

        var messages = new List<ChatMessage>(previous.Messages.Count + 2);
        messages.AddRange(previous.Messages);
        messages.Add(new ChatMessage("assistant", previousAnswer ?? ""));
        messages.Add(draw.Messages[^1]);
        return draw with { Messages = messages, IntendedPromptTokens = null, PrefixGroup = previous.PrefixGroup };
    }
}
