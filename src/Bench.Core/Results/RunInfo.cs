using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Bench.Core.Results;

/// <summary>
/// <c>run.json</c>: what was run, with what, where and when. Written at the start of a run and rewritten at its end.
/// </summary>
public sealed class RunInfo
{
    /// <summary>Run id, also the results folder name: <c>yyyyMMdd-HHmmss-&lt;scenario&gt;</c>.</summary>
    public string RunId { get; set; } = "";

    /// <summary>Scenario name.</summary>
    public string Scenario { get; set; } = "";

    /// <summary>The scenario file the run came from, if any.</summary>
    public string? ScenarioFile { get; set; }

    /// <summary>The effective scenario (after command-line overrides), as JSON.</summary>
    public JsonElement? ScenarioJson { get; set; }

    /// <summary>Where requests went: <c>simulator</c> or the endpoint's base URL (never the key).</summary>
    public string Target { get; set; } = "";

    /// <summary>The run's targets (<c>targets</c>), in the scenario's order: name, protocol, where requests went, the
    /// simulator's added latency, billing. Null in run.json from before targets (<see cref="Target"/> alone).</summary>
    public List<TargetInfo>? Targets { get; set; }

    /// <summary>Versions of Bench and the runtime.</summary>
    public Dictionary<string, string> Versions { get; set; } = [];

    /// <summary>The machine: OS, architecture, logical cores, memory.</summary>
    public Dictionary<string, string> Machine { get; set; } = [];

    /// <summary>Start, UTC.</summary>
    public DateTimeOffset StartedUtc { get; set; }

    /// <summary>End, UTC, when the plan ran to its end; null while running, when the run was stopped early (see
    /// <see cref="Interrupted"/>) or when the process was killed.</summary>
    public DateTimeOffset? EndedUtc { get; set; }

    /// <summary>Why the run stopped before its plan ended, or null when it ran to the end (and in run.json files
    /// written before it existed). <see cref="InterruptReasons"/> holds the values: <c>SIGINT</c>, <c>SIGTERM</c>,
    /// <c>cancelled</c> (an in-process caller cancelled the run), <c>api_key_refused</c> (the endpoint refused the
    /// key on the first requests) and <c>threshold_abort</c> (an <c>abort_on_fail</c> threshold failed). Records completed before the stop are kept and reported.</summary>
    public string? Interrupted { get; set; }

    /// <summary>When <see cref="Interrupted"/> is set: the cells the stop cut short or kept from starting, in plan
    /// order, each as <c>model mode</c> (<c>gpt-4.1 streaming</c>); empty when every cell had finished.</summary>
    public List<string>? PartialCells { get; set; }

    /// <summary>Replicates the plan ran (<c>bench run --repeat N</c>, N &gt; 1); null (absent) without replicates.</summary>
    public int? Repeat { get; set; }

    /// <summary>The slice of the plan this run was (<c>bench run --shard I/N</c>), or, for a folder written by
    /// <c>bench merge</c>, the shards merged; null (absent) for an unsharded run.</summary>
    public ShardInfo? Shard { get; set; }

    /// <summary>When <see cref="Interrupted"/> is set in a run with replicates: the replicates whose every synchronous
    /// cell ran to its end, in order (empty when none did); null otherwise.</summary>
    public List<int>? CompleteReplicates { get; set; }

    /// <summary>When <see cref="Interrupted"/> is set in a run with replicates: the replicate and cell running at the
    /// stop (or the next to start, when the stop fell between cells); null otherwise.</summary>
    public ReplicatePosition? InterruptedAt { get; set; }

    /// <summary>Stopwatch frequency and the wall-clock time of the run clock's origin, so record times
    /// (ms since origin) can be placed on a calendar.</summary>
    public DateTimeOffset ClockOriginUtc { get; set; }

    /// <summary>What Bench warned about before the run (e.g. the preflight's: a requested model the endpoint does not
    /// list, a base URL that seems to lack <c>/v1</c>); empty when nothing. Also printed on stderr.</summary>
    public List<string> Warnings { get; set; } = [];

    /// <summary>The resilience policies the run used (the scenario's <c>resilience</c>, or the one <c>--retries</c>
    /// made), in plan order, so the report can say which policy was used in words; empty for none (every request one
    /// attempt, the raw endpoint) and in run.json files written before policies existed.</summary>
    public List<Resilience.ResiliencePolicy> Resilience { get; set; } = [];

    /// <summary>Cost projection settings for the report.</summary>
    public ReportSettings Report { get; set; } = new();

    /// <summary>How hard the client machine worked during the load (its samples are in <c>client.csv</c>); null when
    /// not measured (a run that never started its load, or a folder written before Bench measured it).</summary>
    public ClientSaturation? Client { get; set; }

    /// <summary>The faults in force on the embedded simulator, one entry per model (its profile's rules, then the
    /// scenario's that apply to it, and the RPM/TPM limits), so the report can set what was observed against what was
    /// declared; null for a real endpoint, a run without faults, and folders written before Bench injected faults.</summary>
    public List<DeclaredFaults>? Faults { get; set; }

    /// <summary>The fault-clock epoch each cell ran in (the embedded simulator starts one at each cell, so every cell
    /// meets the same windows and fresh rate-limit buckets): joins an injection without a request id (a refused
    /// connection) to its cell. Null when the run had no simulator.</summary>
    public List<CellEpoch>? FaultEpochs { get; set; }

    /// <summary>Every batch job of the run's <c>batch-api</c> cells, written to run.json as soon as its input file or its
    /// batch exists (so a killed run can be resumed without submitting a line twice: <c>bench run --resume DIR</c>);
    /// null when the run has no batch-api cell.</summary>
    public List<BatchSubmission>? Batches { get; set; }

    /// <summary>Describes this machine and process.</summary>
    public static (Dictionary<string, string> Versions, Dictionary<string, string> Machine) Describe()
    {
        var bench = typeof(RunInfo).Assembly.GetName().Version?.ToString() ?? "0.0.0";
        var versions = new Dictionary<string, string>
        {
            ["bench"] = bench,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            // A Debug build measures itself slower: say which one produced the figures.
            ["build"] = typeof(RunInfo).Assembly.GetCustomAttribute<System.Diagnostics.DebuggableAttribute>()?.IsJITOptimizerDisabled == true ? "Debug" : "Release",
        };
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var machine = new Dictionary<string, string>
        {
            ["os"] = RuntimeInformation.OSDescription,
            ["arch"] = RuntimeInformation.OSArchitecture.ToString(),
            ["logical_cores"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["memory_gib"] = (memory / (1024.0 * 1024 * 1024)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
            ["machine_name"] = Environment.MachineName,
        };
        return (versions, machine);
    }
}

/// <summary>The values of <see cref="RunInfo.Interrupted"/>: why a run stopped before its plan ended.</summary>
public static class InterruptReasons
{
    /// <summary>Ctrl-C or <c>kill -INT</c>.</summary>
    public const string Sigint = "SIGINT";

    /// <summary><c>kill</c> (SIGTERM), as a service manager or container runtime stops a process.</summary>
    public const string Sigterm = "SIGTERM";

    /// <summary>An in-process caller cancelled the run (a library user's cancellation token).</summary>
    public const string Cancelled = "cancelled";

    /// <summary>The endpoint answered the first requests with HTTP 401 or 403: the key was refused, so the run stopped
    /// instead of spending the whole plan on refusals.</summary>
    public const string ApiKeyRefused = "api_key_refused";

    /// <summary>A threshold with <c>abort_on_fail</c> failed on a cell that had finished, so no later cell started
    /// (k6's <c>abortOnFail</c>); the run exits 99.</summary>
    public const string ThresholdAbort = "threshold_abort";
}

/// <summary>The faults declared for one model of a run on the embedded simulator (<see cref="RunInfo.Faults"/>).</summary>
public sealed class DeclaredFaults
{
    /// <summary>The model.</summary>
    public string Model { get; set; } = "";

    /// <summary>Its rules in the simulator's order (the profile's first, then the scenario's that apply to the model),
    /// so the index of a rule is the <c>rule N</c> of an injection's <see cref="Faults.InjectionRecord.Cause"/>.</summary>
    public List<Faults.FaultRule> Rules { get; set; } = [];

    /// <summary>The RPM/TPM limits its buckets enforce (the scenario's, else the profile's); null for none.</summary>
    public Faults.RateLimitSpec? RateLimits { get; set; }
}

/// <summary>A shard's place in a sharded run (<see cref="RunInfo.Shard"/>, issue 16).</summary>
public sealed class ShardInfo
{
    /// <summary>This shard, 1..<see cref="Count"/>; null in a merged folder.</summary>
    public int? Index { get; set; }

    /// <summary>How many shards the plan was split into.</summary>
    public int Count { get; set; }

    /// <summary>The shared start (<c>--start-at</c>), UTC, or null when none was given.</summary>
    public DateTimeOffset? StartAtUtc { get; set; }

    /// <summary>How late this shard's first step started against <see cref="StartAtUtc"/>, in ms by this host's clock
    /// (negative: early); null without a shared start.</summary>
    public double? StartLatenessMs { get; set; }

    /// <summary>This host's clock against the others', as well as Bench could tell (ms; positive: ahead), or null
    /// when it could not.</summary>
    public double? ClockOffsetMs { get; set; }

    /// <summary>How <see cref="ClockOffsetMs"/> was found and how far to trust it, in words.</summary>
    public string? ClockNote { get; set; }

    /// <summary>A merged folder: the shards merged, 1..N, each found and read.</summary>
    public List<int>? Merged { get; set; }

    /// <summary>A merged folder: the shards missing or failed, each with why (<c>3: no run.json in shard-3</c>).</summary>
    public List<string>? Missing { get; set; }

    /// <summary>A merged folder: how request ids were made unique, when two shards had used the same id (ids are kept
    /// as they were when every id was unique across shards); null when kept.</summary>
    public string? IdRule { get; set; }

    /// <summary>A merged folder: each shard merged, as its own run.json described it (run id, times, clock shift,
    /// client saturation), in shard order; null otherwise.</summary>
    public List<MergedShard>? Shards { get; set; }
}

/// <summary>One shard of a merged folder (<see cref="ShardInfo.Shards"/>), as <c>bench merge</c> read it.</summary>
public sealed class MergedShard
{
    /// <summary>The shard, 1..N.</summary>
    public int Index { get; set; }

    /// <summary>The folder it was read from, as given.</summary>
    public string Folder { get; set; } = "";

    /// <summary>Its run id.</summary>
    public string RunId { get; set; } = "";

    /// <summary>The machine it ran on (<c>machine_name</c>), when known.</summary>
    public string? Machine { get; set; }

    /// <summary>Its start, UTC (its own clock).</summary>
    public DateTimeOffset StartedUtc { get; set; }

    /// <summary>Its end, UTC (its own clock); null when it did not finish.</summary>
    public DateTimeOffset? EndedUtc { get; set; }

    /// <summary>Why it stopped early (<see cref="RunInfo.Interrupted"/>), or null.</summary>
    public string? Interrupted { get; set; }

    /// <summary>Its records merged.</summary>
    public long Records { get; set; }

    /// <summary>Lines of its records.jsonl that were not records (skipped).</summary>
    public long SkippedLines { get; set; }

    /// <summary>Milliseconds added to each of its run-clock times to place them on the merged clock: its clock origin
    /// (corrected by <see cref="ClockOffsetMs"/>) minus the earliest shard's.</summary>
    public double ShiftMs { get; set; }

    /// <summary>Its clock against the others' (its run.json's <c>shard.clock_offset_ms</c>), ms, when known.</summary>
    public double? ClockOffsetMs { get; set; }

    /// <summary>How hard its client machine worked (its run.json's <c>client</c>); null when not measured.</summary>
    public ClientSaturation? Client { get; set; }
}

/// <summary>A cell of one replicate (<see cref="RunInfo.InterruptedAt"/>).</summary>
public sealed class ReplicatePosition
{
    /// <summary>The cell's target; null in run.json from before targets.</summary>
    public string? Target { get; set; }

    /// <summary>The replicate, 1..N.</summary>
    public int Replicate { get; set; }

    /// <summary>The cell's model.</summary>
    public string Model { get; set; } = "";

    /// <summary>The cell's mode.</summary>
    public Records.Mode Mode { get; set; }

    /// <summary>The cell's resilience policy; null for none.</summary>
    public string? Policy { get; set; }
}

/// <summary>One target of a run as run.json keeps it (<see cref="RunInfo.Targets"/>); never its key.</summary>
public sealed class TargetInfo
{
    /// <summary>The target's name (<c>target</c> of its records and cells).</summary>
    public string Name { get; set; } = "";

    /// <summary>Its wire protocol's name (<c>openai-chat</c>, <c>openai-responses</c>, <c>anthropic-messages</c>,
    /// <c>gemini</c>).</summary>
    public string Protocol { get; set; } = "openai-chat";

    /// <summary><see cref="BaseUrl"/> of a target served by the embedded simulator (and the start of
    /// <see cref="RunInfo.Target"/> in a run.json written before targets): what the run writes and the report reads to
    /// tell a simulated target from a measured one.</summary>
    public const string EmbeddedSimulator = "embedded simulator";

    /// <summary>Its base URL, redacted (<see cref="Client.BaseUrls.Redact"/>), or <see cref="EmbeddedSimulator"/>.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>The simulator's added latency in milliseconds (a relay stand-in); null for none.</summary>
    public double? AddedLatencyMs { get; set; }

    /// <summary>True for a keyless target (no key sent); null otherwise.</summary>
    public bool? Keyless { get; set; }

    /// <summary>How it bills; null: list prices in USD.</summary>
    public Pricing.TargetBilling? Billing { get; set; }
}

/// <summary>The fault-clock epoch a cell ran in (<see cref="RunInfo.FaultEpochs"/>).</summary>
public sealed class CellEpoch
{
    /// <summary>The cell's target; null in run.json from before targets. Every simulator target begins an epoch at each
    /// cell's start, so an epoch number means the same cell on every simulator.</summary>
    public string? Target { get; set; }

    /// <summary>The cell's model.</summary>
    public string Model { get; set; } = "";

    /// <summary>The cell's mode.</summary>
    public Records.Mode Mode { get; set; }

    /// <summary>The cell's resilience policy; null for none.</summary>
    public string? Policy { get; set; }

    /// <summary>The replicate the cell ran in (1..N, <c>--repeat N</c>); null without replicates. Every cell of every
    /// replicate starts its own epoch, so each replicate meets the same fault windows.</summary>
    public int? Replicate { get; set; }

    /// <summary>The epoch (<see cref="Faults.InjectionRecord.Epoch"/>).</summary>
    public int Epoch { get; set; }
}

/// <summary>A batch-api cell's submission as run.json keeps it: enough to find the job again after a crash.</summary>
public sealed class BatchSubmission
{
    /// <summary>The cell's model.</summary>
    public string Model { get; set; } = "";

    /// <summary>Lines in the input file.</summary>
    public int Lines { get; set; }

    /// <summary>The request id of the input file's first line (its lines are <c>first_id</c> … <c>first_id + lines −
    /// 1</c>, custom_id <c>bench-{id}</c>): a resumed run joins the output to them. Null in a run.json written before
    /// it existed.</summary>
    public long? FirstId { get; set; }

    /// <summary>The uploaded input file, once the upload returned.</summary>
    public string? InputFileId { get; set; }

    /// <summary>The batch, once its creation returned.</summary>
    public string? BatchId { get; set; }

    /// <summary>The last status Bench saw (<see cref="Batches.BatchStatuses"/>), or null before creation.</summary>
    public string? Status { get; set; }

    /// <summary>True once the batch's lines are in records.jsonl and its record in batches.jsonl: a resumed run leaves
    /// it alone.</summary>
    public bool Collected { get; set; }
}
