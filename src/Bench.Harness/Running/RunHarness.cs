using System.Net;
using Bench.Core.Client;
using Bench.Core.Configuration;
using Bench.Core.Prompts;
using Bench.Core.Planning;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Progress;
using Bench.Harness.Reporting;
using Bench.Load.Running;
using Bench.Load.Workloads.Sessions;
using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;

namespace Bench.Harness.Running;

/// <summary>
/// <c>bench run</c> from start to end: scenario → <see cref="Plan"/> → target (embedded simulator or a real endpoint)
/// → load → records → summary and report. Records are appended as requests complete; the summary is always rebuilt
/// from <c>records.jsonl</c>, so a live run and <c>bench report</c> agree by construction.
/// </summary>
public static partial class RunHarness
{
    /// <summary>Reads the scenario, plans it with the request's overrides, runs it and writes the results folder.</summary>
    /// <param name="request">The scenario, overrides, results folder and report settings.</param>
    /// <param name="output">Progress, the summary table and where the results went.</param>
    /// <param name="error">Why nothing ran (bad scenario, missing or bad profiles, API key or report settings), or why
    /// the run failed: the refused key, and each cell without a successful request.</param>
    /// <param name="cancellationToken">An interrupt (SIGINT, SIGTERM; <see cref="RunRequest.Interrupts"/> names it):
    /// the run stops sending, cancels the requests in flight and reports the records completed so far, marked as
    /// interrupted.</param>
    /// <returns>The exit code with the results folder: <see cref="ExitCodes.Success"/> when every cell had a
    /// successful request; <see cref="ExitCodes.MeasuredFailure"/> when a cell had none (one line per such cell on
    /// <paramref name="error"/> naming its dominant failure) or the endpoint refused the API key on the first requests
    /// (the run stops early, see <see cref="AuthGuard"/>); <see cref="ExitCodes.BadInput"/> when nothing was sent (bad input, a non-empty <c>--out</c> without <c>--force</c>, a
    /// key that would travel in clear text, a key the preflight saw refused); <see cref="ExitCodes.MeasuredFailure"/>
    /// also when the preflight could not connect to the endpoint;
    /// <see cref="ExitCodes.Interrupted"/> (SIGINT, or a cancellation without a signal) or
    /// <see cref="ExitCodes.Terminated"/> (SIGTERM) when interrupted.</returns>
    public static async Task<RunOutcome> RunAsync(RunRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(error);
        if (request.Pdf?.FindChromium() is { Found: false } noChromium)
        {
            // Found out before the run, not after an hour of it: nothing is sent.
            await error.WriteLineAsync($"{noChromium.NotFoundMessage} Nothing was sent; run without --pdf, or print later with bench report DIR --pdf.").ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }

        if (request.ResumeDirectory is not null)
        {
            return await PrintPdfAsync(await ResumeAsync(request, output, error, cancellationToken).ConfigureAwait(false), request, output, error, cancellationToken).ConfigureAwait(false);
        }

        Plan plan;
        string scenarioFile;
        try
        {
            ReportPrices.Validate(request.Report);
            scenarioFile = ScenarioFiles.Locate(request.ScenarioPath);
            plan = Plan.Create(ScenarioLoader.Load(scenarioFile), request.Overrides, scenarioFile);
            ReportPrices.CheckCurrent(request.Report, plan);
        }
        catch (Exception e) when (e is ConfigException or PricingException)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }

        return await PrintPdfAsync(await RunAsync(plan, scenarioFile, request, output, error, cancellationToken).ConfigureAwait(false), request, output, error, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>With <see cref="RunRequest.Pdf"/> (<c>--pdf</c>): prints <c>report.pdf</c> once the run wrote every
    /// other file. Not after an interrupt (the message says how to print it later). A PDF that could not be printed
    /// turns <see cref="ExitCodes.Success"/> into <see cref="ExitCodes.BadInput"/>, as in <c>bench report --pdf</c>;
    /// any other exit code stands.</summary>
    private static async Task<RunOutcome> PrintPdfAsync(RunOutcome outcome, RunRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (request.Pdf is not { } pdf || outcome.Directory is not { } directory || !File.Exists(Path.Combine(directory, Report.Html.HtmlExporter.FileName)))
        {
            return outcome;
        }

        if (cancellationToken.IsCancellationRequested || outcome.ExitCode is ExitCodes.Interrupted or ExitCodes.Terminated)
        {
            await error.WriteLineAsync($"report.pdf not printed: the run was interrupted. Print it with: bench report {directory} --pdf").ConfigureAwait(false);
            return outcome;
        }

        try
        {
            var printed = await ReportPdf.PrintAsync(directory, pdf, output, error, cancellationToken).ConfigureAwait(false);
            return printed || outcome.ExitCode != ExitCodes.Success ? outcome : outcome with { ExitCode = ExitCodes.BadInput };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"Interrupted while printing: report.pdf not written. Print it with: bench report {directory} --pdf").ConfigureAwait(false);
            return outcome with { ExitCode = Interrupts.ExitCodeOf(request.Interrupts?.Reason) };
        }
    }

    /// <summary>Runs a plan read from <paramref name="scenarioFile"/> (simulator profiles are found beside it; the
    /// working directory when <see langword="null"/>); writes the results folder; returns where and how it ended.</summary>
    internal static async Task<RunOutcome> RunAsync(Plan plan, string? scenarioFile, RunRequest request, TextWriter output, TextWriter error,
        CancellationToken cancellationToken, ResumeState? resume = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var scenario = plan.Scenario;
        var time = request.TimeProvider;
        if (resume is null && ResultsFolder.Check(request.OutputDirectory, request.Force) is { } refusal)
        {
            await error.WriteLineAsync(refusal).ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }

        if (request.SyncDirectory is not null && plan.Shard is null)
        {
            await error.WriteLineAsync("--sync-dir: is where the shards of one run meet before each step; it needs --shard I/N").ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }

        var startAt = resume is null ? request.Overrides.StartAt : null;
        if (ShardStart.Refusal(startAt, time) is { } tooFar)
        {
            await error.WriteLineAsync(tooFar).ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }

        if (DescriptorShortfall(scenario, plan.Shard, scenarioFile) is { } shortfall)
        {
            await error.WriteLineAsync(shortfall.ToString()).ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }

        IReadOnlyDictionary<string, Core.Traces.TraceFile> traces;
        CellPromptSources prompts;
        try
        {
            // Every trace and dataset is read whole before anything is sent: a bad line is file: line N: reason, exit 2
            // (their paths were made absolute by the plan).
            traces = Core.Traces.TraceReader.LoadAll(plan.Steps);
            prompts = CellPromptSources.For(scenario, scenarioFile is null ? null : Path.GetDirectoryName(Path.GetFullPath(scenarioFile)));
        }
        catch (ConfigException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }

        foreach (var dataset in prompts.All.OfType<ShapedPromptSource>().Select(s => s.Dataset).OfType<Core.Prompts.Datasets.PromptDataset>().Distinct())
        {
            output.WriteLine(FormattableString.Invariant(
                $"Dataset: {dataset.Path} ({dataset.Format}, {dataset.Entries.Count} entries{(dataset.Skipped > 0 ? $"; {dataset.Skipped} skipped without a human turn followed by a gpt turn" : "")})"));
        }

        RunTargets targets;
        List<DeclaredFaults>? declaredFaults = null;
        using var injections = new InjectionLog();
        try
        {
            // Faults are declared once: every simulator target injects the scenario's, on its first profiles.
            targets = await RunTargets.StartAsync(scenario, scenarioFile, request, injections.Write,
                profiles => declaredFaults ??= DeclaredFaultsOf.Run(scenario, profiles), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ConfigException or DirectoryNotFoundException)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Interrupted while a simulator started: nothing was sent, nothing is written.
            return new RunOutcome(Interrupts.ExitCodeOf(request.Interrupts?.Reason), null);
        }

        await using var _ = targets;
        var simulators = targets.Simulators.ToList();
        var warnings = new List<string>();
        if (request.Preflight)
        {
            // GET {base}models in each real target's protocol (its own headers, key header or none).
            foreach (var target in targets.All.Where(t => t.Simulator is null))
            {
                var checkedEndpoint = await RunPreflightAsync(target.Endpoint, target.ApiKey, [.. scenario.Models.Where(target.Spec.Serves)], time, error, cancellationToken).ConfigureAwait(false);
                if (checkedEndpoint.ExitCode is { } preflightExit)
                {
                    return new RunOutcome(preflightExit, null);
                }

                warnings.AddRange(targets.All.Count == 1 ? checkedEndpoint.Warnings : checkedEndpoint.Warnings.Select(w => $"{target.Name}: {w}"));
            }
        }

        if (resume is null && request.Force && request.OutputDirectory is { } forced && ResultsFolder.StartAfresh(forced) is { Count: > 0 } kept)
        {
            await error.WriteLineAsync($"--force: started {forced} afresh; kept what Bench did not write: {string.Join(", ", kept)}").ConfigureAwait(false);
        }

        ShardInfo? shardInfo = null;
        if (plan.Shard is { } shard)
        {
            var (offsetMs, note) = await ShardStart.ClockOffsetAsync(targets, time, cancellationToken).ConfigureAwait(false);
            shardInfo = new ShardInfo { Index = shard.Index, Count = shard.Count, StartAtUtc = startAt, ClockOffsetMs = offsetMs, ClockNote = note };
        }

        var started = time.GetUtcNow();
        // A resumed run keeps its clock's origin, so the records it appends continue the first process's times.
        var clock = resume is null ? new RunClock(time)
            : new RunClock(time, time.GetTimestamp() - (long)((started - resume.Run.ClockOriginUtc).TotalSeconds * time.TimestampFrequency));
        var runId = resume?.Run.RunId ?? $"{started:yyyyMMdd-HHmmss}-{scenario.Name}";
        var directory = resume?.Directory ?? ResultsDirectory.Create(request.OutputDirectory, runId);
        var (versions, machine) = RunInfo.Describe();
        var run = resume?.Run ?? new RunInfo
        {
            RunId = runId,
            Scenario = scenario.Name,
            ScenarioFile = scenarioFile is null ? null : Path.GetRelativePath(Directory.GetCurrentDirectory(), scenarioFile),
            ScenarioJson = ScenarioWriter.ToJson(ApiKeys.Redacted(scenario)),
            Target = targets.All.Count == 1 ? TargetText(targets.All[0]) : string.Join("; ", targets.All.Select(t => $"{t.Name}: {TargetText(t)}")),
            Targets = targets.Describe(),
            Warnings = warnings,
            Versions = versions,
            Machine = machine,
            StartedUtc = started,
            ClockOriginUtc = started,
            Report = request.Report,
            Resilience = [.. scenario.Resilience],
            Faults = declaredFaults,
            Repeat = plan.Repeat > 1 ? plan.Repeat : null,
            Shard = shardInfo,
        };
        var runsBatches = plan.Shard is not { Index: > 1 };
        if (resume is null && !runsBatches && plan.BatchCells.Count > 0)
        {
            run.Warnings.Add($"shard {plan.Shard}: batch-api cells run in shard 1 only (one batch per cell); their ids stay reserved here");
        }

        if (resume is null && plan.Repeat > 1 && plan.BatchCells.Count > 0)
        {
            run.Warnings.Add("--repeat: batch-api cells ran once, in replicate 1 (one batch per cell); only the synchronous cells were repeated");
        }

        // Batch lines take the first ids (one block per batch-api cell), the synchronous requests the ids after them; a
        // resumed run continues after the highest id it has.
        var batchLines = plan.BatchLines ?? 0;
        var firstId = resume?.NextId ?? 0;
        if (plan.BatchCells.Count > 0 && runsBatches && (resume is null || run.Batches is null))
        {
            run.Batches = [.. plan.BatchCells.Select((c, k) => new BatchSubmission { Model = c.Model, Lines = batchLines, FirstId = firstId + (long)k * batchLines })];
        }

        // A shard that runs no batch keeps the batch lines' ids reserved, so its synchronous ids are the unsharded run's.
        var nextId = Math.Max(firstId, run.Batches is { Count: > 0 } all ? all.Max(b => (b.FirstId ?? 0) + b.Lines)
            : resume is null ? firstId + ((long)plan.BatchCells.Count * batchLines) : 0);
        if (resume is not null)
        {
            run.Interrupted = null;
            run.EndedUtc = null;
            run.Warnings = [.. run.Warnings ?? [], $"resumed at {started:yyyy-MM-dd HH:mm:ss} UTC"];
        }

        ResultsDirectory.WriteRunInfo(directory, run);
        if (simulators.Count > 0)
        {
            injections.Open(directory);
        }

        output.WriteLine(targets.All.Count == 1
            ? $"Bench: {plan.Description}; target {targets.All[0].Shown}"
            : $"Bench: {plan.Description}; targets {string.Join(", ", targets.All.Select(t => $"{t.Name} ({t.Shown}{(t.Spec.AddedLatencyMs is > 0 and var ms ? FormattableString.Invariant($", +{ms} ms") : "")})"))}");

        var interrupted = false;
        ReplicateTracker? tracker = null;
        ThresholdAbortObserver? abort = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var guard = new AuthGuard(stop);
        using (var http = BenchHttpClient.Create(new ConnectionOptions { ConnectTimeout = TimeSpan.FromSeconds(scenario.Request.ConnectTimeoutS), TimeProvider = time }))
        {
            // One client and executor per target, over the one HttpClient; the router sends each cell to its target's.
            var executors = new Dictionary<string, IRequestExecutor>(StringComparer.Ordinal);
            var clients = new Dictionary<string, (ChatClient Client, ChatExecutor Executor)>(StringComparer.Ordinal);
            foreach (var target in targets.All)
            {
                var client = new ChatClient(http, target.Endpoint, clock, new ChatClientOptions
                {
                    Timeout = TimeSpan.FromSeconds(scenario.Request.TimeoutS),
                    FirstByteTimeout = scenario.Request.FirstByteTimeoutS is { } firstByteS ? TimeSpan.FromSeconds(firstByteS) : null,
                    IdleTimeout = scenario.Request.IdleTimeoutS is { } idleS ? TimeSpan.FromSeconds(idleS) : null,
                    UseMaxCompletionTokens = target.Spec.UseMaxCompletionTokens,
                    Tokenizer = target.Spec.Tokenizers.GetValueOrDefault("*"),
                    ModelTokenizers = target.Spec.Tokenizers,
                    MaxResponseBytes = scenario.Request.MaxResponseBytes,
                    MaxEventBytes = scenario.Request.MaxEventBytes,
                });
                var targetExecutor = new ChatExecutor(client, prompts, scenario.Seed, scenario.Resilience, target.Name);
                clients[target.Name] = (client, targetExecutor);
                executors[target.Name] = targetExecutor;
            }

            var executor = new TargetRouter(executors);
            // batch-api runs with one target (scenario validation): the first.
            var batchTarget = targets.All[0];
            using var batches = run.Batches is { Count: > 0 } submissions
                ? BatchPhase.Create(directory, run, output, submissions, http, batchTarget.Endpoint, clients[batchTarget.Name].Client, clients[batchTarget.Name].Executor, clock, scenario.Batch,
                    batchTarget.Simulator is not null, resuming: resume is not null)
                : null;
            if (resume is not null && batchTarget.Simulator is not null)
            {
                batches?.MarkLostWithTheSimulator();
            }
            var progress = new LiveProgress(output, _ => plan.ExpectedRequestsPerCell, time, plan.Repeat);
            // Every simulator begins an epoch at each cell's start, so their epoch numbers stay the same and name the cell.
            var epochs = simulators.Count == 0 ? null : new FaultEpochObserver(progress, () => simulators.Select(s => s.BeginFaultEpoch()).Max());
            tracker = new ReplicateTracker((ILoadObserver?)epochs ?? progress, plan, resume?.Started);
            await using var records = new RecordsWriter(Path.Combine(directory, ResultsDirectory.RecordsFile));
            var observer = ThresholdAbortObserver.Wrap(tracker, [.. scenario.Thresholds.Select(t => t.ToThreshold())], scenario.Slos,
                ReportPrices.Catalog(request.Report), stop, out abort);
            if (startAt is { } at)
            {
                output.WriteLine($"Waiting for the shared start {at.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff} UTC");
            }

            var runner = new LoadRunner(executor, clock, record =>
            {
                records.Append(record);
                guard.Observe(record);
            }, observer, scenario.Seed, scenario.Slos)
            {
                FirstId = nextId,
                Shard = plan.Shard,
                Barrier = plan.Shard is { } meeting && request.SyncDirectory is { } sync
                    ? new FolderBarrier(Path.GetFullPath(sync), meeting, clock, warning =>
                    {
                        run.Warnings.Add(warning);
                        error.WriteLine(warning);
                    })
                    : null,
                // The shared start (--start-at) is awaited by the runner just before the first step: everything a process
                // sets up (the simulator, clients, files, a batch's upload, the first cell's observers) is done by then,
                // so every shard's schedule starts at the same instant whatever its own set-up took.
                StartAtMs = startAt is { } shared ? clock.NowMs() + (shared - time.GetUtcNow()).TotalMilliseconds : null,
                Traces = traces,
                // A session's turns are drawn from the cell's prompt source (dataset, prefixes, lengths) by (session, turn).
                Sessions = scenario.Request.Conversation is { } conversation
                    ? new SessionPlan(conversation, new PromptSourceTurns(prompts), scenario.Seed)
                    : null,
            };
            using var saturation = ClientSaturationLog.Start(directory, clock, runner); // client.csv; its summary goes into run.json
            try
            {
                if (batches is not null)
                {
                    await batches.SubmitAsync(stop.Token).ConfigureAwait(false);
                    batches.BeginWaiting(stop.Token);
                }

                // Replicate r of every cell before replicate r+1 of any; a resumed run skips the cells (of a replicate) it has.
                var cells = plan.SynchronousOrder.Where(p => resume?.Started.Contains(ReplicateTracker.Key(p.Cell.Target, p.Cell.Model, p.Cell.Mode, p.Cell.Policy, p.Replicate)) != true)
                    .Select(p => new Cell(p.Cell.Model, p.Cell.Mode, p.Cell.Policy, p.Replicate, p.Cell.Target)).ToList();
                await progress.RunAsync(() => runner.RunAsync(cells, plan.Steps, stop.Token)).ConfigureAwait(false);
                if (batches is not null)
                {
                    // With replicates, the one batch per cell belongs to replicate 1 (the plan repeats only synchronous cells);
                    // batch-api runs against the plan's one target (scenario validation), whose name every line carries.
                    var lineTarget = plan.BatchCells[0].Target;
                    await batches.WaitAndCollectAsync(r =>
                    {
                        r.Target ??= lineTarget;
                        r.Replicate = plan.Repeat == 1 ? r.Replicate : 1;
                        r.Shard = plan.Shard?.Index;
                        records.Append(r);
                    }, stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                interrupted = true;
            }

            if (startAt is { } sharedStart && runner.StartLatenessMs is { } lateness)
            {
                if (shardInfo is not null)
                {
                    shardInfo.StartLatenessMs = Math.Round(lateness, 1);
                }
                else
                {
                    run.Warnings.Add(FormattableString.Invariant($"--start-at {sharedStart.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff} UTC: the first step started {lateness:0.#} ms after it"));
                }
            }

            if (batches is not null)
            {
                await batches.FinishAsync().ConfigureAwait(false);
            }

            run.Client = saturation.Stop();
            run.FaultEpochs = epochs?.Epochs;
            interrupted |= stop.IsCancellationRequested;
        }

        injections.Dispose(); // every line is on disk already; what the simulator injects from now on is not this run's

        var reason = !interrupted ? null
            : guard.Refusal is not null ? InterruptReasons.ApiKeyRefused
            : abort?.Failure is not null ? InterruptReasons.ThresholdAbort
            : request.Interrupts?.Reason ?? InterruptReasons.Cancelled;
        return await FinishAsync(plan, run, directory, reason, guard, output, error, time, resume?.PartialBefore, tracker).ConfigureAwait(false);
    }

    /// <summary>A path relative to the working directory when it lies below it, else absolute.</summary>
    private static string Display(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    /// <summary>run.json's <c>target</c> text for one target.</summary>
    private static string TargetText(RunTarget target) => target.Simulator is { } simulator
        ? $"embedded simulator ({simulator.BaseUrl}), profiles calibrated to SEED-FIGURES.md"
        : BaseUrls.Redact(target.Endpoint.BaseAddress);

    /// <summary>
    /// Makes sure the process may hold a connection for every request the workload keeps in flight at once (a closed
    /// step's <c>copies</c>, an open step's <c>max_concurrency</c> or its default), twice over when a target is the
    /// embedded simulator (both ends of each connection are in this process): raises the soft <c>RLIMIT_NOFILE</c> as
    /// far as needed (<see cref="Core.Hosting.DescriptorLimit.Ensure"/>). Cells run one after another, so the largest
    /// step decides. A shard (<c>--shard I/N</c>, one process of N) holds its share: ceil(in flight / N).
    /// </summary>
    /// <returns><see langword="null"/> when it fits; else the step's field and why it cannot run (exit 2: nothing was
    /// sent; more descriptors or less concurrency are needed, not another try).</returns>
    internal static ConfigError? DescriptorShortfall(Scenario scenario, ShardSpec? shard, string? scenarioFile)
    {
        var widest = scenario.Workload
            .Select((step, index) => (Index: index, InFlight: Share(step.Copies ?? step.InFlightCap ?? 0, shard), Field: step.Copies is null ? "max_concurrency" : "copies"))
            .DefaultIfEmpty()
            .MaxBy(step => step.InFlight);
        if (widest.InFlight <= 0)
        {
            return null;
        }

        var check = Core.Hosting.DescriptorLimit.Ensure(Core.Hosting.DescriptorLimit.Needed(widest.InFlight, scenario.EffectiveTargets.Any(t => t.IsSimulator)));
        var problem = check.Problem(FormattableString.Invariant(
            $"{widest.InFlight:N0} requests in flight{(shard is null ? "" : $" (this shard's share of {shard.Count})")}{(scenario.EffectiveTargets.Any(t => t.IsSimulator) ? " with the simulator in this process" : "")}"));
        return problem is null ? null : new ConfigError(scenarioFile ?? "<scenario>", FormattableString.Invariant($"$.workload[{widest.Index}].{widest.Field}"), problem + " (nothing was sent).");

        static int Share(int inFlight, ShardSpec? shard) => shard is null ? inFlight : (inFlight + shard.Count - 1) / shard.Count;
    }

    /// <summary>The preflight (<see cref="Preflight"/>): its warnings on <paramref name="error"/>, and the exit code
    /// when the run must stop.</summary>
    private static async Task<(int? ExitCode, IReadOnlyList<string> Warnings)> RunPreflightAsync(Endpoint endpoint, string? apiKey, IReadOnlyList<string> models,
        TimeProvider time, TextWriter error, CancellationToken cancellationToken)
    {
        PreflightResult result;
        try
        {
            result = await Preflight.CheckAsync(endpoint, apiKey, models, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (ExitCodes.Interrupted, []);
        }

        var prefix = result.Verdict == PreflightVerdict.Proceed ? "warning: " : "bench run: ";
        foreach (var message in result.Messages)
        {
            await error.WriteLineAsync(prefix + message).ConfigureAwait(false);
        }

        return result.Verdict switch
        {
            PreflightVerdict.BadKey => (ExitCodes.BadInput, []),
            PreflightVerdict.Unreachable => (ExitCodes.MeasuredFailure, []),
            _ => (null, result.Messages),
        };
    }
}
