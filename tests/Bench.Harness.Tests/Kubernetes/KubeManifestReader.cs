using System.Diagnostics;
using System.Reflection;
using k8s;
using k8s.Models;

namespace Bench.Harness.Tests.Kubernetes;

/// <summary>Reads manifests as the API server would (KubernetesClient's models, unknown fields refused) and runs a
/// shard's shell command with /bin/sh for real.</summary>
internal static class KubeManifestReader
{
    /// <summary>The checkout's root, recorded at build time.</summary>
    public static string RepositoryRoot { get; } = typeof(KubeManifestReader).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "RepositoryRoot").Value!;

    /// <summary>deploy/kubernetes in the checkout.</summary>
    public static string DeployFolder { get; } = Path.Combine(RepositoryRoot, "deploy", "kubernetes");

    /// <summary>Every document of <paramref name="yaml"/>, each as its apiVersion/kind's model; strict: an unknown or
    /// duplicate field throws.</summary>
    public static List<object> LoadStrict(string yaml) => KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true);

    /// <summary>The one Job among <paramref name="documents"/>.</summary>
    public static V1Job Job(IEnumerable<object> documents) => Assert.Single(documents.OfType<V1Job>());

    /// <summary>The one ConfigMap among <paramref name="documents"/>.</summary>
    public static V1ConfigMap ConfigMap(IEnumerable<object> documents) => Assert.Single(documents.OfType<V1ConfigMap>());

    /// <summary>Runs the Job's container command (<c>/bin/sh -c SCRIPT</c>) as pod <paramref name="index"/> would (null:
    /// no JOB_COMPLETION_INDEX), with a stand-in <c>bench</c> first on the PATH that prints each argument on a line.
    /// Returns the shell's exit code and the arguments bench was given.</summary>
    public static (int ExitCode, IReadOnlyList<string> BenchArgs, string Error) RunShard(V1Job job, int? index)
    {
        var container = Assert.Single(job.Spec.Template.Spec.Containers);
        var folder = Directory.CreateTempSubdirectory("bench-kube-sh-");
        try
        {
            var fake = Path.Combine(folder.FullName, "bench");
            File.WriteAllText(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
            if (OperatingSystem.IsWindows())
            {
                Assert.Fail("the Job's command is /bin/sh, a Linux container's: run this test on Linux or macOS");
            }
            else
            {
                File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var start = new ProcessStartInfo(container.Command[0])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in container.Command.Skip(1).Concat(container.Args))
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment.Clear();
            start.Environment["PATH"] = folder.FullName + ":/usr/bin:/bin";
            if (index is { } i)
            {
                start.Environment["JOB_COMPLETION_INDEX"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Split('\n', StringSplitOptions.RemoveEmptyEntries), error.GetAwaiter().GetResult());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The value after <paramref name="flag"/> in <paramref name="args"/>.</summary>
    public static string After(IReadOnlyList<string> args, string flag)
    {
        var at = args.ToList().IndexOf(flag);
        Assert.True(at >= 0 && at + 1 < args.Count, $"{flag} not in: {string.Join(' ', args)}");
        return args[at + 1];
    }
}
