using Bench.Core.Configuration;
using Bench.Core.Scenarios;

namespace Bench.Harness.Kubernetes;

/// <summary>The files a scenario names besides itself (datasets, traces, simulator profiles) that a shard's pod would
/// not find: in the pod the scenario sits at <c>/app/scenarios/NAME.json</c>, so a relative path resolves among the
/// files shipped with bench (<c>&lt;install&gt;/scenarios</c>, the same build as the image), and an absolute one must
/// exist in the container.</summary>
public static class ImageFiles
{
    /// <summary>One warning per path of <paramref name="scenario"/> that the image does not hold, as a
    /// <see cref="ConfigError"/> (file, JSON path, reason); empty when every file the scenario names ships.</summary>
    /// <param name="scenario">The scenario as read (paths as written).</param>
    /// <param name="file">The scenario's file, named in the warnings.</param>
    /// <param name="shipped">The folder holding the shipped scenarios (default <c>&lt;install&gt;/scenarios</c>).</param>
    public static IReadOnlyList<ConfigError> Missing(Scenario scenario, string file, string? shipped = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        shipped ??= Path.Combine(AppContext.BaseDirectory, "scenarios");
        var named = new List<(string Path, string Value, bool Folder)>();
        if (scenario.Request.Dataset?.Path is { Length: > 0 } dataset)
        {
            named.Add(("$.request.dataset.path", dataset, false));
        }

        for (var i = 0; i < scenario.CellRequests.Count; i++)
        {
            if (scenario.CellRequests[i].Request.Dataset?.Path is { Length: > 0 } cellDataset)
            {
                named.Add(($"$.cell_requests[{i}].request.dataset.path", cellDataset, false));
            }
        }

        for (var i = 0; i < scenario.Workload.Count; i++)
        {
            if (scenario.Workload[i].Trace?.Path is { Length: > 0 } trace)
            {
                named.Add(($"$.workload[{i}].trace.path", trace, false));
            }
        }

        var targets = scenario.Targets.Count > 0
            ? scenario.Targets.Select((t, i) => (Target: t, Path: $"$.targets[{i}].profiles"))
            : [(scenario.Target, "$.target.profiles")];
        named.AddRange(targets.Where(t => t.Target.IsSimulator).Select(t => (t.Path, t.Target.Profiles, true)));

        var warnings = new List<ConfigError>();
        foreach (var (path, value, folder) in named.Distinct())
        {
            if (Path.IsPathRooted(value))
            {
                warnings.Add(new ConfigError(file, path, $"'{value}' is an absolute path: it must exist in every shard's container (mount it there)"));
                continue;
            }

            var inImage = Path.GetFullPath(Path.Combine(shipped, value));
            if (folder ? !Directory.Exists(inImage) : !File.Exists(inImage))
            {
                var podPath = $"{KubeManifests.AppDirectory}/scenarios/{value.Replace('\\', '/')}";
                warnings.Add(new ConfigError(file, path,
                    $"'{value}' is not among the files the image ships: the pods look for {podPath}; add it under scenarios/ before building the image, or mount it there"));
            }
        }

        return warnings;
    }
}
