using Bench.Core.Configuration;
using Bench.Core.Records;
using Bench.Core.Scenarios;

namespace Bench.Cli.Running;

/// <summary>Finds the scenario file and applies command-line overrides to it.</summary>
internal static class ScenarioResolver
{
    /// <summary>The default scenario, relative to the working directory or to the installed <c>bench</c>.</summary>
    public const string DefaultScenario = "scenarios/default.json";

    /// <summary>Finds the scenario file: the given path, else <c>scenarios/default.json</c> in the working
    /// directory, else the copy shipped next to the executable.</summary>
    /// <exception cref="ConfigException">The given file does not exist.</exception>
    public static string Locate(string? path)
    {
        if (path is not null)
        {
            return File.Exists(path)
                ? path
                : throw new ConfigException([new ConfigError(path, "$", "file not found")]);
        }

        var local = Path.GetFullPath(DefaultScenario);
        return File.Exists(local) ? local : Path.Combine(AppContext.BaseDirectory, DefaultScenario);
    }

    /// <summary>
    /// Applies flags to a loaded scenario, in this order: <c>--quick</c> first, then explicit flags (which win).
    /// <c>--requests</c>/<c>--concurrency</c> replace the measured steps with one closed
    /// <c>iterations_for_constant</c> step, keeping warm-up steps; <c>--load KIND</c> replaces them with one step of
    /// that kind built from <c>--rate</c>, <c>--duration</c>, <c>--concurrency</c>, <c>--requests</c> and
    /// <c>--max-concurrency</c> (validated like a scenario file, so a missing field is named).
    /// </summary>
    /// <exception cref="ConfigException">The result is not a valid scenario (all problems listed).</exception>
    public static void Apply(Scenario scenario, RunOptions options, string file)
    {
        if (options.Quick)
        {
            scenario.Request.MaxTokens = 64;
            scenario.Workload =
            [
                new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 1, Warmup = true },
                new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 8, Iterations = 8 },
            ];
        }

        if (options.Models is { } models)
        {
            scenario.Models = [.. models];
        }

        if (options.Modes is { } modes)
        {
            scenario.Modes = [.. modes.Distinct()];
        }

        if (options.Load is { } kind)
        {
            var step = new WorkloadStep
            {
                Kind = kind,
                Copies = options.Concurrency,
                Iterations = options.Requests,
                Duration = options.Duration,
                Rate = options.Rate,
                MaxConcurrency = options.MaxConcurrency,
                StartRate = kind == StepKind.Sweep ? options.Rate : null,
            };
            scenario.Workload = [.. scenario.Workload.Where(w => w.Warmup), step];
        }
        else if (options.Requests is not null || options.Concurrency is not null)
        {
            var measured = scenario.Workload.FirstOrDefault(w => !w.Warmup && w.Kind == StepKind.IterationsForConstant);
            var requests = options.Requests ?? measured?.Iterations ?? 50;
            var concurrency = options.Concurrency ?? measured?.Copies ?? 10;
            scenario.Workload =
            [
                .. scenario.Workload.Where(w => w.Warmup),
                new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = concurrency, Iterations = requests },
            ];
        }

        if (options.MaxTokens is { } maxTokens)
        {
            scenario.Request.MaxTokens = maxTokens;
        }

        if (options.Seed is { } seed)
        {
            scenario.Seed = seed;
        }

        if (options.BaseUrl is { } url)
        {
            scenario.Target.BaseUrl = url;
        }

        if (options.ApiKeyEnv is { } env)
        {
            scenario.Target.ApiKeyEnv = env;
        }

        ScenarioLoader.Validate(scenario, file);
    }

    /// <summary>Requests per cell when every step fixes a count (for progress bars), else null.</summary>
    public static int? ExpectedRequests(Scenario scenario) =>
        scenario.Workload.All(w => w.Kind is StepKind.IterationsForConstant or StepKind.IterationsForInject)
            ? scenario.Workload.Sum(w => w.Iterations ?? 0)
            : null;

    /// <summary>The cells of a scenario: every model in every mode, models outermost.</summary>
    public static List<Load.Running.Cell> Cells(Scenario scenario) =>
        [.. scenario.Models.SelectMany(m => scenario.Modes.Select(mode => new Load.Running.Cell(m, mode)))];

    /// <summary>Describes the workload in one line, e.g. "64 requests at concurrency 16 (+2 warm-up)".</summary>
    public static string Describe(Scenario scenario) => string.Join("; ", scenario.Workload.Select(w =>
        (w.Warmup ? "warm-up " : "") + w.Kind switch
        {
            StepKind.IterationsForConstant => $"{w.Iterations} requests at concurrency {w.Copies}",
            StepKind.KeepConstant => $"concurrency {w.Copies} for {Durations.Format(w.Duration!.Value)}",
            StepKind.RampingConstant => $"concurrency ramping to {w.Copies} over {Durations.Format(w.Duration!.Value)}",
            StepKind.Inject => $"{w.Rate} requests per {Durations.Format(w.Interval)} for {Durations.Format(w.Duration!.Value)}",
            StepKind.RampingInject => $"rate ramping to {w.Rate} per {Durations.Format(w.Interval)} over {Durations.Format(w.Duration!.Value)}",
            StepKind.Poisson => $"Poisson arrivals at {w.Rate}/s" + (w.Duration is { } d ? $" for {Durations.Format(d)}" : $" × {w.Iterations}"),
            StepKind.IterationsForInject => $"{w.Iterations} requests at {w.Rate} per {Durations.Format(w.Interval)}",
            StepKind.Pause => $"pause {Durations.Format(w.Duration!.Value)}",
            StepKind.Sweep => $"sweep from {w.StartRate}/s",
            _ => w.Kind.ToString(),
        } + (w.MaxConcurrency is { } cap ? $" (at most {cap} in flight)" : "")));

    /// <summary>Mode names for display.</summary>
    public static string Modes(Scenario scenario) => string.Join(", ", scenario.Modes.Select(Names.Of));
}
