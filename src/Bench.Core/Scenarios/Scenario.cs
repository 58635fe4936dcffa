using System.Collections.ObjectModel;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bench.Core.Configuration;
using Bench.Core.Faults;
using Bench.Core.Metrics;
using Bench.Core.Pricing;
using Bench.Core.Records;
using Bench.Core.Resilience;
using Bench.Core.Thresholds;
using Bench.Core.Wire;

namespace Bench.Core.Scenarios;

/// <summary>
/// A load scenario (<c>scenarios/*.json</c>): where to send requests, which models and modes, what each request
/// looks like, the workload steps that decide when requests are sent, the SLOs results are judged against, and the
/// seed. Read with <see cref="ScenarioLoader"/>, which validates every field: each property is a file field (its JSON
/// name the snake_case of the property's), its attributes are its rules, and <see cref="Validate"/> holds the rules
/// across fields.
/// </summary>
/// <remarks>Immutable, like every type it holds: properties are <c>init</c>-only and each collection is copied into a
/// read-only one when set, so a scenario cannot change after it is built (a list the caller passed in and changes later
/// does not change it either). A changed scenario is a new one: <c>scenario with { Seed = 7 }</c>
/// (<see cref="Planning.Plan.Create"/> applies the command line's overrides that way).</remarks>
public sealed record Scenario : IConfigValidatable
{
    private const string NameRule = "use letters, digits, '-', '_' or '.' (it names the results folder)";

    /// <summary>Name, used in the results folder name (<c>[A-Za-z0-9._-]</c>).</summary>
    [MinLength(1, ErrorMessage = NameRule)]
    [RegularExpression("^[A-Za-z0-9._-]+$", ErrorMessage = NameRule)]
    public string Name { get; init; } = "scenario";

    /// <summary>What the scenario is for, in one sentence.</summary>
    public string? Description { get; init; }

    /// <summary>Where requests go, when the scenario has one target (the embedded simulator by default). A file gives
    /// this or <see cref="Targets"/>, not both.</summary>
    public TargetSpec Target { get; init; } = new();

    /// <summary>Several targets measured in one run (each named, e.g. a relay and the provider's own API): cells become
    /// target × model × mode. Empty (the default): the single <see cref="Target"/>.</summary>
    public IReadOnlyList<TargetSpec> Targets { get; init => field = ReadOnly.CopyOf(value); } = [];

    /// <summary>The name the single-target form gets when it has none: <c>simulator</c> for the embedded simulator.</summary>
    public const string SimulatorTargetName = "simulator";

    /// <summary>The targets a run measures, each named: <see cref="Targets"/>, or the single <see cref="Target"/> named
    /// by its <c>name</c>, else <c>simulator</c> for the embedded simulator, else its base URL's host
    /// (<c>api.openai.com</c>).</summary>
    [JsonIgnore]
    public IReadOnlyList<TargetSpec> EffectiveTargets => Targets.Count > 0 ? Targets : [Target with { Name = NameOf(Target) }];

    /// <summary>The name of the single-target form's target (see <see cref="EffectiveTargets"/>).</summary>
    private static string NameOf(TargetSpec target) =>
        target.Name ?? (target.BaseUrl is { } url ? (string.IsNullOrEmpty(url.Host) ? "target" : url.Host) : SimulatorTargetName);

    /// <summary>Model ids, in report order.</summary>
    [MinLength(1, ErrorMessage = "at least one model is required")]
    public IReadOnlyList<string> Models { get; init => field = ReadOnly.CopyOf(value); } = [];

    /// <summary>Modes, in report order.</summary>
    [MinLength(1, ErrorMessage = "at least one mode is required (streaming, non-streaming)")]
    public IReadOnlyList<Mode> Modes { get; init => field = ReadOnly.CopyOf(value); } = [Mode.Streaming, Mode.NonStreaming];

    /// <summary>Shape of every request (of a cell no <see cref="CellRequests"/> entry names).</summary>
    public RequestShape Request { get; init; } = new();

    /// <summary>Per-cell prompt sources: the first entry naming a cell replaces <see cref="Request"/>'s prompt-source
    /// fields for it (<see cref="RequestFor"/>). Empty by default: every cell sends <see cref="Request"/>.</summary>
    public IReadOnlyList<CellRequestSpec> CellRequests { get; init => field = ReadOnly.CopyOf(value); } = [];

    /// <summary>What <paramref name="cell"/>'s requests look like: <see cref="Request"/> with the first
    /// <see cref="CellRequests"/> entry that names the cell applied.</summary>
    public RequestShape RequestFor(CellKey cell) =>
        CellRequests.FirstOrDefault(c => c.Selects(cell)) is { } entry ? entry.Request.ApplyTo(Request) : Request;

    /// <summary>Workload steps, run in sequence for each cell (model × mode).</summary>
    [MinLength(1, ErrorMessage = "at least one workload step is required")]
    public IReadOnlyList<WorkloadStep> Workload { get; init => field = ReadOnly.CopyOf(value); } = [];

    /// <summary>Named SLO sets results are judged against (goodput, recommendation).</summary>
    public IReadOnlyList<SloSet> Slos { get; init => field = ReadOnly.CopyOf(value); } = [];

    /// <summary>Thresholds judged on the cells at the end of the run (k6's thresholds over the metric catalogue:
    /// <see cref="ThresholdSpec"/>); any failing one makes the run exit 99. <c>bench run --threshold</c> adds to them.
    /// Empty by default.</summary>
    public IReadOnlyList<ThresholdSpec> Thresholds { get; init => field = ReadOnly.CopyOf(value); } = [];

    /// <summary>Seed for prompts, request seeds and the simulator: the same seed reproduces the same run.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Replicates: how many times the plan runs into one results folder (<c>bench run --repeat N</c>), replicate r
    /// of every cell before replicate r+1 of any, so drift over the run hits every cell alike. 1 (the default): one run,
    /// no replicate numbers anywhere. Bounded by <see cref="ScenarioLimits.MaxRepeat"/>.</summary>
    [Range(1, ScenarioLimits.MaxRepeat, ErrorMessage = ScenarioLimits.MaxRepeatRule)]
    public int Repeat { get; init; } = 1;

    /// <summary>Faults the embedded simulator injects on top of its profiles' (<see cref="FaultRule"/>; a rule may name
    /// the <c>models</c> it applies to). Simulator targets only. Empty by default.</summary>
    public IReadOnlyList<FaultRule> Faults { get; init => field = ReadOnly.CopyOf(value); } = [];

    /// <summary>RPM/TPM limits the embedded simulator enforces for every model of the scenario (each model its own
    /// buckets), replacing its profiles' <c>rate_limits</c>. Simulator targets only. Unset by default.</summary>
    public RateLimitSpec? RateLimits { get; init; }

    /// <summary>Resilience policies compared side by side: each runs as its own cells (model × mode × policy). Empty
    /// (the default): no policy, the raw endpoint, one attempt per request.</summary>
    public IReadOnlyList<ResiliencePolicy> Resilience { get; init => field = ReadOnly.CopyOf(value); } = [];

    /// <summary>How <c>batch-api</c> cells run: poll interval, timeout, lines per batch, the simulator's batch time
    /// scale (<see cref="BatchSpec"/>). Defaults when absent.</summary>
    public BatchSpec Batch { get; init; } = new();

    /// <summary>The lines of each <c>batch-api</c> cell's batch: <see cref="BatchSpec.Lines"/>, else the workload's
    /// measured (non-warm-up) iterations; null when neither fixes it (a duration-bound workload without
    /// <c>batch.lines</c>, which <see cref="Validate"/> refuses when a batch-api mode is asked).</summary>
    public int? BatchLines => Batch.Lines ?? (Workload.Any(w => !w.Warmup && w.Kind != StepKind.Pause && w.Iterations is null)
        ? null
        : (int)Math.Min(int.MaxValue, Workload.Where(w => !w.Warmup).Sum(w => (long)(w.Iterations ?? 0))));

    /// <summary>Rules across fields: model ids are not blank; something is measured; a sweep's SLO set exists; a
    /// batch-api cell knows its lines (and at most 50,000); the batch time scale is the simulator's.</summary>
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        for (var i = 0; i < Models.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Models[i]))
            {
                validation.Item(nameof(Models), i).Error("model ids are non-empty strings");
            }
        }

        ValidateTargets(validation);

        // Faults and rate limits apply to every simulator target of the run; they need at least one.
        if (EffectiveTargets.All(t => !t.IsSimulator))
        {
            var noSimulator = Targets.Count > 0 ? "a scenario none of whose targets is the simulator" : $"a scenario with a {validation.Child(nameof(Target)).NameOf(nameof(TargetSpec.BaseUrl))}";
            foreach (var (injected, given) in new[] { (nameof(Faults), Faults.Count > 0), (nameof(RateLimits), RateLimits is not null) })
            {
                if (given)
                {
                    validation.Error(injected, $"the embedded simulator injects these; {noSimulator} cannot: remove it or target the simulator");
                }
            }
        }

        // A batch clock running faster would make the batch cells of real targets and simulator ones incomparable.
        if (Batch.TimeScale is not null && EffectiveTargets.Any(t => !t.IsSimulator))
        {
            validation.Child(nameof(Batch)).Error(nameof(BatchSpec.TimeScale),
                $"only the embedded simulator's batch clock can run faster; a scenario with a {validation.Child(nameof(Target)).NameOf(nameof(TargetSpec.BaseUrl))} runs in real time: remove it or target the simulator");
        }

        if (Modes.Contains(Mode.BatchApi))
        {
            if (Request.Conversation is not null)
            {
                validation.Child(nameof(Request)).Error(nameof(RequestShape.Conversation),
                    "a conversation's turns send the previous answers, and a batch's lines are sent together before any answer: remove the batch-api mode or the conversation");
            }

            if (Workload.Select((w, i) => (w, i)).FirstOrDefault(x => x.w.Kind == StepKind.Trace) is { w: not null } traced)
            {
                validation.Item(nameof(Workload), traced.i).Error("type",
                    "a trace replays its lines at their timestamps, and a batch-api cell sends its lines at once in one batch, so the trace would not be what the batch sends: remove the batch-api mode or run the trace in its own scenario");
            }
            else if (BatchLines is not { } lines)
            {
                validation.Child(nameof(Batch)).Error(nameof(BatchSpec.Lines), "the batch-api mode needs the lines of each batch: the workload is bound by duration, so give batch.lines");
            }
            else if (lines > BatchSpec.MaxLines)
            {
                validation.Error(nameof(Workload), string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"a batch-api cell sends its {lines:N0} measured requests as one batch; at most {BatchSpec.MaxLines:N0} lines (OpenAI's limit): set batch.lines"));
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Resilience.Count; i++)
        {
            if (!string.IsNullOrEmpty(Resilience[i].Name) && !names.Add(Resilience[i].Name))
            {
                validation.Item(nameof(Resilience), i).Error(nameof(ResiliencePolicy.Name), $"'{Resilience[i].Name}' names two policies; names must be unique");
            }
        }

        if (Workload.Count > 0 && Workload.All(w => w.Warmup || w.Kind == StepKind.Pause))
        {
            validation.Error(nameof(Workload), "every step is a warm-up or a pause: nothing would be measured");
        }

        if (Workload.Sum(w => (long)(w.Iterations ?? 0)) is var total && total > int.MaxValue)
        {
            validation.Error(nameof(Workload), string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the steps' iterations add up to {total:N0} requests per cell; at most {int.MaxValue:N0}"));
        }

        ValidateThresholds(validation);
        ValidateTrafficClasses(validation);

        for (var i = 0; i < Workload.Count; i++)
        {
            if (Workload[i] is { Kind: StepKind.Sweep } sweep)
            {
                var step = validation.Item(nameof(Workload), i);
                var slos = validation.PathOf(nameof(Slos));
                if (Slos.Count == 0)
                {
                    step.Error(nameof(WorkloadStep.Slo), $"sweep needs the scenario to declare SLOs ({slos})");
                }
                else if (sweep.Slo is { } name && Slos.All(s => s.Name != name))
                {
                    step.Error(nameof(WorkloadStep.Slo), $"no SLO set named '{name}' in {slos}");
                }
            }
        }
    }

    /// <summary>One form (<c>target</c> or <c>targets</c>); in the list every target named, names unique; a model map or
    /// model subset names only the scenario's models; batch-api only where every target speaks openai-chat.</summary>
    private void ValidateTargets(ConfigValidation validation)
    {
        if (Targets.Count > 0 && validation.Given(nameof(Target)) == true)
        {
            validation.Error($"give either {validation.NameOf(nameof(Target))} (one target) or {validation.NameOf(nameof(Targets))} (several, each named), not both");
        }

        var targets = Targets.Count > 0 ? Targets : [Target];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            var at = Targets.Count > 0 ? validation.Item(nameof(Targets), i) : validation.Child(nameof(Target));
            if (Targets.Count > 0)
            {
                if (target.Name is null)
                {
                    at.Error(nameof(TargetSpec.Name), $"each of {validation.PathOf(nameof(Targets))} needs a name ({TargetSpec.NameRule})");
                }
                else if (!names.Add(target.Name))
                {
                    at.Error(nameof(TargetSpec.Name), $"'{target.Name}' names two targets; names must be unique");
                }
            }

            foreach (var (model, _) in target.ModelMap)
            {
                if (!Models.Contains(model, StringComparer.Ordinal))
                {
                    at.Entry(nameof(TargetSpec.ModelMap), model).Error($"'{model}' is not among the scenario's models ({string.Join(", ", Models)}); the map goes from a model of {validation.PathOf(nameof(Models))} to the target's name for it");
                }
            }

            if (target.Models is { } served)
            {
                if (served.Count == 0)
                {
                    at.Error(nameof(TargetSpec.Models), "names no model: leave it out to serve every model");
                }

                for (var j = 0; j < served.Count; j++)
                {
                    if (!Models.Contains(served[j], StringComparer.Ordinal))
                    {
                        at.Item(nameof(TargetSpec.Models), j).Error($"'{served[j]}' is not among the scenario's models ({string.Join(", ", Models)})");
                    }
                }
            }

            if (Modes.Contains(Mode.BatchApi) && Targets.Count > 1 && i == 1)
            {
                validation.Error(nameof(Modes), $"the batch-api mode runs against one target: measure it in a scenario with one target, or pick one with --targets NAME");
            }

            if (Modes.Contains(Mode.BatchApi) && target.Protocol != WireProtocol.OpenAiChat)
            {
                at.Error(nameof(TargetSpec.Protocol), $"the batch-api mode exists only for openai-chat targets (OpenAI's Batch API); this target speaks {WireProtocols.Name(target.Protocol)}: remove batch-api from {validation.PathOf(nameof(Modes))} or measure it in a scenario of its own");
            }
        }
    }

    /// <summary>Traffic classes (<see cref="SloSet.Share"/>, <see cref="SloSet.MonthlyRequests"/>): every set gives a
    /// share or none does, and the shares add up to 100 %; every set gives a monthly volume or none does; names are
    /// unique (a plan prices each class once).</summary>
    private void ValidateTrafficClasses(ConfigValidation validation)
    {
        foreach (var name in Slos.GroupBy(s => s.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            validation.Error(nameof(Slos), $"the SLO set name '{name}' is used twice; each traffic class needs its own name");
        }

        var shares = Slos.Count(s => s.Share is not null);
        if (shares > 0 && shares < Slos.Count)
        {
            validation.Error(nameof(Slos), $"{shares} of {Slos.Count} SLO sets give a share; give a share to every set ({string.Join(", ", Slos.Where(s => s.Share is null).Select(s => s.Name))} lack one) or to none");
        }
        else if (shares > 0 && Slos.Sum(s => s.Share!.Value) is var sum && sum != 100m)
        {
            validation.Error(nameof(Slos), string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the SLO sets' shares add up to {sum:0.##} %; they must add up to 100 % (every request belongs to one traffic class)"));
        }

        var volumes = Slos.Count(s => s.MonthlyRequests is not null);
        if (volumes > 0 && volumes < Slos.Count)
        {
            validation.Error(nameof(Slos), $"{volumes} of {Slos.Count} SLO sets give monthly_requests; give it to every set ({string.Join(", ", Slos.Where(s => s.MonthlyRequests is null).Select(s => s.Name))} lack it) or to none");
        }
    }

    /// <summary>A threshold over an SLO-set figure names a set of <see cref="Slos"/>; <c>goodput_rps</c> needs one.</summary>
    private void ValidateThresholds(ConfigValidation validation)
    {
        for (var i = 0; i < Thresholds.Count; i++)
        {
            if (!ThresholdExpression.TryParse(Thresholds[i].Expression, out var expression, out _))
            {
                continue; // reported by ThresholdSpec.Validate at its path
            }

            var id = expression.Metric.Id;
            var slos = validation.PathOf(nameof(Slos));
            if (id == Metrics.MetricCatalog.GoodputRps.Id && Slos.Count == 0)
            {
                validation.Item(nameof(Thresholds), i).Error(nameof(ThresholdSpec.Expression), $"{id} needs the scenario to declare SLOs ({slos})");
            }

            foreach (var template in Metrics.MetricCatalog.SloTemplates)
            {
                if (template.TryMatch(id, out var name) && Slos.All(s => s.Name != name))
                {
                    var known = Slos.Count == 0 ? "it declares none" : $"it declares {string.Join(", ", Slos.Select(s => s.Name))}";
                    validation.Item(nameof(Thresholds), i).Error(nameof(ThresholdSpec.Expression), $"{id} names SLO set '{name}', which is not in {slos} ({known})");
                }
            }
        }
    }
}

/// <summary>Where requests go: the embedded simulator, or a base URL speaking one of the <see cref="WireProtocol"/>s, with
/// a key from the environment or a file (or none, <see cref="Keyless"/>). A scenario gives one (<c>target</c>) or several
/// (<c>targets</c>, each named); see <see cref="Scenario.EffectiveTargets"/>.</summary>
public sealed record TargetSpec : IConfigValidatable
{
    /// <summary>The name rule: it is a column of every output and the <c>@TARGET</c> part of a cell selector.</summary>
    internal const string NameRule = "use letters, digits, '-', '_' or '.' (it names the target in every output and in @TARGET cell selectors)";

    /// <summary>The target's name (<c>[A-Za-z0-9._-]+</c>): required in a <c>targets</c> list, unique there; the single
    /// <c>target</c> form may leave it out (<see cref="Scenario.EffectiveTargets"/> names it).</summary>
    [MinLength(1, ErrorMessage = NameRule)]
    [RegularExpression("^[A-Za-z0-9._-]+$", ErrorMessage = NameRule)]
    public string? Name { get; init; }

    /// <summary>Written <c>"simulator": true</c> in a file to ask for the embedded simulator explicitly; a file may
    /// not give it together with <see cref="BaseUrl"/> (a command-line base URL still replaces it). Whether the
    /// target is the simulator is <see cref="IsSimulator"/>.</summary>
    public bool Simulator { get; init; }

    /// <summary>True for the embedded simulator (the default); false when <see cref="BaseUrl"/> is set.</summary>
    public bool IsSimulator => BaseUrl is null;

    /// <summary>Base URL of a real endpoint, version included, e.g. <c>https://api.openai.com/v1/</c>,
    /// <c>https://api.anthropic.com/v1</c>, <c>https://generativelanguage.googleapis.com/v1beta</c>; null for the
    /// simulator.</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>The wire protocol the target speaks (<c>openai-chat</c> by default, <c>openai-responses</c>,
    /// <c>anthropic-messages</c>, <c>gemini</c>): its paths, authentication, request and response shapes. The simulator
    /// speaks all four.</summary>
    public WireProtocol Protocol { get; init; } = WireProtocol.OpenAiChat;

    /// <summary>Name of the environment variable holding the API key. Default by <see cref="Protocol"/>:
    /// <c>OPENAI_API_KEY</c> (openai-chat, openai-responses), <c>ANTHROPIC_API_KEY</c> (anthropic-messages — the
    /// variable Anthropic's SDKs read), <c>GEMINI_API_KEY</c> (gemini — the variable Google's Gen AI SDKs read).</summary>
    public string ApiKeyEnv { get => field ?? DefaultApiKeyEnv(Protocol); init; }

    /// <summary>A file holding the API key (first line), instead of an environment variable.</summary>
    public string? ApiKeyFile { get; init; }

    /// <summary><c>"keyless": true</c>: send no key at all (a local server without authentication: vLLM, Ollama,
    /// llama.cpp); neither <see cref="ApiKeyEnv"/> nor <see cref="ApiKeyFile"/> is read. False by default.</summary>
    public bool Keyless { get; init; }

    /// <summary>Extra HTTP headers sent with every request to this target (header name → value), e.g. a gateway's
    /// <c>cf-aig-authorization</c> or <c>anthropic-beta</c>. Empty by default.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init => field = ReadOnly.CopyOf(value); } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Extra query parameters added to every request's URL (name → value), e.g. Azure OpenAI's
    /// <c>{"api-version": "2024-10-21"}</c>. Empty by default.</summary>
    public IReadOnlyDictionary<string, string> Query { get; init => field = ReadOnly.CopyOf(value); } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Extra top-level fields of every request body (name → any JSON value), e.g.
    /// <c>{"provider": {"order": ["openai"]}}</c> for a relay's routing; a field Bench writes itself is replaced by the
    /// given one. Empty by default.</summary>
    [ConfigReader(typeof(JsonFieldsReader))]
    public IReadOnlyDictionary<string, JsonElement> Body { get; init => field = ReadOnly.CopyOf(value); } = ReadOnlyDictionary<string, JsonElement>.Empty;

    /// <summary>The target's name for a catalogue model (catalogue id → the id sent on the wire), e.g.
    /// <c>{"gpt-4.1": "openai/gpt-4.1"}</c> for a relay; records keep the catalogue's id. Each key is one of the
    /// scenario's <c>models</c>. Empty by default (the catalogue's ids are sent).</summary>
    public IReadOnlyDictionary<string, string> ModelMap { get; init => field = ReadOnly.CopyOf(value); } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>How the target bills (currency, its rate per list dollar, the market rate, its own price file); null:
    /// the catalogue's list prices in USD.</summary>
    public TargetBilling? Billing { get; init; }

    /// <summary>Simulator targets only: a delay, in milliseconds, the simulator adds before each response starts — a
    /// stand-in for a relay's extra hop, so a relay against direct comparison can be run offline. 0 to 60,000; unset:
    /// none.</summary>
    [Range(0.0, 60_000.0, ErrorMessage = "must be from 0 to 60000 milliseconds")]
    public double? AddedLatencyMs { get; init; }

    /// <summary>The scenario's models this target serves (a subset of <c>models</c>); null (the default): all.</summary>
    public IReadOnlyList<string>? Models { get; init => field = value is null ? null : ReadOnly.CopyOf(value); }

    /// <summary>Simulator profiles folder, relative to the scenario file (default <c>profiles</c>).</summary>
    public string Profiles { get; init; } = "profiles";

    /// <summary>Send <c>max_completion_tokens</c> instead of <c>max_tokens</c> (newer OpenAI models require it).</summary>
    public bool UseMaxCompletionTokens { get; init; }

    /// <summary>The local tokenizer per model: model id → <c>o200k_base</c>, <c>cl100k_base</c> or <c>none</c>; the key
    /// <c>*</c> covers every model not named. A model not covered counts with its family's encoding
    /// (<see cref="Tokens.TokenEncodings.ForModel"/>). Empty by default. Written in a scenario as <c>"tokenizer":
    /// "cl100k_base"</c> (every model) or <c>"tokenizer": {"my-llama": "cl100k_base", "*": "none"}</c>.</summary>
    [JsonPropertyName("tokenizer")]
    [ConfigReader(typeof(TokenizerReader))]
    public IReadOnlyDictionary<string, string> Tokenizers { get; init => field = ReadOnly.CopyOf(value); } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The default <see cref="ApiKeyEnv"/> of a protocol: <c>ANTHROPIC_API_KEY</c>, <c>GEMINI_API_KEY</c>,
    /// else <c>OPENAI_API_KEY</c>.</summary>
    public static string DefaultApiKeyEnv(WireProtocol protocol) => protocol switch
    {
        WireProtocol.AnthropicMessages => "ANTHROPIC_API_KEY",
        WireProtocol.Gemini => "GEMINI_API_KEY",
        _ => "OPENAI_API_KEY",
    };

    /// <summary>Whether this target serves <paramref name="model"/> (<see cref="Models"/>, else every model).</summary>
    public bool Serves(string model) => Models is null || Models.Contains(model, StringComparer.Ordinal);

    /// <summary>A file gives the simulator or a base URL, not both; a keyless target reads no key; an added latency is
    /// the simulator's.</summary>
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (validation.Given(nameof(Simulator)) == true && Simulator && BaseUrl is not null)
        {
            validation.Error($"give either \"{validation.NameOf(nameof(Simulator))}\": true or a {validation.NameOf(nameof(BaseUrl))}, not both");
        }

        if (Keyless)
        {
            foreach (var source in new[] { nameof(ApiKeyEnv), nameof(ApiKeyFile) })
            {
                if (validation.Given(source) == true)
                {
                    validation.Error(source, $"a keyless target reads no key: remove {validation.NameOf(source)} or \"{validation.NameOf(nameof(Keyless))}\": true");
                }
            }
        }

        if (AddedLatencyMs is not null && !IsSimulator)
        {
            validation.Error(nameof(AddedLatencyMs), $"only the embedded simulator can add latency; a target with a {validation.NameOf(nameof(BaseUrl))} cannot: remove it");
        }

        foreach (var (header, _) in Headers)
        {
            if (string.IsNullOrWhiteSpace(header) || header.Any(c => c <= ' ' || c == ':' || c > '~'))
            {
                validation.Entry(nameof(Headers), header).Error("not a valid HTTP header name (printable ASCII, no spaces or ':')");
            }
        }
    }
}

/// <summary>What each request looks like.</summary>
public sealed record RequestShape
{
    /// <summary>Prompt size in tokens (synthetic words; see <see cref="Text.SyntheticText"/>), 1 to
    /// <see cref="ScenarioLimits.MaxPromptTokens"/>.</summary>
    [Range(1, ScenarioLimits.MaxPromptTokens, ErrorMessage = "must be between 1 and 10,000,000 (the largest context windows offered; the prompt is built in memory)")]
    public int PromptTokens { get; init; } = 100;

    /// <summary>Optional system prompt, sent before the user prompt.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>Prompt lengths drawn per request (issue 15), instead of the fixed <see cref="PromptTokens"/>.</summary>
    public LengthDistribution? InputTokens { get; init; }

    /// <summary>Answer lengths drawn per request, sent as <c>max_tokens</c> (instead of the fixed
    /// <see cref="MaxTokens"/>).</summary>
    public LengthDistribution? OutputTokens { get; init; }

    /// <summary>Ask for exactly the drawn answer length where the target supports it (vLLM's <c>ignore_eos</c>,
    /// <c>min_tokens</c>; the simulator honours it); the report sets achieved lengths against intended ones.</summary>
    public bool IgnoreEos { get; init; }

    /// <summary>A system prompt shared by a fraction of requests, in groups.</summary>
    public SharedPrefixSpec? SharedPrefix { get; init; }

    /// <summary>The user's own prompts instead of synthetic ones.</summary>
    public DatasetSpec? Dataset { get; init; }

    /// <summary>Multi-turn sessions.</summary>
    public ConversationSpec? Conversation { get; init; }

    /// <summary><c>max_tokens</c> for each request.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be at least 1")]
    public int MaxTokens { get; init; } = 200;

    /// <summary>Per-request timeout in seconds; a request still running then ends as <c>timeout</c>. Greater than 0 and
    /// at most <see cref="ScenarioLimits.MaxSeconds"/> (<c>--timeout</c> overrides it).</summary>
    [TimeoutSeconds]
    public double TimeoutS { get; init; } = 120;

    /// <summary>Cap, in bytes, on a non-streaming response body: a longer one is recorded as <c>malformed</c> ("the body
    /// exceeded the 16 MiB cap") and the rest is dropped unread, never buffered. From 1024 (1 KiB) to 1073741824 (1 GiB);
    /// default 16777216 (16 MiB). See <see cref="Client.ChatClientOptions.MaxResponseBytes"/>.</summary>
    [Range(Wire.ResponseCaps.MinBytes, Wire.ResponseCaps.MaxBytes, ErrorMessage = "must be from 1024 (1 KiB) to 1073741824 (1 GiB) bytes")]
    public int MaxResponseBytes { get; init; } = Wire.ResponseCaps.DefaultMaxResponseBytes;

    /// <summary>Cap, in bytes, on one Server-Sent Event of a stream (so also on one line): a longer one is recorded as
    /// <c>malformed</c> ("SSE line longer than 8 MiB") and the rest of the body is dropped unread. From 1024 (1 KiB) to
    /// 1073741824 (1 GiB); default 8388608 (8 MiB). See <see cref="Client.ChatClientOptions.MaxEventBytes"/>.</summary>
    [Range(Wire.ResponseCaps.MinBytes, Wire.ResponseCaps.MaxBytes, ErrorMessage = "must be from 1024 (1 KiB) to 1073741824 (1 GiB) bytes")]
    public int MaxEventBytes { get; init; } = Wire.ResponseCaps.DefaultMaxEventBytes;

    /// <summary>The longest a new connection may take to open (TCP connect and TLS handshake), in seconds; a request
    /// whose connection is not open by then ends as <c>connection_error</c> ("No connection within 10 s (connect
    /// timeout)"): the endpoint could not be reached. Default 10; greater than 0 and at most 2147483.647 (int.MaxValue
    /// milliseconds).</summary>
    [TimeoutSeconds]
    public double ConnectTimeoutS { get; init; } = 10;

    /// <summary>The longest from sending a request to the first byte of its response body (the wait for the headers
    /// included), in seconds; a request with no byte by then ends as <c>timeout</c> ("No first byte within 5 s
    /// (first-byte timeout)"). Unset (the default): only <see cref="TimeoutS"/> bounds it. Greater than 0 and at most
    /// 2147483.647.</summary>
    [TimeoutSeconds]
    public double? FirstByteTimeoutS { get; init; }

    /// <summary>The longest silence while reading a response body (between SSE events, or within a body), in seconds;
    /// a request silent that long ends as <c>timeout</c> ("No response byte for 30 s (idle timeout)"). Unset (the
    /// default): only <see cref="TimeoutS"/> bounds it. Greater than 0 and at most 2147483.647.</summary>
    [TimeoutSeconds]
    public double? IdleTimeoutS { get; init; }
}

/// <summary>Workload step kinds, in NBomber's vocabulary; in files the snake_case of the name
/// (<c>iterations_for_constant</c>, see <see cref="ScenarioLoader.Name"/>).</summary>
[Description("step type")]
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
    /// <summary>Open: gamma-distributed inter-arrival times at <c>rate</c> per second with <c>burstiness</c> (vLLM's
    /// convention: shape = burstiness, 1 is Poisson, below 1 burstier), for a duration or a count.</summary>
    Gamma,
    /// <summary>Open: replay a timestamped trace file (<c>trace</c>), its times divided by its speed-up.</summary>
    Trace,
}

/// <summary>One workload step. Which fields apply depends on <see cref="Kind"/>; <see cref="Validate"/> checks
/// them.</summary>
public sealed record WorkloadStep : IConfigValidatable
{
    /// <summary>The step kind (JSON <c>type</c>).</summary>
    [JsonPropertyName("type")]
    [Required]
    public StepKind Kind { get; init; }

    /// <summary>Requests in flight (closed steps).</summary>
    public int? Copies { get; init; }

    /// <summary>Requests in total (iteration steps).</summary>
    public int? Iterations { get; init; }

    /// <summary>Duration (duration steps).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Requests per <see cref="Interval"/> (open steps); for poisson, per second.</summary>
    public double? Rate { get; init; }

    /// <summary><c>gamma</c>: the shape of the gamma inter-arrival distribution (vLLM's <c>burstiness</c>; default 1,
    /// which is Poisson).</summary>
    public double? Burstiness { get; init; }

    /// <summary><c>trace</c>: the trace to replay.</summary>
    public TraceSpec? Trace { get; init; }

    /// <summary>The interval a rate is counted over (default 1 s).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Open steps (and sweep probes): the most requests in flight at once. An arrival due while the cap is reached is
    /// not sent late: it is recorded as <c>dropped</c> and counted apart (as k6 counts <c>dropped_iterations</c>).
    /// Null: <see cref="DefaultMaxConcurrency"/>. Closed steps keep <see cref="Copies"/> in flight and take no cap.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be at least 1")]
    public int? MaxConcurrency { get; init; }

    /// <summary>
    /// The cap on requests in flight of an open step that names none: 1,000. Far more than one server batches at once,
    /// so the endpoint saturates (and its queueing shows as latency) well before the cap binds; yet each request in
    /// flight holds a socket, a descriptor and its buffers, so an uncapped open load above the endpoint's capacity grows
    /// without bound until descriptors or memory run out and the client's own failures pass for the endpoint's. 1,000
    /// sockets fit the descriptor limit of an ordinary Linux process (the .NET runtime raises its soft limit to the
    /// hard limit at start-up, usually 4,096 or more) with room for the rest of the process. A fixed figure rather than
    /// one derived from the machine's limits, so the same scenario plans the same load on every machine.
    /// </summary>
    public const int DefaultMaxConcurrency = 1000;

    /// <summary>The cap on requests in flight this step runs with: <see cref="MaxConcurrency"/> or
    /// <see cref="DefaultMaxConcurrency"/> for open steps and sweeps; null for closed steps and pauses.</summary>
    [JsonIgnore]
    public int? InFlightCap => IsOpen ? MaxConcurrency ?? DefaultMaxConcurrency : null;

    /// <summary>True for the open kinds (requests sent on a schedule whatever the responses do) and the sweep, whose
    /// probes are open.</summary>
    [JsonIgnore]
    public bool IsOpen => Kind is StepKind.Inject or StepKind.RampingInject or StepKind.Poisson or StepKind.IterationsForInject or StepKind.Sweep or StepKind.Gamma or StepKind.Trace;

    /// <summary>Records of this step get phase <c>warmup</c> and are excluded from statistics.</summary>
    public bool Warmup { get; init; }

    /// <summary>Sweep: the first rate tried (requests/s).</summary>
    public double? StartRate { get; init; }

    /// <summary>Sweep: the highest rate tried (requests/s).</summary>
    public double? MaxRate { get; init; }

    /// <summary>Sweep: stop bisecting when the bracket is narrower than this fraction of the rate (default 0.1).</summary>
    public double Precision { get; init; } = 0.1;

    /// <summary>Sweep: the SLO set whose goodput decides (default: the first).</summary>
    public string? Slo { get; init; }

    /// <summary>The fields <see cref="Kind"/> needs, and the interval.</summary>
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        var kind = ScenarioLoader.Name(Kind);
        void Need(bool ok, string property, string what)
        {
            // A value given but unreadable (e.g. a duration too long) is reported once, by the reader.
            if (!ok && !validation.Unreadable(property))
            {
                validation.Error(property, $"{kind} needs {what}");
            }
        }

        string Field(string property) => validation.NameOf(property);
        var hasDuration = Duration is { } d && d > TimeSpan.Zero;
        var duration = $"a {Field(nameof(Duration))} (e.g. \"30s\")";
        switch (Kind)
        {
            case StepKind.KeepConstant:
            case StepKind.RampingConstant:
                Need(Copies is >= 1, nameof(Copies), $"{Field(nameof(Copies))} ≥ 1");
                Need(hasDuration, nameof(Duration), duration);
                break;
            case StepKind.IterationsForConstant:
                Need(Copies is >= 1, nameof(Copies), $"{Field(nameof(Copies))} ≥ 1");
                Need(Iterations is >= 1, nameof(Iterations), $"{Field(nameof(Iterations))} ≥ 1");
                break;
            case StepKind.Inject:
            case StepKind.RampingInject:
                Need(Rate is > 0, nameof(Rate), $"{Field(nameof(Rate))} > 0 (requests per {Field(nameof(Interval))})");
                Need(hasDuration, nameof(Duration), duration);
                break;
            case StepKind.Poisson:
                Need(Rate is > 0, nameof(Rate), $"{Field(nameof(Rate))} > 0 (requests per second)");
                Need(hasDuration || Iterations is >= 1, nameof(Duration), $"a {Field(nameof(Duration))} or {Field(nameof(Iterations))}");
                break;
            case StepKind.Gamma:
                Need(Rate is > 0, nameof(Rate), $"{Field(nameof(Rate))} > 0 (requests per second)");
                Need(hasDuration || Iterations is >= 1, nameof(Duration), $"a {Field(nameof(Duration))} or {Field(nameof(Iterations))}");
                break;
            case StepKind.Trace:
                Need(Trace is not null, nameof(Trace), $"a {Field(nameof(Trace))} (e.g. {{\"path\": \"traffic.jsonl\"}})");
                foreach (var (property, given) in new[] { (nameof(Rate), Rate is not null), (nameof(Duration), Duration is not null), (nameof(Iterations), Iterations is not null) })
                {
                    if (given)
                    {
                        validation.Error(property, $"does not apply to trace: the trace's timestamps (÷ its speedup) decide when and how many requests are sent");
                    }
                }

                break;
            case StepKind.IterationsForInject:
                Need(Rate is > 0, nameof(Rate), $"{Field(nameof(Rate))} > 0 (requests per {Field(nameof(Interval))})");
                Need(Iterations is >= 1, nameof(Iterations), $"{Field(nameof(Iterations))} ≥ 1");
                break;
            case StepKind.Pause:
                Need(hasDuration, nameof(Duration), $"a {Field(nameof(Duration))} (e.g. \"5s\")");
                break;
            case StepKind.Sweep:
                Need(hasDuration, nameof(Duration), $"a {Field(nameof(Duration))} per probe (e.g. \"20s\")");
                Need(StartRate is > 0, nameof(StartRate), $"{Field(nameof(StartRate))} > 0 (requests/s)");
                if (MaxRate is { } max && !(max > StartRate))
                {
                    validation.Error(nameof(MaxRate), $"must be greater than {Field(nameof(StartRate))}");
                }

                if (Precision is not (> 0 and < 1))
                {
                    validation.Error(nameof(Precision), "must be in (0, 1), e.g. 0.1 for 10 %");
                }

                break;
            default:
                break;
        }

        if (Interval <= TimeSpan.Zero)
        {
            validation.Error(nameof(Interval), "must be a positive duration");
        }

        if (Burstiness is { } burstiness)
        {
            if (Kind != StepKind.Gamma)
            {
                validation.Error(nameof(Burstiness), $"applies to gamma steps only (not {kind})");
            }
            else if (!(burstiness > 0) || double.IsInfinity(burstiness))
            {
                validation.Error(nameof(Burstiness), "must be a finite number greater than 0 (1 is Poisson; below 1 burstier, above 1 more even)");
            }
        }

        if (Trace is not null && Kind != StepKind.Trace)
        {
            validation.Error(nameof(Trace), $"applies to trace steps only (not {kind})");
        }

        if (MaxConcurrency is not null && !IsOpen)
        {
            validation.Error(nameof(MaxConcurrency), $"applies to open steps only; {kind} keeps {Field(nameof(Copies))} requests in flight");
        }

        ValidateLimits(validation);
    }

    /// <summary>Bounds (<see cref="ScenarioLimits"/>): counts that fit what one client machine can hold, rates it
    /// can send, durations its timers can wait — so a typo is refused here, not met as an overflow mid-run.</summary>
    private void ValidateLimits(ConfigValidation validation)
    {
        void Check(string property, string? problem)
        {
            if (problem is not null)
            {
                validation.Error(property, problem);
            }
        }

        Check(nameof(Copies), ScenarioLimits.CheckAtMost(Copies, ScenarioLimits.MaxCopies,
            "each copy is a request in flight on its own connection; one client has about 28,000 ports per endpoint"));
        Check(nameof(Iterations), ScenarioLimits.CheckAtMost(Iterations, ScenarioLimits.MaxIterations,
            "about 100 GB of records; split a longer run"));
        Check(nameof(MaxConcurrency), ScenarioLimits.CheckAtMost(MaxConcurrency, ScenarioLimits.MaxCopies,
            "each request in flight holds its own connection; one client has about 28,000 ports per endpoint"));
        if (Duration is { } duration && duration > ScenarioLimits.MaxDuration)
        {
            validation.Error(nameof(Duration), $"must be {ScenarioLimits.MaxDurationText}");
        }

        if (Interval > ScenarioLimits.MaxDuration)
        {
            validation.Error(nameof(Interval), $"must be {ScenarioLimits.MaxDurationText}");
        }

        var perSecond = Kind is StepKind.Poisson or StepKind.Gamma || Interval <= TimeSpan.Zero ? 1.0 : Interval.TotalSeconds;
        CheckRate(validation, nameof(Rate), Rate, perSecond);
        CheckRate(validation, nameof(StartRate), StartRate, 1.0);
        CheckRate(validation, nameof(MaxRate), MaxRate, 1.0);
        if (double.IsNaN(Precision) || double.IsInfinity(Precision))
        {
            validation.Error(nameof(Precision), "must be in (0, 1), e.g. 0.1 for 10 %");
        }
    }

    /// <summary>A rate is a finite number of requests per <paramref name="intervalS"/> seconds, at most
    /// <see cref="ScenarioLimits.MaxRatePerSecond"/> per second (NaN and infinity are refused; the rules per kind say
    /// which steps need one above 0).</summary>
    private static void CheckRate(ConfigValidation validation, string property, double? rate, double intervalS)
    {
        if (rate is not { } r)
        {
            return;
        }

        if (double.IsNaN(r) || double.IsInfinity(r))
        {
            validation.Error(property, $"must be a finite number of requests (got {r.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        }
        else if (r / intervalS > ScenarioLimits.MaxRatePerSecond)
        {
            validation.Error(property, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"must be at most {ScenarioLimits.MaxRatePerSecond:N0} requests per second (got {r / intervalS:G4}/s), more than one client machine can send; split the load over several"));
        }
    }
}

/// <summary>
/// A named set of SLOs. Each threshold is applied per request (a request is "good" when it succeeded and met every
/// threshold); the set is met when at least <see cref="Percentile"/> % of attempted requests were good — for a single
/// latency threshold this is the same as "the metric's p<see cref="Percentile"/> is within the threshold".
/// </summary>
public sealed record SloSet : IConfigValidatable
{
    /// <summary>Name, e.g. <c>interactive</c>.</summary>
    [Required(ErrorMessage = "is required")]
    public string Name { get; init; } = "";

    /// <summary>Upper bounds in milliseconds per metric id (<c>ttft_ms</c>, <c>tpot_ms</c>, <c>e2e_ms</c>, ...).</summary>
    public IReadOnlyDictionary<string, double> MaxMs { get; init => field = ReadOnly.CopyOf(value); } = ReadOnlyDictionary<string, double>.Empty;

    /// <summary>Share of requests that must be good for the set to be met, in percent (default 95).</summary>
    [Range(0, 100, MinimumIsExclusive = true, ErrorMessage = "must be in (0, 100]")]
    public double Percentile { get; init; } = 95;

    /// <summary>Lowest acceptable success rate, 0..1, or null.</summary>
    [Range(0.0, 1.0, ErrorMessage = "must be between 0 and 1 (e.g. 0.995)")]
    public double? MinSuccessRate { get; init; }

    /// <summary>The set as a <i>traffic class</i>: its share of the monthly requests (<c>--monthly-requests</c>), in
    /// percent, (0, 100]; null when the scenario gives no shares. Either every set gives a share (adding up to 100 %),
    /// or every set gives <see cref="MonthlyRequests"/>, or none gives either (each class is then priced alone at the
    /// whole volume).</summary>
    [Range(0.0, 100.0, MinimumIsExclusive = true, ErrorMessage = "must be a percentage in (0, 100]")]
    public decimal? Share { get; init; }

    /// <summary>The traffic class's own requests per month (&gt; 0); null when not given. With volumes on every set,
    /// the plan's total is their sum, and a <c>--monthly-requests</c> given on the command line rescales them keeping
    /// their proportions.</summary>
    [Range(typeof(decimal), "0", "79228162514264337593543950335", MinimumIsExclusive = true, ErrorMessage = "must be greater than 0")]
    public decimal? MonthlyRequests { get; init; }

    /// <summary>How long this class can wait for an answer, in hours, when sent through the Batch API (a class that
    /// tolerates hours); null: the class needs a synchronous answer. With it, a batch-api cell is judged on its batches'
    /// turnaround (every batch ended within the limit) and the success rate, instead of the per-request latency limits
    /// of <see cref="MaxMs"/> (which still judge the synchronous cells).</summary>
    [Range(0.0, 8760.0, MinimumIsExclusive = true, ErrorMessage = "must be hours in (0, 8760]")]
    public double? MaxTurnaroundH { get; init; }

    /// <summary>At least one threshold; each names a metric an SLO may bound (<see cref="ScenarioLoader.SloMetrics"/>)
    /// and is positive.</summary>
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (MaxMs.Count == 0 && MinSuccessRate is null && MaxTurnaroundH is null)
        {
            validation.Error($"needs at least one threshold ({validation.NameOf(nameof(MaxMs))}), {validation.NameOf(nameof(MinSuccessRate))} or {validation.NameOf(nameof(MaxTurnaroundH))}");
        }

        if (Share is not null && MonthlyRequests is not null)
        {
            validation.Error(nameof(Share), $"give either {validation.NameOf(nameof(Share))} (percent of --monthly-requests) or {validation.NameOf(nameof(MonthlyRequests))}, not both");
        }

        foreach (var (metric, limit) in MaxMs)
        {
            if (!ScenarioLoader.SloMetrics.Contains(metric))
            {
                validation.Entry(nameof(MaxMs), metric).Error($"unknown metric; use one of {string.Join(", ", ScenarioLoader.SloMetrics)}");
            }
            else if (!(limit > 0))
            {
                validation.Entry(nameof(MaxMs), metric).Error("must be greater than 0");
            }
        }
    }
}
