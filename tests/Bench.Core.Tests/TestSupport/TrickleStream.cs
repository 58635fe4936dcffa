namespace Bench.Core.Tests.TestSupport;

/// <summary>A read-only stream over fixed bytes that returns at most one byte per read (or as many as
/// <paramref name="nextReadSize"/> says), to exercise every buffer boundary of a parser. Asynchronous reads complete
/// asynchronously unless <paramref name="synchronous"/>.</summary>
public sealed class TrickleStream(byte[] data, Func<int>? nextReadSize = null, bool synchronous = false) : Stream
{
    private int _position;

    /// <summary>Reads of 1 to 64 bytes, chosen by <paramref name="seed"/>, completing synchronously.</summary>
    public static TrickleStream RandomReads(byte[] data, int seed)
    {
        var random = new Random(seed);
        return new TrickleStream(data, () => random.Next(1, 65), synchronous: true);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => data.Length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position == data.Length || buffer.IsEmpty)
        {
            return 0;
        }

        var n = Math.Min(Math.Min(buffer.Length, data.Length - _position), nextReadSize?.Invoke() ?? 1);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Complete asynchronously so the parser's await paths run, not only its synchronous fast paths.
        if (!synchronous)
        {
            await Task.Yield();
        }

        return Read(buffer.Span);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
