using System.Globalization;

namespace Bench.Core.Scenarios;

/// <summary>Parses durations written as <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c> or a bare number of seconds.</summary>
public static class Durations
{
    /// <summary>Parses <paramref name="text"/>; false (and a zero duration) when it is not a duration of zero or more,
    /// up to <see cref="ScenarioLimits.MaxDuration"/>.</summary>
    public static bool TryParse(string? text, out TimeSpan duration) => TryParse(text, out duration, out _);

    /// <summary>Parses <paramref name="text"/>; false (and a zero duration) when it is not a duration of zero or more,
    /// with <paramref name="error"/> saying why when it is a number out of range (e.g. longer than
    /// <see cref="ScenarioLimits.MaxDuration"/>), <see langword="null"/> when it is not a duration at all.</summary>
    public static bool TryParse(string? text, out TimeSpan duration, out string? error)
    {
        duration = TimeSpan.Zero;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim().ToLowerInvariant();
        (string number, double scaleS) = s switch
        {
            _ when s.EndsWith("ms", StringComparison.Ordinal) => (s[..^2], 0.001),
            _ when s.EndsWith('s') => (s[..^1], 1),
            _ when s.EndsWith('m') => (s[..^1], 60),
            _ when s.EndsWith('h') => (s[..^1], 3600),
            _ => (s, 1),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value))
        {
            return false;
        }

        return TryFromSeconds(value * scaleS, out duration, out error);
    }

    /// <summary>A number of seconds as a duration; false when it is not finite, negative, or longer than
    /// <see cref="ScenarioLimits.MaxDuration"/> (which <see cref="TimeSpan.FromSeconds(double)"/> would otherwise
    /// throw for, or a timer refuse later).</summary>
    public static bool TryFromSeconds(double seconds, out TimeSpan duration, out string? error)
    {
        duration = TimeSpan.Zero;
        if (double.IsNaN(seconds) || seconds < 0)
        {
            error = "negative: a duration is zero or more";
            return false;
        }

        if (!(seconds <= ScenarioLimits.MaxSeconds))
        {
            error = $"too long: a duration must be {ScenarioLimits.MaxDurationText}";
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        error = null;
        return true;
    }

    /// <summary>Formats a duration the way it is parsed (<c>30s</c>, <c>1.5s</c>, <c>250ms</c>).</summary>
    public static string Format(TimeSpan duration) => duration.TotalSeconds >= 1
        ? duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
        : duration.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
}
