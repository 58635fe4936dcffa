using System.Globalization;
using System.Net;
using System.Text.Json;
using Bench.Cli.Progress;
using Bench.Core.Client;
using Bench.Core.Configuration;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Load.Running;
using Bench.Report;
using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;

namespace Bench.Cli.Running;

/// <summary>
/// <c>bench run</c> from start to end: scenario → target (embedded simulator or a real endpoint) → load → records →
/// summary and report. Records are appended as requests complete; the summary is always rebuilt from
/// <c>records.jsonl</c>, so a live run and <c>bench report</c> agree by construction.
/// </summary>
internal static class RunPipeline
{
    /// <summary>Runs and returns the process exit code: 0 done, 1 failed, 2 bad input, 130 interrupted.</summary>
    public static async Task<int> ExecuteAsync(RunOptions options, CancellationToken cancellationToken, TextWriter? output = null)
    {
        output ??= Console.Out;
        Scenario scenario;
        string scenarioFile;
        try
        {
            scenarioFile = ScenarioResolver.Locate(options.ScenarioPath);
            scenario = ScenarioLoader.Load(scenarioFile);
            ScenarioResolver.Apply(scenario, options, scenarioFile);
        }
        catch (ConfigException e)
        {
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 2;
        }

        var result = await RunAsync(scenario, scenarioFile, options.OutputDirectory, output, cancellationToken, options.Report).ConfigureAwait(false);
        return result.ExitCode;
    }

    /// <summary>Runs a validated scenario; writes the results folder; returns where and how it ended.</summary>
    public static async Task<RunResult> RunAsync(Scenario scenario, string? scenarioFile, string? outputDirectory, TextWriter output,
        CancellationToken cancellationToken, ReportSettings? reportSettings = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(output);

        string apiKey;
        Uri baseUrl;
        SimulatorHost? simulator = null;
        try
        {
            if (scenario.Target.IsSimulator)
            {
                var profiles = LoadProfiles(scenario, scenarioFile);
                apiKey = "sk-sim-" + Guid.NewGuid().ToString("N");
                simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Profiles = profiles, ApiKey = apiKey, Seed = scenario.Seed }, cancellationToken).ConfigureAwait(false);
                baseUrl = simulator.BaseUrl;
            }
            else
            {
                apiKey = ApiKeys.Read(scenario.Target);
                baseUrl = scenario.Target.BaseUrl!;
            }
        }
        catch (ConfigException e)
        {
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return new RunResult(null, 2);
        }

        await using var _ = simulator;
        var clock = new RunClock();
        var started = DateTimeOffset.UtcNow;
        var runId = $"{started:yyyyMMdd-HHmmss}-{scenario.Name}";
        var directory = ResultsDirectory.Create(outputDirectory, runId);
        var (versions, machine) = RunInfo.Describe();
        var run = new RunInfo
        {
            RunId = runId,
            Scenario = scenario.Name,
            ScenarioFile = scenarioFile is null ? null : Path.GetRelativePath(Directory.GetCurrentDirectory(), scenarioFile),
            ScenarioJson = ScenarioWriter.ToJson(scenario),
            Target = simulator is null ? baseUrl.ToString() : $"embedded simulator ({baseUrl}), profiles calibrated to SEED-FIGURES.md",
            Versions = versions,
            Machine = machine,
            StartedUtc = started,
            ClockOriginUtc = started,
            Report = reportSettings ?? new ReportSettings(),
        };
        ResultsDirectory.WriteRunInfo(directory, run);

        var cells = ScenarioResolver.Cells(scenario);
        output.WriteLine($"Bench: {scenario.Name} — {cells.Count} cells ({string.Join(", ", scenario.Models)} × {ScenarioResolver.Modes(scenario)}); {ScenarioResolver.Describe(scenario)}; prompt {scenario.Request.PromptTokens} tokens, max_tokens {scenario.Request.MaxTokens}; target {(simulator is null ? baseUrl : "embedded simulator")}");

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
            var expected = ScenarioResolver.ExpectedRequests(scenario);
            var progress = new ConsoleProgress(_ => expected);
            await using var records = new RecordsWriter(Path.Combine(directory, ResultsDirectory.RecordsFile));
            var runner = new LoadRunner(executor, clock, records.Append, progress, scenario.Seed, scenario.Slos);
            try
            {
                await progress.RunAsync(() => runner.RunAsync(cells, scenario.Workload, cancellationToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                interrupted = true;
                output.WriteLine("Interrupted: reporting the records completed so far.");
            }
        }

        run.EndedUtc = interrupted ? null : DateTimeOffset.UtcNow;
        ResultsDirectory.WriteRunInfo(directory, run);
        var report = ReportBuilder.Write(directory, run, Commands.ReportOptions.Catalog(run.Report));
        SummaryTable.Print(report, output);
        output.WriteLine();
        output.WriteLine($"Results: {Display(directory)}{Path.DirectorySeparatorChar}");
        return new RunResult(directory, interrupted ? 130 : 0);
    }

    /// <summary>A path relative to the working directory when it lies below it, else absolute.</summary>
    private static string Display(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    private static IReadOnlyList<ModelProfile> LoadProfiles(Scenario scenario, string? scenarioFile)
    {
        var baseDirectory = scenarioFile is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(scenarioFile))!;
        var folder = Path.Combine(baseDirectory, scenario.Target.Profiles);
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

/// <summary>Where a run's results went and how the process should exit.</summary>
/// <param name="Directory">The results folder, or null when the run could not start.</param>
/// <param name="ExitCode">0 done, 2 bad input, 130 interrupted.</param>
internal sealed record RunResult(string? Directory, int ExitCode);
