namespace Bench.Report.Charts;

/// <summary>
/// A uniform random sample of at most <see cref="Capacity"/> items from a stream of unknown length (Vitter's
/// algorithm R), so a chart of a 30-minute run holds as many points as one of a 30-second run. Seeded: the same
/// stream gives the same sample, so charts are reproducible.
/// </summary>
/// <typeparam name="T">Item type.</typeparam>
internal sealed class Reservoir<T>
{
    private readonly List<T> _items = [];
    private readonly Random _random;

    /// <summary>Creates an empty reservoir.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public Reservoir(int capacity, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _random = new Random(seed);
    }

    /// <summary>The most items kept.</summary>
    public int Capacity { get; }

    /// <summary>Items offered so far.</summary>
    public long Seen { get; private set; }

    /// <summary>True when items were dropped (the sample is smaller than the stream).</summary>
    public bool Sampled => Seen > _items.Count;

    /// <summary>The sample, in no particular order.</summary>
    public IReadOnlyList<T> Items => _items;

    /// <summary>Offers one item: kept with probability <see cref="Capacity"/> / <see cref="Seen"/>.</summary>
    public void Add(T item)
    {
        Seen++;
        if (_items.Count < Capacity)
        {
            _items.Add(item);
            return;
        }

        var slot = _random.NextInt64(Seen);
        if (slot < Capacity)
        {
            _items[(int)slot] = item;
        }
    }
}
