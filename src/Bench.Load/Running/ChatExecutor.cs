using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Core.Text;

namespace Bench.Load.Running;

/// <summary>
/// Turns tickets into chat requests of the scenario's shape and sends them through a <see cref="ChatClient"/>.
/// Each request's prompt starts with its own id, so no two prompts are identical (a real endpoint's prompt cache would
/// otherwise make later requests cheaper and faster than a user's), and carries a <c>seed</c> derived from the run's
/// seed and the id, so the simulator's draws are the same whatever order requests arrive in.
/// </summary>
public sealed class ChatExecutor : IRequestExecutor
{
    private const int PromptVariants = 16;
    private readonly ChatClient _client;
    private readonly RequestShape _shape;
    private readonly int _seed;
    private readonly string[] _bodies;

    /// <summary>Creates an executor for requests of <paramref name="shape"/>.</summary>
    public ChatExecutor(ChatClient client, RequestShape shape, int seed)
    {
        ArgumentNullException.ThrowIfNull(shape);
        _client = client;
        _shape = shape;
        _seed = seed;

        // The id prefix takes 2 words ("request N"), the body the rest of the stated prompt size.
        var bodyTokens = Math.Max(0, shape.PromptTokens - 2);
        _bodies = [.. Enumerable.Range(0, PromptVariants).Select(i => SyntheticText.Prompt(bodyTokens, seed + i))];
    }

    /// <inheritdoc />
    public Task<RequestRecord> ExecuteAsync(RequestTicket ticket, CancellationToken cancellationToken)
    {
        var prompt = $"request {ticket.Id} {_bodies[ticket.Id % PromptVariants]}";
        var messages = _shape.SystemPrompt is { } system
            ? new[] { new ChatMessage("system", system), new ChatMessage("user", prompt) }
            : [new ChatMessage("user", prompt)];
        var request = new ChatRequest(ticket.Cell.Model, ticket.Cell.Mode, messages, _shape.MaxTokens, unchecked(_seed + (int)ticket.Id));
        return _client.SendAsync(request, new RequestContext(ticket.Id, ticket.Phase, ticket.IntendedMs), cancellationToken);
    }
}
