using System.Text.Json;
using Bench.Core.Faults;

namespace Bench.Core.Results;

/// <summary>
/// Appends the simulator's <see cref="InjectionRecord"/>s to <c>injections.jsonl</c>
/// (<see cref="ResultsDirectory.InjectionsFile"/>), one JSON object per line in the snake_case of
/// <c>records.jsonl</c> (<see cref="ResultsJson"/>). Each line is written and flushed to the OS before
/// <see cref="Append"/> returns, so a run that dies or is cancelled keeps every injection decided before it stopped.
/// Thread-safe: requests call <see cref="Append"/> from their own threads (through
/// <c>SimulatorOptions.OnInjected</c>); lines never interleave.
/// </summary>
/// <remarks>Synchronous on purpose: the simulator decides a fault at the moment it injects it and calls back on the
/// request's thread; a line is a few hundred bytes and faults are a small share of requests, so one locked write and
/// flush each costs less than handing the record to a queue that a killed process would lose.</remarks>
public sealed class InjectionsWriter : IDisposable
{
    private readonly Lock _gate = new();
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;
    private bool _closed;
    private long _written;

    /// <summary>Opens (creating or appending to) <paramref name="path"/>.</summary>
    public InjectionsWriter(string path)
    {
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 16 * 1024);
        _json = new Utf8JsonWriter(_file, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>Lines written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Writes <paramref name="injection"/> as one line and flushes it. After <see cref="Dispose"/> it does
    /// nothing (a request the simulator was still serving when the run closed its files).</summary>
    public void Append(InjectionRecord injection)
    {
        ArgumentNullException.ThrowIfNull(injection);
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            JsonSerializer.Serialize(_json, injection, ResultsJson.Default.InjectionRecord);
            _json.Flush();
            _json.Reset();
            _file.WriteByte((byte)'\n');
            _file.Flush();
            Interlocked.Increment(ref _written);
        }
    }

    /// <summary>Closes the file; later <see cref="Append"/> calls are ignored.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _json.Dispose();
            _file.Dispose();
        }
    }
}
