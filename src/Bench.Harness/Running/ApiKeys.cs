using Bench.Core.Client;
using Bench.Core.Configuration;
using Bench.Core.Planning;
using Bench.Core.Scenarios;

namespace Bench.Harness.Running;

/// <summary>Reads an endpoint's API key from the environment variable or file a scenario names, or knows it has none
/// (a keyless target). The key itself is never printed, logged or written to results; errors name only where it was
/// looked for (the variable, the file and the scenario field or flag), never what was found there.</summary>
internal static class ApiKeys
{
    /// <param name="target">The planned target (flags already applied).</param>
    /// <param name="scenarioFile">The scenario file, named in errors about its fields.</param>
    /// <param name="overrides">The flags: an error about a value a flag gave names the flag, not the file.</param>
    /// <exception cref="ConfigException">The variable is unset/empty, or the file is missing, unreadable or empty, or the
    /// key has control characters.</exception>
    public static string Read(TargetSpec target, string? scenarioFile, PlanOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(overrides);
        var source = target.ApiKeyFile is { } file ? KeySource.FromFile(file, overrides.ApiKeyFile is not null) : KeySource.FromEnv(target.ApiKeyEnv, overrides.ApiKeyEnv is not null);
        return Read(source, scenarioFile, "$.target")!;
    }

    /// <summary>Reads a key from <paramref name="source"/>: the environment variable's value, the file's first line
    /// (both trimmed), or null for <see cref="KeySource.Keyless"/>.</summary>
    /// <param name="source">Where the key is.</param>
    /// <param name="scenarioFile">The scenario file, named in errors about its fields (<c>&lt;target&gt;</c> when
    /// null).</param>
    /// <param name="targetPath">The JSON path of the target in the scenario (<c>$.target</c>, <c>$.targets[1]</c>); the
    /// error names <c>{targetPath}.api_key_env</c> or <c>{targetPath}.api_key_file</c>.</param>
    /// <returns>The key; null for a keyless target.</returns>
    /// <exception cref="ConfigException">The variable is unset or empty; the file is missing, a directory, unreadable or
    /// has an empty first line; the key contains control characters. The message never shows the key.</exception>
    public static string? Read(KeySource source, string? scenarioFile, string targetPath)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(targetPath);
        if (source.File is { } file)
        {
            ConfigException Refuse(string reason) =>
                new([Error(source.FromFlag, "--api-key-file", scenarioFile, targetPath + ".api_key_file", reason)]);

            string? firstLine;
            try
            {
                firstLine = File.Exists(file) ? File.ReadLines(file).FirstOrDefault()?.Trim() : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
            {
                throw Refuse($"'{file}' cannot be read ({e.GetType().Name}); make it readable and put the API key on its first line");
            }

            if (string.IsNullOrEmpty(firstLine))
            {
                throw Refuse($"'{file}' is missing or empty; put the API key on its first line");
            }

            return HasControlCharacters(firstLine)
                ? throw Refuse($"the key on the first line of '{file}' contains control characters; it cannot be sent in a header")
                : firstLine;
        }

        if (source.Env is { } name)
        {
            var value = Environment.GetEnvironmentVariable(name)?.Trim();
            ConfigException Refuse(string reason) =>
                new([Error(source.FromFlag, "--api-key-env", scenarioFile, targetPath + ".api_key_env", reason)]);
            if (string.IsNullOrEmpty(value))
            {
                throw Refuse($"the environment variable {name} is not set; export it with the endpoint's API key (or pass --api-key-env NAME)");
            }

            return HasControlCharacters(value)
                ? throw Refuse($"the environment variable {name} contains control characters (a pasted line break?); it cannot be sent in a header")
                : value;
        }

        return null;
    }

    private static bool HasControlCharacters(string key) => key.AsSpan().ContainsAnyInRange('\0', '\u001f') || key.Contains('\u007f', StringComparison.Ordinal);

    /// <summary>An error about a target field, placed where its value came from: the flag on the command line, else the
    /// scenario file's field (<c>&lt;target&gt;</c> for a scenario built in code).</summary>
    private static ConfigError Error(bool fromFlag, string flag, string? scenarioFile, string path, string reason) =>
        fromFlag ? new ConfigError(PlanOverrides.CommandLine, flag, reason) : new ConfigError(scenarioFile ?? "<target>", path, reason);

    /// <summary>Refuses a base URL a key must not travel to: credentials in its user-info (Bench sends the key as a
    /// Bearer header, and a URL's user-info is shown in too many places to hold a secret), or plain <c>http://</c> to a
    /// host that is not loopback unless <paramref name="allowInsecureHttp"/> (<c>--allow-insecure-http</c>). Checked
    /// before anything is sent, the preflight included.</summary>
    /// <exception cref="ConfigException">One of the two (the URL shown redacted).</exception>
    public static void CheckTransport(string? scenarioFile, PlanOverrides overrides, Uri baseUrl, bool allowInsecureHttp) =>
        CheckTransport(scenarioFile, overrides, baseUrl, allowInsecureHttp, carriesSecret: true, "$.target");

    /// <summary>As <see cref="CheckTransport(string?, PlanOverrides, Uri, bool)"/> for one target of several: plain
    /// <c>http://</c> to a host that is not loopback is refused only when the target <paramref name="carriesSecret"/> (a
    /// key, or an extra header that authenticates) — a keyless target without such a header sends nothing to steal.
    /// Credentials in the URL's user-info are always refused.</summary>
    /// <param name="scenarioFile">The scenario file, named in errors.</param>
    /// <param name="overrides">The flags (<c>--base-url</c> names the flag in errors).</param>
    /// <param name="baseUrl">The target's base URL.</param>
    /// <param name="allowInsecureHttp"><c>--allow-insecure-http</c>.</param>
    /// <param name="carriesSecret">Whether requests carry a key or a credential header.</param>
    /// <param name="targetPath">The target's JSON path (<c>$.target</c>, <c>$.targets[1]</c>).</param>
    /// <exception cref="ConfigException">Credentials in the URL, or a secret over plain HTTP to another host.</exception>
    public static void CheckTransport(string? scenarioFile, PlanOverrides overrides, Uri baseUrl, bool allowInsecureHttp, bool carriesSecret, string targetPath)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(targetPath);
        var fromFlag = overrides.BaseUrl is not null;
        if (BaseUrls.HasUserInfo(baseUrl))
        {
            throw new ConfigException([Error(fromFlag, "--base-url", scenarioFile, targetPath + ".base_url",
                $"{BaseUrls.Redact(baseUrl)} carries credentials before its host ('user:…@'); Bench does not send them. Remove them from the URL "
                + "and give the key through the environment variable (api_key_env, --api-key-env) or api_key_file, which Bench sends as 'Authorization: Bearer'.")]);
        }

        if (carriesSecret && BaseUrls.IsInsecure(baseUrl) && !allowInsecureHttp)
        {
            throw new ConfigException([Error(fromFlag, "--base-url", scenarioFile, targetPath + ".base_url",
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

/// <summary>Where a target's key comes from: an environment variable (<c>api_key_env</c>, <c>--api-key-env</c>), a file
/// whose first line is the key (<c>api_key_file</c>, <c>--api-key-file</c>), or nowhere (<see cref="Keyless"/>: a local
/// server that wants none; no key header is sent).</summary>
/// <param name="Env">The environment variable's name, or null.</param>
/// <param name="File">The file's path, or null (a file wins over a variable when both are given).</param>
/// <param name="FromFlag">Whether a command-line flag gave it (errors then name the flag, not the scenario field).</param>
internal sealed record KeySource(string? Env, string? File, bool FromFlag = false)
{
    /// <summary>No key.</summary>
    public static KeySource Keyless { get; } = new(null, null);

    /// <summary>Whether there is no key to read.</summary>
    public bool IsKeyless => Env is null && File is null;

    /// <summary>The key in environment variable <paramref name="name"/>.</summary>
    public static KeySource FromEnv(string name, bool fromFlag = false) => new(name, null, fromFlag);

    /// <summary>The key on the first line of <paramref name="path"/>.</summary>
    public static KeySource FromFile(string path, bool fromFlag = false) => new(null, path, fromFlag);
}
