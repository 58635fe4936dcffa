using System.Text;
using Bench.Core.Client;
using Bench.Core.Configuration;
using Bench.Core.Planning;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;

namespace Bench.Harness.Running;

/// <summary>One target of a run, ready to be sent to: its scenario entry, its endpoint (base URL with the target's query,
/// key, protocol, headers, body fields, model map), and its embedded simulator when it is one.</summary>
/// <param name="Spec">The scenario's target (named).</param>
/// <param name="Endpoint">Where its requests go.</param>
/// <param name="ApiKey">Its key; null for a keyless target.</param>
/// <param name="Simulator">Its own embedded simulator, or null for a real endpoint.</param>
internal sealed record RunTarget(TargetSpec Spec, Endpoint Endpoint, string? ApiKey, SimulatorHost? Simulator)
{
    /// <summary>The target's name.</summary>
    public string Name => Spec.Name!;

    /// <summary>How run.json and the first output line show it: the redacted base URL, or the embedded simulator.</summary>
    public string Shown => Simulator is null ? BaseUrls.Redact(Endpoint.BaseAddress) : TargetInfo.EmbeddedSimulator;
}

/// <summary>
/// The targets of a run (<see cref="Scenario.EffectiveTargets"/>): each simulator target its own
/// <see cref="SimulatorHost"/> (its profiles, the scenario's faults and rate limits, its added latency), each real
/// target its key. Disposing stops the simulators.
/// </summary>
internal sealed class RunTargets : IAsyncDisposable
{
    private RunTargets(IReadOnlyList<RunTarget> targets) => All = targets;

    /// <summary>The targets, in the scenario's order.</summary>
    public IReadOnlyList<RunTarget> All { get; }

    /// <summary>The embedded simulators among them.</summary>
    public IEnumerable<SimulatorHost> Simulators => All.Select(t => t.Simulator).OfType<SimulatorHost>();

    /// <summary>Starts the simulators and reads the keys.</summary>
    /// <exception cref="ConfigException">A key that cannot be read, a profile missing, a key bound for a clear-text
    /// remote URL (nothing was sent).</exception>
    public static async Task<RunTargets> StartAsync(Scenario scenario, string? scenarioFile, RunRequest request,
        Action<Core.Faults.InjectionRecord> onInjected, Action<IReadOnlyList<ModelProfile>> profilesLoaded, CancellationToken cancellationToken)
    {
        var started = new List<RunTarget>();
        try
        {
            for (var i = 0; i < scenario.EffectiveTargets.Count; i++)
            {
                var spec = scenario.EffectiveTargets[i];
                var path = scenario.Targets.Count > 0 ? $"$.targets[{i}]" : "$.target";
                if (spec.IsSimulator)
                {
                    var profiles = LoadProfiles(spec, scenario.Models.Where(spec.Serves).ToList(), scenario.Models, scenarioFile);
                    profilesLoaded(profiles);
                    var apiKey = spec.Keyless ? null : "sk-sim-" + Guid.NewGuid().ToString("N");
                    var options = new SimulatorOptions
                    {
                        Profiles = profiles,
                        ApiKey = apiKey,
                        Seed = scenario.Seed,
                        TimeProvider = request.TimeProvider,
                        Faults = scenario.Faults,
                        RateLimits = scenario.RateLimits,
                        OnInjected = onInjected,
                        BatchTimeScale = scenario.Batch.EffectiveTimeScale,
                        AddedLatency = TimeSpan.FromMilliseconds(spec.AddedLatencyMs ?? 0),
                        Keyless = spec.Keyless,
                    };
                    request.SimulatorStarting?.Invoke(options);
                    var simulator = await SimulatorHost.StartAsync(options, cancellationToken).ConfigureAwait(false);
                    started.Add(new RunTarget(spec, Checked(EndpointOf(spec, simulator.BaseUrl, apiKey), scenarioFile, path), apiKey, simulator));
                }
                else
                {
                    // Where the key comes from, the flags naming themselves in errors (they apply to the single form only).
                    var source = spec.Keyless ? KeySource.Keyless
                        : spec.ApiKeyFile is { } file ? KeySource.FromFile(file, scenario.Targets.Count == 0 && request.Overrides.ApiKeyFile is not null)
                        : KeySource.FromEnv(spec.ApiKeyEnv, scenario.Targets.Count == 0 && request.Overrides.ApiKeyEnv is not null);
                    var apiKey = ApiKeys.Read(source, scenarioFile, path);
                    var endpoint = Checked(EndpointOf(spec, spec.BaseUrl!, apiKey), scenarioFile, path);
                    ApiKeys.CheckTransport(scenarioFile, request.Overrides, spec.BaseUrl!, request.AllowInsecureHttp, endpoint.CarriesSecret, path);
                    started.Add(new RunTarget(spec, endpoint, apiKey, null));
                }
            }
        }
        catch
        {
            await new RunTargets(started).DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new RunTargets(started);
    }

    /// <summary>run.json's <c>targets</c>.</summary>
    public List<TargetInfo> Describe() => [.. All.Select(t => new TargetInfo
    {
        Name = t.Name,
        Protocol = Core.Wire.WireProtocols.Name(t.Spec.Protocol),
        BaseUrl = t.Simulator is null ? BaseUrls.Redact(t.Endpoint.BaseAddress) : TargetInfo.EmbeddedSimulator,
        AddedLatencyMs = t.Spec.AddedLatencyMs,
        Keyless = t.Spec.Keyless ? true : null,
        Billing = t.Spec.Billing,
    })];

    /// <summary>The target's endpoint: its base URL with its query parameters added, its key, protocol, headers, body
    /// fields and model map.</summary>
    internal static Endpoint EndpointOf(TargetSpec spec, Uri baseUrl, string? apiKey)
    {
        var url = baseUrl;
        if (spec.Query.Count > 0)
        {
            var query = new StringBuilder(baseUrl.Query.TrimStart('?'));
            foreach (var (name, value) in spec.Query)
            {
                query.Append(query.Length == 0 ? "" : "&").Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            }

            url = new UriBuilder(baseUrl) { Query = query.ToString() }.Uri;
        }

        return new Endpoint(url, apiKey)
        {
            Protocol = spec.Protocol,
            Headers = spec.Headers,
            BodyFields = spec.Body,
            ModelNames = spec.ModelMap,
        };
    }

    /// <summary>The endpoint, once its headers, query and body fields are known to be sendable
    /// (<see cref="Endpoint.Validate"/>): a header that would repeat the key's, a body field Bench writes itself… is bad
    /// input at the target's path, before anything is sent.</summary>
    /// <exception cref="ConfigException">The target's extra headers, query or body fields are refused.</exception>
    private static Endpoint Checked(Endpoint endpoint, string? scenarioFile, string path)
    {
        try
        {
            endpoint.Validate();
            return endpoint;
        }
        catch (ArgumentException e)
        {
            throw new ConfigException([new ConfigError(scenarioFile ?? "<target>", path, e.Message)]);
        }
    }

    /// <summary>Profiles of a simulator target: every model it serves has one.</summary>
    private static IReadOnlyList<ModelProfile> LoadProfiles(TargetSpec spec, IReadOnlyList<string> served, IReadOnlyList<string> models, string? scenarioFile)
    {
        var folder = ScenarioFiles.LocateProfiles(spec.Profiles, scenarioFile);
        var profiles = ProfileLoader.LoadDirectory(folder);
        var known = profiles.Select(p => p.Model).ToHashSet(StringComparer.Ordinal);
        var errors = served
            .Where(m => !known.Contains(m))
            .Select(m => new ConfigError(scenarioFile ?? "<command line>", $"$.models[{IndexOf(models, m)}]",
                $"the simulator has no profile for '{m}' in {folder}; profiles: {string.Join(", ", known.Order())}"))
            .ToList();
        return errors.Count > 0 ? throw new ConfigException(errors) : profiles;
    }

    private static int IndexOf(IReadOnlyList<string> models, string model)
    {
        for (var i = 0; i < models.Count; i++)
        {
            if (models[i] == model)
            {
                return i;
            }
        }

        return -1;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var simulator in Simulators)
        {
            await simulator.DisposeAsync().ConfigureAwait(false);
        }
    }
}
