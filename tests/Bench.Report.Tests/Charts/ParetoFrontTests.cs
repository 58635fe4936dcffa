using Bench.Report.Charts;

namespace Bench.Report.Tests.Charts;

public class ParetoFrontTests
{
    private sealed record P(string Name, double Cost, double Latency);

    private static List<string> Front(params P[] points) => [.. ParetoFront.Of(points, p => p.Cost, p => p.Latency).Select(p => p.Name)];

    [Fact]
    public void Of_HandMadeSet_KeepsOnlyCheaperOrFasterPoints_ByRisingCost()
    {
        var front = Front(
            new P("cheap-slow", 0.05, 900),
            new P("mid", 0.20, 400),
            new P("dominated-by-mid", 0.30, 450),
            new P("pricey-fast", 1.20, 150),
            new P("pricey-slow", 1.30, 1000),
            new P("dominated-by-cheap", 0.06, 950));

        Assert.Equal(["cheap-slow", "mid", "pricey-fast"], front);
    }

    [Fact]
    public void Of_SameCost_KeepsOnlyTheFaster()
    {
        // Streaming and non-streaming of one model cost the same; the faster one dominates.
        Assert.Equal(["streaming"], Front(new P("non-streaming", 0.5, 980), new P("streaming", 0.5, 650)));
    }

    [Fact]
    public void Of_SameLatency_KeepsOnlyTheCheaper()
    {
        Assert.Equal(["cheaper"], Front(new P("dearer", 0.9, 300), new P("cheaper", 0.4, 300)));
    }

    [Fact]
    public void Of_IdenticalPoints_AreBothOnTheFront()
    {
        Assert.Equal(["a", "b"], Front(new P("a", 0.4, 300), new P("b", 0.4, 300)));
    }

    [Fact]
    public void Of_SinglePoint_IsTheFront()
    {
        Assert.Equal(["only"], Front(new P("only", 1, 1)));
    }

    [Fact]
    public void Of_NonFiniteValues_AreIgnored()
    {
        Assert.Equal(["ok"], Front(new P("nan", double.NaN, 1), new P("inf", 0.1, double.PositiveInfinity), new P("ok", 2, 2)));
    }

    [Fact]
    public void Of_Empty_IsEmpty()
    {
        Assert.Empty(Front());
    }
}
