using System.CommandLine;
using Bench.Core.Scenarios;
using Bench.Harness.Kubernetes;

namespace Bench.Cli.Commands;

/// <summary><c>bench kube render</c>: binds the flags to a <see cref="KubeRenderRequest"/> and calls
/// <see cref="KubeHarness.Render"/>.</summary>
internal static class KubeCommand
{
    /// <summary>Builds <c>bench kube</c> and its subcommand <c>render</c>; <paramref name="timeProvider"/> is the clock
    /// <c>--start-in</c> counts from (the system's when null).</summary>
    public static Command Create(TimeProvider? timeProvider = null)
    {
        var scenario = new Argument<string>("scenario") { Description = "Scenario file, validated as bench run --shard 1/N reads it." };
        var shards = new Option<int>("--shards") { Description = "How many shards (pods), 1-1000: the Job's completions and parallelism.", Required = true, HelpName = "N" };
        var image = new Option<string>("--image") { HelpName = "IMAGE", Description = "Container image holding bench (deploy/container/Dockerfile), e.g. registry.example.com/bench:1.0.", Required = true };
        var name = new Option<string?>("--name") { HelpName = "NAME", Description = "The run's name, a DNS-1123 label: Job, ConfigMap NAME-scenario, results /results/NAME (default bench-<scenario name>)." };
        var ns = new Option<string?>("--namespace") { HelpName = "NAMESPACE", Description = "Namespace written into the manifests (default: none, kubectl's current one)." };
        var secret = new Option<string?>("--api-key-secret")
        {
            Description = "The Secret holding the API key, read as the scenario target's api_key_env (default bench-api-key, key named as the variable, "
                + "e.g. OPENAI_API_KEY). A scenario on the embedded simulator needs none.",
            HelpName = "NAME[:KEY]",
        };
        var pvc = new Option<string?>("--pvc") { HelpName = "CLAIM", Description = "ReadWriteMany PersistentVolumeClaim mounted at /results (default bench-results, deploy/kubernetes/pvc.yaml)." };
        var startIn = new Option<TimeSpan?>("--start-in")
        {
            Description = "Start the shards together this long after rendering (--start-at = now + this): time to apply, schedule and pull; default 2m.",
            HelpName = "DURATION",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (Durations.TryParse(text, out var duration, out _))
                {
                    return duration;
                }

                result.AddError($"--start-in: '{text}' is not a duration such as 90s or 2m.");
                return null;
            },
        };
        var output = new Option<string?>("--out")
        {
            Description = "A directory (existing, or ending in /) gets configmap.yaml and job.yaml; another path one file with both; default: standard output.",
            HelpName = "FILE|DIR",
        };

        var render = new Command("render", "Render a scenario as a Kubernetes Indexed Job (one pod per shard, bench run --shard I/N, one shared --start-at, "
            + "results to /results/NAME/shard-I on a shared volume) and the ConfigMap holding the scenario. Exit codes: 0 written, 2 bad input (nothing written).")
        {
            scenario, shards, image, name, ns, secret, pvc, startIn, output,
        };
        render.SetAction(parse => KubeHarness.Render(
            new KubeRenderRequest
            {
                ScenarioPath = parse.GetValue(scenario)!,
                Shards = parse.GetValue(shards),
                Image = parse.GetValue(image)!,
                Name = parse.GetValue(name),
                Namespace = parse.GetValue(ns),
                ApiKeySecret = parse.GetValue(secret),
                Claim = parse.GetValue(pvc),
                StartIn = parse.GetValue(startIn),
                OutputPath = parse.GetValue(output),
            },
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            timeProvider));

        return new Command("kube", "Run Bench on Kubernetes: render an Indexed Job whose pods run the shards of one plan (collect and merge them with bench merge; "
            + "deploy/kubernetes/README.md).")
        {
            render,
        };
    }
}
