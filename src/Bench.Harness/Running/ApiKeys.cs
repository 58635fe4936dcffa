using Bench.Core.Configuration;
using Bench.Core.Scenarios;

namespace Bench.Harness.Running;

/// <summary>Reads an endpoint's API key from the environment variable or file a scenario names. The key itself is
/// never printed, logged or written to results; errors name only where it was looked for.</summary>
internal static class ApiKeys
{
    /// <exception cref="ConfigException">The variable is unset/empty or the file is missing/empty.</exception>
    public static string Read(TargetSpec target)
    {
        if (target.ApiKeyFile is { } file)
        {
            var fromFile = File.Exists(file) ? File.ReadLines(file).FirstOrDefault()?.Trim() : null;
            return string.IsNullOrEmpty(fromFile)
                ? throw new ConfigException([new ConfigError("<target>", "$.target.api_key_file", $"'{file}' is missing or empty; put the API key on its first line")])
                : fromFile;
        }

        var value = Environment.GetEnvironmentVariable(target.ApiKeyEnv)?.Trim();
        return string.IsNullOrEmpty(value)
            ? throw new ConfigException([new ConfigError("<target>", "$.target.api_key_env", $"the environment variable {target.ApiKeyEnv} is not set; export it with the endpoint's API key (or pass --api-key-env NAME)")])
            : value;
    }
}
