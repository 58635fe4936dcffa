using System.Text.Json;
using System.Threading.Channels;
using Bench.Core.Records;

namespace Bench.Core.Results;

/// <summary>
/// Appends records to <c>records.jsonl</c>, one JSON object per line, as requests complete. Thread-safe: any number
/// of requests may <see cref="Append"/> at once; one background writer serialises them in order of arrival and
/// flushes to the OS whenever it has caught up, so a killed run keeps every record that completed before the last
/// flush (at most the few written in the same instant are at risk).
/// </summary>
public sealed class RecordsWriter : IAsyncDisposable
{
    private readonly Channel<RequestRecord> _channel =
        Channel.CreateUnbounded<RequestRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly FileStream _file;
    private readonly Task _pump;
    private long _written;

    /// <summary>Opens (creating or appending to) <paramref name="path"/>.</summary>
    public RecordsWriter(string path)
    {
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Records handed to the file so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Queues a record for writing. Never blocks; never throws while the writer is open.</summary>
    public void Append(RequestRecord record)
    {
        if (!_channel.Writer.TryWrite(record))
        {
            throw new InvalidOperationException("The records file is closed.");
        }
    }

    private async Task PumpAsync()
    {
        var reader = _channel.Reader;
        await using var json = new Utf8JsonWriter(_file, new JsonWriterOptions { SkipValidation = true });
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var record))
            {
                JsonSerializer.Serialize(json, record, ResultsJson.Default.RequestRecord);
                await json.FlushAsync().ConfigureAwait(false);
                json.Reset();
                _file.WriteByte((byte)'\n');
                Interlocked.Increment(ref _written);
            }

            await _file.FlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Writes everything queued, flushes and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        try
        {
            await _pump.ConfigureAwait(false);
        }
        finally
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }
    }
}
