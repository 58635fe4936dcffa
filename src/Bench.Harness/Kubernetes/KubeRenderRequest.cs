namespace Bench.Harness.Kubernetes;

/// <summary>What <c>bench kube render</c> was asked: the scenario, how many shards, the image, and where the manifests
/// go. <see cref="KubeHarness.Render"/> validates every field before anything is written.</summary>
public sealed record KubeRenderRequest
{
    /// <summary>The scenario file, read and validated by Bench's own loader (<c>ScenarioLoader</c>, <c>Plan.Create</c>).</summary>
    public required string ScenarioPath { get; init; }

    /// <summary>How many shards, one pod each: the Job's <c>completions</c> and <c>parallelism</c>, 1 to
    /// <see cref="Core.Planning.ShardSpec.MaxCount"/>.</summary>
    public required int Shards { get; init; }

    /// <summary>The container image holding <c>bench</c> (built from <c>deploy/container/Dockerfile</c>), e.g.
    /// <c>registry.example.com/bench:1.0</c>.</summary>
    public required string Image { get; init; }

    /// <summary>The run's name, a DNS-1123 label (lower-case letters, digits and '-', at most
    /// <see cref="KubeNames.MaxRunNameLength"/> characters so each pod's name <c>NAME-INDEX</c> stays a label):
    /// the Job's and the ConfigMap's names and the results folder <c>/results/NAME</c>. Null: <c>bench-</c> and the
    /// scenario's name.</summary>
    public string? Name { get; init; }

    /// <summary>The namespace written into both manifests; null: none (kubectl's current namespace).</summary>
    public string? Namespace { get; init; }

    /// <summary><c>NAME[:KEY]</c>: the Secret holding the API key(s). Null: <see cref="KubeManifests.DefaultSecretName"/>,
    /// each variable's key named as the variable (<c>OPENAI_API_KEY</c>). Refused when the scenario needs no key.</summary>
    public string? ApiKeySecret { get; init; }

    /// <summary>The ReadWriteMany PersistentVolumeClaim mounted at <c>/results</c>; null:
    /// <see cref="KubeManifests.DefaultClaimName"/>.</summary>
    public string? Claim { get; init; }

    /// <summary>How long after rendering the shards start together (<c>--start-at</c> = now + this, on the harness's
    /// clock, rounded up to the second): time to apply the manifests, schedule the pods and pull the image. Null: 2
    /// minutes.</summary>
    public TimeSpan? StartIn { get; init; }

    /// <summary>Where to write: a directory (existing, or ending in '/') gets <c>configmap.yaml</c> and
    /// <c>job.yaml</c>; any other path one file with both documents; null writes both documents to the output
    /// writer.</summary>
    public string? OutputPath { get; init; }
}
