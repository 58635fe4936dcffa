namespace Bench.Simulator.Generation;

/// <summary>
/// Derives a request's random seed from the simulator's seed, the model and the request's own <c>seed</c> (or, when it
/// has none, the simulator's request counter). Requests that carry the same seed therefore draw the same timing and
/// text whatever order they arrive in. Uses FNV-1a and the SplitMix64 finaliser: stable across processes and
/// platforms, unlike <see cref="string.GetHashCode()"/>.
/// </summary>
internal static class RequestSeed
{
    /// <summary>The seed for <see cref="Random(int)"/>.</summary>
    /// <param name="simulatorSeed">The simulator's seed.</param>
    /// <param name="model">The requested model id.</param>
    /// <param name="requestSeed">The request's <c>seed</c> field, if any.</param>
    /// <param name="requestNumber">The simulator's count of chat completion requests, used without a request seed.</param>
    public static int Derive(int simulatorSeed, string model, long? requestSeed, long requestNumber)
    {
        var hash = Mix((ulong)(uint)simulatorSeed ^ Fnv1a(model));
        // Different salts keep "seed 5" and "the 5th unseeded request" apart.
        hash = requestSeed is { } seed ? Mix(hash ^ (ulong)seed) : Mix(~hash ^ (ulong)requestNumber);
        return (int)(hash ^ (hash >> 32));
    }

    /// <summary>A seed derived from <paramref name="seed"/> (a request's, from <see cref="Derive(int, string, long?, long)"/>, or the
    /// simulator's) and a number (an attempt, a connection), each pair its own stream: attempt 2 of a request draws
    /// apart from attempt 1, and the n-th connection's draw does not depend on what requests did.</summary>
    /// <param name="seed">The seed to derive from.</param>
    /// <param name="salt">Which stream: <c>'a'</c> for attempts, <c>'c'</c> for connections.</param>
    /// <param name="number">The attempt or connection number.</param>
    public static int Derive(int seed, char salt, long number)
    {
        var hash = Mix(Mix((ulong)(uint)seed ^ ((ulong)salt << 48)) ^ (ulong)number);
        return (int)(hash ^ (hash >> 32));
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
