using System.Globalization;
using System.Runtime.CompilerServices;
using Bench.Cli.Tests.TestSupport;
using Bench.Harness;
using k8s;
using k8s.Models;

namespace Bench.Cli.Tests.Commands;

/// <summary><c>bench kube render</c> through the command line: flags bound, the manifests on standard output or in
/// files, bad input exit 2 with nothing written.</summary>
public sealed class KubeCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bench-kube-cli-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static string Repo([CallerFilePath] string here = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));

    private static string Poisson => Path.Combine(Repo(), "scenarios", "poisson.json");

    private static (int ExitCode, string Output, string Error) Run(params string[] args) => BenchCli.Run(["kube", "render", .. args]);

    [Fact]
    public void Render_WritesTheConfigMapAndAnIndexedJob_StartingAfterStartIn()
    {
        var before = DateTimeOffset.UtcNow;
        var (exitCode, output, error) = Run(Poisson, "--shards", "2", "--image", "registry.example.com/bench:1.0", "--start-in", "30s", "--name", "smoke");
        var after = DateTimeOffset.UtcNow;

        Assert.True(exitCode == 0, error);
        var documents = KubernetesYaml.LoadAllFromString(output, typeMap: null, strict: true);
        var job = Assert.Single(documents.OfType<V1Job>());
        Assert.Single(documents.OfType<V1ConfigMap>());
        Assert.Equal("smoke", job.Metadata.Name);
        Assert.Equal(("Indexed", 2, 2), (job.Spec.CompletionMode, job.Spec.Completions, job.Spec.Parallelism));
        Assert.Equal("registry.example.com/bench:1.0", Assert.Single(job.Spec.Template.Spec.Containers).Image);
        var startAt = DateTimeOffset.Parse(job.Metadata.Annotations["bench/start-at"], CultureInfo.InvariantCulture);
        Assert.InRange(startAt, before.AddSeconds(30).AddSeconds(-1), after.AddSeconds(31));
        Assert.Contains($"--start-at {job.Metadata.Annotations["bench/start-at"]}", job.Spec.Template.Spec.Containers[0].Args[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ToADirectory_WritesBothFiles()
    {
        var folder = Path.Combine(_folder.FullName, "manifests") + "/";

        var (exitCode, output, error) = Run(Poisson, "--shards", "3", "--image", "bench:test", "--out", folder);

        Assert.True(exitCode == 0, error);
        Assert.Contains("kubectl apply", output, StringComparison.Ordinal);
        Assert.Single(KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(folder, "configmap.yaml")), typeMap: null, strict: true).OfType<V1ConfigMap>());
        Assert.Equal(3, Assert.Single(KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(folder, "job.yaml")), typeMap: null, strict: true).OfType<V1Job>()).Spec.Parallelism);
    }

    [Theory]
    [InlineData("--shards", "2")]
    [InlineData("--image", "bench:test")]
    public void Render_WithoutARequiredFlag_Exit2(string flag, string value)
    {
        var (exitCode, output, error) = Run(Poisson, flag, value);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.DoesNotContain("kind: Job", output, StringComparison.Ordinal);
        Assert.Contains(flag == "--shards" ? "--image" : "--shards", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BadStartIn_Exit2()
    {
        var (exitCode, _, error) = Run(Poisson, "--shards", "2", "--image", "bench:test", "--start-in", "soon");

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("--start-in: 'soon'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BadScenario_Exit2_FileAndReasonNamed_NothingWritten()
    {
        var scenario = Path.Combine(_folder.FullName, "bad.json");
        File.WriteAllText(scenario, """{ "name": "bad", "workload": [ { "type": "poisson", "rate": -1, "duration": "10s" } ] }""");
        var outFile = Path.Combine(_folder.FullName, "out.yaml");

        var (exitCode, output, error) = Run(scenario, "--shards", "2", "--image", "bench:test", "--out", outFile);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains(scenario, error, StringComparison.Ordinal);
        Assert.Contains("$.workload[0].rate", error, StringComparison.Ordinal);
        Assert.Equal("", output);
        Assert.False(File.Exists(outFile));
    }

    [Fact]
    public void Kube_WithoutASubcommand_Exit2()
    {
        var (exitCode, _, _) = BenchCli.Run("kube");

        Assert.Equal(ExitCodes.BadInput, exitCode);
    }
}
