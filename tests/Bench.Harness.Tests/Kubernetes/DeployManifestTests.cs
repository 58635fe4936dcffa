using System.Text.RegularExpressions;
using Bench.Harness.Kubernetes;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using YamlDotNet.Core;

namespace Bench.Harness.Tests.Kubernetes;

/// <summary>deploy/kubernetes read as the API server and an operator would: strict KubernetesClient models, an Indexed
/// Job of N pods giving shards 1..N, the key only from a Secret, the results volume mounted; and equal to what
/// <c>bench kube render</c> gives for its example scenario.</summary>
public sealed partial class DeployManifestTests
{
    private const int ExampleShards = 4;
    private const string ExampleImage = "registry.example.com/bench:1.0";

    private static string[] YamlFileNames() => [.. Directory.GetFiles(KubeManifestReader.DeployFolder, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> YamlFiles() => [.. YamlFileNames()];

    [Fact]
    public void DeployFolder_HoldsTheManifestsAnOperatorApplies()
    {
        Assert.Equal(["collect-pod.yaml", "configmap.yaml", "job.yaml", "pvc.yaml"], YamlFileNames());
    }

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void EveryDocument_ParsesStrictlyIntoKubernetesModels(string file)
    {
        var documents = KubeManifestReader.LoadStrict(File.ReadAllText(Path.Combine(KubeManifestReader.DeployFolder, file)));

        Assert.NotEmpty(documents);
        Assert.All(documents, d => Assert.StartsWith("k8s.Models.V1", d.GetType().FullName, StringComparison.Ordinal));
    }

    [Fact]
    public void StrictReading_RefusesAnUnknownField()
    {
        // The strictness the theory above relies on: a misspelt field (completionsMode) fails, it is not dropped.
        var yaml = File.ReadAllText(Path.Combine(KubeManifestReader.DeployFolder, "job.yaml"))
            .Replace("  completionMode: Indexed", "  completionsMode: Indexed", StringComparison.Ordinal);

        Assert.ThrowsAny<YamlException>(() => KubeManifestReader.LoadStrict(yaml));
    }

    [Fact]
    public void Job_IsIndexed_NPodsAtOnce_AFailedShardNotRetried()
    {
        var job = ShippedJob();

        Assert.Equal("batch/v1", job.ApiVersion);
        Assert.Equal("Indexed", job.Spec.CompletionMode);
        Assert.Equal(ExampleShards, job.Spec.Completions);
        Assert.Equal(job.Spec.Completions, job.Spec.Parallelism);
        Assert.Equal(0, job.Spec.BackoffLimitPerIndex);
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        Assert.Equal(ExampleShards.ToString(System.Globalization.CultureInfo.InvariantCulture), job.Metadata.Annotations["bench/shards"]);
    }

    [Fact]
    public void Job_ShellGivesShards1ToN_ForIndexes0ToNMinus1_OneStartTime()
    {
        var job = ShippedJob();
        var starts = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < ExampleShards; index++)
        {
            var (exitCode, args, error) = KubeManifestReader.RunShard(job, index);

            Assert.True(exitCode == 0, error);
            Assert.Equal(["run", "/app/scenarios/bench-gateway-1200rps.json"], args.Take(2));
            Assert.Equal($"{index + 1}/{ExampleShards}", KubeManifestReader.After(args, "--shard"));
            Assert.Equal($"/results/bench-gateway-1200rps/shard-{index + 1}", KubeManifestReader.After(args, "--out"));
            starts.Add(KubeManifestReader.After(args, "--start-at"));
        }

        var startAt = Assert.Single(starts);
        Assert.Equal(job.Metadata.Annotations["bench/start-at"], startAt);
        Assert.True(DateTimeOffset.TryParse(startAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out _), startAt);
    }

    [Fact]
    public void Job_WithoutJobCompletionIndex_RefusesToRun()
    {
        var (exitCode, args, error) = KubeManifestReader.RunShard(ShippedJob(), index: null);

        Assert.NotEqual(0, exitCode);
        Assert.Empty(args);
        Assert.Contains("JOB_COMPLETION_INDEX", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Job_TakesTheKeyOnlyFromASecret()
    {
        var container = Assert.Single(ShippedJob().Spec.Template.Spec.Containers);

        var key = Assert.Single(container.Env);
        Assert.Equal("OPENAI_API_KEY", key.Name);
        Assert.Null(key.Value);
        Assert.Equal(KubeManifests.DefaultSecretName, key.ValueFrom.SecretKeyRef.Name);
        Assert.Equal("OPENAI_API_KEY", key.ValueFrom.SecretKeyRef.Key);
        Assert.DoesNotContain("sk-", File.ReadAllText(Path.Combine(KubeManifestReader.DeployFolder, "job.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void Job_MountsTheResultsClaimAndTheScenario_SizedForOneClient()
    {
        var pod = ShippedJob().Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        var claim = KubeManifestReader.LoadStrict(File.ReadAllText(Path.Combine(KubeManifestReader.DeployFolder, "pvc.yaml"))).OfType<V1PersistentVolumeClaim>().Single();
        var configMap = KubeManifestReader.ConfigMap(KubeManifestReader.LoadStrict(File.ReadAllText(Path.Combine(KubeManifestReader.DeployFolder, "configmap.yaml"))));

        var results = Assert.Single(container.VolumeMounts, m => m.MountPath == KubeManifests.ResultsMount);
        Assert.Equal(claim.Metadata.Name, Assert.Single(pod.Volumes, v => v.Name == results.Name).PersistentVolumeClaim.ClaimName);
        Assert.Contains("ReadWriteMany", claim.Spec.AccessModes);
        var scenario = Assert.Single(container.VolumeMounts, m => m.MountPath == "/app/scenarios/bench-gateway-1200rps.json");
        Assert.Equal(KubeManifests.ScenarioKey, scenario.SubPath);
        Assert.Equal(configMap.Metadata.Name, Assert.Single(pod.Volumes, v => v.Name == scenario.Name).ConfigMap.Name);
        Assert.Equal(File.ReadAllText(Path.Combine(KubeManifestReader.DeployFolder, "scenario.json")), configMap.Data[KubeManifests.ScenarioKey]);
        Assert.Equal(2m, container.Resources.Requests["cpu"].ToDecimal());
        Assert.Equal(container.Resources.Requests["cpu"], container.Resources.Limits["cpu"]);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
    }

    [Fact]
    public void ShippedManifests_AreWhatBenchKubeRenderGives_ModuloTheStartTime()
    {
        var folder = Directory.CreateTempSubdirectory("bench-kube-render-");
        try
        {
            var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exitCode = KubeHarness.Render(
                new KubeRenderRequest
                {
                    ScenarioPath = Path.Combine(KubeManifestReader.DeployFolder, "scenario.json"),
                    Shards = ExampleShards,
                    Image = ExampleImage,
                    OutputPath = folder.FullName + "/",
                },
                output, error, clock);

            Assert.True(exitCode == 0, error.ToString());
            foreach (var file in new[] { KubeHarness.ConfigMapFile, KubeHarness.JobFile })
            {
                // Regenerate with: bench kube render deploy/kubernetes/scenario.json --shards 4 --image registry.example.com/bench:1.0 --out deploy/kubernetes/
                Assert.Equal(
                    StartTime().Replace(File.ReadAllText(Path.Combine(KubeManifestReader.DeployFolder, file)), "START"),
                    StartTime().Replace(File.ReadAllText(Path.Combine(folder.FullName, file)), "START"));
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static V1Job ShippedJob() => KubeManifestReader.Job(KubeManifestReader.LoadStrict(File.ReadAllText(Path.Combine(KubeManifestReader.DeployFolder, "job.yaml"))));

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ|\.sync-\d{8}T\d{6}")]
    private static partial Regex StartTime();
}
