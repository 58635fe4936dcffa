using System.Collections.Concurrent;
using Bench.Core.Client;
using Bench.Core.Metrics;
using Bench.Core.Prompts;
using Bench.Core.Records;
using Bench.Core.Resilience;
using Bench.Core.Scenarios;

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
    private readonly ChatClient _client;
    private readonly int _seed;
    private readonly CellPromptSources _sources;
    private readonly Dictionary<string, ResiliencePolicy> _policies;
    private readonly ConcurrentDictionary<Cell, Lazy<ResilientSender>> _senders = new();

    /// <summary>Creates an executor for requests of <paramref name="shape"/>.</summary>
    /// <param name="client">Sends each attempt.</param>
    /// <param name="shape">The requests' shape.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="policies">The scenario's resilience policies, found by a cell's <see cref="Cell.Policy"/>; none
    /// when <see langword="null"/>.</param>
    /// <param name="source">Decides each request's prompt and answer length when its ticket carries no draw; null:
    /// <see cref="PromptSources.For"/> of <paramref name="shape"/> (a dataset path resolved from the working
    /// directory).</param>
    /// <exception cref="ArgumentException">Two policies have the same name.</exception>
    /// <exception cref="Core.Configuration.ConfigException"><paramref name="source"/> is null and the shape's dataset
    /// cannot be read.</exception>
    public ChatExecutor(ChatClient client, RequestShape shape, int seed, IReadOnlyList<ResiliencePolicy>? policies = null, IPromptSource? source = null)
        : this(client, CellPromptSources.Single(shape ?? throw new ArgumentNullException(nameof(shape)), source ?? PromptSources.For(shape, seed)), seed, policies)
    {
    }

    /// <summary>Creates an executor whose cells draw from their own sources (<see cref="CellPromptSources"/>: the
    /// scenario's <c>cell_requests</c>).</summary>
    /// <param name="client">Sends each attempt.</param>
    /// <param name="sources">Each cell's request shape and prompt source.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="policies">As in the other constructor.</param>
    /// <param name="target">The target this executor sends to (its cells' <see cref="Cell.Target"/>), which picks a
    /// batch-api line's source; null for a run without targets.</param>
    /// <exception cref="ArgumentException">Two policies have the same name.</exception>
    public ChatExecutor(ChatClient client, CellPromptSources sources, int seed, IReadOnlyList<ResiliencePolicy>? policies = null, string? target = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(sources);
        _client = client;
        _policies = (policies ?? []).ToDictionary(p => p.Name, StringComparer.Ordinal);
        _sources = sources;
        _seed = seed;
        Target = target;
    }

    /// <summary>The target this executor sends to, or null.</summary>
    public string? Target { get; }

    /// <summary>What request <paramref name="id"/> of the cell (this executor's target, <paramref name="model"/>,
    /// <paramref name="mode"/>, <paramref name="policy"/>) sends when its ticket carries no draw: the cell's source's
    /// draw, the same for the same id in every mode of a source.</summary>
    public PromptDraw Draw(long id, string model, Mode mode, string? policy = null) =>
        _sources.For(new CellKey(Target, model, mode, policy)).Source.Draw(id, model);

    /// <summary>The request a ticket sends: the same prompt, <c>max_tokens</c> and seed in every mode that shares a
    /// source, so a batch-api line (built from the same id) asks exactly what the streaming and non-streaming requests
    /// of that id ask.</summary>
    /// <param name="id">The request id (<see cref="RequestTicket.Id"/>).</param>
    /// <param name="model">The model.</param>
    /// <param name="mode">The mode.</param>
    public ChatRequest BuildRequest(long id, string model, Mode mode) => BuildRequest(id, model, mode, Draw(id, model, mode));

    /// <summary>The request a ticket's <see cref="RequestTicket.Draw"/> describes (a trace line, a session's turn),
    /// with the same seed rule as <see cref="BuildRequest(long, string, Mode)"/>.</summary>
    public ChatRequest BuildRequest(long id, string model, Mode mode, PromptDraw draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        return new ChatRequest(model, mode, draw.Messages, draw.MaxTokens, unchecked(_seed + (int)id), IgnoreEos: draw.IgnoreEos);
    }

    /// <inheritdoc />
    public async Task<RequestRecord> ExecuteAsync(RequestTicket ticket, CancellationToken cancellationToken)
    {
        var cell = ticket.Cell;
        var draw = ticket.Draw ?? _sources.For(new CellKey(cell.Target, cell.Model, cell.Mode, cell.Policy)).Source.Draw(ticket.Id, cell.Model);
        var request = BuildRequest(ticket.Id, ticket.Cell.Model, ticket.Cell.Mode, draw);
        if (ticket.SessionTurns is not null)
        {
            request = request with { CaptureAnswer = true }; // the session's next turn sends the answer back
        }

        var context = new RequestContext(ticket.Id, ticket.Phase, ticket.IntendedMs);
        var record = await (ticket.Cell.Policy is { } policy
            ? SenderFor(ticket.Cell, policy, draw).SendAsync(request, context, cancellationToken)
            : _client.SendAsync(request, context, cancellationToken)).ConfigureAwait(false);
        Stamp(record, ticket, draw);
        return record;
    }

    /// <summary>What the workload meant, kept in the record beside what happened: the draw's intended lengths, prefix
    /// group and source index, the session and turn.</summary>
    internal static void Stamp(RequestRecord record, RequestTicket ticket) => Stamp(record, ticket, ticket.Draw);

    /// <summary>As <see cref="Stamp(RequestRecord, RequestTicket)"/> with the draw that was sent (the ticket's, or the
    /// source's); a classic draw carries no intended lengths, so classic records stay as they were.</summary>
    internal static void Stamp(RequestRecord record, RequestTicket ticket, PromptDraw? sent)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (sent is { } draw)
        {
            Stamp(record, draw);
        }

        record.SessionId = ticket.SessionId;
        record.Turn = ticket.Turn;
        record.SessionTurns = ticket.SessionTurns;
    }

    /// <summary>The draw's intended lengths, prefix group and source index, into <paramref name="record"/> (a batch
    /// line's too).</summary>
    internal static void Stamp(RequestRecord record, PromptDraw draw)
    {
        record.IntendedPromptTokens = draw.IntendedPromptTokens;
        record.IntendedCompletionTokens = draw.IntendedCompletionTokens;
        record.PrefixGroup = draw.PrefixGroup;
        record.SourceIndex = draw.SourceIndex;
    }

    /// <summary>The cell's sender, built once, when its first request comes; the limiter's tokens per attempt are that
    /// request's sizes (its intended prompt tokens, else the cell's <c>prompt_tokens</c>, plus its
    /// <c>max_tokens</c>: for a classic scenario exactly what they always were).</summary>
    /// <exception cref="InvalidOperationException">The cell names a policy the scenario does not have.</exception>
    private ResilientSender SenderFor(Cell cell, string policy, PromptDraw first) =>
        _senders.GetOrAdd(cell, c => new Lazy<ResilientSender>(() => new ResilientSender(
            _policies.TryGetValue(policy, out var found) ? found : throw new InvalidOperationException($"Cell {c} names policy '{policy}', which the scenario does not declare."),
            c.Mode,
            _client.Clock,
            _client.SendAsync,
            tokensPerAttempt: (int)Math.Min(int.MaxValue, (long)(first.IntendedPromptTokens ?? ShapeOf(c).PromptTokens) + first.MaxTokens)))).Value;

    private RequestShape ShapeOf(Cell cell) => _sources.For(new CellKey(cell.Target, cell.Model, cell.Mode, cell.Policy)).Shape;
}
