using System.Globalization;

namespace Bench.Report.Comparison.Exporters;

/// <summary>How every comparison output writes a figure, a change and a method (one formatting for all).</summary>
internal static class ComparisonText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A figure with its unit: 4 significant digits (ratios as %).</summary>
    public static string Value(double value, string unit) => unit switch
    {
        "ratio" => (value * 100).ToString("0.##", Invariant) + " %",
        "USD" => "$" + value.ToString("0.######", Invariant),
        "" => Number(value),
        _ => Number(value) + " " + unit,
    };

    /// <summary>4 significant digits, without an exponent for large figures (22,930 rather than 2.293E+04).</summary>
    private static string Number(double value) => Math.Abs(value) >= 10_000 ? value.ToString("#,0", Invariant) : value.ToString("G4", Invariant);

    /// <summary>The change: relative (and absolute for ratios, in percentage points).</summary>
    public static string Change(ComparisonRow row) => row.Unit == "ratio"
        ? (row.AbsoluteChange * 100).ToString("+0.##;-0.##;0", Invariant) + " pp"
        : row.RelativeChange is { } r ? (r * 100).ToString("+0.0;-0.0;0.0", Invariant) + " %" : Value(row.AbsoluteChange, row.Unit);

    /// <summary>The method and its evidence, in one cell.</summary>
    public static string Method(ComparisonRow row)
    {
        var name = row.Method switch
        {
            ComparisonMethod.Replicates => $"replicates {row.BaselineSamples}/{row.CurrentSamples}",
            ComparisonMethod.Requests => $"requests* {row.BaselineSamples}/{row.CurrentSamples}",
            ComparisonMethod.Iterations => $"iterations {row.BaselineSamples}/{row.CurrentSamples}",
            ComparisonMethod.Proportions => $"proportions {row.BaselineSamples}/{row.CurrentSamples}",
            ComparisonMethod.Exact => "exact",
            _ => "none",
        };
        var evidence = row.Method == ComparisonMethod.Proportions && row.IntervalLower is { } lo && row.IntervalUpper is { } hi
            ? string.Create(Invariant, $", diff [{lo * 100:+0.##;-0.##;0}, {hi * 100:+0.##;-0.##;0}] pp vs ±{row.Threshold}")
            : row.Threshold is { } t ? $", threshold {t}" + (row.Noise is { } n && n != "0" ? $", noise {n}" : "") : row.Noise is { } n2 ? $", noise {n2}" : "";
        var p = row.PValueGreater is { } greater && row.PValueLesser is { } lesser
            ? Math.Min(greater, lesser) < 0.0001 ? ", p < 0.0001" : string.Create(Invariant, $", p {Math.Min(greater, lesser):0.####}")
            : "";
        return name + evidence + p + (row.Note is { } note ? $" ({note})" : "");
    }
}
