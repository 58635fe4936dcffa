using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Bench.Simulator.Hosting;

namespace Bench.Harness.Simulating;

/// <summary>
/// <c>bench simulate --timings FILE</c>: the simulator's own record of every chat completion request
/// (<see cref="ServerTiming"/>), one JSON object per line, appended as requests complete, so a client in another
/// process can join its measurements to the server's by <c>X-Bench-Request-Id</c> (as <c>bench selftest</c>'s scale
/// steps do).
/// </summary>
/// <remarks>
/// A line: <c>{"request_id":"17","model":"m","stream":true,"received_ticks":…,"started_ticks":…,"first_token_ticks":…,
/// "last_byte_ticks":…,"completion_tokens":10,"status":200}</c>. The <c>*_ticks</c> are
/// <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> values (<see cref="System.Diagnostics.Stopwatch.Frequency"/>
/// per second). On Linux that is <c>CLOCK_MONOTONIC</c>, one clock for every process of the machine, so they compare
/// with another process's own Stopwatch timestamps (a test checks it); <c>first_token_ticks</c> is <c>null</c> for a
/// non-streaming response. Lines are written whole, a batch at a time, and flushed to the system after each batch: a
/// reader sees only whole lines once it stops at the last newline, even when the server is killed.
/// </remarks>
internal sealed class TimingsFile : IAsyncDisposable
{
    private readonly Channel<ServerTiming> _pending = Channel.CreateUnbounded<ServerTiming>(new UnboundedChannelOptions { SingleReader = true });
    private readonly FileStream _stream;
    private readonly Task _writer;

    private TimingsFile(FileStream stream)
    {
        _stream = stream;
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Creates (or truncates) <paramref name="path"/> and starts writing to it.</summary>
    /// <exception cref="IOException">The file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">Not allowed to create it.</exception>
    public static TimingsFile Create(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0, useAsync: false));

    /// <summary>Queues one record (the simulator's <see cref="SimulatorOptions.OnCompleted"/>: fast, never throws).</summary>
    public void Add(ServerTiming timing) => _pending.Writer.TryWrite(timing);

    /// <summary>Writes what is queued, then closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Parses one line of the file.</summary>
    /// <exception cref="JsonException">Not a line of this format.</exception>
    public static ServerTiming Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        try
        {
            return new ServerTiming(
                root.GetProperty("request_id").GetString(),
                root.GetProperty("model").GetString() ?? "",
                root.GetProperty("stream").GetBoolean(),
                root.GetProperty("received_ticks").GetInt64(),
                root.GetProperty("started_ticks").GetInt64(),
                root.GetProperty("first_token_ticks") is { ValueKind: JsonValueKind.Number } first ? first.GetInt64() : null,
                root.GetProperty("last_byte_ticks").GetInt64(),
                root.GetProperty("completion_tokens").GetInt32(),
                root.GetProperty("status").GetInt32(),
                root.TryGetProperty("finish_reason", out var finish) ? finish.GetString() : null);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new JsonException($"Not a timings line: {e.Message}", e);
        }
    }

    /// <summary>Writes one record as one line (without the newline).</summary>
    internal static void Write(Utf8JsonWriter json, ServerTiming t)
    {
        json.WriteStartObject();
        json.WriteString("request_id", t.RequestId);
        json.WriteString("model", t.Model);
        json.WriteBoolean("stream", t.Stream);
        json.WriteNumber("received_ticks", t.ReceivedTimestamp);
        json.WriteNumber("started_ticks", t.StartedTimestamp);
        if (t.FirstTokenTimestamp is { } first)
        {
            json.WriteNumber("first_token_ticks", first);
        }
        else
        {
            json.WriteNull("first_token_ticks");
        }

        json.WriteNumber("last_byte_ticks", t.LastByteTimestamp);
        json.WriteNumber("completion_tokens", t.CompletionTokens);
        json.WriteNumber("status", t.StatusCode);
        json.WriteString("finish_reason", t.FinishReason);
        json.WriteEndObject();
    }

    private async Task WriteAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var json = new Utf8JsonWriter(buffer);
        var reader = _pending.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var timing))
            {
                Write(json, timing);
                json.Flush();
                json.Reset();
                buffer.Write("\n"u8);
            }

            // One write per batch of whole lines, straight to the system (no user-space buffer to lose on a kill).
            _stream.Write(buffer.WrittenSpan);
            buffer.ResetWrittenCount();
        }
    }
}
