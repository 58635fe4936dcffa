using Bench.Core.Records;

namespace Bench.Cli.Running;

/// <summary>What <c>bench run</c> was asked for: a scenario file and the overrides given as flags.</summary>
internal sealed record RunOptions
{
    /// <summary>Scenario file; null for <c>scenarios/default.json</c>.</summary>
    public string? ScenarioPath { get; init; }

    /// <summary>A small run (8 requests per cell at concurrency 8, <c>max_tokens</c> 64, one warm-up request).</summary>
    public bool Quick { get; init; }

    /// <summary>Results folder; null for <c>results/&lt;yyyyMMdd-HHmmss&gt;-&lt;scenario&gt;</c>.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Models to run instead of the scenario's.</summary>
    public IReadOnlyList<string>? Models { get; init; }

    /// <summary>Modes to run instead of the scenario's.</summary>
    public IReadOnlyList<Mode>? Modes { get; init; }

    /// <summary>Requests per cell (replaces the measured steps with one closed <c>iterations_for_constant</c> step).</summary>
    public int? Requests { get; init; }

    /// <summary>Requests in flight (closed load) for that step.</summary>
    public int? Concurrency { get; init; }

    /// <summary>Ad-hoc workload: a step type (<c>inject</c>, <c>poisson</c>, <c>keep_constant</c>, ...) replacing the
    /// scenario's measured steps, shaped by <see cref="Rate"/>, <see cref="Duration"/>, <see cref="Concurrency"/>,
    /// <see cref="Requests"/> and <see cref="MaxConcurrency"/>.</summary>
    public Bench.Core.Scenarios.StepKind? Load { get; init; }

    /// <summary>Requests per second for an open ad-hoc workload.</summary>
    public double? Rate { get; init; }

    /// <summary>Duration of the ad-hoc workload.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Cap on requests in flight for an open ad-hoc workload.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary><c>max_tokens</c> per request.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Seed.</summary>
    public int? Seed { get; init; }

    /// <summary>A real endpoint's base URL instead of the simulator.</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>Cost projection settings for the report.</summary>
    public Bench.Core.Results.ReportSettings Report { get; init; } = new();

    /// <summary>Environment variable holding the endpoint's API key.</summary>
    public string? ApiKeyEnv { get; init; }
}
