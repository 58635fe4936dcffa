using System.Net;
using Bench.Core.Client;
using Bench.Core.Configuration;
using Bench.Core.Planning;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Progress;
using Bench.Harness.Reporting;
using Bench.Load.Running;
using Bench.Report;
using Bench.Report.Terminal;
using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;

namespace Bench.Harness.Running;

/// <summary>
/// <c>bench run</c> from start to end: scenario → <see cref="Plan"/> → target (embedded simulator or a real endpoint)
/// → load → records → summary and report. Records are appended as requests complete; the summary is always rebuilt
/// from <c>records.jsonl</c>, so a live run and <c>bench report</c> agree by construction.
/// </summary>
public static class RunHarness
{
    /// <summary>Reads the scenario, plans it with the request's overrides, runs it and writes the results folder.</summary>
    /// <param name="request">The scenario, overrides, results folder and report settings.</param>
    /// <param name="output">Progress, the summary table and where the results went.</param>
    /// <param name="error">Why nothing ran (bad scenario, missing or bad profiles, API key or report settings).</param>
    /// <param name="cancellationToken">Ctrl-C: the run stops and reports the records completed so far.</param>
    /// <returns><see cref="ExitCodes.Success"/>, <see cref="ExitCodes.BadInput"/> (nothing sent: bad input, a
    /// non-empty <c>--out</c> without <c>--force</c>, a key that would travel in clear text, a key the preflight saw
    /// refused), <see cref="ExitCodes.MeasuredFailure"/> (the preflight could not connect to the endpoint) or
    /// <see cref="ExitCodes.Interrupted"/>, with the results folder.</returns>
    public static async Task<RunOutcome> RunAsync(RunRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(error);
        Plan plan;
        string scenarioFile;
        try
        {
            ReportPrices.Validate(request.Report);
            scenarioFile = ScenarioFiles.Locate(request.ScenarioPath);
            plan = Plan.Create(ScenarioLoader.Load(scenarioFile), request.Overrides, scenarioFile);
        }
        catch (Exception e) when (e is ConfigException or PricingException)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }

        return await RunAsync(plan, scenarioFile, request, output, error, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a plan read from <paramref name="scenarioFile"/> (simulator profiles are found beside it; the
    /// working directory when <see langword="null"/>); writes the results folder; returns where and how it ended.</summary>
    internal static async Task<RunOutcome> RunAsync(Plan plan, string? scenarioFile, RunRequest request, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var scenario = plan.Scenario;
        var time = request.TimeProvider;
        if (ResultsFolder.Check(request.OutputDirectory, request.Force) is { } refusal)
        {
            await error.WriteLineAsync(refusal).ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }

        string apiKey;
        Uri baseUrl;
        SimulatorHost? simulator = null;
        try
        {
            if (scenario.Target.IsSimulator)
            {
                var profiles = LoadProfiles(scenario, scenarioFile);
                apiKey = "sk-sim-" + Guid.NewGuid().ToString("N");
                simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Profiles = profiles, ApiKey = apiKey, Seed = scenario.Seed, TimeProvider = time }, cancellationToken).ConfigureAwait(false);
                baseUrl = simulator.BaseUrl;
            }
            else
            {
                ApiKeys.CheckTransport(scenarioFile, scenario.Target.BaseUrl!, request.AllowInsecureHttp);
                apiKey = ApiKeys.Read(scenario.Target);
                baseUrl = scenario.Target.BaseUrl!;
            }
        }
        catch (Exception e) when (e is ConfigException or DirectoryNotFoundException)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }

        await using var _ = simulator;
        var warnings = new List<string>();
        if (simulator is null && request.Preflight)
        {
            var checkedEndpoint = await RunPreflightAsync(baseUrl, apiKey, scenario.Models, time, error, cancellationToken).ConfigureAwait(false);
            if (checkedEndpoint.ExitCode is { } stop)
            {
                return new RunOutcome(stop, null);
            }

            warnings.AddRange(checkedEndpoint.Warnings);
        }

        if (request.Force && request.OutputDirectory is { } forced && ResultsFolder.StartAfresh(forced) is { Count: > 0 } kept)
        {
            await error.WriteLineAsync($"--force: started {forced} afresh; kept what Bench did not write: {string.Join(", ", kept)}").ConfigureAwait(false);
        }

        var clock = new RunClock(time);
        var started = time.GetUtcNow();
        var runId = $"{started:yyyyMMdd-HHmmss}-{scenario.Name}";
        var directory = ResultsDirectory.Create(request.OutputDirectory, runId);
        var (versions, machine) = RunInfo.Describe();
        var run = new RunInfo
        {
            RunId = runId,
            Scenario = scenario.Name,
            ScenarioFile = scenarioFile is null ? null : Path.GetRelativePath(Directory.GetCurrentDirectory(), scenarioFile),
            ScenarioJson = ScenarioWriter.ToJson(ApiKeys.Redacted(scenario)),
            Target = simulator is null ? BaseUrls.Redact(baseUrl) : $"embedded simulator ({baseUrl}), profiles calibrated to SEED-FIGURES.md",
            Warnings = warnings,
            Versions = versions,
            Machine = machine,
            StartedUtc = started,
            ClockOriginUtc = started,
            Report = request.Report,
        };
        ResultsDirectory.WriteRunInfo(directory, run);

        output.WriteLine($"Bench: {plan.Description}; target {(simulator is null ? BaseUrls.Redact(baseUrl) : "embedded simulator")}");

        var interrupted = false;
        using (var http = CreateHttpClient())
        {
            var client = new ChatClient(http, new Endpoint(baseUrl, apiKey), clock, new ChatClientOptions
            {
                Timeout = TimeSpan.FromSeconds(scenario.Request.TimeoutS),
                UseMaxCompletionTokens = scenario.Target.UseMaxCompletionTokens,
                Tokenizer = scenario.Target.Tokenizers.GetValueOrDefault("*"),
                ModelTokenizers = scenario.Target.Tokenizers,
            });
            var executor = new ChatExecutor(client, scenario.Request, scenario.Seed);
            var progress = new LiveProgress(output, _ => plan.ExpectedRequestsPerCell, time);
            await using var records = new RecordsWriter(Path.Combine(directory, ResultsDirectory.RecordsFile));
            var runner = new LoadRunner(executor, clock, records.Append, progress, scenario.Seed, scenario.Slos);
            try
            {
                await progress.RunAsync(() => runner.RunAsync(plan, cancellationToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                interrupted = true;
                output.WriteLine("Interrupted: reporting the records completed so far.");
            }
        }

        run.EndedUtc = interrupted ? null : time.GetUtcNow();
        ResultsDirectory.WriteRunInfo(directory, run);
        var report = ReportBuilder.Write(directory, run, ReportPrices.Catalog(run.Report));
        SummaryTable.Print(report, output);
        output.WriteLine();
        output.WriteLine($"Results: {Display(directory)}{Path.DirectorySeparatorChar}");
        return new RunOutcome(interrupted ? ExitCodes.Interrupted : ExitCodes.Success, directory);
    }

    /// <summary>A path relative to the working directory when it lies below it, else absolute.</summary>
    private static string Display(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    /// <summary>The preflight (<see cref="Preflight"/>): its warnings on <paramref name="error"/>, and the exit code
    /// when the run must stop.</summary>
    private static async Task<(int? ExitCode, IReadOnlyList<string> Warnings)> RunPreflightAsync(Uri baseUrl, string apiKey, IReadOnlyList<string> models,
        TimeProvider time, TextWriter error, CancellationToken cancellationToken)
    {
        PreflightResult result;
        try
        {
            result = await Preflight.CheckAsync(new Endpoint(baseUrl, apiKey), apiKey, models, time, cancellationToken).ConfigureAwait(false);
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

    private static IReadOnlyList<ModelProfile> LoadProfiles(Scenario scenario, string? scenarioFile)
    {
        var folder = ScenarioFiles.LocateProfiles(scenario.Target.Profiles, scenarioFile);
        var profiles = ProfileLoader.LoadDirectory(folder);
        var known = profiles.Select(p => p.Model).ToHashSet(StringComparer.Ordinal);
        var errors = scenario.Models
            .Select((m, i) => (m, i))
            .Where(x => !known.Contains(x.m))
            .Select(x => new ConfigError(scenarioFile ?? "<command line>", $"$.models[{x.i}]",
                $"the simulator has no profile for '{x.m}' in {folder}; profiles: {string.Join(", ", known.Order())}"))
            .ToList();
        return errors.Count > 0 ? throw new ConfigException(errors) : profiles;
    }

    private static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        // Enough connections for any concurrency; the load model, not the pool, limits what is in flight.
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
    })
    {
        // Per-request timeouts are the client's (classified as 'timeout'), not HttpClient's.
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
