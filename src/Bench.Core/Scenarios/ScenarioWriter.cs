using System.Text.Json;
using System.Text.Json.Nodes;
using Bench.Core.Configuration;
using Bench.Core.Records;

namespace Bench.Core.Scenarios;

/// <summary>Writes a scenario back to JSON in the file format <see cref="ScenarioLoader"/> reads (for <c>run.json</c>),
/// each field under the name the reader derives from the model (<see cref="ConfigReader.JsonName"/>).</summary>
public static class ScenarioWriter
{
    /// <summary>The scenario as a JSON element (the API key is never part of a scenario; only its variable's name).</summary>
    public static JsonElement ToJson(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var request = new JsonObject
        {
            [Name<RequestShape>(nameof(RequestShape.PromptTokens))] = scenario.Request.PromptTokens,
            [Name<RequestShape>(nameof(RequestShape.MaxTokens))] = scenario.Request.MaxTokens,
            [Name<RequestShape>(nameof(RequestShape.SystemPrompt))] = scenario.Request.SystemPrompt,
            [Name<RequestShape>(nameof(RequestShape.TimeoutS))] = scenario.Request.TimeoutS,
            [Name<RequestShape>(nameof(RequestShape.ConnectTimeoutS))] = scenario.Request.ConnectTimeoutS,
            [Name<RequestShape>(nameof(RequestShape.FirstByteTimeoutS))] = scenario.Request.FirstByteTimeoutS,
            [Name<RequestShape>(nameof(RequestShape.IdleTimeoutS))] = scenario.Request.IdleTimeoutS,
        };

        // The caps are written only when a scenario changed them, so that run.json of an ordinary run reads as before.
        var defaults = new RequestShape();
        if (scenario.Request.MaxResponseBytes != defaults.MaxResponseBytes)
        {
            request[Name<RequestShape>(nameof(RequestShape.MaxResponseBytes))] = scenario.Request.MaxResponseBytes;
        }

        if (scenario.Request.MaxEventBytes != defaults.MaxEventBytes)
        {
            request[Name<RequestShape>(nameof(RequestShape.MaxEventBytes))] = scenario.Request.MaxEventBytes;
        }

        WriteSources(request, scenario.Request);

        if (scenario.Request.Conversation is { } conversation)
        {
            // Only with a conversation, so that run.json of an ordinary run reads as before; bench run --resume and
            // bench report see the sessions the run had.
            var spec = new JsonObject();
            if (conversation.Turns is { } turns)
            {
                spec[Name<ConversationSpec>(nameof(ConversationSpec.Turns))] = Distribution(turns);
            }

            if (conversation.ThinkTimeMs is { } think)
            {
                spec[Name<ConversationSpec>(nameof(ConversationSpec.ThinkTimeMs))] = Distribution(think);
            }

            request[Name<RequestShape>(nameof(RequestShape.Conversation))] = spec;
        }

        var root = new JsonObject
        {
            [Name<Scenario>(nameof(Scenario.Name))] = scenario.Name,
            [Name<Scenario>(nameof(Scenario.Description))] = scenario.Description,
            [Name<Scenario>(nameof(Scenario.Models))] = new JsonArray([.. scenario.Models.Select(m => JsonValue.Create(m))]),
            [Name<Scenario>(nameof(Scenario.Modes))] = new JsonArray([.. scenario.Modes.Select(m => JsonValue.Create(Names.Of(m)))]),
            [Name<Scenario>(nameof(Scenario.Request))] = request,
            [Name<Scenario>(nameof(Scenario.Workload))] = new JsonArray([.. scenario.Workload.Select(Step)]),
            [Name<Scenario>(nameof(Scenario.Slos))] = new JsonArray([.. scenario.Slos.Select(Slo)]),
            [Name<Scenario>(nameof(Scenario.Seed))] = scenario.Seed,
        };
        // The one form the scenario used: a run.json of a single-target run reads as before.
        if (scenario.Targets.Count > 0)
        {
            root.Insert(2, Name<Scenario>(nameof(Scenario.Targets)), new JsonArray([.. scenario.Targets.Select(Target)]));
        }
        else
        {
            root.Insert(2, Name<Scenario>(nameof(Scenario.Target)), Target(scenario.Target));
        }

        if (scenario.Repeat != 1)
        {
            // Only with replicates, so that run.json of a run without them reads as before.
            root[Name<Scenario>(nameof(Scenario.Repeat))] = scenario.Repeat;
        }

        if (scenario.Thresholds.Count > 0)
        {
            // Only with thresholds, so that run.json of a run without them reads as before; bench report judges them
            // again (the run's --threshold flags are among them).
            root[Name<Scenario>(nameof(Scenario.Thresholds))] = new JsonArray([.. scenario.Thresholds.Select(Threshold)]);
        }

        if (scenario.CellRequests.Count > 0)
        {
            // Only with per-cell requests, so that run.json of a run without them reads as before; bench run --resume
            // sends each cell what it sent.
            root[Name<Scenario>(nameof(Scenario.CellRequests))] = new JsonArray([.. scenario.CellRequests.Select(CellRequest)]);
        }

        if (scenario.Modes.Contains(Mode.BatchApi))
        {
            // Only with batch-api cells, so that run.json of a run without them reads as before; a resumed run
            // (bench run --resume) needs the batch settings it was planned with.
            root[Name<Scenario>(nameof(Scenario.Batch))] = Batch(scenario.Batch);
        }

        return JsonSerializer.SerializeToElement(root, JsonContext.Default.JsonObject);
    }

    /// <summary>A target's fields; those added with targets (name, protocol, headers, …) only when set, so a target
    /// without them is written as before.</summary>
    private static JsonObject Target(TargetSpec t)
    {
        var target = new JsonObject();
        Add(target, Name<TargetSpec>(nameof(TargetSpec.Name)), t.Name);
        if (t.IsSimulator)
        {
            target[Name<TargetSpec>(nameof(TargetSpec.Simulator))] = true;
            target[Name<TargetSpec>(nameof(TargetSpec.Profiles))] = t.Profiles;
            Add(target, Name<TargetSpec>(nameof(TargetSpec.AddedLatencyMs)), t.AddedLatencyMs);
        }
        else
        {
            target[Name<TargetSpec>(nameof(TargetSpec.BaseUrl))] = t.BaseUrl!.ToString();
        }

        if (t.Protocol != Wire.WireProtocol.OpenAiChat)
        {
            target[Name<TargetSpec>(nameof(TargetSpec.Protocol))] = Wire.WireProtocols.Name(t.Protocol);
        }

        if (t.Keyless)
        {
            target[Name<TargetSpec>(nameof(TargetSpec.Keyless))] = true;
        }
        else if (!t.IsSimulator)
        {
            target[Name<TargetSpec>(nameof(TargetSpec.ApiKeyEnv))] = t.ApiKeyEnv;
            Add(target, Name<TargetSpec>(nameof(TargetSpec.ApiKeyFile)), t.ApiKeyFile);
        }

        if (t.UseMaxCompletionTokens)
        {
            target[Name<TargetSpec>(nameof(TargetSpec.UseMaxCompletionTokens))] = true;
        }

        if (t.Tokenizers is { Count: > 0 } tokenizers)
        {
            target[Name<TargetSpec>(nameof(TargetSpec.Tokenizers))] = tokenizers.Count == 1 && tokenizers.TryGetValue("*", out var every)
                ? every
                : Strings(tokenizers);
        }

        if (t.Headers.Count > 0)
        {
            target[Name<TargetSpec>(nameof(TargetSpec.Headers))] = Strings(t.Headers);
        }

        if (t.Query.Count > 0)
        {
            target[Name<TargetSpec>(nameof(TargetSpec.Query))] = Strings(t.Query);
        }

        if (t.Body.Count > 0)
        {
            target[Name<TargetSpec>(nameof(TargetSpec.Body))] = new JsonObject([.. t.Body.Select(kv => KeyValuePair.Create(kv.Key, JsonNode.Parse(kv.Value.GetRawText())))]);
        }

        if (t.ModelMap.Count > 0)
        {
            target[Name<TargetSpec>(nameof(TargetSpec.ModelMap))] = Strings(t.ModelMap);
        }

        if (t.Models is { } models)
        {
            target[Name<TargetSpec>(nameof(TargetSpec.Models))] = new JsonArray([.. models.Select(m => JsonValue.Create(m))]);
        }

        if (t.Billing is { } b)
        {
            var billing = new JsonObject { [Name<Pricing.TargetBilling>(nameof(Pricing.TargetBilling.Currency))] = b.Currency };
            Add(billing, Name<Pricing.TargetBilling>(nameof(Pricing.TargetBilling.UnitsPerListUsd)), b.UnitsPerListUsd);
            Add(billing, Name<Pricing.TargetBilling>(nameof(Pricing.TargetBilling.MarketUnitsPerUsd)), b.MarketUnitsPerUsd);
            Add(billing, Name<Pricing.TargetBilling>(nameof(Pricing.TargetBilling.PriceFile)), b.PriceFile);
            target[Name<TargetSpec>(nameof(TargetSpec.Billing))] = billing;
        }

        return target;
    }

    private static JsonObject Strings(IReadOnlyDictionary<string, string> entries) =>
        new([.. entries.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]);

    private static JsonObject Batch(BatchSpec b)
    {
        var o = new JsonObject();
        Add(o, Name<BatchSpec>(nameof(BatchSpec.PollIntervalS)), b.PollIntervalS);
        o[Name<BatchSpec>(nameof(BatchSpec.MaxPollIntervalS))] = b.MaxPollIntervalS;
        o[Name<BatchSpec>(nameof(BatchSpec.TimeoutS))] = b.TimeoutS;
        o[Name<BatchSpec>(nameof(BatchSpec.OnTimeout))] = b.OnTimeout == BatchTimeoutAction.Leave ? "leave" : "cancel";
        o[Name<BatchSpec>(nameof(BatchSpec.CompletionWindow))] = b.CompletionWindow;
        Add(o, Name<BatchSpec>(nameof(BatchSpec.Lines)), b.Lines);
        Add(o, Name<BatchSpec>(nameof(BatchSpec.TimeScale)), b.TimeScale);
        return o;
    }

    private static JsonObject Step(WorkloadStep w)
    {
        var o = new JsonObject { [Name<WorkloadStep>(nameof(WorkloadStep.Kind))] = ScenarioLoader.Name(w.Kind) };
        Add(o, Name<WorkloadStep>(nameof(WorkloadStep.Copies)), w.Copies);
        Add(o, Name<WorkloadStep>(nameof(WorkloadStep.Iterations)), w.Iterations);
        if (w.Duration is { } d)
        {
            o[Name<WorkloadStep>(nameof(WorkloadStep.Duration))] = Durations.Format(d);
        }

        Add(o, Name<WorkloadStep>(nameof(WorkloadStep.Rate)), w.Rate);
        if (w.Interval != TimeSpan.FromSeconds(1))
        {
            o[Name<WorkloadStep>(nameof(WorkloadStep.Interval))] = Durations.Format(w.Interval);
        }

        Add(o, Name<WorkloadStep>(nameof(WorkloadStep.MaxConcurrency)), w.MaxConcurrency);
        Add(o, Name<WorkloadStep>(nameof(WorkloadStep.Burstiness)), w.Burstiness);
        if (w.Trace is { } trace)
        {
            var t = new JsonObject { [Name<TraceSpec>(nameof(TraceSpec.Path))] = trace.Path };
            t[Name<TraceSpec>(nameof(TraceSpec.Speedup))] = trace.Speedup;
            Add(t, Name<TraceSpec>(nameof(TraceSpec.Format)), trace.Format);
            o[Name<WorkloadStep>(nameof(WorkloadStep.Trace))] = t;
        }

        if (w.Warmup)
        {
            o[Name<WorkloadStep>(nameof(WorkloadStep.Warmup))] = true;
        }

        if (w.Kind == StepKind.Sweep)
        {
            Add(o, Name<WorkloadStep>(nameof(WorkloadStep.StartRate)), w.StartRate);
            Add(o, Name<WorkloadStep>(nameof(WorkloadStep.MaxRate)), w.MaxRate);
            o[Name<WorkloadStep>(nameof(WorkloadStep.Precision))] = w.Precision;
            if (w.Slo is { } slo)
            {
                o[Name<WorkloadStep>(nameof(WorkloadStep.Slo))] = slo;
            }
        }

        return o;
    }

    private static JsonObject Threshold(Thresholds.ThresholdSpec t)
    {
        var o = new JsonObject { [Name<Thresholds.ThresholdSpec>(nameof(Thresholds.ThresholdSpec.Expression))] = t.Expression };
        if (t.Cells.Count > 0)
        {
            o[Name<Thresholds.ThresholdSpec>(nameof(Thresholds.ThresholdSpec.Cells))] = new JsonArray([.. t.Cells.Select(c => JsonValue.Create(c))]);
        }

        if (t.AbortOnFail)
        {
            o[Name<Thresholds.ThresholdSpec>(nameof(Thresholds.ThresholdSpec.AbortOnFail))] = true;
        }

        return o;
    }

    private static JsonObject Slo(SloSet s)
    {
        var o = new JsonObject { [Name<SloSet>(nameof(SloSet.Name))] = s.Name };
        if (s.MaxMs.Count > 0)
        {
            var max = new JsonObject();
            foreach (var (metric, limit) in s.MaxMs)
            {
                max[metric] = limit;
            }

            o[Name<SloSet>(nameof(SloSet.MaxMs))] = max;
        }

        o[Name<SloSet>(nameof(SloSet.Percentile))] = s.Percentile;
        Add(o, Name<SloSet>(nameof(SloSet.MinSuccessRate)), s.MinSuccessRate);
        Add(o, Name<SloSet>(nameof(SloSet.Share)), s.Share);
        Add(o, Name<SloSet>(nameof(SloSet.MonthlyRequests)), s.MonthlyRequests);
        Add(o, Name<SloSet>(nameof(SloSet.MaxTurnaroundH)), s.MaxTurnaroundH);
        return o;
    }

    /// <summary>Issue 15's prompt-source fields, each only when given (so run.json of a classic run reads as before);
    /// the dataset's path as the plan resolved it (absolute).</summary>
    /// <summary>A <c>cell_requests</c> entry: its selectors and the fields it gives (those left out stay out).</summary>
    private static JsonObject CellRequest(CellRequestSpec spec)
    {
        var given = spec.Request;
        var request = new JsonObject();
        Add(request, Name<CellRequestShape>(nameof(CellRequestShape.PromptTokens)), given.PromptTokens);
        Add(request, Name<CellRequestShape>(nameof(CellRequestShape.MaxTokens)), given.MaxTokens);
        Add(request, Name<CellRequestShape>(nameof(CellRequestShape.SystemPrompt)), given.SystemPrompt);
        if (given.IgnoreEos is { } ignoreEos)
        {
            request[Name<CellRequestShape>(nameof(CellRequestShape.IgnoreEos))] = ignoreEos;
        }

        // The distributions, prefix and dataset under the same names as the scenario's request.
        WriteSources(request, new RequestShape { InputTokens = given.InputTokens, OutputTokens = given.OutputTokens, SharedPrefix = given.SharedPrefix, Dataset = given.Dataset });
        return new JsonObject
        {
            [Name<CellRequestSpec>(nameof(CellRequestSpec.Cells))] = new JsonArray([.. spec.Cells.Select(c => JsonValue.Create(c))]),
            [Name<CellRequestSpec>(nameof(CellRequestSpec.Request))] = request,
        };
    }

    private static void WriteSources(JsonObject request, RequestShape shape)
    {
        if (shape.InputTokens is { } input)
        {
            request[Name<RequestShape>(nameof(RequestShape.InputTokens))] = Distribution(input);
        }

        if (shape.OutputTokens is { } output)
        {
            request[Name<RequestShape>(nameof(RequestShape.OutputTokens))] = Distribution(output);
        }

        if (shape.IgnoreEos)
        {
            request[Name<RequestShape>(nameof(RequestShape.IgnoreEos))] = true;
        }

        if (shape.SharedPrefix is { } prefix)
        {
            request[Name<RequestShape>(nameof(RequestShape.SharedPrefix))] = new JsonObject
            {
                [Name<SharedPrefixSpec>(nameof(SharedPrefixSpec.Tokens))] = prefix.Tokens,
                [Name<SharedPrefixSpec>(nameof(SharedPrefixSpec.Fraction))] = prefix.Fraction,
                [Name<SharedPrefixSpec>(nameof(SharedPrefixSpec.Groups))] = prefix.Groups,
            };
        }

        if (shape.Dataset is { } dataset)
        {
            var o = new JsonObject { [Name<DatasetSpec>(nameof(DatasetSpec.Path))] = dataset.Path };
            Add(o, Name<DatasetSpec>(nameof(DatasetSpec.Format)), dataset.Format);
            request[Name<RequestShape>(nameof(RequestShape.Dataset))] = o;
        }
    }

    /// <summary>A length distribution as the reader reads it.</summary>
    internal static JsonObject Distribution(LengthDistribution d)
    {
        var o = new JsonObject
        {
            [Name<LengthDistribution>(nameof(LengthDistribution.Kind))] = d.Kind == DistributionKind.LogNormal ? "log_normal" : d.Kind.ToString().ToLowerInvariant(),
        };
        Add(o, Name<LengthDistribution>(nameof(LengthDistribution.Value)), d.Value);
        Add(o, Name<LengthDistribution>(nameof(LengthDistribution.Min)), d.Min);
        Add(o, Name<LengthDistribution>(nameof(LengthDistribution.Max)), d.Max);
        Add(o, Name<LengthDistribution>(nameof(LengthDistribution.Mean)), d.Mean);
        Add(o, Name<LengthDistribution>(nameof(LengthDistribution.Stddev)), d.Stddev);
        Add(o, Name<LengthDistribution>(nameof(LengthDistribution.Median)), d.Median);
        Add(o, Name<LengthDistribution>(nameof(LengthDistribution.Sigma)), d.Sigma);
        if (d.Bins.Count > 0)
        {
            o[Name<LengthDistribution>(nameof(LengthDistribution.Bins))] = new JsonArray([.. d.Bins.Select(b => (JsonNode)new JsonObject
            {
                [Name<HistogramBin>(nameof(HistogramBin.From))] = b.From,
                [Name<HistogramBin>(nameof(HistogramBin.To))] = b.To,
                [Name<HistogramBin>(nameof(HistogramBin.Weight))] = b.Weight,
            })]);
        }

        return o;
    }

    private static string Name<T>(string property) => ConfigReader.JsonName(typeof(T), property);

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

    private static void Add(JsonObject o, string name, decimal? value)
    {
        if (value is { } v)
        {
            o[name] = v;
        }
    }

    private static void Add(JsonObject o, string name, string? value)
    {
        if (value is not null)
        {
            o[name] = value;
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class JsonContext : System.Text.Json.Serialization.JsonSerializerContext;
