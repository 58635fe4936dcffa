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

    /// <summary>Environment variable holding the endpoint's API key (<c>--api-key-env</c>).</summary>
    public string? ApiKeyEnv { get; init; }

    /// <summary>Ad-hoc workload (<c>--load</c>): a step of this kind replaces the scenario's measured steps (warm-up steps
    /// stay), shaped by <see cref="Rate"/>, <see cref="Duration"/>, <see cref="Concurrency"/>, <see cref="Requests"/> and
    /// <see cref="MaxConcurrency"/>.</summary>
    public StepKind? Load { get; init; }

    /// <summary>Requests per second of an open ad-hoc workload (the start rate of a sweep) (<c>--rate</c>).</summary>
    public double? Rate { get; init; }

    /// <summary>Duration of the ad-hoc workload (<c>--duration</c>).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Cap on requests in flight for an open ad-hoc workload (<c>--max-concurrency</c>).</summary>
    public int? MaxConcurrency { get; init; }
}
