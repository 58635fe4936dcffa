using Bench.Core.Configuration;
using Bench.Core.Records;
using Bench.Core.Resilience;
using Bench.Core.Scenarios;
using Bench.Core.Thresholds;

namespace Bench.Core.Planning;

/// <summary>
/// What a run will do, decided before anything is sent: a validated scenario with the command line's overrides
/// applied, its cells (every model in every mode, models outermost), the workload steps each cell runs, the requests
/// expected per cell, and the one-line description shown to the user. Built once by <see cref="Create"/>; the load
/// engine (<c>LoadRunner.RunAsync(Plan, …)</c>) and the harness read it and change nothing.
/// </summary>
public sealed class Plan
{
    private static readonly IReadOnlyList<string?> NoPolicy = [null];

    private Plan(Scenario scenario, string file)
    {
        Scenario = scenario;
        ScenarioFile = file;
        // Model × mode, and × policy when the scenario compares resilience policies (each policy its own cells). A
        // batch-api cell has no policy: its lines are retried by nobody but the provider (one batch, never resubmitted).
        // × target innermost: the same cell on every target (that serves its model) side by side, in the report and in the
        // execution order, so a relay and the direct API are measured one after the other and drift hits both alike.
        IReadOnlyList<string?> policies = scenario.Resilience.Count == 0 ? [null] : [.. scenario.Resilience.Select(p => p.Name)];
        var targets = scenario.EffectiveTargets;
        Targets = [.. targets.Select(t => t.Name!)];
        Cells = [.. scenario.Models.SelectMany(m => scenario.Modes.SelectMany(mode => (mode == Mode.BatchApi ? NoPolicy : policies)
            .SelectMany(policy => targets.Where(t => t.Serves(m)).Select(t => new PlanCell(m, mode, policy, t.Name)))))];
        BatchLines = scenario.Modes.Contains(Mode.BatchApi) ? scenario.BatchLines : null;
        Steps = scenario.Workload;
        ExpectedRequestsPerCell = Steps.All(w => w.Kind is StepKind.IterationsForConstant or StepKind.IterationsForInject)
            ? Steps.Sum(w => w.Iterations ?? 0)
            : null;
        Repeat = scenario.Repeat;
        IReadOnlyList<int?> replicates = Repeat == 1 ? [null] : [.. Enumerable.Range(1, Repeat).Select(r => (int?)r)];
        SynchronousOrder = [.. replicates.SelectMany(r => Cells.Where(c => c.Mode != Mode.BatchApi).Select(c => new PlannedCell(c, r)))];
        Workload = Describe(Steps);
        var policyNames = scenario.Resilience.Count == 0 ? "" : $" × policies {string.Join(", ", scenario.Resilience.Select(p => p.Name))}";
        var batches = BatchLines is { } lines ? $"; batch-api: one batch of {lines} lines per model" : "";
        var repeat = Repeat == 1 ? ""
            : $"; {Repeat} replicates, interleaved by cell" + (BatchLines is null ? "" : " (batch-api cells run once, in replicate 1)");
        var targetNames = Targets.Count == 1 ? "" : $"targets {string.Join(", ", Targets)} × ";
        Description = $"{scenario.Name} — {Cells.Count} cells ({targetNames}{string.Join(", ", scenario.Models)} × {ModeNames(scenario.Modes)}{policyNames}); "
            + $"{Workload}{batches}; {RequestsOf(scenario)}{repeat}";
    }

    /// <summary>What the requests send: a trace's lines bring their own prompts and lengths; the rest come from the
    /// request (and the cells' own, <see cref="Scenario.CellRequests"/>).</summary>
    private static string RequestsOf(Scenario scenario)
    {
        var measured = scenario.Workload.Where(w => !w.Warmup && w.Kind != StepKind.Pause).ToList();
        if (measured.Count > 0 && measured.All(w => w.Kind == StepKind.Trace))
        {
            return "prompts and answer lengths from the trace" + (scenario.Workload.Any(w => w.Warmup) ? $" (warm-up: {Requests(scenario.Request)})" : "");
        }

        return Requests(scenario.Request) + CellRequests(scenario);
    }

    /// <summary>The cells whose requests differ (<see cref="Scenario.CellRequests"/>): "; for claude-*: …" per entry.</summary>
    private static string CellRequests(Scenario scenario) => string.Concat(scenario.CellRequests.Select(c =>
        $"; for {string.Join(", ", c.Cells)}: {Requests(c.Request.ApplyTo(scenario.Request))}"));

    /// <summary>What each request sends, in the description's words: "prompt 100 tokens, max_tokens 200" for a fixed
    /// shape; otherwise where prompts come from and how lengths are drawn (issue 15's sources).</summary>
    private static string Requests(RequestShape r)
    {
        var prompt = r.Dataset is { } dataset ? $"prompts from {Path.GetFileName(dataset.Path)}"
            : r.InputTokens is { } input ? $"prompt lengths drawn ({Kind(input)})"
            : $"prompt {r.PromptTokens} tokens";
        var prefix = r.SharedPrefix is { } p
            ? FormattableString.Invariant($" behind a shared prefix of {p.Tokens} tokens ({p.Groups} group{(p.Groups == 1 ? "" : "s")}, {p.Fraction:P0} of requests)")
            : "";
        var answer = r.OutputTokens is { } output ? $"answer lengths drawn ({Kind(output)})"
            : r.Dataset is not null ? $"answer lengths from the dataset where it gives them, else max_tokens {r.MaxTokens}"
            : $"max_tokens {r.MaxTokens}";
        answer += r.IgnoreEos ? ", ignore_eos" : "";
        var turns = r.Conversation is { Turns: { } t } ? $"; conversations ({Kind(t)} turns)" : "";
        return $"{prompt}{prefix}, {answer}{turns}";

        static string Kind(LengthDistribution d) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(d.Kind.ToString());
    }

    /// <summary>A trace step's path made absolute, relative to the directory of the scenario <paramref name="file"/> (a
    /// path already absolute — from <c>--trace</c>, or run.json's scenario when resuming — is kept), so run.json records
    /// where the trace was read from and <c>--resume</c> finds it from any working directory.</summary>
    private static WorkloadStep ResolveTrace(WorkloadStep step, string file)
    {
        if (step.Trace is not { Path.Length: > 0 } spec || Path.IsPathRooted(spec.Path))
        {
            return step;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(file)) ?? Directory.GetCurrentDirectory();
        return step with { Trace = spec with { Path = Path.GetFullPath(Path.Combine(directory, spec.Path)) } };
    }

    /// <summary>The scenario with the overrides applied, validated. Immutable (<see cref="Scenarios.Scenario"/>): the
    /// caller's scenario is left as it was, and nothing read from the plan can change it.</summary>
    public Scenario Scenario { get; }

    /// <summary>The scenario file it was read from (or <c>&lt;command line&gt;</c>), named in errors.</summary>
    public string ScenarioFile { get; }

    /// <summary>Every model in every mode, models outermost, in the order they run (one after another).</summary>
    public IReadOnlyList<PlanCell> Cells { get; }

    /// <summary>The targets' names, in the scenario's order (<see cref="Scenario.EffectiveTargets"/>): one name for a
    /// single-target scenario.</summary>
    public IReadOnlyList<string> Targets { get; }

    /// <summary>Lines of each batch-api cell's one batch (<see cref="Scenarios.Scenario.BatchLines"/>); null when the
    /// plan has no batch-api cell.</summary>
    public int? BatchLines { get; }

    /// <summary>The cells the load engine runs request by request: every cell but the batch-api ones, in plan order.</summary>
    public IReadOnlyList<PlanCell> SynchronousCells => [.. Cells.Where(c => c.Mode != Mode.BatchApi)];

    /// <summary>The batch-api cells, in plan order: each is one batch job of <see cref="BatchLines"/> lines.</summary>
    public IReadOnlyList<PlanCell> BatchCells => [.. Cells.Where(c => c.Mode == Mode.BatchApi)];

    /// <summary>Replicates: how many times the synchronous cells run (<see cref="Scenarios.Scenario.Repeat"/>,
    /// <c>--repeat</c>); 1 for a run without replicates.</summary>
    public int Repeat { get; }

    /// <summary>
    /// The order the load engine runs the synchronous cells in, each with its replicate: replicate r of every cell
    /// before replicate r+1 of any (r1[c1 c2 …] r2[c1 c2 …] …), so drift over the run (a warming cache, a neighbour's
    /// load, thermal throttling) hits every cell alike. Each entry runs <see cref="Steps"/> in full, warm-up included, as
    /// a run without replicates would. Without replicates (<see cref="Repeat"/> 1): <see cref="SynchronousCells"/> with
    /// replicate <see langword="null"/>. A batch-api cell is not repeated: its one batch belongs to replicate 1.
    /// </summary>
    public IReadOnlyList<PlannedCell> SynchronousOrder { get; }

    /// <summary>The workload steps every synchronous cell runs, in order (warm-up steps included, flagged); a batch-api
    /// cell sends its measured requests as one batch instead.</summary>
    public IReadOnlyList<WorkloadStep> Steps { get; }

    /// <summary>Requests per cell when every step fixes a count (<c>iterations_for_*</c>), warm-up included; else
    /// <see langword="null"/> (a duration-bound or sweep workload).</summary>
    /// <remarks>In a shard (<see cref="Shard"/>): the shard's share of each step's count.</remarks>
    public int? ExpectedRequestsPerCell { get; private set; }

    /// <summary>The workload in one line, e.g. <c>warm-up 1 requests at concurrency 1; 8 requests at concurrency 8</c>.</summary>
    public string Workload { get; }

    /// <summary>The run in one line, as printed before it starts: scenario name, cells (models × modes), workload, prompt
    /// and <c>max_tokens</c>.</summary>
    public string Description { get; private set; }

    /// <summary>The slice of the plan this process runs (<c>--shard I/N</c>), or null for the whole plan. Its description
    /// then ends <c>; shard I/N</c>.</summary>
    public ShardSpec? Shard { get; private set; }

    /// <summary>
    /// Applies <paramref name="overrides"/> to a copy of <paramref name="scenario"/> (which is left unchanged) and
    /// validates the result like a scenario file. Order: <see cref="PlanOverrides.Quick"/> first, then explicit fields (which win).
    /// <see cref="PlanOverrides.Requests"/>/<see cref="PlanOverrides.Concurrency"/> replace the measured steps with one
    /// closed <c>iterations_for_constant</c> step (defaults: the scenario's first such step, else 50 requests at
    /// concurrency 10), keeping warm-up steps; <see cref="PlanOverrides.Load"/> replaces them with one step of that kind;
    /// <see cref="PlanOverrides.Retries"/> replaces the scenario's resilience policies (0: none; N: one <c>retries-N</c>).
    /// </summary>
    /// <param name="scenario">A loaded scenario (<c>ScenarioLoader.Load</c>).</param>
    /// <param name="overrides">The command line's overrides (<see cref="PlanOverrides.None"/> for none).</param>
    /// <param name="file">The scenario's file, named in validation errors.</param>
    /// <exception cref="ConfigException">A flag is out of its bounds (<see cref="PlanOverrides.Validate"/>: file
    /// <c>&lt;command line&gt;</c>, the flag as path), or the result is not a valid scenario (every problem listed, with
    /// JSON paths).</exception>
    public static Plan Create(Scenario scenario, PlanOverrides overrides, string file)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(overrides);
        if (overrides.Validate() is { Count: > 0 } flagErrors)
        {
            throw new ConfigException(flagErrors);
        }

        if (TargetFlagErrors(scenario, overrides, file) is { Count: > 0 } targetFlags)
        {
            throw new ConfigException(targetFlags);
        }

        var planned = ResolveDataset(Apply(scenario, overrides), file);
        if (FlagThresholdErrors(planned, scenario.Thresholds.Count) is { Count: > 0 } thresholdFlags)
        {
            throw new ConfigException(thresholdFlags);
        }

        if (overrides.Speedup is not null && !planned.Workload.Any(w => w.Kind == StepKind.Trace))
        {
            throw new ConfigException([new ConfigError(PlanOverrides.CommandLine, "--speedup", "applies to a trace workload (--trace FILE, or a trace step in the scenario)")]);
        }

        planned = planned with { Workload = [.. planned.Workload.Select(w => ResolveTrace(w, file))] };
        ScenarioLoader.Validate(planned, file);
        if (overrides.Shard is { } shard && planned.Workload.Any(w => w.Kind == StepKind.Sweep))
        {
            // A sweep picks its next rate from the results so far, which shards on other machines cannot share.
            throw new ConfigException([new ConfigError(PlanOverrides.CommandLine, "--shard",
                $"'{shard}' cannot split a sweep step: a sweep chooses each next rate from the results so far, which separate shards do not share; run the sweep unsharded")]);
        }

        var plan = new Plan(planned, file);
        if (overrides.Shard is { } slice)
        {
            plan.Shard = slice;
            plan.Description += $"; shard {slice}";
            plan.ExpectedRequestsPerCell = plan.ExpectedRequestsPerCell is null ? null : (int)plan.Steps.Sum(w => slice.Share(w.Iterations ?? 0));
        }

        return UnmatchedSelectors(plan, scenario.Thresholds.Count, file) is { Count: > 0 } unmatched ? throw new ConfigException(unmatched) : plan;
    }

    /// <summary>A <c>--threshold</c> over an SLO-set figure must name a set of the scenario (the scenario's own
    /// thresholds are checked by <see cref="Scenario.Validate"/> at their paths).</summary>
    /// <summary>The flags that replace the single target (<c>--base-url</c>, <c>--api-key-env</c>, <c>--api-key-file</c>)
    /// do not apply to a list of targets; <c>--targets</c> names only targets of the scenario.</summary>
    private static List<ConfigError> TargetFlagErrors(Scenario scenario, PlanOverrides overrides, string file)
    {
        var errors = new List<ConfigError>();
        if (scenario.Targets.Count > 0)
        {
            foreach (var (flag, given) in new[] { ("--base-url", overrides.BaseUrl is not null), ("--api-key-env", overrides.ApiKeyEnv is not null), ("--api-key-file", overrides.ApiKeyFile is not null) })
            {
                if (given)
                {
                    errors.Add(new ConfigError(PlanOverrides.CommandLine, flag,
                        $"{file} names several targets ({string.Join(", ", scenario.Targets.Select(t => t.Name))}); {flag} replaces the one target of a single-target scenario: edit the targets in the file, or pick some with --targets NAME,…"));
                }
            }
        }

        if (overrides.Targets is { } picked)
        {
            var names = scenario.EffectiveTargets.Select(t => t.Name!).ToList();
            if (picked.Count == 0)
            {
                errors.Add(new ConfigError(PlanOverrides.CommandLine, "--targets", $"names no target; the scenario's: {string.Join(", ", names)}"));
            }

            foreach (var name in picked.Where(n => !names.Contains(n, StringComparer.Ordinal)))
            {
                errors.Add(new ConfigError(PlanOverrides.CommandLine, "--targets", $"'{name}' is not a target of {file} (its targets: {string.Join(", ", names)})"));
            }
        }

        return errors;
    }

    private static List<ConfigError> FlagThresholdErrors(Scenario planned, int fromScenario)
    {
        var errors = new List<ConfigError>();
        foreach (var spec in planned.Thresholds.Skip(fromScenario))
        {
            if (!ThresholdExpression.TryParse(spec.Expression, out var expression, out _))
            {
                continue; // PlanOverrides.Validate reported it
            }

            var id = expression.Metric.Id;
            if (id == Metrics.MetricCatalog.GoodputRps.Id && planned.Slos.Count == 0)
            {
                errors.Add(new ConfigError(PlanOverrides.CommandLine, "--threshold", $"'{spec.Expression}': {id} needs the scenario to declare SLOs"));
            }

            foreach (var template in Metrics.MetricCatalog.SloTemplates)
            {
                if (template.TryMatch(id, out var name) && planned.Slos.All(s => s.Name != name))
                {
                    errors.Add(new ConfigError(PlanOverrides.CommandLine, "--threshold",
                        $"'{spec.Expression}': {id} names SLO set '{name}', which the scenario does not declare ({(planned.Slos.Count == 0 ? "it has none" : string.Join(", ", planned.Slos.Select(s => s.Name)))})"));
                }
            }
        }

        return errors;
    }

    /// <summary>Every cell selector of every threshold names at least one cell of the plan: a selector that matches
    /// nothing is a typo that would leave a gate judging nothing.</summary>
    private static List<ConfigError> UnmatchedSelectors(Plan plan, int fromScenario, string file)
    {
        var errors = new List<ConfigError>();
        var thresholds = plan.Scenario.Thresholds;
        var cells = string.Join(", ", plan.Cells);
        for (var i = 0; i < thresholds.Count; i++)
        {
            var spec = thresholds[i];
            if (!ThresholdExpression.TryParse(spec.Expression, out var expression, out _))
            {
                continue;
            }

            var fromFlag = i >= fromScenario;
            var selectors = expression.Cells.Select(c => (Selector: (CellSelector?)c, Path: $"$.thresholds[{i}].expression"))
                .Concat(spec.Cells.Select((c, j) => (Selector: CellSelector.TryParse(c, out var s, out _) ? s : null, Path: $"$.thresholds[{i}].cells[{j}]")));
            foreach (var (selector, path) in selectors)
            {
                if (selector is not null && !plan.Cells.Any(selector.Matches))
                {
                    errors.Add(fromFlag
                        ? new ConfigError(PlanOverrides.CommandLine, "--threshold", $"'{spec.Expression}': the cell selector '{selector}' matches no cell of the plan ({cells})")
                        : new ConfigError(file, path, $"the cell selector '{selector}' matches no cell of the plan ({cells})"));
                }
            }
        }

        // A cell_requests selector that names nothing is a typo that would send those cells the scenario's request.
        var cellRequests = plan.Scenario.CellRequests;
        for (var i = 0; i < cellRequests.Count; i++)
        {
            for (var j = 0; j < cellRequests[i].Cells.Count; j++)
            {
                if (CellSelector.TryParse(cellRequests[i].Cells[j], out var selector, out _) && !plan.Cells.Any(selector.Matches))
                {
                    errors.Add(new ConfigError(file, $"$.cell_requests[{i}].cells[{j}]", $"the cell selector '{selector}' matches no cell of the plan ({cells})"));
                }
            }
        }

        return errors;
    }

    /// <summary>The dataset's path made absolute against the scenario file's folder, so run.json records where it was
    /// read from and <c>bench run --resume</c> reads the same file from anywhere.</summary>
    private static Scenario ResolveDataset(Scenario scenario, string file)
    {
        var directory = file.StartsWith('<') ? null : Path.GetDirectoryName(Path.GetFullPath(file));
        return scenario with
        {
            Request = scenario.Request with { Dataset = Resolve(scenario.Request.Dataset) },
            CellRequests = [.. scenario.CellRequests.Select(c => c with { Request = c.Request with { Dataset = Resolve(c.Request.Dataset) } })],
        };

        DatasetSpec? Resolve(DatasetSpec? dataset) =>
            dataset is null || Path.IsPathRooted(dataset.Path) || string.IsNullOrWhiteSpace(dataset.Path)
                ? dataset
                : dataset with { Path = Prompts.PromptSources.ResolvePath(dataset.Path, directory) };
    }

    /// <summary>The scenario with the overrides applied: a new scenario (<c>with</c>) sharing what they leave alone.</summary>
    private static Scenario Apply(Scenario scenario, PlanOverrides options)
    {
        var request = scenario.Request;
        var cellRequests = scenario.CellRequests;
        var workload = scenario.Workload;
        if (options.Quick || options.MaxTokens is not null || options.Dataset is not null)
        {
            // A flag says what it wants for every cell: the cells' own max_tokens or dataset give way to it.
            cellRequests = [.. cellRequests.Select(c => c with
            {
                Request = c.Request with
                {
                    MaxTokens = options.Quick || options.MaxTokens is not null ? null : c.Request.MaxTokens,
                    Dataset = options.Dataset is not null ? null : c.Request.Dataset,
                },
            })];
        }

        if (options.Quick)
        {
            request = request with { MaxTokens = 64 };
            workload =
            [
                new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 1, Warmup = true },
                new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 8, Iterations = 8 },
            ];
        }

        if (options.Trace is { } tracePath)
        {
            var step = new WorkloadStep
            {
                Kind = StepKind.Trace,
                Trace = new TraceSpec { Path = Path.GetFullPath(tracePath), Speedup = options.Speedup ?? 1 },
                MaxConcurrency = options.MaxConcurrency,
            };
            workload = [.. workload.Where(w => w.Warmup), step];
        }
        else if (options.Speedup is { } speedup)
        {
            workload = [.. workload.Select(w => w.Trace is { } spec ? w with { Trace = spec with { Speedup = speedup } } : w)];
        }

        if (options.Trace is not null)
        {
            // The trace step above is the workload: --requests and --concurrency do not reshape it.
        }
        else if (options.Load is { } kind)
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
            workload = [.. workload.Where(w => w.Warmup), step];
        }
        else if (options.Requests is not null || options.Concurrency is not null)
        {
            var measured = workload.FirstOrDefault(w => !w.Warmup && w.Kind == StepKind.IterationsForConstant);
            var requests = options.Requests ?? measured?.Iterations ?? 50;
            var concurrency = options.Concurrency ?? measured?.Copies ?? 10;
            workload =
            [
                .. workload.Where(w => w.Warmup),
                new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = concurrency, Iterations = requests },
            ];
        }

        if (options.MaxTokens is { } maxTokens)
        {
            request = request with { MaxTokens = maxTokens };
        }

        if (options.TimeoutS is { } timeoutS)
        {
            request = request with { TimeoutS = timeoutS };
        }

        if (options.Dataset is { } dataset)
        {
            request = request with { Dataset = new DatasetSpec { Path = Path.GetFullPath(dataset) } };
        }

        var target = scenario.Target;
        if (options.BaseUrl is { } url)
        {
            target = target with { BaseUrl = url };
        }

        if (options.ApiKeyEnv is { } env)
        {
            target = target with { ApiKeyEnv = env };
        }

        if (options.ApiKeyFile is { } keyFile)
        {
            target = target with { ApiKeyFile = keyFile };
        }

        var batch = scenario.Batch;
        if (options.BatchPollIntervalS is { } pollS)
        {
            // A first interval past the scenario's longest one raises the longest with it: the flag says what it wants.
            batch = batch with { PollIntervalS = pollS, MaxPollIntervalS = Math.Max(batch.MaxPollIntervalS, pollS) };
        }

        if (options.BatchTimeoutS is { } batchTimeoutS)
        {
            batch = batch with { TimeoutS = batchTimeoutS };
        }

        if (options.BatchOnTimeout is { } onTimeout)
        {
            batch = batch with { OnTimeout = onTimeout };
        }

        var resilience = options.Retries switch
        {
            null => scenario.Resilience,
            0 => [],
            int retries => [new ResiliencePolicy { Name = $"retries-{retries}", Retry = new RetrySpec { MaxRetries = retries } }],
        };

        var targets = options.Targets is { } picked && scenario.Targets.Count > 0
            ? [.. scenario.Targets.Where(t => picked.Contains(t.Name!, StringComparer.Ordinal))]
            : scenario.Targets;
        return scenario with
        {
            Target = target,
            Targets = targets,
            Resilience = resilience,
            Models = options.Models ?? scenario.Models,
            Modes = options.Modes is { } modes ? [.. modes.Distinct()] : scenario.Modes,
            Request = request,
            CellRequests = cellRequests,
            Workload = workload,
            Seed = options.Seed ?? scenario.Seed,
            Repeat = options.Repeat ?? scenario.Repeat,
            Batch = batch,
            Thresholds = options.Thresholds is { Count: > 0 } flags ? [.. scenario.Thresholds, .. flags.Select(e => new ThresholdSpec { Expression = e })] : scenario.Thresholds,
        };
    }

    /// <summary>Describes workload steps in one line, e.g. "64 requests at concurrency 16".</summary>
    private static string Describe(IEnumerable<WorkloadStep> steps) => string.Join("; ", steps.Select(w =>
        (w.Warmup ? "warm-up " : "") + w.Kind switch
        {
            StepKind.IterationsForConstant => $"{w.Iterations} requests at concurrency {w.Copies}",
            StepKind.KeepConstant => $"concurrency {w.Copies} for {Durations.Format(w.Duration!.Value)}",
            StepKind.RampingConstant => $"concurrency ramping to {w.Copies} over {Durations.Format(w.Duration!.Value)}",
            StepKind.Inject => $"{w.Rate} requests per {Durations.Format(w.Interval)} for {Durations.Format(w.Duration!.Value)}",
            StepKind.RampingInject => $"rate ramping to {w.Rate} per {Durations.Format(w.Interval)} over {Durations.Format(w.Duration!.Value)}",
            StepKind.Poisson => $"Poisson arrivals at {w.Rate}/s" + (w.Duration is { } d ? $" for {Durations.Format(d)}" : $" × {w.Iterations}"),
            StepKind.Gamma => $"gamma arrivals at {w.Rate}/s, burstiness {w.Burstiness ?? 1}" + (w.Duration is { } d ? $" for {Durations.Format(d)}" : $" × {w.Iterations}"),
            StepKind.Trace => $"trace {System.IO.Path.GetFileName(w.Trace!.Path)}" + (w.Trace.Speedup == 1 ? "" : $" at {w.Trace.Speedup}× speed"),
            StepKind.IterationsForInject => $"{w.Iterations} requests at {w.Rate} per {Durations.Format(w.Interval)}",
            StepKind.Pause => $"pause {Durations.Format(w.Duration!.Value)}",
            StepKind.Sweep => $"sweep from {w.StartRate}/s",
            _ => w.Kind.ToString(),
        } + (w.InFlightCap is { } cap ? $" (at most {cap} in flight)" : "")));

    private static string ModeNames(IEnumerable<Mode> modes) => string.Join(", ", modes.Select(Names.Of));
}
