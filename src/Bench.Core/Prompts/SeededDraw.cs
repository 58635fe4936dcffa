namespace Bench.Core.Prompts;

/// <summary>
/// Random numbers that depend only on (seed, request id, stream, index), never on the order requests are drawn in:
/// each is SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014; the
/// finaliser Java's <c>SplittableRandom</c> and Vigna's xoshiro seeding use) of the four mixed together.
/// </summary>
public static class SeededDraw
{
    /// <summary>Stream of prompt lengths.</summary>
    public const int InputStream = 1;

    /// <summary>Stream of answer lengths.</summary>
    public const int OutputStream = 2;

    /// <summary>Stream of shared-prefix choices (whether a request carries one, and its group).</summary>
    public const int PrefixStream = 3;

    /// <summary>Stream of dataset entries.</summary>
    public const int DatasetStream = 4;

    /// <summary>Stream of synthetic prompt words.</summary>
    public const int WordStream = 5;

    /// <summary>A 64-bit value for (<paramref name="seed"/>, <paramref name="id"/>, <paramref name="stream"/>,
    /// <paramref name="index"/>).</summary>
    public static ulong Bits(long seed, long id, int stream, long index = 0)
    {
        var x = Mix((ulong)seed);
        x = Mix(x ^ (ulong)id);
        x = Mix(x ^ ((ulong)(uint)stream << 32));
        return Mix(x ^ (ulong)index);
    }

    /// <summary>A uniform double in [0, 1) (the top 53 bits).</summary>
    public static double Unit(long seed, long id, int stream, long index = 0) =>
        (Bits(seed, id, stream, index) >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="count"/>) (Lemire's multiply-shift; bias below 2^-32 for
    /// counts under 2^32).</summary>
    public static long Below(long count, long seed, long id, int stream, long index = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return (long)Math.BigMul(Bits(seed, id, stream, index), (ulong)count, out _);
    }

    /// <summary>SplitMix64's step and finaliser.</summary>
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
