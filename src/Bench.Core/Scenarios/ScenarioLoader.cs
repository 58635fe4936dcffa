using System.Text.Json;
using Bench.Core.Configuration;

namespace Bench.Core.Scenarios;

/// <summary>
/// Reads and validates scenario files with <see cref="ConfigReader"/>: JSON with comments and trailing commas, property
/// names the snake_case of <see cref="Scenario"/>'s (<c>scenarios/scenario.schema.json</c> describes the format).
/// Every error is collected — file, JSON path, reason — and thrown together as one <see cref="ConfigException"/>.
/// </summary>
public static class ScenarioLoader
{
    /// <summary>Loads and validates a scenario file.</summary>
    /// <exception cref="ConfigException">The file is missing, not JSON, or has invalid fields (all listed).</exception>
    public static Scenario Load(string path) => ConfigReader.Load<Scenario>(path);

    /// <summary>Parses and validates scenario JSON; <paramref name="file"/> names it in errors.</summary>
    /// <exception cref="ConfigException">The text is not JSON or has invalid fields (all listed).</exception>
    public static Scenario Parse(string json, string file) => ConfigReader.Parse<Scenario>(json, file);

    /// <summary>Checks every rule again (after command-line overrides).</summary>
    /// <exception cref="ConfigException">Some rule does not hold (all listed).</exception>
    public static void Validate(Scenario scenario, string file) => ConfigReader.Validate(scenario, file);

    /// <summary>Metric ids an SLO may bound: the catalogue's SLO-eligible distributions.</summary>
    public static IReadOnlyList<string> SloMetrics { get; } = [.. Metrics.Metric.SloEligible.Select(m => m.Id)];

    /// <summary>The file name of a step kind (<c>iterations_for_constant</c>).</summary>
    public static string Name(StepKind kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());
}
