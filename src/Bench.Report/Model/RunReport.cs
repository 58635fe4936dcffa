using Bench.Core.Batches;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Core.Thresholds;

namespace Bench.Report.Model;

/// <summary>
/// Everything a report shows, computed once from a run's summaries and never changed after: the cells with their cost,
/// verdicts (SLOs, schedule keeping), comparisons (streaming against non-streaming with its Mann–Whitney test), the
/// recommendation and the projection. Exporters (CSV, JSON, Markdown, HTML) and charts only format it.
/// </summary>
public sealed class RunReport
{
    /// <summary>The run's metadata (<c>run.json</c>).</summary>
    public required RunInfo Run { get; init; }

    /// <summary>One row per model × mode, in run order: each cell's summary and cost (what
    /// <see cref="MetricCatalog"/> reads).</summary>
    public required IReadOnlyList<CellResult> Cells { get; init; }

    /// <summary>Price catalogue layers used, in precedence order (e.g. "built-in (SEED-FIGURES.md), then LiteLLM").</summary>
    public required string PriceCatalog { get; init; }

    /// <summary>Records read; lines skipped as truncated or corrupt (a killed run's last line).</summary>
    public required RecordsReadResult Records { get; init; }

    /// <summary>What reading <c>batches.jsonl</c> found (records = batch jobs read; lines skipped as cut off or corrupt);
    /// null when the folder has no batch jobs.</summary>
    public RecordsReadResult? BatchesRead { get; init; }

    /// <summary>Warm-up records (recorded, excluded from statistics).</summary>
    public long WarmupRecords { get; init; }

    /// <summary>The run replicate by replicate (<c>bench run --repeat N</c>): per-replicate cells and the replicate-level
    /// statistics; null for a run without replicates.</summary>
    public ReplicateReport? Replicates { get; init; }

    /// <summary>Sweep curves, one per cell that ran a sweep step (empty otherwise).</summary>
    public IReadOnlyList<SweepCurve> Sweeps { get; init; } = [];

    /// <summary>The scenario's SLO sets.</summary>
    public IReadOnlyList<SloSet> Slos { get; init; } = [];

    /// <summary>Per model, whether streaming and non-streaming E2E differ beyond noise (models measured in both
    /// modes with enough successful requests).</summary>
    public IReadOnlyDictionary<string, ModeDifference> ModeDifferences { get; init; } = new Dictionary<string, ModeDifference>();

    /// <summary>Per model measured in both modes, in run order: streaming against non-streaming, with its verdict.</summary>
    public IReadOnlyList<ModeComparison> Comparisons { get; init; } = [];

    /// <summary>Every pair of targets that served the same model × mode × policy (<see cref="TargetComparison.Compare"/>),
    /// for the "Targets compared" section; empty for a single-target run.</summary>
    public IReadOnlyList<TargetComparison> TargetComparisons { get; init; } = [];

    /// <summary>Per open-load cell (one with <c>queue_ms</c>), in run order: how well the client kept the schedule.</summary>
    public IReadOnlyList<ScheduleVerdict> Schedule { get; init; } = [];

    /// <summary>The SLO set names judged in the cells, in declaration order (the SLO columns of <c>summary.csv</c>).</summary>
    public IReadOnlyList<string> SloNames => [.. Cells.SelectMany(c => c.Summary.Slos.Select(s => s.Name)).Distinct()];

    /// <summary>Whether the client machine, not the endpoint, limited the figures; null when there is nothing to judge
    /// (a results folder written before Bench measured itself, with no arrival dropped).</summary>
    public ClientVerdict? Client { get; init; }

    /// <summary>Per cell run under a resilience policy, in run order: what the policy did (success without → with,
    /// attempts, latency and cost of retries); empty when no cell had a policy.</summary>
    public IReadOnlyList<ResilienceVerdict> Resilience { get; init; } = [];
    /// <summary>What the embedded simulator injected against what Bench recorded, and the observed failure taxonomy
    /// against the declared one; null when the run had neither injections nor declared faults (a real endpoint, or a
    /// folder written before Bench injected faults).</summary>
    public FaultCheck? Faults { get; init; }

    /// <summary>Multi-turn sessions per cell and turn (<see cref="ConversationsBuilder"/>); empty when no record carries a
    /// turn.</summary>
    public IReadOnlyList<ConversationCell> Conversations { get; init; } = [];

    /// <summary>One recommendation per SLO set.</summary>
    public IReadOnlyList<Recommendation> Recommendations { get; init; } = [];

    /// <summary>The budget holder's plan (the executive summary): per traffic class the cheapest option shown to meet it
    /// at its monthly volume, the plan's total and its saving against the current setup; null when the scenario
    /// declares no SLO sets or no cell was measured.</summary>
    public BudgetPlan? Plan { get; init; }

    /// <summary>The run's targets that were the embedded simulator (<see cref="BudgetPlanBuilder.SimulatedTargets"/>,
    /// the one rule: run.json's <c>targets[].base_url</c> is <c>embedded simulator</c>, or for a run.json from before
    /// targets <c>run.target</c> starts with it), in run order: every figure of theirs is simulated, calibrated to
    /// published figures, not measured at a provider. Empty for a run against real endpoints only; set whether or not
    /// the scenario has SLO sets (a run without a plan still carries the banner).</summary>
    public IReadOnlyList<string> SimulatedTargets { get; init; } = [];

    /// <summary>True when any figure of the run comes from the embedded simulator.</summary>
    public bool Simulated => SimulatedTargets.Count > 0;

    /// <summary>The run's targets that were not the simulator (measured at a real endpoint), in run order; empty for a
    /// run.json written before targets.</summary>
    public IReadOnlyList<string> MeasuredTargets =>
        [.. (Run.Targets ?? []).Where(t => !string.Equals(t.BaseUrl, TargetInfo.EmbeddedSimulator, StringComparison.Ordinal)).Select(t => t.Name)];

    /// <summary>The run's token mix projected to a monthly volume.</summary>
    public required Projection Projection { get; init; }

    /// <summary>What prompt caching saved per cell at the stated monthly volume; null when no cell was billed cached or
    /// cache-write tokens.</summary>
    public PromptCaching? PromptCaching { get; init; }

    /// <summary>Per model measured in batch-api and a synchronous mode, in run order: its three ways to call side by
    /// side with the saving of batch; empty for a run without batch-api cells.</summary>
    public IReadOnlyList<CallModes> CallModes { get; init; } = [];

    /// <summary>One routing plan per <c>--mix</c> with a batch-api share: one budget against all-synchronous.</summary>
    public IReadOnlyList<RoutingPlan> Routing { get; init; } = [];

    /// <summary>Every threshold judged on every cell it selects (<see cref="ThresholdEvaluator"/>), in threshold order;
    /// empty when the run declared none.</summary>
    public IReadOnlyList<ThresholdResult> Thresholds { get; init; } = [];

    /// <summary>Intended against achieved lengths per cell (issue 15's prompt sources); empty when no record carried an
    /// intended length.</summary>
    public IReadOnlyList<LengthCheck> Lengths => LengthCheck.Of(Cells);

    /// <summary>True when a threshold failed or had no data: <c>bench run</c> and <c>bench report</c> exit 99.</summary>
    public bool ThresholdsFailed => Thresholds.Any(t => !t.Passed);

    /// <summary>Builds the report model from aggregated records and a price catalogue.</summary>
    /// <param name="run">The run's metadata.</param>
    /// <param name="aggregator">The measure phase's aggregates.</param>
    /// <param name="read">What reading <c>records.jsonl</c> found.</param>
    /// <param name="prices">The price catalogue.</param>
    /// <param name="slos">The scenario's SLO sets.</param>
    /// <param name="sweeps">Sweep curves.</param>
    /// <param name="modeDifferences">Per model, the streaming-against-non-streaming test (<see cref="ModeDifferenceTest"/>
    /// on the chart samples); none when omitted.</param>
    /// <param name="faults">The fault check (<see cref="FaultCheckBuilder"/>); none when omitted.</param>
    /// <param name="batches">The run's batch jobs (<c>batches.jsonl</c>), joined to the batch-api cells by model; none
    /// when omitted (a folder without batch-api cells).</param>
    /// <param name="batchesRead">What reading <c>batches.jsonl</c> found (skipped lines), or null.</param>
    /// <param name="replicates">The records per replicate (<see cref="ReplicateAggregator"/>), or null: gives
    /// <see cref="Replicates"/> when some record carries a replicate.</param>
    /// <param name="thresholds">The thresholds to judge on the cells (the scenario's and the command line's); none when
    /// omitted.</param>
    /// <param name="targetSamples">Per-request TTFT and E2E samples per cell (the chart samples), for
    /// <see cref="TargetComparisons"/>; none compared when omitted.</param>
    /// <param name="conversations">Multi-turn sessions per cell and turn; none when omitted.</param>
    /// <exception cref="PricingException">An FX rate or mix in <see cref="RunInfo.Report"/> is invalid (all listed), or a
    /// target's price file cannot be read.</exception>
    public static RunReport Build(RunInfo run, RunAggregator aggregator, RecordsReadResult read, PriceCatalog prices,
        IReadOnlyList<SloSet>? slos = null, IReadOnlyList<SweepCurve>? sweeps = null,
        IReadOnlyDictionary<string, ModeDifference>? modeDifferences = null, FaultCheck? faults = null, IReadOnlyList<BatchRecord>? batches = null, RecordsReadResult? batchesRead = null,
        ReplicateAggregator? replicates = null, IReadOnlyList<Threshold>? thresholds = null, ITargetSamples? targetSamples = null,
        IReadOnlyList<ConversationCell>? conversations = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(aggregator);
        ArgumentNullException.ThrowIfNull(prices);
        var billing = TargetBillingOf(run, prices);
        var cells = aggregator.Summarize().Select(s => CellResult.Create(s, prices, batches, billing)).ToList();
        var (fx, mixes) = ParseSettings(run.Report);
        modeDifferences ??= new Dictionary<string, ModeDifference>();
        var projection = Projection.Build(cells, run.Report.MonthlyRequests, fx, mixes);
        var recommendations = Recommendation.For(cells, slos ?? []);
        return new RunReport
        {
            Slos = slos ?? [],
            Recommendations = recommendations,
            Plan = BudgetPlanBuilder.Build(run, cells, recommendations, fx),
            Projection = projection,
            PromptCaching = Model.PromptCaching.For(cells, run.Report.MonthlyRequests),
            CallModes = Model.CallModes.For(cells, projection),
            Routing = RoutingPlan.For(cells, run.Report.MonthlyRequests, mixes),
            Run = run,
            SimulatedTargets = BudgetPlanBuilder.SimulatedTargets(run, cells),
            Cells = cells,
            PriceCatalog = prices.Description,
            Records = read,
            WarmupRecords = aggregator.WarmupRecords,
            Sweeps = sweeps ?? [],
            ModeDifferences = modeDifferences,
            Comparisons = ModeComparison.For(cells, modeDifferences),
            Schedule = ScheduleVerdict.For(cells),
            Client = ClientVerdict.For(run, cells),
            Resilience = ResilienceVerdict.For(cells, run.Resilience),
            Faults = faults,
            Conversations = conversations ?? [],
            BatchesRead = batchesRead is { Records: > 0 } or { Skipped: > 0 } ? batchesRead : null,
            Replicates = replicates is null ? null
                : ReplicateReport.Build(replicates, cells, prices, batches, run, [.. cells.SelectMany(c => c.Summary.Slos.Select(s => s.Name)).Distinct()], billing),
            Thresholds = ThresholdEvaluator.Evaluate(thresholds ?? [], cells),
            TargetComparisons = targetSamples is null ? [] : TargetComparison.Compare(cells, targetSamples),
        };
    }

    /// <summary>Each target's billing as run.json records it (<see cref="RunInfo.Targets"/>), with its price file read
    /// relative to the scenario file; empty for runs whose targets bill at list price in USD (or from before targets).</summary>
    /// <exception cref="PricingException">A target's price file cannot be read or is invalid.</exception>
    public static IReadOnlyDictionary<string, TargetPricing> TargetBillingOf(RunInfo run, PriceCatalog prices)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(prices);
        var billings = (run.Targets ?? []).Where(t => t.Billing is not null).ToDictionary(t => t.Name, t => t.Billing!, StringComparer.Ordinal);
        if (billings.Count == 0)
        {
            return new Dictionary<string, TargetPricing>();
        }

        try
        {
            return TargetPricing.ForTargets(billings, prices, run.ScenarioFile is { } file ? Path.GetDirectoryName(Path.GetFullPath(file)) : null);
        }
        catch (Core.Configuration.ConfigException e)
        {
            throw new PricingException($"a target's billing price_file: {e.Message}");
        }
    }

    /// <summary>Parses the FX rates and mixes of <paramref name="settings"/>, listing every invalid one.</summary>
    /// <exception cref="PricingException">Some rate or mix is invalid.</exception>
    public static (IReadOnlyList<FxRate> Fx, IReadOnlyList<ModelMix> Mixes) ParseSettings(ReportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new List<string>();
        var fx = new List<FxRate>();
        foreach (var text in settings.Fx)
        {
            if (FxRate.TryParse(text, out var rate, out var error))
            {
                fx.Add(rate);
            }
            else
            {
                errors.Add($"--fx {text}: {error}");
            }
        }

        var mixes = new List<ModelMix>();
        foreach (var text in settings.Mixes)
        {
            if (ModelMix.TryParse(text, out var mix, out var error))
            {
                mixes.Add(mix);
            }
            else
            {
                errors.Add($"--mix {text}: {error}");
            }
        }

        if (settings.MonthlyRequests <= 0)
        {
            errors.Add($"--monthly-requests must be positive (got {settings.MonthlyRequests})");
        }

        return errors.Count > 0 ? throw new PricingException(errors) : (fx, mixes);
    }
}
