using Bench.Core.Faults;

namespace Bench.Core.Results;

/// <summary>
/// Appends the simulator's <see cref="InjectionRecord"/>s to <c>injections.jsonl</c>
/// (<see cref="ResultsDirectory.InjectionsFile"/>), one JSON object per line in the snake_case of
/// <c>records.jsonl</c> (<see cref="ResultsJson"/>), through a <see cref="JsonLinesWriter{T}"/>: each line is written and
/// flushed to the OS before <see cref="Append"/> returns, so a run that dies or is cancelled keeps every injection
/// decided before it stopped. Thread-safe: requests call <see cref="Append"/> from their own threads (through
/// <c>SimulatorOptions.OnInjected</c>); lines never interleave.
/// </summary>
/// <remarks>Synchronous on purpose: the simulator decides a fault at the moment it injects it and calls back on the
/// request's thread; a line is a few hundred bytes and faults are a small share of requests, so one locked write and
/// flush each costs less than handing the record to a queue that a killed process would lose.</remarks>
public sealed class InjectionsWriter : IDisposable
{
    private readonly JsonLinesWriter<InjectionRecord> _lines;

    /// <summary>Opens (creating or appending to) <paramref name="path"/>.</summary>
    public InjectionsWriter(string path) => _lines = new JsonLinesWriter<InjectionRecord>(path, ResultsJson.Default.InjectionRecord);

    /// <summary>Lines written so far.</summary>
    public long Written => _lines.Written;

    /// <summary>Writes <paramref name="injection"/> as one line and flushes it. After <see cref="Dispose"/> it does
    /// nothing (a request the simulator was still serving when the run closed its files).</summary>
    public void Append(InjectionRecord injection) => _lines.Append(injection);

    /// <summary>Closes the file; later <see cref="Append"/> calls are ignored.</summary>
    public void Dispose() => _lines.Dispose();
}
