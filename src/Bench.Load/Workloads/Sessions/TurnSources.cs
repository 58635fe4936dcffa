using Bench.Core.Metrics;
using Bench.Core.Prompts;
using Bench.Load.Running;
using Bench.Core.Scenarios;

namespace Bench.Load.Workloads.Sessions;

/// <summary>
/// The new material of each turn of a multi-turn session: turn 1's whole draw (its system prompt or shared prefix, its
/// user message, its answer length), and for every later turn the draw whose last user message is added to the
/// history, with its answer length. Deterministic: the same seed, session number, turn and model give the same draw
/// whatever order sessions run in, so every mode of a model that shares a source sends the same conversations.
/// </summary>
public interface ITurnPromptSource
{
    /// <summary>The draw for turn <paramref name="turn"/> (from 1) of session <paramref name="session"/> (from 1) of
    /// <paramref name="cell"/>.</summary>
    PromptDraw Draw(long session, int turn, Cell cell);
}

/// <summary>A session's turns from the cell's <see cref="IPromptSource"/> (the scenario's, or its
/// <c>cell_requests</c> entry's): turn k of session n is the source's draw for the key <c>n × 1,000 + k − 1</c>
/// (<see cref="ConversationSpec.MaxTurns"/> turns at most), so no two turns of a run share a draw.</summary>
/// <param name="sources">Each cell's prompt source.</param>
public sealed class PromptSourceTurns(CellPromptSources sources) : ITurnPromptSource
{
    /// <summary>Turns from one source for every cell.</summary>
    public PromptSourceTurns(IPromptSource source)
        : this(CellPromptSources.Single(new RequestShape(), source))
    {
    }

    /// <inheritdoc />
    public PromptDraw Draw(long session, int turn, Cell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return sources.For(new CellKey(cell.Target, cell.Model, cell.Mode, cell.Policy)).Source
            .Draw(checked((session * ConversationSpec.MaxTurns) + turn - 1), cell.Model);
    }
}
