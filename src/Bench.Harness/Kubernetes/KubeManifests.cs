using System.Globalization;
using k8s;
using k8s.Models;

namespace Bench.Harness.Kubernetes;

/// <summary>What one sharded run needs on Kubernetes, as the API's own models: a ConfigMap holding the scenario and an
/// Indexed Job whose pod <c>I</c> (0-based <c>JOB_COMPLETION_INDEX</c>) runs <c>bench run --shard I+1/N</c>.</summary>
/// <param name="ConfigMap">The scenario's text under <see cref="KubeManifests.ScenarioKey"/>.</param>
/// <param name="Job">The Indexed Job: N completions, N in parallel, no retry of a failed index.</param>
public sealed record KubeManifestSet(V1ConfigMap ConfigMap, V1Job Job)
{
    /// <summary>Both documents as YAML, ConfigMap first (what <c>kubectl apply -f</c> reads), by
    /// <see cref="KubernetesYaml.SerializeAll"/>.</summary>
    public string ToYaml() => KubernetesYaml.SerializeAll([ConfigMap, Job]);
}

/// <summary>Everything a shard's pod is told: the names, the image and the shared start. Built by
/// <see cref="KubeHarness.Render"/> from a validated scenario.</summary>
/// <param name="RunName">The run's DNS-1123 label (<see cref="KubeNames.RunNameProblem"/>): Job, ConfigMap
/// (<c>NAME-scenario</c>) and results folder <c>/results/NAME</c>.</param>
/// <param name="Namespace">The namespace, or null for kubectl's current one.</param>
/// <param name="Shards">N, 1 to <see cref="Core.Planning.ShardSpec.MaxCount"/>.</param>
/// <param name="Image">The container image holding bench.</param>
/// <param name="Claim">The ReadWriteMany PersistentVolumeClaim mounted at <see cref="KubeManifests.ResultsMount"/>.</param>
/// <param name="ScenarioName">The scenario's own name (an annotation only).</param>
/// <param name="ScenarioText">The scenario file's text, as validated.</param>
/// <param name="StartAt">The wall-clock time every shard starts at (<c>--start-at</c>), whole seconds, UTC.</param>
/// <param name="Keys">The API-key variables the scenario's targets read (<c>api_key_env</c>), each with the Secret and
/// key it comes from; empty for a scenario on the embedded simulator or keyless targets.</param>
public sealed record KubeRunSpec(
    string RunName,
    string? Namespace,
    int Shards,
    string Image,
    string Claim,
    string ScenarioName,
    string ScenarioText,
    DateTimeOffset StartAt,
    IReadOnlyList<KubeKeyRef> Keys);

/// <summary>One API-key environment variable of a shard's container, taken from a Secret by <c>secretKeyRef</c>.</summary>
/// <param name="Variable">The variable bench reads (the target's <c>api_key_env</c>, e.g. <c>OPENAI_API_KEY</c>).</param>
/// <param name="Secret">The Secret's name.</param>
/// <param name="Key">The key inside the Secret.</param>
public sealed record KubeKeyRef(string Variable, string Secret, string Key);

/// <summary>Builds the ConfigMap and the Indexed Job of one sharded run (<see cref="KubeRunSpec"/>) with
/// KubernetesClient's models.</summary>
public static class KubeManifests
{
    /// <summary>The ConfigMap key holding the scenario.</summary>
    public const string ScenarioKey = "scenario.json";

    /// <summary>Where the image holds bench (<c>deploy/container/Dockerfile</c> publishes to it); the shipped scenarios,
    /// profiles, datasets and traces are in <c>/app/scenarios</c>.</summary>
    public const string AppDirectory = "/app";

    /// <summary>Where the shared results volume is mounted; shard I writes <c>/results/NAME/shard-I</c>.</summary>
    public const string ResultsMount = "/results";

    /// <summary>The Secret name used when <c>--api-key-secret</c> is not given.</summary>
    public const string DefaultSecretName = "bench-api-key";

    /// <summary>The PersistentVolumeClaim used when <c>--pvc</c> is not given (<c>deploy/kubernetes/pvc.yaml</c>).</summary>
    public const string DefaultClaimName = "bench-results";

    /// <summary>The image's non-root user and group (the .NET images' <c>app</c> user, <c>APP_UID</c> 1654).</summary>
    public const long ImageUserId = 1654;

    /// <summary>CPU and memory for one client, requested and limited alike (Guaranteed QoS, so no shard is squeezed by
    /// a neighbour): 2 CPU, the machine one Bench client's ceiling was measured on, and 2 GiB.</summary>
    public const string Cpu = "2";

    /// <summary>Memory of one shard's container (request = limit).</summary>
    public const string Memory = "2Gi";

    /// <summary>The label every object and pod of a run carries, valued with the run's name.</summary>
    public const string InstanceLabel = "app.kubernetes.io/instance";

    /// <summary>Where a scenario sits in the shard's container: beside the shipped ones, so relative profiles,
    /// datasets and traces resolve to the copies in the image exactly as in the repository.</summary>
    public static string ScenarioPath(string runName) => $"{AppDirectory}/scenarios/{runName}.json";

    /// <summary>A shard's results folder, <c>/results/NAME/shard-I</c> (I from 1).</summary>
    public static string ShardFolder(string runName, int shard) => string.Create(CultureInfo.InvariantCulture, $"{ResultsMount}/{runName}/shard-{shard}");

    /// <summary>The shell command of pod <c>JOB_COMPLETION_INDEX</c> (0-based, set by Kubernetes in an Indexed Job):
    /// Bench's shard is the index + 1; the shell then <c>exec</c>s bench, so bench is the container's first process and
    /// receives SIGTERM itself. The shards meet before each step in <c>/results/NAME/.sync-START</c> on the shared
    /// volume (<c>--sync-dir</c>; named after the start, so a job applied again never meets an earlier one's arrivals).
    /// Refuses to run without the index.</summary>
    public static string ShardCommand(KubeRunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var startAt = spec.StartAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $": \"${{JOB_COMPLETION_INDEX:?is set by Kubernetes in an Indexed Job}}\" && shard=$((JOB_COMPLETION_INDEX + 1)) && "
            + $"exec bench run {ScenarioPath(spec.RunName)} --shard \"$shard/{spec.Shards}\" --start-at {startAt} "
            + $"--out \"{ResultsMount}/{spec.RunName}/shard-$shard\" --sync-dir \"{ResultsMount}/{spec.RunName}/.sync-{spec.StartAt.UtcDateTime:yyyyMMddTHHmmss}\"");
    }

    /// <summary>Builds the ConfigMap and the Job.</summary>
    public static KubeManifestSet Build(KubeRunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var labels = new Dictionary<string, string>
        {
            ["app.kubernetes.io/name"] = "bench",
            [InstanceLabel] = spec.RunName,
        };
        var configMapName = spec.RunName + "-scenario";
        var configMap = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = V1ConfigMap.KubeKind,
            Metadata = new V1ObjectMeta { Name = configMapName, NamespaceProperty = spec.Namespace, Labels = labels },
            Data = new Dictionary<string, string> { [ScenarioKey] = spec.ScenarioText },
        };

        var container = new V1Container
        {
            Name = "bench",
            Image = spec.Image,
            Command = ["/bin/sh", "-c"],
            Args = [ShardCommand(spec)],
            Env = spec.Keys.Count == 0
                ? null
                : [.. spec.Keys.Select(k => new V1EnvVar
                {
                    Name = k.Variable,
                    ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = k.Secret, Key = k.Key } },
                })],
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(Cpu), ["memory"] = new(Memory) },
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(Cpu), ["memory"] = new(Memory) },
            },
            VolumeMounts =
            [
                new V1VolumeMount { Name = "results", MountPath = ResultsMount },
                new V1VolumeMount { Name = "scenario", MountPath = ScenarioPath(spec.RunName), SubPath = ScenarioKey, ReadOnlyProperty = true },
            ],
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            },
        };

        var job = new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = V1Job.KubeKind,
            Metadata = new V1ObjectMeta
            {
                Name = spec.RunName,
                NamespaceProperty = spec.Namespace,
                Labels = labels,
                Annotations = new Dictionary<string, string>
                {
                    ["bench/scenario"] = spec.ScenarioName,
                    ["bench/shards"] = spec.Shards.ToString(CultureInfo.InvariantCulture),
                    ["bench/start-at"] = spec.StartAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    ["bench/results"] = $"{ResultsMount}/{spec.RunName}",
                },
            },
            Spec = new V1JobSpec
            {
                CompletionMode = "Indexed",
                Completions = spec.Shards,
                Parallelism = spec.Shards,
                // A failed shard stays failed (its index listed in status.failedIndexes) while the others finish: a
                // retry would start late, after the shared start, and be a different run.
                BackoffLimitPerIndex = 0,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        RestartPolicy = "Never",
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = true,
                            RunAsUser = ImageUserId,
                            RunAsGroup = ImageUserId,
                            FsGroup = ImageUserId,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        // One shard per node where the cluster can: two clients on one node share its CPU and network.
                        TopologySpreadConstraints =
                        [
                            new V1TopologySpreadConstraint
                            {
                                MaxSkew = 1,
                                TopologyKey = "kubernetes.io/hostname",
                                WhenUnsatisfiable = "ScheduleAnyway",
                                LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [InstanceLabel] = spec.RunName } },
                            },
                        ],
                        Containers = [container],
                        Volumes =
                        [
                            new V1Volume { Name = "results", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = spec.Claim } },
                            new V1Volume { Name = "scenario", ConfigMap = new V1ConfigMapVolumeSource { Name = configMapName } },
                        ],
                    },
                },
            },
        };
        return new KubeManifestSet(configMap, job);
    }
}
