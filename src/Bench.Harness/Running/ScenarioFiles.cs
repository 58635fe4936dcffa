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

    /// <summary>
    /// Finds the simulator profiles folder a scenario names (<c>target.profiles</c>, default <c>profiles</c>): an
    /// absolute path as it is; a relative one beside the scenario file (the working directory when there is none) if
    /// that folder exists, else the built-in profiles shipped with <c>bench</c>
    /// (<c>&lt;install&gt;/scenarios/&lt;profiles&gt;</c>), so a scenario copied anywhere still runs.
    /// </summary>
    /// <exception cref="ConfigException">Neither folder exists (both named).</exception>
    public static string LocateProfiles(string profiles, string? scenarioFile)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var beside = scenarioFile is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(scenarioFile))!;
        var local = Path.GetFullPath(Path.Combine(beside, profiles));
        if (Directory.Exists(local) || Path.IsPathRooted(profiles))
        {
            return Directory.Exists(local)
                ? local
                : throw new ConfigException([new ConfigError(scenarioFile ?? "<command line>", "$.target.profiles", $"profiles folder {local} not found")]);
        }

        var builtIn = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "scenarios", profiles));
        return Directory.Exists(builtIn)
            ? builtIn
            : throw new ConfigException([new ConfigError(scenarioFile ?? "<command line>", "$.target.profiles",
                $"profiles folder '{profiles}' not found beside the scenario ({local}) nor among the built-in profiles ({builtIn})")]);
    }
}
