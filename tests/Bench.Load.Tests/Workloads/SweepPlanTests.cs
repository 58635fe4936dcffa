using Bench.Load.Workloads;

namespace Bench.Load.Tests.Workloads;

public class SweepPlanTests
{
    /// <summary>Runs the search against an endpoint that sustains exactly <paramref name="capacity"/> requests/s.</summary>
    private static (List<double> Probes, double? Highest) Search(double capacity, double start, double? max = null, double precision = 0.1, double min = 0)
    {
        var plan = new SweepPlan(start, max, precision, min);
        var probes = new List<double>();
        while (plan.Next is { } rate && probes.Count < 50)
        {
            probes.Add(rate);
            plan.Record(rate, rate <= capacity);
        }

        return (probes, plan.Highest);
    }

    [Fact]
    public void Search_DoublesThenBisects_ToWithinPrecision()
    {
        var (probes, highest) = Search(capacity: 10, start: 1);

        Assert.Equal([1, 2, 4, 8, 16, 12, 10, 11], probes);
        Assert.Equal(10, highest);
    }

    [Fact]
    public void Search_StartRateFails_BisectsDownwards()
    {
        var (probes, highest) = Search(capacity: 3, start: 8);

        Assert.Equal(8, probes[0]);
        Assert.Equal(4, probes[1]);
        Assert.InRange(highest!.Value, 3 * 0.9, 3);
    }

    [Fact]
    public void Search_MaxRateMet_StopsThere()
    {
        var (probes, highest) = Search(capacity: 1000, start: 5, max: 30);

        Assert.Equal([5, 10, 20, 30], probes);
        Assert.Equal(30, highest);
    }

    [Fact]
    public void Search_NothingMeets_HasNoHighest()
    {
        var (_, highest) = Search(capacity: 0, start: 1, precision: 0.5);
        Assert.Null(highest);
    }

    [Fact]
    public void Search_NeverGoesBelowTheFloor_AndTriesTheFloorOnce()
    {
        // Floor 4/s (e.g. 20 requests in a 5 s probe): 20 fails, 10 fails, 5 fails, then the floor itself, then stop.
        var (probes, highest) = Search(capacity: 0, start: 20, min: 4);

        Assert.Equal([20, 10, 5, 4], probes);
        Assert.Null(highest);
    }

    [Fact]
    public void Search_FloorMet_BisectsAboveIt()
    {
        var (probes, highest) = Search(capacity: 4.5, start: 20, min: 4);

        Assert.Equal([20, 10, 5, 4], probes[..4]);
        Assert.All(probes, p => Assert.True(p >= 4));
        Assert.InRange(highest!.Value, 4, 4.5);
    }
}
