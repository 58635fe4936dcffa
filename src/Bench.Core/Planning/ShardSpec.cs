using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Bench.Core.Planning;

/// <summary>
/// One slice of a plan run on its own (issue 16, <c>bench run --shard I/N</c>): the I-th of N disjoint slices whose
/// union is the unsharded run's requests. <see cref="Index"/> counts from 1.
/// </summary>
/// <param name="Index">Which slice, 1..<paramref name="Count"/>.</param>
/// <param name="Count">How many slices, 1..<see cref="MaxCount"/>.</param>
public sealed record ShardSpec(int Index, int Count)
{
    /// <summary>The most shards a plan is split into.</summary>
    public const int MaxCount = 1000;

    /// <summary>Whether slice <see cref="Index"/> takes item <paramref name="k"/> (from 0) of a sequence the slices
    /// share round-robin: k mod N = I − 1.</summary>
    public bool Takes(long k) => k % Count == Index - 1;

    /// <summary>How many of items 0..<paramref name="count"/>−1 this slice takes (<see cref="Takes"/>): ⌊count / N⌋, plus 1
    /// for the first count mod N slices.</summary>
    public long Share(long count) => (count / Count) + (Index - 1 < count % Count ? 1 : 0);

    /// <summary><c>I/N</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>Parses <c>I/N</c> (1 ≤ I ≤ N ≤ <see cref="MaxCount"/>).</summary>
    /// <param name="text">The flag's value.</param>
    /// <param name="shard">The slice, when valid.</param>
    /// <param name="error">Why it is not one.</param>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ShardSpec? shard, [NotNullWhen(false)] out string? error)
    {
        shard = null;
        var parts = (text ?? "").Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            error = $"'{text}' is not a shard: expected I/N, the I-th of N slices (e.g. 2/4)";
            return false;
        }

        if (count is < 1 or > MaxCount || index < 1 || index > count)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"'{text}': need 1 ≤ I ≤ N ≤ {MaxCount}");
            return false;
        }

        shard = new ShardSpec(index, count);
        error = null;
        return true;
    }
}
