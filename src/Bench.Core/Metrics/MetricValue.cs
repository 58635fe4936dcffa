using System.Globalization;
using System.Text.Json;

namespace Bench.Core.Metrics;

/// <summary>The kind of a figure's value, which decides how it is written.</summary>
public enum MetricValueKind
{
    /// <summary>A measured number (double), rounded by the entry's <see cref="NumberFormat"/>.</summary>
    Number,

    /// <summary>A whole count.</summary>
    Count,

    /// <summary>An amount of money in USD (decimal), rounded by the entry's <see cref="NumberFormat"/>.</summary>
    Usd,

    /// <summary>A yes/no verdict (<c>true</c>/<c>false</c>).</summary>
    Flag,

    /// <summary>A label (model, mode, price source).</summary>
    Text,
}

/// <summary>
/// One figure's value for one cell or request, as read by a <see cref="MetricDefinition"/>: a number, a count, an
/// amount in USD, a flag or a label — or missing (undefined: TTFT of a non-streaming cell, cost of an unpriced model),
/// which files write as an empty field or <c>null</c>, never 0.
/// </summary>
public readonly record struct MetricValue
{
    private MetricValue(MetricValueKind kind, double? number, decimal? usd, string? text)
    {
        Kind = kind;
        AsDouble = number;
        AsUsd = usd;
        AsText = text;
    }

    /// <summary>The kind of value.</summary>
    public MetricValueKind Kind { get; }

    /// <summary>The value as a number (counts as themselves, flags as 1/0, USD converted), or null when missing or a
    /// label. Non-finite numbers read as missing.</summary>
    public double? AsDouble { get; }

    /// <summary>The exact amount of a <see cref="MetricValueKind.Usd"/> value, else null.</summary>
    public decimal? AsUsd { get; }

    /// <summary>The label of a <see cref="MetricValueKind.Text"/> value, else null.</summary>
    public string? AsText { get; }

    /// <summary>True when the value is undefined.</summary>
    public bool IsMissing => AsDouble is null && AsText is null;

    /// <summary>A measured number; null or non-finite is missing.</summary>
    public static MetricValue Number(double? value) =>
        new(MetricValueKind.Number, value is { } v && double.IsFinite(v) ? v : null, null, null);

    /// <summary>A whole count; null is missing.</summary>
    public static MetricValue Count(long? value) => new(MetricValueKind.Count, value, null, null);

    /// <summary>An amount in USD; null is missing (unpriced).</summary>
    public static MetricValue Usd(decimal? value) => new(MetricValueKind.Usd, value is { } v ? (double)v : null, value, null);

    /// <summary>A verdict; null is missing.</summary>
    public static MetricValue Flag(bool? value) => new(MetricValueKind.Flag, value is { } v ? (v ? 1 : 0) : null, null, null);

    /// <summary>A label; null is missing.</summary>
    public static MetricValue Text(string? value) => new(MetricValueKind.Text, null, null, value);

    /// <summary>The value as written in <c>summary.csv</c> and <c>records.csv</c> (invariant culture, rounded by
    /// <paramref name="format"/>); empty when missing.</summary>
    public string ToText(NumberFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        return Kind switch
        {
            _ when IsMissing => "",
            MetricValueKind.Number => format.Format(AsDouble!.Value),
            MetricValueKind.Count => ((long)AsDouble!.Value).ToString(CultureInfo.InvariantCulture),
            MetricValueKind.Usd => format.Format(AsUsd!.Value),
            MetricValueKind.Flag => AsDouble == 1 ? "true" : "false",
            _ => AsText!,
        };
    }

    /// <summary>Writes the value as the JSON property <paramref name="name"/>, rounded exactly as <see cref="ToText"/>
    /// rounds it; <c>null</c> when missing.</summary>
    public void WriteJson(Utf8JsonWriter json, string name, NumberFormat format)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(format);
        if (IsMissing)
        {
            json.WriteNull(name);
            return;
        }

        switch (Kind)
        {
            case MetricValueKind.Number:
                json.WriteNumber(name, format.Round(AsDouble!.Value));
                break;
            case MetricValueKind.Count:
                json.WriteNumber(name, (long)AsDouble!.Value);
                break;
            case MetricValueKind.Usd:
                json.WriteNumber(name, format.Round(AsUsd!.Value));
                break;
            case MetricValueKind.Flag:
                json.WriteBoolean(name, AsDouble == 1);
                break;
            default:
                json.WriteString(name, AsText);
                break;
        }
    }
}

/// <summary>
/// How a figure is rounded wherever it is written: the same number of decimals in <c>summary.csv</c>,
/// <c>summary.json</c> and <c>records.csv</c> (midpoints away from zero), trailing zeros dropped.
/// </summary>
/// <param name="Decimals">Decimals kept, or null for the shortest exact (round-trip) form.</param>
public sealed record NumberFormat(int? Decimals)
{
    /// <summary>Whole numbers.</summary>
    public static readonly NumberFormat Integer = new(0);

    /// <summary>Milliseconds and seconds: 3 decimals (microseconds, the histograms' resolution).</summary>
    public static readonly NumberFormat Milliseconds = new(3);

    /// <summary>Requests per second and decode rates: 3 decimals.</summary>
    public static readonly NumberFormat Rate = new(3);

    /// <summary>Output tokens per second: 1 decimal.</summary>
    public static readonly NumberFormat TokenRate = new(1);

    /// <summary>Ratios 0..1 (success rate, good fraction): 4 decimals (0.01 %).</summary>
    public static readonly NumberFormat Ratio = new(4);

    /// <summary>Mean token counts: 1 decimal.</summary>
    public static readonly NumberFormat Tokens = new(1);

    /// <summary>Token-count differences (tokens or percent): 2 decimals.</summary>
    public static readonly NumberFormat TokenDifference = new(2);

    /// <summary>USD: 10 decimals (a cheap request costs millionths of a dollar; nothing rounds to 0).</summary>
    public static readonly NumberFormat Usd = new(10);

    /// <summary>As measured, shortest exact form.</summary>
    public static readonly NumberFormat Exact = new((int?)null);

    /// <summary>The .NET custom format string used for text (<c>0.###</c>).</summary>
    public string Pattern => Decimals is { } d ? (d == 0 ? "0" : "0." + new string('#', d)) : "R";

    /// <summary><paramref name="value"/> rounded to <see cref="Decimals"/>.</summary>
    public double Round(double value) => Decimals is { } d ? Math.Round(value, d, MidpointRounding.AwayFromZero) : value;

    /// <summary><paramref name="value"/> rounded to <see cref="Decimals"/>.</summary>
    public decimal Round(decimal value) => Decimals is { } d ? Math.Round(value, d, MidpointRounding.AwayFromZero) : value;

    /// <summary>The rounded value as invariant text.</summary>
    public string Format(double value) => Round(value).ToString(Pattern, CultureInfo.InvariantCulture);

    /// <summary>The rounded value as invariant text.</summary>
    public string Format(decimal value) => Round(value).ToString(Decimals is null ? "G" : Pattern, CultureInfo.InvariantCulture);
}
