namespace Bench.Load.Workloads;

/// <summary>
/// Draws from a gamma distribution with a given shape k and scale θ (mean kθ, variance kθ²) from a seeded
/// <see cref="Random"/>, by Marsaglia and Tsang's method ("A simple method for generating gamma variables", ACM
/// Transactions on Mathematical Software 26(3), 2000): for k ≥ 1, d = k − 1/3, c = 1/√(9d); draw a standard normal x and
/// a uniform u, let v = (1 + c·x)³; accept d·v when v &gt; 0 and ln u &lt; x²/2 + d − d·v + d·ln v. For k &lt; 1 the same
/// paper's boost: G(k) = G(k + 1) · u^(1/k). The standard normal comes from the Box–Muller transform (Box and Muller,
/// "A note on the generation of random normal deviates", Annals of Mathematical Statistics 29(2), 1958).
/// </summary>
internal static class GammaSampler
{
    /// <summary>One draw of Gamma(<paramref name="shape"/>, <paramref name="scale"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The shape or the scale is not a positive finite number.</exception>
    public static double Next(Random random, double shape, double scale)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(shape > 0) || double.IsInfinity(shape))
        {
            throw new ArgumentOutOfRangeException(nameof(shape), shape, "The shape must be a positive finite number.");
        }

        if (!(scale > 0) || double.IsInfinity(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be a positive finite number.");
        }

        if (shape < 1)
        {
            // u in (0, 1]: u^(1/k) is never 0 from a 0 draw.
            var u = 1 - random.NextDouble();
            return Next(random, shape + 1, scale) * Math.Pow(u, 1 / shape);
        }

        var d = shape - (1.0 / 3);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = StandardNormal(random);
                v = 1 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
            var u = 1 - random.NextDouble(); // (0, 1]: ln u is finite
            if (Math.Log(u) < (0.5 * x * x) + d - (d * v) + (d * Math.Log(v)))
            {
                return d * v * scale;
            }
        }
    }

    /// <summary>A standard normal draw by the Box–Muller transform: √(−2 ln u₁) · cos(2π u₂).</summary>
    public static double StandardNormal(Random random)
    {
        var u1 = 1 - random.NextDouble(); // (0, 1]
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
