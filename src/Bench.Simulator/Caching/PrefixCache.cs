namespace Bench.Simulator.Caching;

/// <summary>
/// One model's prefix cache (see <see cref="PromptCacheSpec"/> for the model and its sources): block keys chained over
/// the prompt's token ids, least recently used first out, blocks idle for the lifetime expired, all on the
/// simulator's <see cref="TimeProvider"/>. Thread-safe: one lock per model, held for a lookup and its writes.
/// </summary>
internal sealed class PrefixCache
{
    private readonly PromptCacheSpec _spec;
    private readonly TimeProvider _time;
    private readonly long _ttlTicks;
    private readonly long _capacityBlocks;
    private readonly Dictionary<ulong, LinkedListNode<Block>> _blocks = [];
    private readonly LinkedList<Block> _byUse = []; // least recently used first
    private readonly Lock _lock = new();

    /// <summary>A cache of <paramref name="spec"/>'s shape on <paramref name="time"/>.</summary>
    public PrefixCache(PromptCacheSpec spec, TimeProvider time)
    {
        _spec = spec;
        _time = time;
        _ttlTicks = (long)Math.Ceiling(spec.TtlS * time.TimestampFrequency);
        _capacityBlocks = spec.CapacityTokens / spec.BlockTokens;
    }

    /// <summary>Blocks held now (expired ones are dropped at the next use).</summary>
    public int Blocks
    {
        get
        {
            lock (_lock)
            {
                return _blocks.Count;
            }
        }
    }

    /// <summary>
    /// Looks the prompt up and caches it: the cached tokens are the longest run of leading blocks already held (0 when
    /// fewer than <see cref="PromptCacheSpec.MinTokens"/>); then every whole block of the prompt is held, used now, and
    /// the ones that were not are the cache writes. A prompt shorter than the minimum is neither read nor written.
    /// </summary>
    /// <param name="ids">The prompt's token ids in the chat template's order.</param>
    /// <param name="promptTokens">The prompt's token count (the usage's).</param>
    public PromptUsage Use(IReadOnlyList<int> ids, int promptTokens)
    {
        if (promptTokens < _spec.MinTokens || _capacityBlocks == 0)
        {
            return new PromptUsage(promptTokens);
        }

        var keys = Keys(ids, _spec.BlockTokens);
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            while (_byUse.First is { } oldest && now - oldest.Value.LastUsed >= _ttlTicks)
            {
                Remove(oldest);
            }

            var hits = 0;
            while (hits < keys.Length && _blocks.ContainsKey(keys[hits]))
            {
                hits++;
            }

            var written = 0;
            foreach (var key in keys)
            {
                if (_blocks.TryGetValue(key, out var node))
                {
                    _byUse.Remove(node);
                    node.Value.LastUsed = now;
                    _byUse.AddLast(node);
                }
                else
                {
                    _blocks[key] = _byUse.AddLast(new Block(key, now));
                    written++;
                }
            }

            while (_blocks.Count > _capacityBlocks)
            {
                Remove(_byUse.First!);
            }

            var cached = hits * _spec.BlockTokens;
            return new PromptUsage(promptTokens, cached >= _spec.MinTokens ? cached : 0, written * _spec.BlockTokens);
        }
    }

    /// <summary>The key of each whole block: a 64-bit hash of every id from the start of the prompt to the block's end
    /// (FNV-1a over the ids, finished with SplitMix64's mixer at each block's end and carried into the next).</summary>
    internal static ulong[] Keys(IReadOnlyList<int> ids, int blockTokens)
    {
        var keys = new ulong[ids.Count / blockTokens];
        var hash = 14695981039346656037UL;
        for (var b = 0; b < keys.Length; b++)
        {
            for (var i = b * blockTokens; i < (b + 1) * blockTokens; i++)
            {
                hash = (hash ^ (uint)ids[i]) * 1099511628211UL;
            }

            hash = Mix(hash);
            keys[b] = hash;
        }

        return keys;
    }

    private void Remove(LinkedListNode<Block> node)
    {
        _byUse.Remove(node);
        _blocks.Remove(node.Value.Key);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private sealed class Block(ulong key, long lastUsed)
    {
        public ulong Key { get; } = key;

        public long LastUsed { get; set; } = lastUsed;
    }
}
