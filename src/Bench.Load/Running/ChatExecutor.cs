using System.Collections.Concurrent;
using Bench.Core.Client;
using Bench.Core.Prompts;
using Bench.Core.Records;
using Bench.Core.Resilience;
using Bench.Core.Scenarios;
using Bench.Core.Text;

namespace Bench.Load.Running;

/// <summary>
/// Turns tickets into chat requests of the scenario's shape and sends them through a <see cref="ChatClient"/>.
/// Each request's prompt starts with its own id, so no two prompts are identical (a real endpoint's prompt cache would
/// otherwise make later requests cheaper and faster than a user's), and carries a <c>seed</c> derived from the run's
/// seed and the id, so the simulator's draws are the same whatever order requests arrive in.
/// </summary>
/// <remarks>
/// A cell without a policy (<see cref="Cell.Policy"/> null) sends each request once, straight through the client: the
/// raw endpoint, no Polly in the way. A cell with a policy sends through a <see cref="ResilientSender"/> built for that
/// cell when its first request comes (cells run one after another, so the breaker's and the limiter's state start
/// fresh with each cell), which returns one record per logical request with its attempts.
/// </remarks>
public sealed class ChatExecutor : IRequestExecutor
{
    private const int PromptVariants = 16;
    private readonly ChatClient _client;
    private readonly RequestShape _shape;
    private readonly int _seed;
    private readonly string[] _bodies;
    private readonly Dictionary<string, ResiliencePolicy> _policies;
    private readonly ConcurrentDictionary<Cell, Lazy<ResilientSender>> _senders = new();

    /// <summary>Creates an executor for requests of <paramref name="shape"/>.</summary>
    /// <param name="client">Sends each attempt.</param>
    /// <param name="shape">The requests' shape.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="policies">The scenario's resilience policies, found by a cell's <see cref="Cell.Policy"/>; none
    /// when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">Two policies have the same name.</exception>
    public ChatExecutor(ChatClient client, RequestShape shape, int seed, IReadOnlyList<ResiliencePolicy>? policies = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(shape);
        _client = client;
        _policies = (policies ?? []).ToDictionary(p => p.Name, StringComparer.Ordinal);
        _shape = shape;
        _seed = seed;

        // The id prefix takes 2 words ("request N"), the body the rest of the stated prompt size.
        var bodyTokens = Math.Max(0, shape.PromptTokens - 2);
        _bodies = [.. Enumerable.Range(0, PromptVariants).Select(i => SyntheticText.Prompt(bodyTokens, seed + i))];
    }

    /// <summary>The request a ticket sends: the same prompt, <c>max_tokens</c> and seed in every mode, so a batch-api
    /// line (built from the same id) asks exactly what the streaming and non-streaming requests of that id ask.</summary>
    /// <param name="id">The request id (<see cref="RequestTicket.Id"/>).</param>
    /// <param name="model">The model.</param>
    /// <param name="mode">The mode.</param>
    public ChatRequest BuildRequest(long id, string model, Mode mode)
    {
        var prompt = $"request {id} {_bodies[id % PromptVariants]}";
        var messages = _shape.SystemPrompt is { } system
            ? new[] { new ChatMessage("system", system), new ChatMessage("user", prompt) }
            : [new ChatMessage("user", prompt)];
        return new ChatRequest(model, mode, messages, _shape.MaxTokens, unchecked(_seed + (int)id));
    }

    /// <summary>The request a ticket's <see cref="RequestTicket.Draw"/> describes (a trace line, a session's turn),
    /// with the same seed rule as <see cref="BuildRequest(long, string, Mode)"/>.</summary>
    public ChatRequest BuildRequest(long id, string model, Mode mode, PromptDraw draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        return new ChatRequest(model, mode, draw.Messages, draw.MaxTokens, unchecked(_seed + (int)id));
    }

    /// <inheritdoc />
    public async Task<RequestRecord> ExecuteAsync(RequestTicket ticket, CancellationToken cancellationToken)
    {
        var request = ticket.Draw is { } draw
            ? BuildRequest(ticket.Id, ticket.Cell.Model, ticket.Cell.Mode, draw)
            : BuildRequest(ticket.Id, ticket.Cell.Model, ticket.Cell.Mode);
        if (ticket.SessionTurns is not null)
        {
            request = request with { CaptureAnswer = true }; // the session's next turn sends the answer back
        }

        var context = new RequestContext(ticket.Id, ticket.Phase, ticket.IntendedMs);
        var record = await (ticket.Cell.Policy is { } policy
            ? SenderFor(ticket.Cell, policy).SendAsync(request, context, cancellationToken)
            : _client.SendAsync(request, context, cancellationToken)).ConfigureAwait(false);
        Stamp(record, ticket);
        return record;
    }

    /// <summary>What the workload meant, kept in the record beside what happened: the draw's intended lengths, prefix
    /// group and source index, the session and turn.</summary>
    internal static void Stamp(RequestRecord record, RequestTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (ticket.Draw is { } draw)
        {
            record.IntendedPromptTokens = draw.IntendedPromptTokens;
            record.IntendedCompletionTokens = draw.IntendedCompletionTokens;
            record.PrefixGroup = draw.PrefixGroup;
            record.SourceIndex = draw.SourceIndex;
        }

        record.SessionId = ticket.SessionId;
        record.Turn = ticket.Turn;
        record.SessionTurns = ticket.SessionTurns;
    }

    /// <summary>The cell's sender, built once, when its first request comes.</summary>
    /// <exception cref="InvalidOperationException">The cell names a policy the scenario does not have.</exception>
    private ResilientSender SenderFor(Cell cell, string policy) =>
        _senders.GetOrAdd(cell, c => new Lazy<ResilientSender>(() => new ResilientSender(
            _policies.TryGetValue(policy, out var found) ? found : throw new InvalidOperationException($"Cell {c} names policy '{policy}', which the scenario does not declare."),
            c.Mode,
            _client.Clock,
            _client.SendAsync,
            tokensPerAttempt: _shape.PromptTokens + _shape.MaxTokens))).Value;
}
