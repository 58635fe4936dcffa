using Bench.Report.Model;
using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// One colour per model, the same in every chart of a run: a model's colour is picked by its position in the run
/// (the order of <see cref="RunReport.Cells"/>, then of sweep curves), never by the chart it appears in. Streaming and
/// non-streaming share their model's colour and differ by <see cref="ModeStyle"/>.
/// </summary>
public sealed class ModelPalette
{
    /// <summary>The colours, in assignment order: Okabe and Ito's colour-blind-safe set (without its yellow, too pale on
    /// white), then three more distinct hues. The eleventh model reuses the first colour.</summary>
    public static IReadOnlyList<Color> Colors { get; } = Color.FromHex(
    [
        "#0072B2", // blue
        "#E69F00", // orange
        "#009E73", // bluish green
        "#D55E00", // vermillion
        "#CC79A7", // reddish purple
        "#56B4E9", // sky blue
        "#000000", // black
        "#8C564B", // brown
        "#7F7F7F", // grey
        "#BCBD22", // olive
    ]);

    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    /// <summary>Assigns colours to <paramref name="models"/> in order; a repeated model keeps its first colour.</summary>
    /// <param name="models">Series names in order (<see cref="Name"/>).</param>
    /// <param name="multiTarget">True when the run has cells at more than one target: a series is then
    /// <c>target · model</c> (<see cref="Name"/>), one colour each, and every label says the target.</param>
    public ModelPalette(IEnumerable<string> models, bool multiTarget = false)
    {
        ArgumentNullException.ThrowIfNull(models);
        MultiTarget = multiTarget;
        foreach (var model in models)
        {
            _index.TryAdd(model, _index.Count);
        }
    }

    /// <summary>True when the run has cells at more than one target (see the constructor).</summary>
    public bool MultiTarget { get; }

    /// <summary>The series name of a model at a target: <c>target · model</c> when the run has several targets, else
    /// the model alone (a one-target run names its target once, in the report's header).</summary>
    public string Name(string? target, string model) => MultiTarget && !string.IsNullOrEmpty(target) ? $"{target} · {model}" : model;

    /// <summary>The colour of a model at a target (<see cref="Name"/>).</summary>
    /// <exception cref="KeyNotFoundException">The series is not part of the run.</exception>
    public Color Of(string? target, string model) => Of(Name(target, model));

    /// <summary>The position of a model at a target in the run's order (<see cref="Name"/>).</summary>
    /// <exception cref="KeyNotFoundException">The series is not part of the run.</exception>
    public int IndexOf(string? target, string model) => IndexOf(Name(target, model));

    /// <summary>Models in colour order (the order they first appeared).</summary>
    public IReadOnlyList<string> Models => [.. _index.OrderBy(kv => kv.Value).Select(kv => kv.Key)];

    /// <summary>The palette of a run: models (at their targets, when the run has several) in the order of its cells,
    /// then of its sweep curves.</summary>
    public static ModelPalette For(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var multi = report.Cells.Select(c => c.Summary.Target).Concat(report.Sweeps.Select(s => s.Target)).OfType<string>().Distinct(StringComparer.Ordinal).Count() > 1;
        var names = new ModelPalette([], multi);
        return new ModelPalette(report.Cells.Select(c => names.Name(c.Summary.Target, c.Summary.Model)).Concat(report.Sweeps.Select(s => names.Name(s.Target, s.Model))), multi);
    }

    /// <summary>The colour at a position in the run's model order (cycling after <see cref="Colors"/> runs out).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static Color At(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return Colors[index % Colors.Count];
    }

    /// <summary>The position of a model in the run's order.</summary>
    /// <exception cref="KeyNotFoundException">The model is not part of the run.</exception>
    public int IndexOf(string model) =>
        _index.TryGetValue(model, out var index) ? index : throw new KeyNotFoundException($"Model '{model}' is not in this run's palette.");

    /// <summary>The colour of a model.</summary>
    /// <exception cref="KeyNotFoundException">The model is not part of the run.</exception>
    public Color Of(string model) => At(IndexOf(model));
}
