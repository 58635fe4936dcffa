using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Bench.Core.Configuration;

namespace Bench.Core.Scenarios;

// Issue 15: where a scenario's prompts and answer lengths come from. The shapes live here (the one config reader reads
// them); what they mean at run time lives in Bench.Core.Prompts (sources), Bench.Load (sessions, traces) and the
// simulator. Field names in files are the snake_case of the property names.

/// <summary>Kinds of <see cref="LengthDistribution"/>; in files the snake_case name.</summary>
[Description("distribution")]
public enum DistributionKind
{
    /// <summary>Always <c>value</c>.</summary>
    Fixed,
    /// <summary>Uniform integers from <c>min</c> to <c>max</c>, both included.</summary>
    Uniform,
    /// <summary>Normal with <c>mean</c> and <c>stddev</c>, rounded, clipped to [<c>min</c>, <c>max</c>] (min defaults to 1).</summary>
    Normal,
    /// <summary>Log-normal with <c>median</c> (e^μ) and <c>sigma</c> (σ of the log), rounded, clipped to [<c>min</c>, <c>max</c>].</summary>
    LogNormal,
    /// <summary>An empirical histogram: <c>bins</c> of [from, to) token ranges with weights; uniform within a bin.</summary>
    Histogram,
}

/// <summary>A distribution of token lengths (input or output), sampled with the scenario's seed
/// (<see cref="Prompts.LengthSampler"/>).</summary>
/// <remarks>Rules (<see cref="Validate"/>): <c>fixed</c> needs <c>value</c> ≥ 1; <c>uniform</c> needs <c>min</c> ≤
/// <c>max</c>; <c>normal</c> needs <c>mean</c> and <c>stddev</c> ≥ 0; <c>log_normal</c> needs <c>median</c> &gt; 0 and
/// <c>sigma</c> ≥ 0; <c>histogram</c> needs at least one bin, each with <c>from</c> &lt; <c>to</c> and a weight ≥ 0, the
/// weights summing to more than 0. Clips need <c>min</c> ≤ <c>max</c>; every bound is at most
/// <see cref="ScenarioLimits.MaxPromptTokens"/> and lengths are at least 0.</remarks>
public sealed record LengthDistribution : IConfigValidatable
{
    /// <summary>The kind (JSON <c>type</c>).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("type")]
    [Required]
    public DistributionKind Kind { get; init; }

    /// <summary><c>fixed</c>: the length.</summary>
    public int? Value { get; init; }

    /// <summary>Smallest length (uniform: required; normal, log_normal: the lower clip, default 1).</summary>
    public int? Min { get; init; }

    /// <summary>Largest length (uniform: required; normal, log_normal: the upper clip).</summary>
    public int? Max { get; init; }

    /// <summary><c>normal</c>: the mean.</summary>
    public double? Mean { get; init; }

    /// <summary><c>normal</c>: the standard deviation.</summary>
    public double? Stddev { get; init; }

    /// <summary><c>log_normal</c>: the median (e^μ).</summary>
    public double? Median { get; init; }

    /// <summary><c>log_normal</c>: σ of the length's logarithm.</summary>
    public double? Sigma { get; init; }

    /// <summary><c>histogram</c>: the bins.</summary>
    public IReadOnlyList<HistogramBin> Bins { get; init; } = [];

    /// <summary>A fixed length (what a scenario without distributions means).</summary>
    public static LengthDistribution FixedAt(int value) => new() { Kind = DistributionKind.Fixed, Value = value };

    /// <inheritdoc />
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        const long Limit = ScenarioLimits.MaxPromptTokens;
        const string TooLarge = "must be at most 10,000,000 (ScenarioLimits.MaxPromptTokens)";
        void Bound(string property, double? value, double lowest, string low)
        {
            if (value is not { } v)
            {
                return;
            }

            if (double.IsNaN(v) || v < lowest)
            {
                validation.Error(property, low);
            }
            else if (v > Limit)
            {
                validation.Error(property, TooLarge);
            }
        }

        void Needs(string property, object? value)
        {
            if (value is null)
            {
                validation.Error(property, $"a {Name(Kind)} distribution needs {validation.NameOf(property)}");
            }
        }

        Bound(nameof(Min), Min, 0, "must be at least 0");
        Bound(nameof(Max), Max, 0, "must be at least 0");
        if (Min is { } min && Max is { } max && min > max)
        {
            validation.Error(nameof(Min), $"min ({min}) must not be above max ({max})");
        }

        switch (Kind)
        {
            case DistributionKind.Fixed:
                Needs(nameof(Value), Value);
                Bound(nameof(Value), Value, 1, "must be at least 1");
                break;
            case DistributionKind.Uniform:
                Needs(nameof(Min), Min);
                Needs(nameof(Max), Max);
                break;
            case DistributionKind.Normal:
                Needs(nameof(Mean), Mean);
                Needs(nameof(Stddev), Stddev);
                Bound(nameof(Mean), Mean, double.NegativeInfinity, "must be a number");
                Bound(nameof(Stddev), Stddev, 0, "must be at least 0");
                break;
            case DistributionKind.LogNormal:
                Needs(nameof(Median), Median);
                Needs(nameof(Sigma), Sigma);
                if (Median is { } median && !(median > 0))
                {
                    validation.Error(nameof(Median), "must be greater than 0");
                }
                else
                {
                    Bound(nameof(Median), Median, 0, "must be greater than 0");
                }

                if (Sigma is { } sigma && !(sigma >= 0 && sigma <= 10))
                {
                    validation.Error(nameof(Sigma), "must be from 0 to 10 (σ of the log; 10 spans 10^±4 for one σ)");
                }

                break;
            case DistributionKind.Histogram:
                if (Bins.Count == 0)
                {
                    validation.Error(nameof(Bins), "a histogram needs at least one bin");
                }

                double total = 0;
                for (var i = 0; i < Bins.Count; i++)
                {
                    var bin = Bins[i];
                    var item = validation.Item(nameof(Bins), i);
                    if (bin.From < 0)
                    {
                        item.Error(nameof(HistogramBin.From), "must be at least 0");
                    }

                    if (bin.To > Limit + 1)
                    {
                        item.Error(nameof(HistogramBin.To), "must be at most 10,000,001 (lengths at most ScenarioLimits.MaxPromptTokens)");
                    }

                    if (bin.From >= bin.To)
                    {
                        item.Error(nameof(HistogramBin.To), $"to ({bin.To}) must be above from ({bin.From}): a bin is [from, to)");
                    }

                    if (double.IsNaN(bin.Weight) || double.IsInfinity(bin.Weight) || bin.Weight < 0)
                    {
                        item.Error(nameof(HistogramBin.Weight), "must be a finite number of at least 0");
                    }
                    else
                    {
                        total += bin.Weight;
                    }
                }

                if (Bins.Count > 0 && !(total > 0))
                {
                    validation.Error(nameof(Bins), "the weights sum to 0: at least one bin needs a weight above 0");
                }

                break;
        }
    }

    private static string Name(DistributionKind kind) => kind switch
    {
        DistributionKind.LogNormal => "log_normal",
        _ => kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>One bin of a <see cref="DistributionKind.Histogram"/>: lengths from <see cref="From"/> (included) to
/// <see cref="To"/> (excluded), drawn with probability <see cref="Weight"/> ÷ the sum of weights.</summary>
public sealed record HistogramBin
{
    /// <summary>Lowest length of the bin, included.</summary>
    public int From { get; init; }

    /// <summary>Highest length of the bin, excluded.</summary>
    public int To { get; init; }

    /// <summary>Relative weight (any non-negative number; a count from the team's logs works as is).</summary>
    public double Weight { get; init; }
}

/// <summary>A system prompt shared by a fraction of requests, so that prompt caching is exercised: <see cref="Groups"/>
/// different prefixes of <see cref="Tokens"/> tokens each; a request carries one (its group drawn with the seed) with
/// probability <see cref="Fraction"/>.</summary>
public sealed record SharedPrefixSpec : IConfigValidatable
{
    /// <summary>The prefix's length in tokens of the model family's tokenizer.</summary>
    public int Tokens { get; init; }

    /// <summary>The share of requests that carry a prefix, in (0, 1] (default 1).</summary>
    public double Fraction { get; init; } = 1;

    /// <summary>How many different prefixes (default 1).</summary>
    public int Groups { get; init; } = 1;

    /// <inheritdoc />
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (Tokens is < 1 or > ScenarioLimits.MaxPromptTokens)
        {
            validation.Error(nameof(Tokens), "must be between 1 and 10,000,000 (ScenarioLimits.MaxPromptTokens)");
        }

        if (!(Fraction > 0 && Fraction <= 1))
        {
            validation.Error(nameof(Fraction), "must be in (0, 1]: the share of requests that carry a prefix");
        }

        if (Groups is < 1 or > ScenarioLimits.MaxCopies)
        {
            validation.Error(nameof(Groups), "must be between 1 and 100,000");
        }
    }
}

/// <summary>A file of the user's own prompts (<c>--dataset FILE</c> on the command line), sampled with the seed.</summary>
public sealed record DatasetSpec : IConfigValidatable
{
    /// <summary>The file, relative to the scenario file: JSONL of <c>{"messages": [...]}</c> (optionally
    /// <c>max_tokens</c>), or ShareGPT (<c>{"conversations": [{"from": "human"|"gpt", "value": ...}]}</c>, a JSON array or
    /// JSONL).</summary>
    [Required]
    public string Path { get; init; } = "";

    /// <summary><c>messages</c>, <c>sharegpt</c>, or null to tell from the first entry.</summary>
    public string? Format { get; init; }

    /// <inheritdoc />
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (Format is not (null or "messages" or "sharegpt"))
        {
            validation.Error(nameof(Format), $"unknown dataset format '{Format}'; expected messages or sharegpt (or leave it out to tell from the file)");
        }

        if (string.IsNullOrWhiteSpace(Path))
        {
            validation.Error(nameof(Path), "must name the dataset file");
        }
    }
}

/// <summary>Multi-turn sessions: each turn sends the growing history (with the previous answers), after a think time.
/// A session is <see cref="Turns"/> requests in order (drawn per session); turn k sends the first turn's messages, every
/// earlier user message and every earlier answer (as <c>assistant</c> messages), then a new user message. Refused with a
/// <c>batch-api</c> mode: a batch's lines are sent together, so no line can carry an answer the batch has not yet
/// given.</summary>
public sealed record ConversationSpec : IConfigValidatable
{
    /// <summary>The most turns a session may have (the history is held in memory per session in flight).</summary>
    public const int MaxTurns = 1_000;

    /// <summary>Turns are at least 1 and at most <see cref="MaxTurns"/>; think times are not negative.</summary>
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (Turns is { } turns)
        {
            CheckBounds(validation.Child(nameof(Turns)), turns, 1, MaxTurns, "a session has at least 1 turn and at most 1,000");
        }

        if (ThinkTimeMs is { } think)
        {
            CheckBounds(validation.Child(nameof(ThinkTimeMs)), think, 0, int.MaxValue, "a think time is at least 0 ms");
        }
    }

    /// <summary>The lengths a distribution can produce lie in [<paramref name="low"/>, <paramref name="high"/>], judged
    /// from the fields that bound them (the distribution's own rules are its own).</summary>
    private static void CheckBounds(ConfigValidation validation, LengthDistribution distribution, int low, int high, string reason)
    {
        bool Outside(double? value) => value is { } v && (v < low || v > high);
        switch (distribution.Kind)
        {
            case DistributionKind.Fixed when Outside(distribution.Value):
                validation.Error(nameof(LengthDistribution.Value), reason);
                break;
            case DistributionKind.Uniform or DistributionKind.Normal or DistributionKind.LogNormal:
                if (Outside(distribution.Min))
                {
                    validation.Error(nameof(LengthDistribution.Min), reason);
                }

                if (Outside(distribution.Max))
                {
                    validation.Error(nameof(LengthDistribution.Max), reason);
                }

                break;
            case DistributionKind.Histogram:
                for (var i = 0; i < distribution.Bins.Count; i++)
                {
                    var bin = distribution.Bins[i];
                    if (bin.From < low || bin.To - 1 > high)
                    {
                        validation.Item(nameof(LengthDistribution.Bins), i).Error(reason);
                    }
                }

                break;
        }
    }

    /// <summary>Turns per session.</summary>
    [Required]
    public LengthDistribution? Turns { get; init; }

    /// <summary>Think time between an answer and the next turn, in milliseconds (a length distribution read as ms;
    /// none: the next turn is sent at once).</summary>
    public LengthDistribution? ThinkTimeMs { get; init; }
}

/// <summary>A timestamped trace replayed as an open workload (<c>--trace FILE</c>): JSONL lines with
/// <c>timestamp</c> (ms), <c>input_length</c> or <c>prompt</c>/<c>messages</c>, <c>output_length</c>, optional
/// <c>session_id</c>; Mooncake's format (<c>timestamp</c>, <c>input_length</c>, <c>output_length</c>,
/// <c>hash_ids</c>) accepted.</summary>
public sealed record TraceSpec : IConfigValidatable
{
    /// <summary>The formats <see cref="Format"/> names: <c>bench</c> and <c>mooncake</c>.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["bench", "mooncake"];

    /// <summary>The largest <see cref="Speedup"/>: a thousandfold compression turns a day's trace into 86 s.</summary>
    public const double MaxSpeedup = 1000;

    /// <summary>A speed-up in (0, <see cref="MaxSpeedup"/>] and a known format (the path is required by its attribute).</summary>
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (!(Speedup > 0) || Speedup > MaxSpeedup)
        {
            validation.Error(nameof(Speedup), string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"must be greater than 0 and at most {MaxSpeedup:0} (2 replays the trace twice as fast; got {Speedup})"));
        }

        if (Format is { } format && !Formats.Contains(format, StringComparer.Ordinal))
        {
            validation.Error(nameof(Format), $"must be one of {string.Join(", ", Formats)} (or absent: bench's rules, which take Mooncake lines too); got '{format}'");
        }
    }

    /// <summary>The trace file, relative to the scenario file.</summary>
    [Required]
    public string Path { get; init; } = "";

    /// <summary>Time compression: 2 replays the trace twice as fast (default 1).</summary>
    public double Speedup { get; init; } = 1;

    /// <summary><c>bench</c>, <c>mooncake</c> (strict: every line needs <c>input_length</c> and <c>hash_ids</c>), or null:
    /// read by the bench rules, which take Mooncake's lines as they are.</summary>
    public string? Format { get; init; }
}
