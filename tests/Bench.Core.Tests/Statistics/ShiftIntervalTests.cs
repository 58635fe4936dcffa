using Bench.Core.Statistics;

namespace Bench.Core.Tests.Statistics;

public sealed class ShiftIntervalTests
{
    [Fact]
    public void Compute_FiveAgainstFive_MatchesHandCountedOrderStatistics()
    {
        // y − x over {1..5} × {11..15}: 25 differences 6 (×1), 7 (×2), 8 (×3), 9 (×4), 10 (×5), 11 (×4), 12 (×3), 13 (×2), 14 (×1).
        // Median (13th) = 10. k = ⌊25/2 − 1.95996 × √(25 × 11 / 12)⌋ = ⌊12.5 − 9.38⌋ = 3, the exact table's C = 3 for
        // m = n = 5 at 95 % (Hollander & Wolfe): [D₍₃₎, D₍₂₃₎] = [7, 13].
        var shift = ShiftInterval.Compute([1, 2, 3, 4, 5], [11, 12, 13, 14, 15])!.Value;

        Assert.Equal(10, shift.Estimate);
        Assert.Equal(7, shift.Lower);
        Assert.Equal(13, shift.Upper);
        Assert.True(shift.Significant);
        Assert.Equal((5, 5), (shift.CountX, shift.CountY));
    }

    [Fact]
    public void Compute_Estimate_AgreesWithPragmastatShift()
    {
        // Pragmastat's Toolkit.Shift(x, y) is the Hodges–Lehmann median of x − y: the same estimate, opposite sign.
        var random = new Random(7);
        var x = Enumerable.Range(0, 57).Select(_ => 100 + (random.NextDouble() * 30)).ToArray();
        var y = Enumerable.Range(0, 43).Select(_ => 140 + (random.NextDouble() * 30)).ToArray();

        var shift = ShiftInterval.Compute(x, y)!.Value;

        Assert.Equal(-Pragmastat.Toolkit.Shift(new Pragmastat.Sample(x), new Pragmastat.Sample(y)), shift.Estimate, 9);
        Assert.InRange(shift.Estimate, shift.Lower, shift.Upper);
    }

    [Fact]
    public void Compute_SameSample_IntervalContainsZero()
    {
        double[] x = [5, 1, 4, 2, 3, 9, 7];

        var shift = ShiftInterval.Compute(x, x)!.Value;

        Assert.Equal(0, shift.Estimate);
        Assert.False(shift.Significant);
    }

    [Fact]
    public void Compute_TooFewValues_IsNull()
    {
        Assert.Null(ShiftInterval.Compute([1, 2, 3, 4], [1, 2, 3, 4, 5]));
        Assert.Null(ShiftInterval.Compute([1, 2, 3, 4, double.NaN], [1, 2, 3, 4, 5]));
    }

    [Fact]
    public void Compute_LargeSamples_ThinnedToMaxCount()
    {
        var x = Enumerable.Range(0, 10_000).Select(i => (double)i).ToArray();
        var y = x.Select(v => v + 40).ToArray();

        var shift = ShiftInterval.Compute(x, y)!.Value;

        Assert.Equal(ShiftInterval.MaxCount, shift.CountX);
        Assert.Equal(40, shift.Estimate, 0);
    }
}
