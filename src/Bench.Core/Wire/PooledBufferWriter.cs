using System.Buffers;

namespace Bench.Core.Wire;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over arrays rented from <see cref="ArrayPool{T}.Shared"/>: request bodies are
/// written into it and response bodies read into it. Grows by doubling; <see cref="Dispose"/> returns the array.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int DefaultCapacity = 4096;

    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = DefaultCapacity) =>
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));

    /// <summary>The bytes written so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Reads <paramref name="source"/> until its end or until <paramref name="maxBytes"/> bytes are held,
    /// whichever comes first; never holds more than <paramref name="maxBytes"/> (nor grows its buffer past what they
    /// need). Returns <see langword="true"/> when the source ended within the cap, <see langword="false"/> when at least
    /// one more byte was there (that byte is dropped and the source is left unread after it).</summary>
    public async Task<bool> ReadToEndAsync(Stream source, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        while (true)
        {
            var room = maxBytes - _written;
            if (room <= 0)
            {
                // Full: one more byte says the body is longer than the cap. A small pooled probe, not a grown buffer.
                var probe = ArrayPool<byte>.Shared.Rent(1);
                try
                {
                    return await source.ReadAsync(probe.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) <= 0;
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(probe);
                }
            }

            var memory = GetMemory(Math.Min(DefaultCapacity / 2, room));
            var read = await source.ReadAsync(memory[..Math.Min(memory.Length, room)], cancellationToken).ConfigureAwait(false);
            if (read <= 0)
            {
                return true;
            }

            _written += read;
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void EnsureFree(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        var grown = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + needed));
        _buffer.AsSpan(0, _written).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
    }
}
