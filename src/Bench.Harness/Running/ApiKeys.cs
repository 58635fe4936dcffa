using Bench.Core.Client;
using Bench.Core.Configuration;
using Bench.Core.Planning;
using Bench.Core.Scenarios;

namespace Bench.Harness.Running;

/// <summary>Reads an endpoint's API key from the environment variable or file a scenario names. The key itself is
/// never printed, logged or written to results; errors name only where it was looked for.</summary>
internal static class ApiKeys
{
    /// <param name="target">The planned target (flags already applied).</param>
    /// <param name="scenarioFile">The scenario file, named in errors about its fields.</param>
    /// <param name="overrides">The flags: an error about a value a flag gave names the flag, not the file.</param>
    /// <exception cref="ConfigException">The variable is unset/empty or the file is missing/empty.</exception>
    public static string Read(TargetSpec target, string? scenarioFile, PlanOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(overrides);
        if (target.ApiKeyFile is { } file)
        {
            var fromFile = File.Exists(file) ? File.ReadLines(file).FirstOrDefault()?.Trim() : null;
            return string.IsNullOrEmpty(fromFile)
                ? throw new ConfigException([Error(overrides.ApiKeyFile is not null, "--api-key-file", scenarioFile, "$.target.api_key_file",
                    $"'{file}' is missing or empty; put the API key on its first line")])
                : fromFile;
        }

        var value = Environment.GetEnvironmentVariable(target.ApiKeyEnv)?.Trim();
        return string.IsNullOrEmpty(value)
            ? throw new ConfigException([Error(overrides.ApiKeyEnv is not null, "--api-key-env", scenarioFile, "$.target.api_key_env",
                $"the environment variable {target.ApiKeyEnv} is not set; export it with the endpoint's API key (or pass --api-key-env NAME)")])
            : value;
    }

    /// <summary>An error about a target field, placed where its value came from: the flag on the command line, else the
    /// scenario file's field (<c>&lt;target&gt;</c> for a scenario built in code).</summary>
    private static ConfigError Error(bool fromFlag, string flag, string? scenarioFile, string path, string reason) =>
        fromFlag ? new ConfigError(PlanOverrides.CommandLine, flag, reason) : new ConfigError(scenarioFile ?? "<target>", path, reason);

    /// <summary>Refuses a base URL a key must not travel to: credentials in its user-info (Bench sends the key as a
    /// Bearer header, and a URL's user-info is shown in too many places to hold a secret), or plain <c>http://</c> to a
    /// host that is not loopback unless <paramref name="allowInsecureHttp"/> (<c>--allow-insecure-http</c>). Checked
    /// before anything is sent, the preflight included.</summary>
    /// <exception cref="ConfigException">One of the two (the URL shown redacted).</exception>
    public static void CheckTransport(string? scenarioFile, PlanOverrides overrides, Uri baseUrl, bool allowInsecureHttp)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(baseUrl);
        var fromFlag = overrides.BaseUrl is not null;
        if (BaseUrls.HasUserInfo(baseUrl))
        {
            throw new ConfigException([Error(fromFlag, "--base-url", scenarioFile, "$.target.base_url",
                $"{BaseUrls.Redact(baseUrl)} carries credentials before its host ('user:…@'); Bench does not send them. Remove them from the URL "
                + "and give the key through the environment variable (api_key_env, --api-key-env) or api_key_file, which Bench sends as 'Authorization: Bearer'.")]);
        }

        if (BaseUrls.IsInsecure(baseUrl) && !allowInsecureHttp)
        {
            throw new ConfigException([Error(fromFlag, "--base-url", scenarioFile, "$.target.base_url",
                $"refusing to send the API key over plain HTTP to {baseUrl.Host}, which is not this machine: anyone on the network path can read it. "
                + "Use https://, or pass --allow-insecure-http if the network is trusted.")]);
        }
    }

    /// <summary>The scenario as it may be written to <c>run.json</c>: its base URL redacted
    /// (<see cref="BaseUrls.Redact"/>).</summary>
    public static Scenario Redacted(Scenario scenario) =>
        scenario.Target.BaseUrl is { } url && BaseUrls.Redact(url) is var shown && shown != url.AbsoluteUri
            ? scenario with { Target = scenario.Target with { BaseUrl = new Uri(shown) } }
            : scenario;
}
