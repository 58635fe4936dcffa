using Bench.Core.Configuration;
using Bench.Core.Scenarios;

namespace Bench.Harness.Running;

/// <summary>Finds the scenario file a run reads.</summary>
public static class ScenarioFiles
{
    /// <summary>The default scenario, relative to the working directory or to the installed <c>bench</c>.</summary>
    public const string DefaultScenario = "scenarios/default.json";

    /// <summary>Finds the scenario file: the given path, else <c>scenarios/default.json</c> in the working
    /// directory, else the copy shipped next to the executable.</summary>
    /// <exception cref="ConfigException">The given file does not exist.</exception>
    public static string Locate(string? path)
    {
        if (path is not null)
        {
            return File.Exists(path)
                ? path
                : throw new ConfigException([new ConfigError(path, "$", "file not found")]);
        }

        var local = Path.GetFullPath(DefaultScenario);
        return File.Exists(local) ? local : Path.Combine(AppContext.BaseDirectory, DefaultScenario);
    }
}
