using System.Runtime.CompilerServices;

namespace Bench.Core.Client;

/// <summary>
/// The byte stream of one connection opened by <see cref="BenchHttpClient"/>, passing every call through and telling
/// the <see cref="ConnectionAttempt"/> of each request written on it whether the connection was fresh or reused and
/// whether any byte came back. A request's first write binds it (HTTP/1.1 carries one request at a time on a
/// connection, so the request being written is the one the next response bytes belong to).
/// </summary>
internal sealed class TrackedStream(Stream inner) : Stream
{
    private ConnectionAttempt? _current;
    private int _requests;

    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => false;

    public override bool CanTimeout => inner.CanTimeout;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int ReadTimeout
    {
        get => inner.ReadTimeout;
        set => inner.ReadTimeout = value;
    }

    public override int WriteTimeout
    {
        get => inner.WriteTimeout;
        set => inner.WriteTimeout = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Received(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Received(inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Received(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override void Write(byte[] buffer, int offset, int count)
    {
        Writing();
        inner.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Writing();
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Writing();
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A write of the request whose calls are running: the first one binds its attempt to this connection.</summary>
    private void Writing()
    {
        var attempt = ConnectionAttempt.Current;
        if (attempt is null || ReferenceEquals(attempt, Volatile.Read(ref _current)))
        {
            return;
        }

        var requests = Interlocked.Increment(ref _requests);
        Volatile.Write(ref _current, attempt);
        attempt.OnWritten(reused: requests > 1);
    }

    private int Received(int read)
    {
        if (read > 0)
        {
            Volatile.Read(ref _current)?.OnResponseBytes();
        }

        return read;
    }
}
