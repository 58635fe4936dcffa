using System.Globalization;

namespace Bench.Core.Scenarios;

/// <summary>
/// The largest values a scenario (or a flag overriding one) may hold, each with the reason it is the bound. A value
/// past one is refused when the scenario is read or planned (<c>file: $.path: reason</c>, exit code 2, nothing sent),
/// never discovered later as an overflow, an out-of-memory or a run that cannot end.
/// </summary>
public static class ScenarioLimits
{
    /// <summary>The longest duration or timeout: <see cref="int.MaxValue"/> milliseconds (24.8 days), the longest
    /// wait .NET's timers and <c>HttpClient</c> accept.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary><see cref="MaxDuration"/> in seconds (2147483.647).</summary>
    public const double MaxSeconds = int.MaxValue / 1000.0;

    /// <summary>The most requests in flight a closed step may keep (<c>copies</c>): 100,000. Each copy holds its own
    /// connection, and one client machine has about 28,000 ephemeral ports per endpoint (Linux's default
    /// 32768–60999), so far fewer already exhaust it; the bound only keeps a typo from allocating billions.</summary>
    public const int MaxCopies = 100_000;

    /// <summary>The most requests one step may send (<c>iterations</c>): 100,000,000 (about 100 GB of
    /// <c>records.jsonl</c>); the requests of one cell must also fit in an <see cref="int"/>.</summary>
    public const int MaxIterations = 100_000_000;

    /// <summary>The highest arrival rate, in requests per second (<c>rate</c> ÷ <c>interval</c>, a sweep's
    /// <c>start_rate</c> and <c>max_rate</c>): 100,000/s, above what one client machine can send (wrk manages about
    /// 35,000/s against a local server here).</summary>
    public const double MaxRatePerSecond = 100_000;

    /// <summary>The longest prompt, in tokens: 10,000,000 (the largest context windows offered); the prompt is built
    /// in memory before the run.</summary>
    public const int MaxPromptTokens = 10_000_000;

    /// <summary>The most replicates (<c>repeat</c>, <c>--repeat</c>): 1,000. Every replicate reruns every cell, so the run
    /// lasts N times as long; replicate-level statistics settle within tens of replicates (the t quantile of 30
    /// replicates is within 4 % of the normal's), so more is a typo, not a plan.</summary>
    public const int MaxRepeat = 1_000;

    /// <summary>The rule of <see cref="MaxRepeat"/> in words, as an error says it.</summary>
    public const string MaxRepeatRule = "must be between 1 and 1,000 replicates (each reruns every cell; replicate statistics settle within tens)";

    /// <summary>"at most 2147483.647s (24.8 days, the longest wait .NET timers accept)".</summary>
    public static string MaxDurationText { get; } =
        string.Create(CultureInfo.InvariantCulture, $"at most {MaxSeconds}s (24.8 days, the longest wait .NET timers accept)");

    /// <summary>Why a number of seconds is not a usable timeout, or <see langword="null"/> when it is: it must be finite,
    /// greater than 0 and at most <see cref="MaxSeconds"/>.</summary>
    public static string? CheckTimeoutSeconds(double seconds) =>
        double.IsNaN(seconds) || !(seconds > 0) ? "must be a number of seconds greater than 0"
        : !(seconds <= MaxSeconds) ? $"must be {MaxDurationText}"
        : null;

    /// <summary>Why a count is too large (above <paramref name="max"/>, with <paramref name="why"/>), or
    /// <see langword="null"/>.</summary>
    internal static string? CheckAtMost(int? value, int max, string why) =>
        value is { } v && v > max ? string.Create(CultureInfo.InvariantCulture, $"must be at most {max:N0} ({why})") : null;
}

/// <summary>A timeout in seconds (a <see cref="double"/> property): finite, greater than 0 and at most
/// <see cref="ScenarioLimits.MaxSeconds"/> (<see cref="int.MaxValue"/> milliseconds, the longest wait .NET timers and
/// <c>HttpClient</c> accept). A null value (an unset optional timeout) is valid.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TimeoutSecondsAttribute : System.ComponentModel.DataAnnotations.ValidationAttribute
{
    /// <summary>Creates the rule with its reason as the error message.</summary>
    public TimeoutSecondsAttribute()
        : base(string.Create(CultureInfo.InvariantCulture,
            $"must be greater than 0 and at most {ScenarioLimits.MaxSeconds} (seconds; 24.8 days, the longest wait .NET timers accept)"))
    {
    }

    /// <inheritdoc />
    public override bool IsValid(object? value) => value switch
    {
        null => true,
        double seconds => ScenarioLimits.CheckTimeoutSeconds(seconds) is null,
        _ => false,
    };
}
