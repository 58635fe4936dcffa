using System.Text.Json;
using System.Text.Json.Nodes;
using Bench.Core.Records;

namespace Bench.Core.Scenarios;

/// <summary>Writes a scenario back to JSON in the file format <see cref="ScenarioLoader"/> reads (for <c>run.json</c>).</summary>
public static class ScenarioWriter
{
    /// <summary>The scenario as a JSON element (the API key is never part of a scenario; only its variable's name).</summary>
    public static JsonElement ToJson(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var target = new JsonObject();
        if (scenario.Target.IsSimulator)
        {
            target["simulator"] = true;
            target["profiles"] = scenario.Target.Profiles;
        }
        else
        {
            target["base_url"] = scenario.Target.BaseUrl!.ToString();
            target["api_key_env"] = scenario.Target.ApiKeyEnv;
            if (scenario.Target.ApiKeyFile is { } file)
            {
                target["api_key_file"] = file;
            }
        }

        if (scenario.Target.UseMaxCompletionTokens)
        {
            target["use_max_completion_tokens"] = true;
        }

        if (scenario.Target.Tokenizers is { Count: > 0 } tokenizers)
        {
            target["tokenizer"] = tokenizers.Count == 1 && tokenizers.TryGetValue("*", out var every)
                ? every
                : new JsonObject([.. tokenizers.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]);
        }

        var root = new JsonObject
        {
            ["name"] = scenario.Name,
            ["description"] = scenario.Description,
            ["target"] = target,
            ["models"] = new JsonArray([.. scenario.Models.Select(m => JsonValue.Create(m))]),
            ["modes"] = new JsonArray([.. scenario.Modes.Select(m => JsonValue.Create(Names.Of(m)))]),
            ["request"] = new JsonObject
            {
                ["prompt_tokens"] = scenario.Request.PromptTokens,
                ["max_tokens"] = scenario.Request.MaxTokens,
                ["system_prompt"] = scenario.Request.SystemPrompt,
                ["timeout_s"] = scenario.Request.TimeoutS,
            },
            ["workload"] = new JsonArray([.. scenario.Workload.Select(Step)]),
            ["slos"] = new JsonArray([.. scenario.Slos.Select(Slo)]),
            ["seed"] = scenario.Seed,
        };
        return JsonSerializer.SerializeToElement(root, JsonContext.Default.JsonObject);
    }

    private static JsonObject Step(WorkloadStep w)
    {
        var o = new JsonObject { ["type"] = ScenarioLoader.Name(w.Kind) };
        Add(o, "copies", w.Copies);
        Add(o, "iterations", w.Iterations);
        if (w.Duration is { } d)
        {
            o["duration"] = Durations.Format(d);
        }

        Add(o, "rate", w.Rate);
        if (w.Interval != TimeSpan.FromSeconds(1))
        {
            o["interval"] = Durations.Format(w.Interval);
        }

        Add(o, "max_concurrency", w.MaxConcurrency);
        if (w.Warmup)
        {
            o["warmup"] = true;
        }

        if (w.Kind == StepKind.Sweep)
        {
            Add(o, "start_rate", w.StartRate);
            Add(o, "max_rate", w.MaxRate);
            o["precision"] = w.Precision;
            if (w.Slo is { } slo)
            {
                o["slo"] = slo;
            }
        }

        return o;
    }

    private static JsonObject Slo(SloSet s)
    {
        var o = new JsonObject { ["name"] = s.Name };
        if (s.MaxMs.Count > 0)
        {
            var max = new JsonObject();
            foreach (var (metric, limit) in s.MaxMs)
            {
                max[metric] = limit;
            }

            o["max_ms"] = max;
        }

        o["percentile"] = s.Percentile;
        Add(o, "min_success_rate", s.MinSuccessRate);
        return o;
    }

    private static void Add(JsonObject o, string name, double? value)
    {
        if (value is { } v)
        {
            o[name] = v;
        }
    }

    private static void Add(JsonObject o, string name, int? value)
    {
        if (value is { } v)
        {
            o[name] = v;
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class JsonContext : System.Text.Json.Serialization.JsonSerializerContext;
