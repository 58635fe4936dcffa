using System.Globalization;
using Bench.Core.Configuration;
using Bench.Core.Planning;
using Bench.Core.Scenarios;
using Bench.Harness.Running;

namespace Bench.Harness.Kubernetes;

/// <summary><c>bench kube render</c>: turns a scenario into the Kubernetes manifests of a sharded run (a ConfigMap and an
/// Indexed Job, <see cref="KubeManifests"/>), after Bench's own loader has validated the scenario as
/// <c>bench run --shard 1/N</c> would.</summary>
public static class KubeHarness
{
    /// <summary>How long after rendering the shards start when <see cref="KubeRenderRequest.StartIn"/> is not given.</summary>
    public static readonly TimeSpan DefaultStartIn = TimeSpan.FromMinutes(2);

    /// <summary>The longest <see cref="KubeRenderRequest.StartIn"/>: a day.</summary>
    public static readonly TimeSpan MaxStartIn = TimeSpan.FromDays(1);

    /// <summary>The file names written into a directory given as <see cref="KubeRenderRequest.OutputPath"/>.</summary>
    public const string ConfigMapFile = "configmap.yaml";

    /// <summary>The Job's file name in an output directory.</summary>
    public const string JobFile = "job.yaml";

    /// <summary>Validates <paramref name="request"/> and the scenario, builds the manifests and writes them (to
    /// <paramref name="output"/> when no output path is given, else to the files, naming them on
    /// <paramref name="output"/>).</summary>
    /// <param name="request">What to render.</param>
    /// <param name="output">The YAML, or the files written.</param>
    /// <param name="error">Every problem, one per line: file (or <c>&lt;command line&gt;</c>), path or flag, reason; after a
    /// successful render, a <c>warning:</c> line per file the scenario names that the image does not ship.</param>
    /// <param name="timeProvider">The clock <c>--start-at</c> = now + start-in is read from (the system's when null).</param>
    /// <returns><see cref="ExitCodes.Success"/>, or <see cref="ExitCodes.BadInput"/> with nothing written.</returns>
    public static int Render(KubeRenderRequest request, TextWriter output, TextWriter error, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        KubeManifestSet manifests;
        IReadOnlyList<ConfigError> notInImage;
        try
        {
            (var spec, notInImage) = Spec(request, timeProvider ?? TimeProvider.System);
            manifests = KubeManifests.Build(spec);
        }
        catch (ConfigException e)
        {
            error.WriteLine(e.Message);
            return ExitCodes.BadInput;
        }

        try
        {
            Write(request.OutputPath, manifests, Header(request), output);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"--out: cannot write {request.OutputPath}: {e.Message}");
            return ExitCodes.BadInput;
        }

        foreach (var warning in notInImage)
        {
            error.WriteLine($"warning: {warning.File}: {warning.Path}: {warning.Reason}");
        }

        return ExitCodes.Success;
    }

    /// <summary>Reads and checks everything the manifests are built from; every problem at once. Also returns the
    /// files the scenario names that the image does not ship (<see cref="ImageFiles.Missing"/>): warnings, since a
    /// team may mount them.</summary>
    /// <exception cref="ConfigException">A flag or the scenario is invalid.</exception>
    internal static (KubeRunSpec Spec, IReadOnlyList<ConfigError> NotInImage) Spec(KubeRenderRequest request, TimeProvider clock)
    {
        var errors = new List<ConfigError>();
        void Flag(string flag, string reason) => errors.Add(new ConfigError(PlanOverrides.CommandLine, flag, reason));

        if (request.Shards is < 1 or > ShardSpec.MaxCount)
        {
            Flag("--shards", string.Create(CultureInfo.InvariantCulture, $"{request.Shards}: need 1 to {ShardSpec.MaxCount} shards"));
        }

        if (string.IsNullOrWhiteSpace(request.Image) || request.Image.Any(char.IsWhiteSpace))
        {
            Flag("--image", $"'{request.Image}' is not an image reference such as registry.example.com/bench:1.0");
        }

        if (request.Name is { } name && KubeNames.RunNameProblem(name) is { } nameProblem)
        {
            Flag("--name", nameProblem);
        }

        if (request.Namespace is { } ns && !KubeNames.IsLabel(ns))
        {
            Flag("--namespace", $"'{ns}' is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit");
        }

        var claim = request.Claim ?? KubeManifests.DefaultClaimName;
        if (!KubeNames.IsLabel(claim))
        {
            Flag("--pvc", $"'{claim}' is not a DNS-1123 label naming a PersistentVolumeClaim");
        }

        var (secret, secretKey) = SplitSecret(request.ApiKeySecret, Flag);
        var startIn = request.StartIn ?? DefaultStartIn;
        if (startIn < TimeSpan.Zero || startIn > MaxStartIn)
        {
            Flag("--start-in", "must be from 0s to 24h");
        }

        // The scenario is read only when the flags are sound, as bench run reads it: file, JSON path and reason.
        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        var file = ScenarioFiles.Locate(request.ScenarioPath);
        var scenario = ScenarioLoader.Load(file);
        _ = Plan.Create(scenario, new PlanOverrides { Shard = new ShardSpec(1, request.Shards) }, file);
        var text = File.ReadAllText(file);

        var keyed = scenario.EffectiveTargets.Where(t => !t.IsSimulator && !t.Keyless).ToList();
        foreach (var (target, i) in keyed.Select((t, i) => (t, i)))
        {
            if (target.ApiKeyFile is not null)
            {
                errors.Add(new ConfigError(file, scenario.Targets.Count > 0 ? $"$.targets[{scenario.Targets.ToList().IndexOf(target)}].api_key_file" : "$.target.api_key_file",
                    "bench kube gives each shard its key from a Secret as the variable api_key_env; drop api_key_file (a file would have to be in every pod)"));
            }
        }

        var variables = keyed.Select(t => t.ApiKeyEnv).Distinct(StringComparer.Ordinal).ToList();
        if (variables.Count == 0 && request.ApiKeySecret is not null)
        {
            Flag("--api-key-secret", "the scenario's targets need no API key (the embedded simulator, or keyless)");
        }
        else if (variables.Count > 1 && secretKey is not null)
        {
            Flag("--api-key-secret", $"one KEY for {variables.Count} variables ({string.Join(", ", variables)}): give NAME only, and the Secret one key per variable, named as it");
        }

        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        var runName = request.Name ?? KubeNames.DefaultRunName(scenario.Name);
        var now = clock.GetUtcNow() + startIn;
        var startAt = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        if (startAt < now)
        {
            startAt += TimeSpan.FromSeconds(1);
        }

        return (new KubeRunSpec(runName, request.Namespace, request.Shards, request.Image, claim, scenario.Name, text, startAt,
            [.. variables.Select(v => new KubeKeyRef(v, secret, secretKey ?? v))]), ImageFiles.Missing(scenario, file));
    }

    private static (string Name, string? Key) SplitSecret(string? text, Action<string, string> flag)
    {
        if (text is null)
        {
            return (KubeManifests.DefaultSecretName, null);
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var (name, key) = colon < 0 ? (text, null) : (text[..colon], text[(colon + 1)..]);
        if (!KubeNames.IsLabel(name))
        {
            flag("--api-key-secret", $"'{name}' is not a DNS-1123 label naming a Secret (NAME[:KEY])");
        }

        if (key is not null && (key.Length is 0 or > 253 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            flag("--api-key-secret", $"'{key}' is not a Secret key: use letters, digits, '-', '_' or '.'");
        }

        return (name, key);
    }

    /// <summary>The comment every rendered file starts with: where it came from, and that it is rendered, not edited.</summary>
    internal static string Header(KubeRenderRequest request) => string.Create(CultureInfo.InvariantCulture,
        $"# Rendered by `bench kube render {Path.GetFileName(request.ScenarioPath)} --shards {request.Shards}`: edit the scenario and render again rather than this file.\n");

    private static void Write(string? path, KubeManifestSet manifests, string header, TextWriter output)
    {
        if (path is null)
        {
            output.Write(header + manifests.ToYaml());
            return;
        }

        if (Directory.Exists(path) || path.EndsWith('/') || path.EndsWith(Path.DirectorySeparatorChar))
        {
            Directory.CreateDirectory(path);
            var configMap = Path.Combine(path, ConfigMapFile);
            var job = Path.Combine(path, JobFile);
            File.WriteAllText(configMap, header + k8s.KubernetesYaml.SerializeAll([manifests.ConfigMap]));
            File.WriteAllText(job, header + k8s.KubernetesYaml.SerializeAll([manifests.Job]));
            output.WriteLine($"Wrote {configMap} and {job} (kubectl apply -f {configMap} -f {job}).");
            return;
        }

        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } parent)
        {
            Directory.CreateDirectory(parent);
        }

        File.WriteAllText(path, header + manifests.ToYaml());
        output.WriteLine($"Wrote {path} (kubectl apply -f {path}).");
    }
}
