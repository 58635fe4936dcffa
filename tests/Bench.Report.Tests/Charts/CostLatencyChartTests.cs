using Bench.Report.Charts;

namespace Bench.Report.Tests.Charts;

public class CostLatencyChartTests
{
    [Fact]
    public void Wrap_LongListOfUnpricedCells_LinesWithinTheWidthItemsWhole()
    {
        string[] cells = ["claude-sonnet-4.5 · batch-api", "gemini-2.5-flash · batch-api", "deepseek-v3.2 · batch-api", "mistral-large · streaming"];

        var lines = CostLatencyChart.Wrap("Not priced, not shown: ", cells).Split('\n');

        Assert.True(lines.Length > 1);
        Assert.All(lines, l => Assert.True(l.Length <= 100, l));
        Assert.Equal("Not priced, not shown: " + string.Join(", ", cells), string.Join(" ", lines));
        Assert.Equal("Not priced, not shown: a", CostLatencyChart.Wrap("Not priced, not shown: ", ["a"]));
    }

    [Fact]
    public void Place_Alone_AboveRight()
    {
        var placed = new List<CostLatencyChart.PixelBox>();

        var (alignment, x, y) = CostLatencyChart.Place("a · streaming", 1, 500, 10, 1000, placed);

        Assert.Equal(ScottPlot.Alignment.LowerLeft, alignment);
        Assert.True(x > 0 && y < 0);
        Assert.Single(placed);
    }

    [Fact]
    public void Place_NextToANameAlreadyPlaced_GoesBelow()
    {
        var placed = new List<CostLatencyChart.PixelBox>();
        CostLatencyChart.Place("deepseek-v3.2 · streaming", 0.05, 435, 0.9, 670, placed);

        var (alignment, _, y) = CostLatencyChart.Place("gemini-2.5-flash · streaming", 0.17, 420, 0.9, 670, placed);

        Assert.Equal(ScottPlot.Alignment.UpperLeft, alignment);
        Assert.True(y > 0);
        Assert.False(placed[0].Overlaps(placed[1]));
    }

    [Fact]
    public void Place_AtTheRightEdge_GoesLeft()
    {
        var (alignment, x, _) = CostLatencyChart.Place("claude-sonnet-4.5 · non-streaming", 1.2, 500, 1.3, 1000, []);

        Assert.Equal(ScottPlot.Alignment.LowerRight, alignment);
        Assert.True(x < 0);
    }
}
