namespace Bench.Load.Running;

/// <summary>
/// Sends each request to its cell's target (<see cref="Cell.Target"/>): one executor per target (its own
/// <c>ChatClient</c> — protocol, key, headers, model map — over the run's one shared <c>HttpClient</c>), so a run
/// measures several targets cell after cell.
/// </summary>
public sealed class TargetRouter : IRequestExecutor
{
    private readonly IReadOnlyDictionary<string, IRequestExecutor> _executors;

    /// <summary>Routes by target name.</summary>
    /// <param name="executors">Target name → its executor; at least one.</param>
    /// <exception cref="ArgumentException">No executor given.</exception>
    public TargetRouter(IReadOnlyDictionary<string, IRequestExecutor> executors)
    {
        ArgumentNullException.ThrowIfNull(executors);
        if (executors.Count == 0)
        {
            throw new ArgumentException("At least one target's executor is needed.", nameof(executors));
        }

        _executors = executors;
    }

    /// <summary>The executor of <paramref name="target"/>.</summary>
    /// <exception cref="InvalidOperationException">A target the router was not given (a planning bug, not an endpoint's
    /// failure).</exception>
    public IRequestExecutor For(string? target) =>
        target is not null && _executors.TryGetValue(target, out var executor) ? executor
        : target is null && _executors.Count == 1 ? _executors.Values.First()
        : throw new InvalidOperationException($"No executor for target '{target}'; the run has {string.Join(", ", _executors.Keys)}.");

    /// <inheritdoc />
    public Task<Core.Records.RequestRecord> ExecuteAsync(RequestTicket ticket, CancellationToken cancellationToken) =>
        For(ticket.Cell.Target).ExecuteAsync(ticket, cancellationToken);
}
