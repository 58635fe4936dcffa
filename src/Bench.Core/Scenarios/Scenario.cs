using Bench.Core.Records;

namespace Bench.Core.Scenarios;

/// <summary>
/// A load scenario (<c>scenarios/*.json</c>): where to send requests, which models and modes, what each request
/// looks like, the workload steps that decide when requests are sent, the SLOs results are judged against, and the
/// seed. Read with <see cref="ScenarioLoader"/>, which validates every field.
/// </summary>
public sealed class Scenario
{
    /// <summary>Name, used in the results folder name (<c>[a-z0-9._-]</c>).</summary>
    public string Name { get; set; } = "scenario";

    /// <summary>What the scenario is for, in one sentence.</summary>
    public string? Description { get; set; }

    /// <summary>Where requests go.</summary>
    public TargetSpec Target { get; set; } = new();

    /// <summary>Model ids, in report order.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>Modes, in report order.</summary>
    public List<Mode> Modes { get; set; } = [Mode.Streaming, Mode.NonStreaming];

    /// <summary>Shape of every request.</summary>
    public RequestShape Request { get; set; } = new();

    /// <summary>Workload steps, run in sequence for each cell (model × mode).</summary>
    public List<WorkloadStep> Workload { get; set; } = [];

    /// <summary>Named SLO sets results are judged against (goodput, recommendation).</summary>
    public List<SloSet> Slos { get; set; } = [];

    /// <summary>Seed for prompts, request seeds and the simulator: the same seed reproduces the same run.</summary>
    public int Seed { get; set; } = 42;
}

/// <summary>Where requests go: the embedded simulator, or an OpenAI-compatible base URL with a key from the
/// environment or a file.</summary>
public sealed class TargetSpec
{
    /// <summary>True for the embedded simulator (the default); false when <see cref="BaseUrl"/> is set.</summary>
    public bool IsSimulator => BaseUrl is null;

    /// <summary>Base URL of a real endpoint, e.g. <c>https://api.openai.com/v1/</c>; null for the simulator.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Name of the environment variable holding the API key (default <c>OPENAI_API_KEY</c>).</summary>
    public string ApiKeyEnv { get; set; } = "OPENAI_API_KEY";

    /// <summary>A file holding the API key (first line), instead of an environment variable.</summary>
    public string? ApiKeyFile { get; set; }

    /// <summary>Simulator profiles folder, relative to the scenario file (default <c>profiles</c>).</summary>
    public string Profiles { get; set; } = "profiles";

    /// <summary>Send <c>max_completion_tokens</c> instead of <c>max_tokens</c> (newer OpenAI models require it).</summary>
    public bool UseMaxCompletionTokens { get; set; }

    /// <summary>The local tokenizer per model: model id → <c>o200k_base</c>, <c>cl100k_base</c> or <c>none</c>; the key
    /// <c>*</c> covers every model not named. A model not covered counts with its family's encoding
    /// (<see cref="Tokens.TokenEncodings.ForModel"/>). Empty by default. Written in a scenario as <c>"tokenizer":
    /// "cl100k_base"</c> (every model) or <c>"tokenizer": {"my-llama": "cl100k_base", "*": "none"}</c>.</summary>
    public Dictionary<string, string> Tokenizers { get; set; } = [];
}

/// <summary>What each request looks like.</summary>
public sealed class RequestShape
{
    /// <summary>Prompt size in tokens (synthetic words; see <see cref="Text.SyntheticText"/>).</summary>
    public int PromptTokens { get; set; } = 100;

    /// <summary>Optional system prompt, sent before the user prompt.</summary>
    public string? SystemPrompt { get; set; }

    /// <summary><c>max_tokens</c> for each request.</summary>
    public int MaxTokens { get; set; } = 200;

    /// <summary>Per-request timeout in seconds; a request still running then ends as <c>timeout</c>.</summary>
    public double TimeoutS { get; set; } = 120;
}

/// <summary>Workload step kinds, in NBomber's vocabulary.</summary>
public enum StepKind
{
    /// <summary>Closed: keep <c>copies</c> requests in flight for a duration.</summary>
    KeepConstant,
    /// <summary>Closed: ramp the number in flight linearly to <c>copies</c> over a duration.</summary>
    RampingConstant,
    /// <summary>Closed: <c>copies</c> in flight until <c>iterations</c> requests in total have completed.</summary>
    IterationsForConstant,
    /// <summary>Open: <c>rate</c> requests per <c>interval</c>, evenly spaced, for a duration.</summary>
    Inject,
    /// <summary>Open: ramp the rate linearly to <c>rate</c> per <c>interval</c> over a duration.</summary>
    RampingInject,
    /// <summary>Open: exponential inter-arrival times at <c>rate</c> per second, for a duration or a count.</summary>
    Poisson,
    /// <summary>Open: <c>rate</c> per <c>interval</c>, evenly spaced, until <c>iterations</c> requests have been sent.</summary>
    IterationsForInject,
    /// <summary>Send nothing for a duration.</summary>
    Pause,
    /// <summary>Search for the highest rate whose goodput meets the SLOs.</summary>
    Sweep,
}

/// <summary>One workload step. Which fields apply depends on <see cref="Kind"/>; the loader checks them.</summary>
public sealed class WorkloadStep
{
    /// <summary>The step kind.</summary>
    public StepKind Kind { get; set; }

    /// <summary>Requests in flight (closed steps).</summary>
    public int? Copies { get; set; }

    /// <summary>Requests in total (iteration steps).</summary>
    public int? Iterations { get; set; }

    /// <summary>Duration (duration steps).</summary>
    public TimeSpan? Duration { get; set; }

    /// <summary>Requests per <see cref="Interval"/> (open steps); for poisson, per second.</summary>
    public double? Rate { get; set; }

    /// <summary>The interval a rate is counted over (default 1 s).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Open steps: the most requests in flight at once; a request due when the cap is reached waits, and
    /// its wait shows as <c>queue_ms</c>. Null: no cap.</summary>
    public int? MaxConcurrency { get; set; }

    /// <summary>Records of this step get phase <c>warmup</c> and are excluded from statistics.</summary>
    public bool Warmup { get; set; }

    /// <summary>Sweep: the first rate tried (requests/s).</summary>
    public double? StartRate { get; set; }

    /// <summary>Sweep: the highest rate tried (requests/s).</summary>
    public double? MaxRate { get; set; }

    /// <summary>Sweep: stop bisecting when the bracket is narrower than this fraction of the rate (default 0.1).</summary>
    public double Precision { get; set; } = 0.1;

    /// <summary>Sweep: the SLO set whose goodput decides (default: the first).</summary>
    public string? Slo { get; set; }
}

/// <summary>
/// A named set of SLOs. Each threshold is applied per request (a request is "good" when it succeeded and met every
/// threshold); the set is met when at least <see cref="Percentile"/> % of attempted requests were good — for a single
/// latency threshold this is the same as "the metric's p<see cref="Percentile"/> is within the threshold".
/// </summary>
public sealed class SloSet
{
    /// <summary>Name, e.g. <c>interactive</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Upper bounds in milliseconds per metric id (<c>ttft_ms</c>, <c>tpot_ms</c>, <c>e2e_ms</c>, ...).</summary>
    public Dictionary<string, double> MaxMs { get; set; } = [];

    /// <summary>Share of requests that must be good for the set to be met, in percent (default 95).</summary>
    public double Percentile { get; set; } = 95;

    /// <summary>Lowest acceptable success rate, 0..1, or null.</summary>
    public double? MinSuccessRate { get; set; }
}
