using Bench.Core.Configuration;
using Bench.Core.Planning;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Reporting;

namespace Bench.Harness.Running;

/// <summary><c>bench run --resume DIR</c>: the run of a results folder picked up where it stopped.</summary>
public static partial class RunHarness
{
    /// <summary>
    /// Resumes the run in <see cref="RunRequest.ResumeDirectory"/>: its scenario is run.json's <c>scenario_json</c> (only
    /// the batch flags and the key flags of the command line apply); every batch-api cell is collected without a line
    /// submitted twice (collected → left alone; batch id known → polled and collected; only the input file id → a batch
    /// listed with the cell's metadata is adopted, else one is created from that file; nothing → listed by metadata,
    /// else uploaded and created); synchronous cells with records are not rerun (one cut short stays listed in
    /// <c>partial_cells</c>), cells never started run now. Request ids continue after the highest in records.jsonl;
    /// records are appended and the report is rebuilt from all of them. Against the embedded simulator a batch of the
    /// first process cannot be found again: its cell says so and nothing is resubmitted.
    /// </summary>
    private static async Task<RunOutcome> ResumeAsync(RunRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var directory = request.ResumeDirectory!;
        var runFile = Path.Combine(directory, ResultsDirectory.RunFile);
        RunInfo? run;
        try
        {
            run = File.Exists(runFile) ? ResultsDirectory.ReadRunInfo(directory) : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException)
        {
            run = null;
        }

        if (run?.ScenarioJson is not { ValueKind: System.Text.Json.JsonValueKind.Object } scenarioJson)
        {
            await error.WriteLineAsync($"{runFile}: --resume: not a Bench results folder with its scenario (run.json's scenario_json)").ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }

        if (request.Overrides.Shard is { } shard)
        {
            await error.WriteLineAsync($"--shard {shard}: cannot be combined with --resume: a resumed run continues the folder's own plan (a shard is not resumed; rerun it with --shard into a new folder)").ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }

        if (run.Shard is { Index: { } index } shardOf)
        {
            // Its arrivals and ids are a slice the resumed process would not continue where the cut left them.
            await error.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{runFile}: --resume: shard {index}/{shardOf.Count} of a sharded run is not resumed; rerun it with --shard {index}/{shardOf.Count} into a new folder (bench merge takes that folder in its place)")).ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }

        Plan plan;
        try
        {
            ReportPrices.Validate(request.Report);
            var scenario = ScenarioLoader.Parse(scenarioJson.GetRawText(), runFile + " (scenario_json)");
            // scenario_json does not carry the resilience policies; run.json keeps them beside it.
            scenario = run.Resilience is { Count: > 0 } policies ? scenario with { Resilience = [.. policies] } : scenario;
            var overrides = new PlanOverrides
            {
                BatchPollIntervalS = request.Overrides.BatchPollIntervalS,
                BatchTimeoutS = request.Overrides.BatchTimeoutS,
                BatchOnTimeout = request.Overrides.BatchOnTimeout,
                ApiKeyEnv = request.Overrides.ApiKeyEnv,
                ApiKeyFile = request.Overrides.ApiKeyFile,
            };
            plan = Plan.Create(scenario, overrides, runFile);
            ReportPrices.CheckCurrent(request.Report, plan);
        }
        catch (Exception e) when (e is ConfigException or PricingException)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }

        long maxId = -1;
        var started = new HashSet<string>(StringComparer.Ordinal);
        var recordsPath = Path.Combine(directory, ResultsDirectory.RecordsFile);
        if (File.Exists(recordsPath))
        {
            RecordsReader.Read(recordsPath, r =>
            {
                maxId = Math.Max(maxId, r.Id);
                // A cell whose only records are cancelled or dropped never had a request answered: it runs again.
                if (r.Mode != Mode.BatchApi && r.Outcome.IsAttempt())
                {
                    // Records from before targets name none: they are the single target's.
                    started.Add(ReplicateTracker.Key(r.Target ?? (plan.Targets.Count == 1 ? plan.Targets[0] : null), r.Model, r.Mode, r.Policy, r.Replicate));
                }
            });
        }

        // A cell cut short stays as it was; a cell listed partial because it never started runs now.
        var partialBefore = (run.PartialCells ?? []).Where(started.Contains).ToList();
        output.WriteLine($"Resuming {Display(directory)}: {started.Count} synchronous cell(s) already measured, "
            + $"{run.Batches?.Count(b => !b.Collected) ?? 0} batch(es) to collect; request ids continue from {maxId + 1}.");
        var resume = new ResumeState(directory, run, maxId + 1, started, partialBefore);
        var scenarioFile = run.ScenarioFile is { } relative && File.Exists(relative) ? relative : null;
        return await RunAsync(plan, scenarioFile, request with { Force = false }, output, error, cancellationToken, resume).ConfigureAwait(false);
    }
}

/// <summary>What a resumed run carries over from its folder.</summary>
/// <param name="Directory">The results folder.</param>
/// <param name="Run">Its run.json (updated in place and rewritten).</param>
/// <param name="NextId">The first free request id (after the highest in records.jsonl).</param>
/// <param name="Started">Synchronous cells with records (<see cref="ReplicateTracker.Key"/>: <c>model mode [policy]
/// [replicate r]</c>): not rerun.</param>
/// <param name="PartialBefore">Cells an earlier process cut short: they stay partial.</param>
internal sealed record ResumeState(string Directory, RunInfo Run, long NextId, IReadOnlySet<string> Started, IReadOnlyList<string> PartialBefore);
