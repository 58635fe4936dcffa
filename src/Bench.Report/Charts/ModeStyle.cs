using Bench.Core.Records;
using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// How a mode is drawn, in every chart: streaming is strong (dense fill, solid line, filled circle), non-streaming is
/// light (pale fill with an outline, dashed line, open square), batch-api in between (middle fill, dotted line, filled
/// diamond). Colour always belongs to the model
/// (<see cref="ModelPalette"/>), so the two never compete.
/// </summary>
/// <param name="Mode">The mode.</param>
/// <param name="FillAlpha">Opacity of area fills (boxes, bars), 0..1.</param>
/// <param name="Line">Line pattern of series (CDFs, throughput, sweep curves).</param>
/// <param name="Marker">Marker shape of points (scatter, sweep probes).</param>
public sealed record ModeStyle(Mode Mode, double FillAlpha, LinePattern Line, MarkerShape Marker)
{
    /// <summary>Streaming: dense fill, solid line, filled circle.</summary>
    public static ModeStyle Streaming { get; } = new(Mode.Streaming, 0.75, LinePattern.Solid, MarkerShape.FilledCircle);

    /// <summary>Non-streaming: pale fill, dashed line, open square.</summary>
    public static ModeStyle NonStreaming { get; } = new(Mode.NonStreaming, 0.2, new LinePattern([7, 4], 0, "mode-dash"), MarkerShape.OpenSquare);

    /// <summary>Batch API: a middle fill, dotted line, filled diamond — distinct from both synchronous modes.</summary>
    public static ModeStyle BatchApi { get; } = new(Mode.BatchApi, 0.45, new LinePattern([2, 3], 0, "mode-dot"), MarkerShape.FilledDiamond);

    /// <summary>The file/CLI name of the mode (<c>streaming</c>, <c>non-streaming</c>).</summary>
    public string Name => Names.Of(Mode);

    /// <summary>The style of a mode.</summary>
    public static ModeStyle Of(Mode mode) => mode switch
    {
        Mode.Streaming => Streaming,
        Mode.NonStreaming => NonStreaming,
        Mode.BatchApi => BatchApi,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>The styles of <paramref name="modes"/>, distinct, streaming first, batch last (legend order).</summary>
    public static IReadOnlyList<ModeStyle> Ordered(IEnumerable<Mode> modes) =>
        [.. modes.Distinct().OrderBy(m => m switch { Mode.Streaming => 0, Mode.NonStreaming => 1, _ => 2 }).Select(Of)];

    /// <summary>The fill of an area in this mode for a model colour.</summary>
    public Color Fill(Color model) => model.WithAlpha(FillAlpha);
}
