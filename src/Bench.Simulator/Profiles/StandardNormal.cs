namespace Bench.Simulator.Profiles;

/// <summary>Draws from the standard normal distribution with the Box–Muller transform.</summary>
internal static class StandardNormal
{
    /// <summary>One standard normal value; consumes exactly two uniforms from <paramref name="random"/>, so the number
    /// of draws per request (and therefore reproducibility) does not depend on the values drawn.</summary>
    public static double Sample(Random random)
    {
        var u1 = 1.0 - random.NextDouble(); // (0, 1]: keeps the logarithm finite
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
