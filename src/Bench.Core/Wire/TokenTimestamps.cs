using System.Buffers;
using System.Collections;

namespace Bench.Core.Wire;

/// <summary>
/// The arrival timestamps of a stream's token-bearing events (raw <see cref="System.Diagnostics.Stopwatch"/> ticks, in
/// order), kept in an array rented from <see cref="ArrayPool{T}.Shared"/>: growing rents one twice the size and returns
/// the old one, and <see cref="Release"/> returns the last, so a client that releases every stream's times after copying
/// them allocates nothing per event once the pool holds arrays of the sizes its streams need (the pool keeps a few per
/// size and processor; beyond that, with thousands of streams open at once, an array is allocated and later dropped).
/// Without <see cref="Release"/> the last array is left to the garbage collector, as a <see cref="List{T}"/>'s would be.
/// Not thread-safe.
/// </summary>
internal sealed class TokenTimestamps : IReadOnlyList<long>
{
    /// <summary>The first array rented: 64 timestamps (512 B), a short answer's token events.</summary>
    private const int InitialCapacity = 64;

    private long[] _items = [];

    /// <summary>Timestamps kept.</summary>
    public int Count { get; private set; }

    /// <summary>The <paramref name="index"/>th timestamp.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or not below <see cref="Count"/>.</exception>
    public long this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return _items[index];
        }
    }

    /// <summary>Appends one timestamp.</summary>
    public void Add(long timestamp)
    {
        if (Count == _items.Length)
        {
            Grow();
        }

        _items[Count++] = timestamp;
    }

    /// <summary>Returns the array to the pool and empties the list; it may be filled again.</summary>
    public void Release()
    {
        var items = _items;
        _items = [];
        Count = 0;
        if (items.Length != 0)
        {
            ArrayPool<long>.Shared.Return(items);
        }
    }

    /// <inheritdoc/>
    public IEnumerator<long> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return _items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void Grow()
    {
        var old = _items;
        var grown = ArrayPool<long>.Shared.Rent(old.Length == 0 ? InitialCapacity : old.Length * 2);
        old.AsSpan(0, Count).CopyTo(grown);
        _items = grown;
        if (old.Length != 0)
        {
            ArrayPool<long>.Shared.Return(old);
        }
    }
}
