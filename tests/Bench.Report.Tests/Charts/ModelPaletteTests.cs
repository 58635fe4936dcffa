using Bench.Core.Records;
using Bench.Report.Charts;

namespace Bench.Report.Tests.Charts;

public class ModelPaletteTests
{
    [Fact]
    public void Of_ModelsInRunOrder_GetColoursInPaletteOrder()
    {
        var palette = new ModelPalette(["b", "a", "c"]);

        Assert.Equal(ModelPalette.At(0), palette.Of("b"));
        Assert.Equal(ModelPalette.At(1), palette.Of("a"));
        Assert.Equal(ModelPalette.At(2), palette.Of("c"));
    }

    [Fact]
    public void Of_RepeatedModel_KeepsItsFirstColour()
    {
        // Cells come as model × mode, so each model appears once per mode.
        var palette = new ModelPalette(["x", "x", "y", "y"]);

        Assert.Equal(ModelPalette.At(0), palette.Of("x"));
        Assert.Equal(ModelPalette.At(1), palette.Of("y"));
        Assert.Equal(["x", "y"], palette.Models);
    }

    [Fact]
    public void Colors_AreDistinct_AndCycleAfterTheLast()
    {
        Assert.Equal(ModelPalette.Colors.Count, ModelPalette.Colors.Distinct().Count());
        Assert.Equal(ModelPalette.At(0), ModelPalette.At(ModelPalette.Colors.Count));
    }

    [Fact]
    public void For_Report_FollowsCellOrder_WhicheverModeCameFirst()
    {
        using var run = TestRun.Standard(perCell: 3);
        var palette = ModelPalette.For(run.Report());

        Assert.Equal(ModelPalette.At(0), palette.Of(TestRun.Alpha));
        Assert.Equal(ModelPalette.At(1), palette.Of(TestRun.Beta));
    }

    [Fact]
    public void Of_UnknownModel_Throws()
    {
        Assert.Throws<KeyNotFoundException>(() => new ModelPalette(["a"]).Of("zzz"));
    }

    [Fact]
    public void ModeStyle_DiffersByFillLineAndMarker_NotByColour()
    {
        var streaming = ModeStyle.Of(Mode.Streaming);
        var whole = ModeStyle.Of(Mode.NonStreaming);

        Assert.NotEqual(streaming.FillAlpha, whole.FillAlpha);
        Assert.NotEqual(streaming.Line.Name, whole.Line.Name);
        Assert.NotEqual(streaming.Marker, whole.Marker);
        var colour = ModelPalette.At(3);
        Assert.Equal((colour.R, colour.G, colour.B), (streaming.Fill(colour).R, streaming.Fill(colour).G, streaming.Fill(colour).B));
        Assert.Equal((colour.R, colour.G, colour.B), (whole.Fill(colour).R, whole.Fill(colour).G, whole.Fill(colour).B));
    }
}
