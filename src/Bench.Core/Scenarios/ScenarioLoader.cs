using System.Globalization;
using System.Text.Json;
using Bench.Core.Records;

namespace Bench.Core.Scenarios;

/// <summary>
/// Reads and validates scenario files. JSON with comments and trailing commas; property names in snake_case
/// (<c>scenarios/scenario.schema.json</c> describes the format). Every error is collected — file, JSON path, reason —
/// and thrown together as one <see cref="ScenarioException"/>.
/// </summary>
public static class ScenarioLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Loads and validates a scenario file.</summary>
    /// <exception cref="ScenarioException">The file is missing, not JSON, or has invalid fields (all listed).</exception>
    public static Scenario Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException([new ScenarioError(path, "$", $"cannot read the file: {e.Message}")]);
        }

        return Parse(text, path);
    }

    /// <summary>Parses and validates scenario JSON; <paramref name="file"/> names it in errors.</summary>
    /// <exception cref="ScenarioException">The text is not JSON or has invalid fields (all listed).</exception>
    public static Scenario Parse(string json, string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"line {line + 1}, column {e.BytePositionInLine + 1}" : "unknown position";
            throw new ScenarioException([new ScenarioError(file, "$", $"not valid JSON ({where}): {e.Message}")]);
        }

        using (document)
        {
            var reader = new Reader(file);
            var scenario = reader.ReadScenario(document.RootElement);
            Validate(scenario, file, reader.Errors, reader.UntypedSteps);
            if (reader.Errors.Count > 0)
            {
                throw new ScenarioException(reader.Errors);
            }

            return scenario;
        }
    }

    /// <summary>Checks rules that span fields (used again after command-line overrides).</summary>
    /// <exception cref="ScenarioException">Some rule does not hold (all listed).</exception>
    public static void Validate(Scenario scenario, string file)
    {
        var errors = new List<ScenarioError>();
        Validate(scenario, file, errors, untypedSteps: new HashSet<string>());
        if (errors.Count > 0)
        {
            throw new ScenarioException(errors);
        }
    }

    private static void Validate(Scenario s, string file, List<ScenarioError> errors, IReadOnlySet<string> untypedSteps)
    {
        void Error(string path, string reason) => errors.Add(new ScenarioError(file, path, reason));

        if (s.Models.Count == 0)
        {
            Error("$.models", "at least one model is required");
        }

        if (s.Modes.Count == 0)
        {
            Error("$.modes", "at least one mode is required (streaming, non-streaming)");
        }

        if (s.Workload.Count == 0)
        {
            Error("$.workload", "at least one workload step is required");
        }
        else if (s.Workload.All(w => w.Warmup || w.Kind == StepKind.Pause))
        {
            Error("$.workload", "every step is a warm-up or a pause: nothing would be measured");
        }

        if (s.Request.PromptTokens < 1)
        {
            Error("$.request.prompt_tokens", "must be at least 1");
        }

        if (s.Request.MaxTokens < 1)
        {
            Error("$.request.max_tokens", "must be at least 1");
        }

        if (s.Request.TimeoutS <= 0)
        {
            Error("$.request.timeout_s", "must be greater than 0");
        }

        for (var i = 0; i < s.Workload.Count; i++)
        {
            var path = $"$.workload[{i}]";
            if (!untypedSteps.Contains(path))
            {
                // A step without a known type already has its error; its other fields cannot be judged.
                ValidateStep(s.Workload[i], path, s.Slos, Error);
            }
        }

        for (var i = 0; i < s.Slos.Count; i++)
        {
            var slo = s.Slos[i];
            var path = $"$.slos[{i}]";
            if (string.IsNullOrWhiteSpace(slo.Name))
            {
                Error($"{path}.name", "is required");
            }

            if (slo.MaxMs.Count == 0 && slo.MinSuccessRate is null)
            {
                Error(path, "needs at least one threshold (max_ms) or min_success_rate");
            }

            if (slo.Percentile is <= 0 or > 100)
            {
                Error($"{path}.percentile", "must be in (0, 100]");
            }

            if (slo.MinSuccessRate is < 0 or > 1)
            {
                Error($"{path}.min_success_rate", "must be between 0 and 1 (e.g. 0.995)");
            }

            foreach (var (metric, limit) in slo.MaxMs)
            {
                if (!SloMetrics.Contains(metric))
                {
                    Error($"{path}.max_ms.{metric}", $"unknown metric; use one of {string.Join(", ", SloMetrics)}");
                }
                else if (limit <= 0)
                {
                    Error($"{path}.max_ms.{metric}", "must be greater than 0");
                }
            }
        }
    }

    /// <summary>Metric ids an SLO may bound: the catalogue's SLO-eligible distributions.</summary>
    public static IReadOnlyList<string> SloMetrics { get; } = [.. Metrics.Metric.SloEligible.Select(m => m.Id)];

    private static void ValidateStep(WorkloadStep w, string path, List<SloSet> slos, Action<string, string> error)
    {
        void Require(bool ok, string field, string reason)
        {
            if (!ok)
            {
                error($"{path}.{field}", reason);
            }
        }

        var hasDuration = w.Duration is { } d && d > TimeSpan.Zero;
        switch (w.Kind)
        {
            case StepKind.KeepConstant:
            case StepKind.RampingConstant:
                Require(w.Copies is >= 1, "copies", $"{Name(w.Kind)} needs copies ≥ 1");
                Require(hasDuration, "duration", $"{Name(w.Kind)} needs a duration (e.g. \"30s\")");
                break;
            case StepKind.IterationsForConstant:
                Require(w.Copies is >= 1, "copies", "iterations_for_constant needs copies ≥ 1");
                Require(w.Iterations is >= 1, "iterations", "iterations_for_constant needs iterations ≥ 1");
                break;
            case StepKind.Inject:
            case StepKind.RampingInject:
                Require(w.Rate is > 0, "rate", $"{Name(w.Kind)} needs rate > 0 (requests per interval)");
                Require(hasDuration, "duration", $"{Name(w.Kind)} needs a duration (e.g. \"30s\")");
                break;
            case StepKind.Poisson:
                Require(w.Rate is > 0, "rate", "poisson needs rate > 0 (requests per second)");
                Require(hasDuration || w.Iterations is >= 1, "duration", "poisson needs a duration or iterations");
                break;
            case StepKind.IterationsForInject:
                Require(w.Rate is > 0, "rate", "iterations_for_inject needs rate > 0 (requests per interval)");
                Require(w.Iterations is >= 1, "iterations", "iterations_for_inject needs iterations ≥ 1");
                break;
            case StepKind.Pause:
                Require(hasDuration, "duration", "pause needs a duration (e.g. \"5s\")");
                break;
            case StepKind.Sweep:
                Require(hasDuration, "duration", "sweep needs a duration per probe (e.g. \"20s\")");
                Require(w.StartRate is > 0, "start_rate", "sweep needs start_rate > 0 (requests/s)");
                Require(w.MaxRate is null || w.MaxRate > w.StartRate, "max_rate", "must be greater than start_rate");
                Require(w.Precision is > 0 and < 1, "precision", "must be in (0, 1), e.g. 0.1 for 10 %");
                Require(slos.Count > 0, "slo", "sweep needs the scenario to declare SLOs ($.slos)");
                Require(w.Slo is null || slos.Any(s => s.Name == w.Slo), "slo", $"no SLO set named '{w.Slo}' in $.slos");
                break;
            default:
                break;
        }

        Require(w.Interval > TimeSpan.Zero, "interval", "must be a positive duration");
        Require(w.MaxConcurrency is null or >= 1, "max_concurrency", "must be at least 1");
    }

    /// <summary>The file name of a step kind (<c>iterations_for_constant</c>).</summary>
    public static string Name(StepKind kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    /// <summary>Reads elements into the model, recording type errors with their paths.</summary>
    private sealed class Reader(string file)
    {
        public List<ScenarioError> Errors { get; } = [];

        /// <summary>Paths of steps whose type is missing or unknown.</summary>
        public HashSet<string> UntypedSteps { get; } = [];

        private void Error(string path, string reason) => Errors.Add(new ScenarioError(file, path, reason));

        public Scenario ReadScenario(JsonElement root)
        {
            var s = new Scenario();
            if (!ExpectObject(root, "$"))
            {
                return s;
            }

            foreach (var p in root.EnumerateObject())
            {
                var path = $"$.{p.Name}";
                switch (p.Name)
                {
                    case "$schema":
                        break;
                    case "name":
                        if (String(p.Value, path) is { } name)
                        {
                            if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
                            {
                                Error(path, "use letters, digits, '-', '_' or '.' (it names the results folder)");
                            }

                            s.Name = name;
                        }

                        break;
                    case "description":
                        s.Description = String(p.Value, path);
                        break;
                    case "target":
                        s.Target = ReadTarget(p.Value, path);
                        break;
                    case "models":
                        s.Models = Array(p.Value, path, (e, ep) => String(e, ep) is { Length: > 0 } m ? m : Fail<string>(ep, "model ids are non-empty strings"));
                        break;
                    case "modes":
                        s.Modes = Array(p.Value, path, (e, ep) => ReadMode(e, ep));
                        break;
                    case "request":
                        s.Request = ReadRequest(p.Value, path);
                        break;
                    case "workload":
                        s.Workload = Array(p.Value, path, ReadStep);
                        break;
                    case "slos":
                        s.Slos = Array(p.Value, path, ReadSlo);
                        break;
                    case "seed":
                        s.Seed = Int(p.Value, path) ?? s.Seed;
                        break;
                    default:
                        Unknown(path, "name, description, target, models, modes, request, workload, slos, seed");
                        break;
                }
            }

            return s;
        }

        /// <summary><c>"tokenizer"</c>: one encoding for every model (<c>"cl100k_base"</c>), or one per model
        /// (<c>{"model": "cl100k_base", "*": "none"}</c>); <c>auto</c> leaves a model to its family's encoding.</summary>
        private void ReadTokenizers(JsonElement e, string path, Dictionary<string, string> tokenizers)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    AddTokenizer(p.Value, $"{path}.{p.Name}", p.Name, tokenizers);
                }
            }
            else if (e.ValueKind == JsonValueKind.String)
            {
                AddTokenizer(e, path, "*", tokenizers);
            }
            else
            {
                Error(path, $"expected an encoding name or an object of model → encoding, found {Kind(e)}");
            }
        }

        private void AddTokenizer(JsonElement e, string path, string model, Dictionary<string, string> tokenizers)
        {
            var name = String(e, path);
            if (name is null or "auto")
            {
                return;
            }

            if (Tokens.TokenEncodings.IsKnown(name) || name == Tokens.TokenEncodings.None)
            {
                tokenizers[model] = name;
            }
            else
            {
                Error(path, $"unknown tokenizer \"{name}\"; expected auto, {string.Join(", ", Tokens.TokenEncodings.All)} or {Tokens.TokenEncodings.None}");
            }
        }

        private TargetSpec ReadTarget(JsonElement e, string path)
        {
            var t = new TargetSpec();
            if (!ExpectObject(e, path))
            {
                return t;
            }

            var simulator = false;
            foreach (var p in e.EnumerateObject())
            {
                var pp = $"{path}.{p.Name}";
                switch (p.Name)
                {
                    case "simulator":
                        simulator = Bool(p.Value, pp) ?? false;
                        break;
                    case "base_url":
                        if (String(p.Value, pp) is { } url)
                        {
                            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                            {
                                t.BaseUrl = uri;
                            }
                            else
                            {
                                Error(pp, $"'{url}' is not an http(s) URL");
                            }
                        }

                        break;
                    case "api_key_env":
                        t.ApiKeyEnv = String(p.Value, pp) ?? t.ApiKeyEnv;
                        break;
                    case "api_key_file":
                        t.ApiKeyFile = String(p.Value, pp);
                        break;
                    case "profiles":
                        t.Profiles = String(p.Value, pp) ?? t.Profiles;
                        break;
                    case "use_max_completion_tokens":
                        t.UseMaxCompletionTokens = Bool(p.Value, pp) ?? false;
                        break;
                    case "tokenizer":
                        ReadTokenizers(p.Value, pp, t.Tokenizers);
                        break;
                    default:
                        Unknown(pp, "simulator, base_url, api_key_env, api_key_file, profiles, use_max_completion_tokens, tokenizer");
                        break;
                }
            }

            if (simulator && t.BaseUrl is not null)
            {
                Error(path, "give either \"simulator\": true or a base_url, not both");
            }

            return t;
        }

        private RequestShape ReadRequest(JsonElement e, string path)
        {
            var r = new RequestShape();
            if (!ExpectObject(e, path))
            {
                return r;
            }

            foreach (var p in e.EnumerateObject())
            {
                var pp = $"{path}.{p.Name}";
                switch (p.Name)
                {
                    case "prompt_tokens":
                        r.PromptTokens = Int(p.Value, pp) ?? r.PromptTokens;
                        break;
                    case "max_tokens":
                        r.MaxTokens = Int(p.Value, pp) ?? r.MaxTokens;
                        break;
                    case "system_prompt":
                        r.SystemPrompt = String(p.Value, pp);
                        break;
                    case "timeout_s":
                        r.TimeoutS = Number(p.Value, pp) ?? r.TimeoutS;
                        break;
                    default:
                        Unknown(pp, "prompt_tokens, max_tokens, system_prompt, timeout_s");
                        break;
                }
            }

            return r;
        }

        private WorkloadStep? ReadStep(JsonElement e, string path)
        {
            if (!ExpectObject(e, path))
            {
                return null;
            }

            var w = new WorkloadStep();
            var hasType = false;
            var typed = false;
            foreach (var p in e.EnumerateObject())
            {
                var pp = $"{path}.{p.Name}";
                switch (p.Name)
                {
                    case "type":
                        hasType = true;
                        var kindName = String(p.Value, pp);
                        var kind = Enum.GetValues<StepKind>().Where(k => Name(k) == kindName).Select(k => (StepKind?)k).FirstOrDefault();
                        if (kind is null)
                        {
                            if (kindName is not null)
                            {
                                Error(pp, $"unknown step type '{kindName}'; use one of {string.Join(", ", Enum.GetValues<StepKind>().Select(Name))}");
                            }
                        }
                        else
                        {
                            w.Kind = kind.Value;
                            typed = true;
                        }

                        break;
                    case "copies":
                        w.Copies = Int(p.Value, pp);
                        break;
                    case "iterations":
                        w.Iterations = Int(p.Value, pp);
                        break;
                    case "duration":
                        w.Duration = Duration(p.Value, pp);
                        break;
                    case "rate":
                        w.Rate = Number(p.Value, pp);
                        break;
                    case "interval":
                        w.Interval = Duration(p.Value, pp) ?? w.Interval;
                        break;
                    case "max_concurrency":
                        w.MaxConcurrency = Int(p.Value, pp);
                        break;
                    case "warmup":
                        w.Warmup = Bool(p.Value, pp) ?? false;
                        break;
                    case "start_rate":
                        w.StartRate = Number(p.Value, pp);
                        break;
                    case "max_rate":
                        w.MaxRate = Number(p.Value, pp);
                        break;
                    case "precision":
                        w.Precision = Number(p.Value, pp) ?? w.Precision;
                        break;
                    case "slo":
                        w.Slo = String(p.Value, pp);
                        break;
                    default:
                        Unknown(pp, "type, copies, iterations, duration, rate, interval, max_concurrency, warmup, start_rate, max_rate, precision, slo");
                        break;
                }
            }

            if (!hasType)
            {
                Error($"{path}.type", "is required");
            }

            if (!typed)
            {
                UntypedSteps.Add(path);
            }

            return w;
        }

        private SloSet? ReadSlo(JsonElement e, string path)
        {
            if (!ExpectObject(e, path))
            {
                return null;
            }

            var slo = new SloSet();
            foreach (var p in e.EnumerateObject())
            {
                var pp = $"{path}.{p.Name}";
                switch (p.Name)
                {
                    case "name":
                        slo.Name = String(p.Value, pp) ?? "";
                        break;
                    case "max_ms":
                        if (ExpectObject(p.Value, pp))
                        {
                            foreach (var m in p.Value.EnumerateObject())
                            {
                                if (Number(m.Value, $"{pp}.{m.Name}") is { } limit)
                                {
                                    slo.MaxMs[m.Name] = limit;
                                }
                            }
                        }

                        break;
                    case "percentile":
                        slo.Percentile = Number(p.Value, pp) ?? slo.Percentile;
                        break;
                    case "min_success_rate":
                        slo.MinSuccessRate = Number(p.Value, pp);
                        break;
                    default:
                        Unknown(pp, "name, max_ms, percentile, min_success_rate");
                        break;
                }
            }

            return slo;
        }

        private Mode ReadMode(JsonElement e, string path)
        {
            var text = String(e, path);
            if (text is not null && !Names.TryParseMode(text, out var mode))
            {
                Error(path, $"unknown mode '{text}'; use streaming or non-streaming");
                return default;
            }

            return Names.TryParseMode(text, out mode) ? mode : default;
        }

        private List<T> Array<T>(JsonElement e, string path, Func<JsonElement, string, T?> item)
        {
            var list = new List<T>();
            if (e.ValueKind != JsonValueKind.Array)
            {
                Error(path, $"expected an array, found {Kind(e)}");
                return list;
            }

            var i = 0;
            foreach (var element in e.EnumerateArray())
            {
                if (item(element, $"{path}[{i}]") is { } value)
                {
                    list.Add(value);
                }

                i++;
            }

            return list;
        }

        private T? Fail<T>(string path, string reason)
        {
            Error(path, reason);
            return default;
        }

        private bool ExpectObject(JsonElement e, string path)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                return true;
            }

            Error(path, $"expected an object, found {Kind(e)}");
            return false;
        }

        private string? String(JsonElement e, string path)
        {
            if (e.ValueKind == JsonValueKind.String)
            {
                return e.GetString();
            }

            if (e.ValueKind != JsonValueKind.Null)
            {
                Error(path, $"expected a string, found {Kind(e)}");
            }

            return null;
        }

        private bool? Bool(JsonElement e, string path)
        {
            if (e.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return e.GetBoolean();
            }

            Error(path, $"expected true or false, found {Kind(e)}");
            return null;
        }

        private int? Int(JsonElement e, string path)
        {
            if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var value))
            {
                return value;
            }

            Error(path, $"expected a whole number, found {Kind(e)}");
            return null;
        }

        private double? Number(JsonElement e, string path)
        {
            if (e.ValueKind == JsonValueKind.Number)
            {
                return e.GetDouble();
            }

            Error(path, $"expected a number, found {Kind(e)}");
            return null;
        }

        private TimeSpan? Duration(JsonElement e, string path)
        {
            if (e.ValueKind == JsonValueKind.Number)
            {
                return TimeSpan.FromSeconds(e.GetDouble());
            }

            if (e.ValueKind == JsonValueKind.String && Durations.TryParse(e.GetString(), out var d))
            {
                return d;
            }

            Error(path, $"expected a duration like \"30s\", \"2m\", \"500ms\" or a number of seconds, found {Kind(e)}");
            return null;
        }

        private void Unknown(string path, string known) => Error(path, $"unknown field; known fields here: {known}");

        private static string Kind(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.String => $"the string \"{Truncate(e.GetString())}\"",
            JsonValueKind.Number => $"the number {e.GetRawText()}",
            JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
            JsonValueKind.Null => "null",
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => e.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture),
        };

        private static string? Truncate(string? s) => s is { Length: > 40 } ? s[..40] + "…" : s;
    }
}
