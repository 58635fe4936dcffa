using System.Globalization;

namespace Bench.Report.Comparison;

/// <summary>
/// A practical threshold or noise floor for <c>bench compare</c>: relative (<c>5%</c>: a fraction of the baseline) or
/// absolute (<c>20ms</c>, <c>0.5s</c>, <c>100B</c>, or a bare number in the metric's own unit). A relative threshold
/// applies to every metric; a time threshold only to metrics in ms or s (converted), a byte threshold only to bytes, a
/// bare number to every metric in its own unit.
/// </summary>
/// <param name="Value">The fraction (0.05 for 5 %), or the amount in <paramref name="Unit"/>.</param>
/// <param name="Unit"><c>%</c> for relative, <c>ms</c> for a time (seconds are stored as ms), <c>B</c> for bytes, empty
/// for a bare number.</param>
/// <param name="Text">As written on the command line.</param>
public sealed record CompareThreshold(double Value, string Unit, string Text)
{
    /// <summary>No threshold (0): every shift counts.</summary>
    public static readonly CompareThreshold Zero = new(0, "", "0");

    /// <summary>Whether the threshold is a fraction of the baseline.</summary>
    public bool Relative => Unit == "%";

    /// <summary>Parses <c>5%</c>, <c>1pp</c> (percentage points: 0.01, for rates), <c>20ms</c>, <c>0.5s</c>,
    /// <c>100B</c>, <c>3</c>.</summary>
    /// <returns>False, with <paramref name="reason"/>, when the text is none of these or negative.</returns>
    public static bool TryParse(string text, out CompareThreshold threshold, out string reason)
    {
        ArgumentNullException.ThrowIfNull(text);
        threshold = Zero;
        var t = text.Trim();
        (string Suffix, string Unit, double Scale)[] units = [("pp", "", 0.01), ("%", "%", 0.01), ("ms", "ms", 1), ("ns", "ns", 1), ("us", "ns", 1000), ("s", "ms", 1000), ("B", "B", 1)];
        var (unit, scale, number) = ("", 1.0, t);
        foreach (var (suffix, u, s) in units)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                (unit, scale, number) = (u, s, t[..^suffix.Length].Trim());
                break;
            }
        }

        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
        {
            reason = $"'{text}' is not a threshold: give a relative one (5%) or an absolute one with a unit (20ms, 0.5s, 100B, 1pp) or a bare non-negative number";
            return false;
        }

        threshold = new CompareThreshold(value * scale, unit, t);
        reason = "";
        return true;
    }

    /// <summary>Parses, or throws.</summary>
    /// <exception cref="FormatException">Not a threshold.</exception>
    public static CompareThreshold Parse(string text) => TryParse(text, out var t, out var reason) ? t : throw new FormatException(reason);

    /// <summary>The absolute amount in a metric of <paramref name="metricUnit"/>, or null when the threshold does not
    /// apply to it (relative thresholds return null too: read <see cref="Value"/> as a fraction).</summary>
    public double? AbsoluteIn(string metricUnit) => Unit switch
    {
        "" => Value,
        "ms" when metricUnit == "ms" => Value,
        "ms" when metricUnit == "s" => Value / 1000,
        "ms" when metricUnit == "ns" => Value * 1_000_000,
        "ns" when metricUnit == "ns" => Value,
        "ns" when metricUnit == "ms" => Value / 1_000_000,
        "B" when metricUnit == "B" => Value,
        _ => null,
    };

    /// <summary>Whether it applies to a metric in <paramref name="metricUnit"/>.</summary>
    public bool AppliesTo(string metricUnit) => Relative || AbsoluteIn(metricUnit) is not null;

    /// <inheritdoc />
    public override string ToString() => Text;
}
