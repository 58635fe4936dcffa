using Bench.Core.Faults;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Load.Running;
using Bench.Simulator.Profiles;

namespace Bench.Harness.Running;

/// <summary>
/// The embedded simulator's <c>injections.jsonl</c>: the simulator starts (and may inject) before the results folder
/// exists, so its <c>OnInjected</c> callback is bound to this log at start and the file is opened once the folder is
/// made (<see cref="Open"/>). Nothing reaches the simulator before then (it gets no preflight), so nothing is lost.
/// Thread-safe.
/// </summary>
internal sealed class InjectionLog : IDisposable
{
    private InjectionsWriter? _writer;

    /// <summary>Opens <c>injections.jsonl</c> in <paramref name="directory"/>; injections from now on are written.</summary>
    public void Open(string directory) =>
        Volatile.Write(ref _writer, new InjectionsWriter(Path.Combine(directory, ResultsDirectory.InjectionsFile)));

    /// <summary>The simulator's <c>OnInjected</c>: one line, flushed before it returns (see
    /// <see cref="InjectionsWriter.Append"/>); ignored before <see cref="Open"/> and after <see cref="Dispose"/>.</summary>
    public void Write(InjectionRecord injection) => Volatile.Read(ref _writer)?.Append(injection);

    /// <summary>Lines written.</summary>
    public long Written => Volatile.Read(ref _writer)?.Written ?? 0;

    /// <summary>Closes the file.</summary>
    public void Dispose() => Volatile.Read(ref _writer)?.Dispose();
}

/// <summary>
/// Starts a fault epoch on the embedded simulator as each cell starts (<see cref="ILoadObserver.CellStarted"/>), then
/// passes every call on to <paramref name="inner"/>: fault windows count from the cell's start and the rate-limit
/// buckets refill, so cells run one after another — every policy compared side by side — meet the same incidents and
/// limits. Keeps the epoch of each cell for <c>run.json</c> (<see cref="RunInfo.FaultEpochs"/>).
/// </summary>
/// <param name="inner">The observer it wraps (live progress).</param>
/// <param name="beginEpoch">Starts the next epoch and returns its number (<c>SimulatorHost.BeginFaultEpoch</c>).</param>
internal sealed class FaultEpochObserver(ILoadObserver inner, Func<int> beginEpoch) : ILoadObserver
{
    private readonly Lock _gate = new();
    private readonly List<CellEpoch> _epochs = [];

    /// <summary>The epoch of each cell started so far, in order.</summary>
    public List<CellEpoch> Epochs
    {
        get
        {
            lock (_gate)
            {
                return [.. _epochs];
            }
        }
    }

    /// <inheritdoc />
    public void CellStarted(Cell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var epoch = beginEpoch();
        lock (_gate)
        {
            _epochs.Add(new CellEpoch { Target = cell.Target, Model = cell.Model, Mode = cell.Mode, Policy = cell.Policy, Replicate = cell.Replicate, Epoch = epoch });
        }

        inner.CellStarted(cell);
    }

    /// <inheritdoc />
    public void RequestCompleted(Cell cell, RequestRecord record) => inner.RequestCompleted(cell, record);

    /// <inheritdoc />
    public void CellFinished(Cell cell) => inner.CellFinished(cell);
}

/// <summary>The faults in force per model on the embedded simulator, for <c>run.json</c> (<see cref="RunInfo.Faults"/>).</summary>
internal static class DeclaredFaultsOf
{
    /// <summary>For each model of <paramref name="scenario"/>: its profile's rules, then the scenario's rules that name
    /// it or no model, and the rate limits (the scenario's replace the profile's); null when no model has any.</summary>
    public static List<DeclaredFaults>? Run(Scenario scenario, IReadOnlyList<ModelProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(profiles);
        var declared = new List<DeclaredFaults>();
        foreach (var model in scenario.Models)
        {
            var profile = profiles.FirstOrDefault(p => p.Model == model);
            var (rules, limits) = profile is null ? ([], null) : Profile(profile);
            var entry = new DeclaredFaults
            {
                Model = model,
                Rules = [.. rules, .. scenario.Faults.Where(r => r.Models.Count == 0 || r.Models.Contains(model, StringComparer.Ordinal))],
                RateLimits = scenario.RateLimits ?? limits,
            };
            if (entry.Rules.Count > 0 || entry.RateLimits is not null)
            {
                declared.Add(entry);
            }
        }

        return declared.Count > 0 ? declared : null;
    }

    /// <summary>A profile's fault rules, in the simulator's order (its own before the scenario's), and its rate limits.</summary>
    internal static (IReadOnlyList<FaultRule> Rules, RateLimitSpec? RateLimits) Profile(ModelProfile profile) =>
        (profile.Faults, profile.RateLimits);
}
