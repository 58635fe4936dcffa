using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Micro.Records;

namespace Bench.Micro.Results;

/// <summary>
/// Writing a record as a line of <c>records.jsonl</c> the way <see cref="RecordsWriter"/> does: one
/// <see cref="Utf8JsonWriter"/> kept for the file, <see cref="JsonSerializer"/> with the source-generated
/// <see cref="ResultsJson"/> context, flush, reset, newline — here into <see cref="Stream.Null"/>, so the figure is the
/// serialisation and not the disk. Per record (<see cref="TypicalRecords"/>: streaming, 100 token-event times).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class RecordSerializationBenchmarks
{
    /// <summary>Records per invocation.</summary>
    private const int Records = 256;

    private RequestRecord[] _records = [];
    private Utf8JsonWriter _json = null!;
    private long _bytes;

    /// <summary>Draws the records and opens the writer, as <see cref="RecordsWriter"/> opens one per file.</summary>
    /// <exception cref="InvalidOperationException">A record does not read back as written.</exception>
    [GlobalSetup]
    public void Setup()
    {
        _records = TypicalRecords.Create(Records);
        _json = new Utf8JsonWriter(Stream.Null, new JsonWriterOptions { SkipValidation = true });
        var line = JsonSerializer.SerializeToUtf8Bytes(_records[0], ResultsJson.Default.RequestRecord);
        var back = JsonSerializer.Deserialize(line, ResultsJson.Default.RequestRecord);
        if (back is null || back.TokenEventsMs.Count != TypicalRecords.TokenEvents || back.EndMs != _records[0].EndMs)
        {
            throw new InvalidOperationException("The typical record does not read back as written.");
        }
    }

    /// <summary>Closes the writer.</summary>
    [GlobalCleanup]
    public void Cleanup() => _json.Dispose();

    /// <summary>One record to one line, per record; returns the bytes written so nothing is elided.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public long SerializeRecord()
    {
        foreach (var record in _records)
        {
            JsonSerializer.Serialize(_json, record, ResultsJson.Default.RequestRecord);
            _json.Flush();
            _bytes += _json.BytesCommitted + 1; // and the '\n' RecordsWriter writes
            _json.Reset();
        }

        return _bytes;
    }
}
