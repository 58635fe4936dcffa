using System.Globalization;
using Bench.Core.Configuration;
using Bench.Core.Records;
using Bench.Core.Scenarios;

namespace Bench.Core.Planning;

/// <summary>
/// What the command line changes in a scenario before it is planned (<c>bench run</c>'s flags). Every field is
/// optional: <see langword="null"/> keeps the scenario's value. <see cref="Plan.Create"/> applies them in a fixed
/// order: <see cref="Quick"/> first, then the explicit fields, which win.
/// </summary>
public sealed record PlanOverrides
{
    /// <summary>No overrides.</summary>
    public static PlanOverrides None { get; } = new();

    /// <summary>A small run: <c>max_tokens</c> 64, one warm-up request, then 8 requests per cell at concurrency 8.</summary>
    public bool Quick { get; init; }

    /// <summary>Models to run instead of the scenario's (<c>--models</c>).</summary>
    public IReadOnlyList<string>? Models { get; init; }

    /// <summary>Modes to run instead of the scenario's (<c>--modes</c>); duplicates are dropped.</summary>
    public IReadOnlyList<Mode>? Modes { get; init; }

    /// <summary>Requests per cell (<c>--requests</c>): replaces the measured steps with one closed
    /// <c>iterations_for_constant</c> step, or sets the iterations of the <see cref="Load"/> step.</summary>
    public int? Requests { get; init; }

    /// <summary>Requests in flight for a closed load (<c>--concurrency</c>).</summary>
    public int? Concurrency { get; init; }

    /// <summary><c>max_tokens</c> per request (<c>--max-tokens</c>).</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Seed of prompts, arrivals and the simulator (<c>--seed</c>).</summary>
    public int? Seed { get; init; }

    /// <summary>A real endpoint's base URL instead of the embedded simulator (<c>--base-url</c>).</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>Run only the named targets of the scenario (<c>--targets NAME,…</c>), in the scenario's order; null: all.
    /// Each name must be a target of the scenario (<see cref="Scenario.EffectiveTargets"/>).</summary>
    public IReadOnlyList<string>? Targets { get; init; }

    /// <summary>Environment variable holding the endpoint's API key (<c>--api-key-env</c>).</summary>
    public string? ApiKeyEnv { get; init; }

    /// <summary>A file holding the endpoint's API key on its first line (<c>--api-key-file</c>), instead of an
    /// environment variable.</summary>
    public string? ApiKeyFile { get; init; }

    /// <summary>Ad-hoc workload (<c>--load</c>): a step of this kind replaces the scenario's measured steps (warm-up steps
    /// stay), shaped by <see cref="Rate"/>, <see cref="Duration"/>, <see cref="Concurrency"/>, <see cref="Requests"/> and
    /// <see cref="MaxConcurrency"/>.</summary>
    public StepKind? Load { get; init; }

    /// <summary>A trace to replay (<c>--trace FILE</c>, relative to the working directory): one <c>trace</c> step
    /// replaces the scenario's measured steps (warm-up steps stay), capped by <see cref="MaxConcurrency"/>.</summary>
    public string? Trace { get; init; }

    /// <summary>The trace's speed-up (<c>--speedup X</c>): of the <see cref="Trace"/> step, else of every trace step of
    /// the scenario; in (0, <see cref="TraceSpec.MaxSpeedup"/>].</summary>
    public double? Speedup { get; init; }

    /// <summary>Requests per second of an open ad-hoc workload (the start rate of a sweep) (<c>--rate</c>).</summary>
    public double? Rate { get; init; }

    /// <summary>Duration of the ad-hoc workload (<c>--duration</c>).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Cap on requests in flight for an open ad-hoc workload (<c>--max-concurrency</c>).</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Per-request timeout in seconds (<c>--timeout</c>): replaces the scenario's <c>request.timeout_s</c>,
    /// under the same rule (greater than 0, at most <see cref="ScenarioLimits.MaxSeconds"/>).</summary>
    public double? TimeoutS { get; init; }

    /// <summary>A dataset of the user's prompts (<c>--dataset FILE</c>, relative to the working directory): sets
    /// <c>request.dataset</c> (its format told from the file).</summary>
    public string? Dataset { get; init; }

    /// <summary>Retries per request (<c>--retries</c>, 0–100): more than 0 replaces the scenario's <c>resilience</c> with
    /// one policy <c>retries-N</c> (<see cref="Resilience.RetrySpec"/>'s defaults: exponential back-off with jitter from
    /// 1 s, honouring <c>Retry-After</c> and the <c>x-ratelimit-reset-*</c> headers); 0 runs with no policy (the raw
    /// endpoint).</summary>
    public int? Retries { get; init; }

    /// <summary>First seconds between a batch's status polls (<c>--batch-poll-interval</c>): the scenario's
    /// <c>batch.poll_interval_s</c> (raising <c>batch.max_poll_interval_s</c> to it when smaller).</summary>
    public double? BatchPollIntervalS { get; init; }

    /// <summary>Seconds to wait for a batch from its creation (<c>--batch-timeout</c>): <c>batch.timeout_s</c>.</summary>
    public double? BatchTimeoutS { get; init; }

    /// <summary>What to do with a batch still running at the batch timeout (<c>--batch-on-timeout cancel|leave</c>):
    /// <c>batch.on_timeout</c>.</summary>
    public BatchTimeoutAction? BatchOnTimeout { get; init; }

    /// <summary>Replicates (<c>--repeat N</c>): the scenario's <c>repeat</c>; 1..<see cref="ScenarioLimits.MaxRepeat"/>.</summary>
    public int? Repeat { get; init; }

    /// <summary>This process runs one slice of the plan (<c>--shard I/N</c>, issue 16); null: the whole plan.</summary>
    public ShardSpec? Shard { get; init; }

    /// <summary>Run the plan as N shards, each its own process on this host, then merge them (<c>--shards N</c>);
    /// null: one process.</summary>
    public int? Shards { get; init; }

    /// <summary>The wall-clock time the run (every shard) starts at (<c>--start-at</c>, UTC); null: now.</summary>
    public DateTimeOffset? StartAt { get; init; }

    /// <summary>Threshold expressions (<c>--threshold EXPR</c>, repeatable), added to the scenario's <c>thresholds</c>
    /// (<see cref="Thresholds.ThresholdExpression"/>: <c>METRIC[{CELL,…}] OP NUMBER</c>); judged at the end of the run,
    /// never aborting it.</summary>
    public IReadOnlyList<string>? Thresholds { get; init; }

    /// <summary>The most <see cref="Retries"/> accepted (the bound of <c>retry.max_retries</c>).</summary>
    public const int MaxRetries = 100;

    /// <summary>What <see cref="ConfigError.File"/> says for a problem of a flag.</summary>
    public const string CommandLine = "<command line>";

    /// <summary>Checks each given value against the bounds its scenario field has (<see cref="ScenarioLimits"/>),
    /// naming the flag (<c>&lt;command line&gt;: --rate: …</c>), so that a bad flag is not blamed on the scenario
    /// file. <see cref="Plan.Create"/> calls it before applying the overrides.</summary>
    /// <returns>Every problem, in flag order; empty when all hold.</returns>
    public IReadOnlyList<ConfigError> Validate()
    {
        var errors = new List<ConfigError>();
        void Add(string flag, string? reason)
        {
            if (reason is not null)
            {
                errors.Add(new ConfigError(CommandLine, flag, reason));
            }
        }

        static string? Count(int? value, int max, string why) => value switch
        {
            null => null,
            < 1 => string.Create(CultureInfo.InvariantCulture, $"must be at least 1 (got {value})"),
            _ => ScenarioLimits.CheckAtMost(value, max, why),
        };

        Add("--requests", Count(Requests, ScenarioLimits.MaxIterations, "about 100 GB of records; split a longer run"));
        Add("--concurrency", Count(Concurrency, ScenarioLimits.MaxCopies,
            "each request in flight holds its own connection; one client has about 28,000 ports per endpoint"));
        Add("--max-concurrency", Count(MaxConcurrency, ScenarioLimits.MaxCopies,
            "each request in flight holds its own connection; one client has about 28,000 ports per endpoint"));
        Add("--max-tokens", Count(MaxTokens, int.MaxValue, ""));
        if (Rate is { } rate)
        {
            Add("--rate", double.IsNaN(rate) || double.IsInfinity(rate) || rate <= 0
                ? string.Create(CultureInfo.InvariantCulture, $"must be a finite number of requests per second greater than 0 (got {rate})")
                : rate > ScenarioLimits.MaxRatePerSecond
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"must be at most {ScenarioLimits.MaxRatePerSecond:N0} requests per second (got {rate:G4}), more than one client machine can send; split the load over several")
                    : null);
        }

        if (Duration is { } duration)
        {
            Add("--duration", duration <= TimeSpan.Zero ? "must be a positive duration"
                : duration > ScenarioLimits.MaxDuration ? $"must be {ScenarioLimits.MaxDurationText}"
                : null);
        }

        if (TimeoutS is { } timeout)
        {
            Add("--timeout", ScenarioLimits.CheckTimeoutSeconds(timeout) is { } problem
                ? string.Create(CultureInfo.InvariantCulture, $"{problem} (got {timeout})")
                : null);
        }

        foreach (var (flag, value) in new[] { ("--batch-poll-interval", BatchPollIntervalS), ("--batch-timeout", BatchTimeoutS) })
        {
            if (value is { } seconds)
            {
                Add(flag, ScenarioLimits.CheckTimeoutSeconds(seconds) is { } problem
                    ? string.Create(CultureInfo.InvariantCulture, $"{problem} (got {seconds})")
                    : null);
            }
        }

        if (Speedup is { } speedup)
        {
            Add("--speedup", !(speedup > 0) || speedup > TraceSpec.MaxSpeedup
                ? string.Create(CultureInfo.InvariantCulture, $"must be greater than 0 and at most {TraceSpec.MaxSpeedup:0} (got {speedup})")
                : null);
        }

        if (Trace is not null && Load is { } kind && kind != StepKind.Trace)
        {
            Add("--trace", $"replays a trace as the workload; it cannot be combined with --load {ScenarioLoader.Name(kind)}");
        }

        if (Retries is { } retries)
        {
            Add("--retries", retries is < 0 or > MaxRetries
                ? string.Create(CultureInfo.InvariantCulture, $"must be between 0 and {MaxRetries} (got {retries})")
                : null);
        }

        if (Repeat is { } repeat)
        {
            Add("--repeat", repeat is < 1 or > ScenarioLimits.MaxRepeat
                ? string.Create(CultureInfo.InvariantCulture, $"{ScenarioLimits.MaxRepeatRule} (got {repeat})")
                : null);
        }

        if (Shards is { } shards)
        {
            Add("--shards", shards is < 1 or > ShardSpec.MaxCount
                ? string.Create(CultureInfo.InvariantCulture, $"must be between 1 and {ShardSpec.MaxCount} (got {shards})")
                : Shard is not null ? "runs every shard itself; it cannot be combined with --shard I/N" : null);
        }

        foreach (var expression in Thresholds ?? [])
        {
            Add("--threshold", Bench.Core.Thresholds.ThresholdExpression.TryParse(expression, out _, out var problem) ? null : problem);
        }

        return errors;
    }
}
