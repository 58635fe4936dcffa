using System.Globalization;
using Bench.Core.Pricing;
using ScottPlot;

namespace Bench.Report.Charts;

/// <summary>
/// The reader's currency on a money chart: the first <c>--fx</c> rate (the plan's <see cref="Model.BudgetPlan.Fx"/>),
/// or USD without one. Amounts are USD of record converted exactly (<see cref="FxRate.FromUsd"/>) and turned into a
/// plot coordinate only at the end.
/// </summary>
/// <param name="Rate">The rate, or null for USD.</param>
internal sealed record ReaderCurrency(FxRate? Rate)
{
    /// <summary>USD, the unit of record.</summary>
    public static ReaderCurrency Usd { get; } = new((FxRate?)null);

    /// <summary>The reader's currency of a plan's rates: the first, or USD.</summary>
    public static ReaderCurrency Of(IReadOnlyList<FxRate> fx) => fx is { Count: > 0 } ? new ReaderCurrency(fx[0]) : Usd;

    /// <summary>The ISO 4217 code (<c>USD</c>, <c>CNY</c>).</summary>
    public string Code => Rate?.Currency ?? "USD";

    /// <summary>What goes before an amount: <c>$</c>, <c>¥</c>, <c>€</c>, <c>£</c>, else the code and a space
    /// (<c>CHF 10k</c>). ¥ stands for both CNY and JPY; the axis label names the currency.</summary>
    public string Symbol => Code switch
    {
        "USD" => "$",
        "CNY" or "JPY" => "¥",
        "EUR" => "€",
        "GBP" => "£",
        _ => Code + " ",
    };

    /// <summary>The currency as an axis label says it: <c>USD</c>, <c>CNY at 7.3 per USD</c>, <c>CNY at the
    /// CNY-relay rate, 1 per USD</c>.</summary>
    public string Describe() => Rate is not { } rate ? "USD"
        : rate.Label == rate.Currency ? string.Create(CultureInfo.InvariantCulture, $"{rate.Currency} at {rate.UnitsPerUsd:0.######} per USD")
        : string.Create(CultureInfo.InvariantCulture, $"{rate.Currency} at the {rate.Label} rate, {rate.UnitsPerUsd:0.######} per USD");

    /// <summary>An amount of USD in this currency, exactly.</summary>
    public decimal FromUsd(decimal usd) => Rate?.FromUsd(usd) ?? usd;

    /// <summary>An amount in this currency, compact: <c>$1k</c>, <c>¥12.5k</c>, <c>€1.2M</c>, <c>$0.05</c>.</summary>
    public string Compact(double amount) => (amount < 0 ? "-" : "") + Symbol + MoneyAxis.Compact(Math.Abs(amount));
}

/// <summary>
/// A money or volume axis: logarithmic when the values span more than <see cref="LogRatio"/> (largest / smallest),
/// linear from zero otherwise — and linear whenever a value is zero, which no log axis can show
/// (<see cref="ZeroForcedLinear"/>). ScottPlot 5 has no native log axis: values are plotted as log10 (<see cref="Coordinate"/>)
/// and the ticks are labelled with the amounts a reader uses (<c>$1k</c>, <c>$10k</c>, <c>¥100k</c>), never 10^x.
/// </summary>
internal sealed class MoneyAxis
{
    /// <summary>Above this ratio of the largest to the smallest value the axis is logarithmic.</summary>
    public const double LogRatio = 10;

    private readonly Func<double, string> _label;

    /// <summary>Chooses the scale for <paramref name="values"/> (finite, ≥ 0; others are ignored).</summary>
    /// <param name="values">The amounts (or volumes) the axis must show.</param>
    /// <param name="label">How a tick is labelled (e.g. <see cref="ReaderCurrency.Compact"/>).</param>
    /// <param name="forceLog">Logarithmic whatever the span (when every value is positive): a volume axis.</param>
    public MoneyAxis(IEnumerable<double> values, Func<double, string> label, bool forceLog = false)
    {
        ArgumentNullException.ThrowIfNull(values);
        _label = label ?? throw new ArgumentNullException(nameof(label));
        var all = values.Where(v => v >= 0 && double.IsFinite(v)).ToList();
        var positive = all.Where(v => v > 0).ToList();
        Min = positive.Count > 0 ? positive.Min() : 1;
        Max = positive.Count > 0 ? positive.Max() : 1;
        var wouldBeLog = positive.Count > 0 && (forceLog || Max / Min > LogRatio);
        ZeroForcedLinear = all.Count > positive.Count && (wouldBeLog || positive.Count == 0);
        IsLog = wouldBeLog && !ZeroForcedLinear;
    }

    /// <summary>True when the axis is logarithmic.</summary>
    public bool IsLog { get; }

    /// <summary>True when a value is zero and the others span more than <see cref="LogRatio"/> (or every value is
    /// zero), so the axis is linear because no log axis can show zero (a caption says so).</summary>
    public bool ZeroForcedLinear { get; }

    /// <summary>The smallest positive value (1 when none).</summary>
    public double Min { get; }

    /// <summary>The largest value (1 when none is positive).</summary>
    public double Max { get; }

    /// <summary>The lowest coordinate drawn: a little below the smallest value on a log axis, 0 on a linear one.</summary>
    public double Low => IsLog ? Math.Log10(Min / 1.6) : 0;

    /// <summary>The highest coordinate holding a value (room for labels is the chart's business).</summary>
    public double High => IsLog ? Math.Log10(Max * 1.15) : Max * 1.05;

    /// <summary>Where a value goes on the plot's coordinate (log10 on a log axis).</summary>
    public double Coordinate(double value) => IsLog ? Math.Log10(value) : value;

    /// <summary>The value at a plot coordinate.</summary>
    public double Value(double coordinate) => IsLog ? Math.Pow(10, coordinate) : coordinate;

    /// <summary>The labelled ticks between the coordinates <paramref name="low"/> and <paramref name="high"/>, as
    /// (coordinate, label), ascending; on a log axis the other 1–9 steps come back with a null label (minor ticks).
    /// Log labels thin out as decades are added (1-2-5 up to 2.5 decades, 1-5 up to 4, then powers of ten), so they
    /// never run into each other; linear ticks are 1, 2, 2.5 or 5 × 10^k apart, about six of them.</summary>
    public IReadOnlyList<(double Coordinate, string? Label)> Ticks(double low, double high)
    {
        var ticks = new List<(double, string?)>();
        if (!IsLog)
        {
            var step = NiceStep((high - Math.Max(0, low)) / 6);
            for (var k = Math.Ceiling(Math.Max(0, low) / step); k * step <= high * (1 + 1e-9); k++)
            {
                ticks.Add((k * step, _label(k * step)));
            }

            return ticks;
        }

        int[] labelled = (high - low) switch
        {
            <= 2.5 => [1, 2, 5],
            <= 4 => [1, 5],
            _ => [1],
        };
        for (var decade = (int)Math.Floor(low); decade <= (int)Math.Ceiling(high); decade++)
        {
            for (var step = 1; step <= 9; step++)
            {
                var value = step * Math.Pow(10, decade);
                var coordinate = Math.Log10(value);
                if (coordinate >= low && coordinate <= high)
                {
                    ticks.Add((coordinate, labelled.Contains(step) ? _label(value) : null));
                }
            }
        }

        return ticks;
    }

    /// <summary>The tick generator for <see cref="Ticks"/> (labelled majors, unlabelled minors).</summary>
    public ScottPlot.TickGenerators.NumericManual Generator(double low, double high)
    {
        var generator = new ScottPlot.TickGenerators.NumericManual();
        foreach (var (coordinate, label) in Ticks(low, high))
        {
            if (label is null)
            {
                generator.AddMinor(coordinate);
            }
            else
            {
                generator.AddMajor(coordinate, label);
            }
        }

        return generator;
    }

    /// <summary>Sets the bottom (<paramref name="edge"/> = <see cref="Edge.Bottom"/>) or left axis: limits and ticks.</summary>
    public void Apply(Plot plot, Edge edge, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(plot);
        if (edge == Edge.Bottom)
        {
            plot.Axes.Bottom.TickGenerator = Generator(low, high);
            plot.Axes.SetLimitsX(low, high);
        }
        else
        {
            plot.Axes.Left.TickGenerator = Generator(low, high);
            plot.Axes.SetLimitsY(low, high);
        }
    }

    /// <summary>A non-negative amount without its currency, compact: 0.05, 0.5, 5, 50, 500, 1k, 2.5k, 12.5k, 125k,
    /// 1M, 1.25M, 2B — three significant digits at most, invariant culture.</summary>
    public static string Compact(double amount)
    {
        if (amount == 0)
        {
            return "0";
        }

        var (scaled, suffix) = amount switch
        {
            >= 1e9 => (amount / 1e9, "B"),
            >= 1e6 => (amount / 1e6, "M"),
            >= 1e3 => (amount / 1e3, "k"),
            _ => (amount, ""),
        };
        var format = scaled switch
        {
            >= 100 => "0",
            >= 10 => "0.#",
            >= 1 => "0.##",
            >= 0.01 => "0.###",
            _ => "0.######",
        };
        return scaled.ToString(format, CultureInfo.InvariantCulture) + suffix;
    }

    /// <summary>A volume of requests, compact: <c>10k</c>, <c>1M</c>, <c>2.5M</c>.</summary>
    public static string Requests(double requests) => Compact(requests);

    /// <summary>The smallest of 1, 2, 2.5, 5 × 10^k not below <paramref name="rough"/>.</summary>
    internal static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough))
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        foreach (var factor in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (factor * power >= rough * (1 - 1e-9))
            {
                return factor * power;
            }
        }

        return 10 * power;
    }
}
