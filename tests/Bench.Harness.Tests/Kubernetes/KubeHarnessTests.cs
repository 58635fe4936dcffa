using Bench.Harness.Kubernetes;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Bench.Harness.Tests.Kubernetes;

/// <summary><c>bench kube render</c>'s entry point: the scenario validated by Bench's loader first, names, keys, the
/// shared start on the injected clock, and exit 2 with file, path and reason for bad input.</summary>
public sealed class KubeHarnessTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, 250, TimeSpan.Zero);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bench-kube-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static string Shipped(string name) => Path.Combine(KubeManifestReader.RepositoryRoot, "scenarios", name);

    private string Scenario(string json)
    {
        var path = Path.Combine(_folder.FullName, $"s{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static (int ExitCode, string Output, string Error) Render(KubeRenderRequest request, TimeProvider? clock = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = KubeHarness.Render(request, output, error, clock ?? new FakeTimeProvider(Now));
        return (exitCode, output.ToString(), error.ToString());
    }

    private static KubeRenderRequest Request(string scenario, int shards = 3) => new() { ScenarioPath = scenario, Shards = shards, Image = "bench:test" };

    [Fact]
    public void SimulatorScenario_RendersAJobOfNShards_NoSecret()
    {
        var (exitCode, output, error) = Render(Request(Shipped("poisson.json"), shards: 3));

        Assert.True(exitCode == 0, error);
        Assert.Equal("", error);
        var documents = KubeManifestReader.LoadStrict(output);
        var job = KubeManifestReader.Job(documents);
        Assert.Equal("bench-poisson", job.Metadata.Name);
        Assert.Equal(3, job.Spec.Completions);
        Assert.Equal(3, job.Spec.Parallelism);
        Assert.Equal("Indexed", job.Spec.CompletionMode);
        Assert.Null(Assert.Single(job.Spec.Template.Spec.Containers).Env);
        Assert.Equal(File.ReadAllText(Shipped("poisson.json")), KubeManifestReader.ConfigMap(documents).Data[KubeManifests.ScenarioKey]);
        for (var index = 0; index < 3; index++)
        {
            var (code, args, shError) = KubeManifestReader.RunShard(job, index);
            Assert.True(code == 0, shError);
            Assert.Equal($"{index + 1}/3", KubeManifestReader.After(args, "--shard"));
        }
    }

    [Fact]
    public void StartAt_IsNowPlusStartIn_RoundedUpToTheSecond_OnTheInjectedClock()
    {
        var request = Request(Shipped("poisson.json")) with { StartIn = TimeSpan.FromSeconds(90) };

        var (exitCode, output, error) = Render(request);

        Assert.True(exitCode == 0, error);
        var job = KubeManifestReader.Job(KubeManifestReader.LoadStrict(output));
        Assert.Equal("2026-12-01T10:01:31Z", job.Metadata.Annotations["bench/start-at"]);
        Assert.Equal("2026-12-01T10:01:31Z", KubeManifestReader.After(KubeManifestReader.RunShard(job, 0).BenchArgs, "--start-at"));
    }

    [Fact]
    public void TargetsWithTwoKeyVariables_EachFromTheSecret_UnderItsOwnName()
    {
        var scenario = Scenario("""
            {
              "name": "Two_Providers.v2",
              "targets": [
                { "name": "openai", "base_url": "https://api.openai.com/v1", "models": ["gpt-4.1"] },
                { "name": "anthropic", "base_url": "https://api.anthropic.com/v1", "protocol": "anthropic-messages", "models": ["claude-sonnet-4.5"] },
                { "name": "local", "simulator": true, "models": ["gpt-4.1"] }
              ],
              "models": ["gpt-4.1", "claude-sonnet-4.5"],
              "workload": [ { "type": "iterations_for_constant", "copies": 2, "iterations": 4 } ]
            }
            """);

        var (exitCode, output, error) = Render(Request(scenario) with { ApiKeySecret = "llm-keys", Namespace = "load" });

        Assert.True(exitCode == 0, error);
        var job = KubeManifestReader.Job(KubeManifestReader.LoadStrict(output));
        Assert.Equal("bench-two-providers-v2", job.Metadata.Name);
        Assert.Equal("load", job.Metadata.NamespaceProperty);
        var env = Assert.Single(job.Spec.Template.Spec.Containers).Env;
        Assert.Equal(["OPENAI_API_KEY", "ANTHROPIC_API_KEY"], env.Select(e => e.Name));
        Assert.All(env, e => Assert.Null(e.Value));
        Assert.All(env, e => Assert.Equal("llm-keys", e.ValueFrom.SecretKeyRef.Name));
        Assert.Equal(["OPENAI_API_KEY", "ANTHROPIC_API_KEY"], env.Select(e => e.ValueFrom.SecretKeyRef.Key));

        var (oneKey, _, oneKeyError) = Render(Request(scenario) with { ApiKeySecret = "llm-keys:api-key" });
        Assert.Equal(ExitCodes.BadInput, oneKey);
        Assert.Contains("--api-key-secret", oneKeyError, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretKey_IsTheOneGiven()
    {
        var (exitCode, output, error) = Render(Request(Path.Combine(KubeManifestReader.DeployFolder, "scenario.json")) with { ApiKeySecret = "gateway:token", Claim = "shared-results", Name = "nightly" });

        Assert.True(exitCode == 0, error);
        var job = KubeManifestReader.Job(KubeManifestReader.LoadStrict(output));
        var key = Assert.Single(Assert.Single(job.Spec.Template.Spec.Containers).Env).ValueFrom.SecretKeyRef;
        Assert.Equal(("gateway", "token"), (key.Name, key.Key));
        Assert.Equal("shared-results", Assert.Single(job.Spec.Template.Spec.Volumes, v => v.PersistentVolumeClaim is not null).PersistentVolumeClaim.ClaimName);
        Assert.Equal("/results/nightly/shard-1", KubeManifestReader.After(KubeManifestReader.RunShard(job, 0).BenchArgs, "--out"));
    }

    [Fact]
    public void InvalidScenario_Exit2_FileAndPathNamed_NothingWritten()
    {
        var scenario = Scenario("""{ "name": "x", "modles": ["gpt-4.1"] }""");
        var outFile = Path.Combine(_folder.FullName, "out.yaml");

        var (exitCode, output, error) = Render(Request(scenario) with { OutputPath = outFile });

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains(scenario, error, StringComparison.Ordinal);
        Assert.Contains("modles", error, StringComparison.Ordinal);
        Assert.Equal("", output);
        Assert.False(File.Exists(outFile));
    }

    [Theory]
    [InlineData("Bad_Name", null, null, 3, "--name")]
    [InlineData("a-name-of-sixty-one-characters-is-a-label-but-leaves-no-index", null, null, 3, "--name")]
    [InlineData(null, "Prod", null, 3, "--namespace")]
    [InlineData(null, null, "not/a/claim", 3, "--pvc")]
    [InlineData(null, null, null, 0, "--shards")]
    [InlineData(null, null, null, 1001, "--shards")]
    public void BadFlags_Exit2_FlagNamed(string? name, string? ns, string? claim, int shards, string flag)
    {
        var (exitCode, output, error) = Render(Request(Shipped("poisson.json"), shards) with { Name = name, Namespace = ns, Claim = claim });

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains($"<command line>", error, StringComparison.Ordinal);
        Assert.Contains(flag, error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public void SecretForASimulatorScenario_Exit2()
    {
        var (exitCode, _, error) = Render(Request(Shipped("poisson.json")) with { ApiKeySecret = "bench-api-key" });

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("--api-key-secret", error, StringComparison.Ordinal);
        Assert.Contains("need no API key", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ApiKeyFileTarget_Exit2_PathNamed()
    {
        var scenario = Scenario("""
            { "name": "f", "target": { "base_url": "https://api.openai.com/v1", "api_key_file": "/secrets/key" }, "models": ["gpt-4.1"],
              "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 2 } ] }
            """);

        var (exitCode, _, error) = Render(Request(scenario));

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("$.target.api_key_file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingScenario_Exit2()
    {
        var missing = Path.Combine(_folder.FullName, "nope.json");

        var (exitCode, _, error) = Render(Request(missing));

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains(missing, error, StringComparison.Ordinal);
    }

    [Fact]
    public void OutToAFile_BothDocuments_StartingWithTheRenderedHeader()
    {
        var outFile = Path.Combine(_folder.FullName, "run", "bench.yaml");

        var (exitCode, output, error) = Render(Request(Shipped("poisson.json")) with { OutputPath = outFile });

        Assert.True(exitCode == 0, error);
        Assert.Contains(outFile, output, StringComparison.Ordinal);
        var text = File.ReadAllText(outFile);
        Assert.StartsWith("# Rendered by `bench kube render poisson.json --shards 3`", text, StringComparison.Ordinal);
        var documents = KubeManifestReader.LoadStrict(text);
        Assert.Equal([typeof(V1ConfigMap), typeof(V1Job)], documents.Select(d => d.GetType()));
    }

    [Fact]
    public void ShippedDatasetAndProfiles_NoWarning()
    {
        var (exitCode, _, error) = Render(Request(Shipped("real-traffic.json")));

        Assert.True(exitCode == 0, error);
        Assert.Equal("", error);
    }

    [Fact]
    public void FilesTheImageDoesNotShip_AreWarnedOf_AtTheirPaths()
    {
        var dataset = Path.Combine(_folder.FullName, "own-prompts.jsonl");
        File.WriteAllText(dataset, "{\"messages\": [{\"role\": \"user\", \"content\": \"Where is my order?\"}]}\n");
        var scenario = Scenario($$"""
            { "name": "own", "target": { "simulator": true, "profiles": "{{Path.Combine(KubeManifestReader.RepositoryRoot, "scenarios", "profiles")}}" },
              "models": ["gpt-4.1"], "request": { "dataset": { "path": "own-prompts.jsonl" } },
              "workload": [ { "type": "iterations_for_constant", "copies": 1, "iterations": 2 } ] }
            """);

        var (exitCode, output, error) = Render(Request(scenario));

        Assert.True(exitCode == 0, error);
        Assert.NotEqual("", output);
        Assert.Contains($"warning: {scenario}: $.request.dataset.path: 'own-prompts.jsonl' is not among the files the image ships: the pods look for /app/scenarios/own-prompts.jsonl", error, StringComparison.Ordinal);
        Assert.Contains("$.target.profiles: '/", error, StringComparison.Ordinal);
        Assert.Contains("is an absolute path", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("poisson", "bench-poisson")]
    [InlineData("Gateway 1200 RPS", "bench-gateway-1200-rps")]
    [InlineData("--", "bench")]
    public void DefaultRunName_IsALabel(string scenarioName, string expected)
    {
        Assert.Equal(expected, KubeNames.DefaultRunName(scenarioName));
        Assert.True(KubeNames.IsLabel(expected));
    }

    [Fact]
    public void DefaultRunName_OfALongScenarioName_LeavesRoomForThePodIndex()
    {
        var name = KubeNames.DefaultRunName(new string('a', 100));

        Assert.Equal(KubeNames.MaxRunNameLength, name.Length);
        Assert.Null(KubeNames.RunNameProblem(name));
    }
}
