using System.ComponentModel.DataAnnotations;
using Bench.Core.Configuration;

namespace Bench.Core.Scenarios;

/// <summary>
/// How a <c>batch-api</c> cell runs (scenario field <c>batch</c>): one input file and one batch job per cell, polled
/// until it ends. Every field has a default, so a scenario that lists <c>batch-api</c> among its modes needs none.
/// </summary>
public sealed record BatchSpec : IConfigValidatable
{
    /// <summary>Seconds between the first status polls (<c>--batch-poll-interval</c>); each poll that sees no new status
    /// waits 1.5× longer, up to <see cref="MaxPollIntervalS"/>, and a 429 or <c>Retry-After</c> waits at least as long as
    /// the server asks. Unset: 5 against a real endpoint, 0.25 against the embedded simulator (whose batch clock runs
    /// <see cref="TimeScale"/> times faster).</summary>
    [TimeoutSeconds]
    public double? PollIntervalS { get; init; }

    /// <summary>The longest wait between two polls, in seconds. Default 60.</summary>
    [TimeoutSeconds]
    public double MaxPollIntervalS { get; init; } = 60;

    /// <summary>How long Bench waits for a batch to end, from its creation, in seconds (<c>--batch-timeout</c>); then
    /// <see cref="OnTimeout"/> decides. Default 93,600 (26 h: OpenAI's 24 h window and time to finalize).</summary>
    [TimeoutSeconds]
    public double TimeoutS { get; init; } = 93_600;

    /// <summary>What to do with a batch still running at <see cref="TimeoutS"/> (<c>--batch-on-timeout</c>):
    /// <c>cancel</c> it (the default; what ran is read and billed) or <c>leave</c> it running (its id stays in
    /// <c>run.json</c>; <c>bench run --resume DIR</c> picks it up later).</summary>
    public BatchTimeoutAction OnTimeout { get; init; } = BatchTimeoutAction.Cancel;

    /// <summary>The <c>completion_window</c> sent with each batch. Default and only value OpenAI accepts: <c>24h</c>.</summary>
    [RegularExpression("^[1-9][0-9]*h$", ErrorMessage = "must be hours, like 24h (OpenAI accepts only 24h)")]
    public string CompletionWindow { get; init; } = "24h";

    /// <summary>Lines per batch (one batch per cell). Unset: the cell's measured requests, the sum of the workload's
    /// non-warm-up <c>iterations</c>; required when the workload is bound by duration. At most 50,000 (OpenAI's
    /// limit per file).</summary>
    [Range(1, MaxLines, ErrorMessage = "must be from 1 to 50,000 (OpenAI's lines per batch file)")]
    public int? Lines { get; init; }

    /// <summary>Embedded simulator only: simulated seconds per real second of its batch clock, so a batch of simulated
    /// hours ends in seconds (reports say its times are simulated); refused with a real target. Unset: 600 (a simulated 24 h window lasts 144 s).</summary>
    [Range(1.0, 1_000_000.0, ErrorMessage = "must be from 1 (real time) to 1,000,000")]
    public double? TimeScale { get; init; }

    /// <summary>The simulator's batch time scale in effect: <see cref="TimeScale"/>, else <see cref="DefaultTimeScale"/>.</summary>
    public double EffectiveTimeScale => TimeScale ?? DefaultTimeScale;

    /// <summary>OpenAI's most lines per batch input file.</summary>
    public const int MaxLines = 50_000;

    /// <summary>The default <see cref="TimeScale"/>.</summary>
    public const double DefaultTimeScale = 600;

    /// <summary>The poll interval against a real endpoint when none is given, in seconds.</summary>
    public const double DefaultPollIntervalS = 5;

    /// <summary>The poll interval against the embedded simulator when none is given, in seconds.</summary>
    public const double DefaultSimulatorPollIntervalS = 0.25;

    /// <summary>The poll interval in effect: <see cref="PollIntervalS"/>, else the target's default.</summary>
    public double PollIntervalFor(bool simulator) => PollIntervalS ?? (simulator ? DefaultSimulatorPollIntervalS : DefaultPollIntervalS);

    /// <inheritdoc />
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (PollIntervalS is { } poll && poll > MaxPollIntervalS)
        {
            validation.Error(nameof(PollIntervalS), $"must not exceed {validation.NameOf(nameof(MaxPollIntervalS))} ({MaxPollIntervalS}s)");
        }
    }
}

/// <summary>What Bench does with a batch still running when its wait ends (<see cref="BatchSpec.OnTimeout"/>).</summary>
public enum BatchTimeoutAction
{
    /// <summary>Ask the provider to cancel it and read what ran.</summary>
    Cancel,

    /// <summary>Leave it running; resume later with <c>bench run --resume DIR</c>.</summary>
    Leave,
}
