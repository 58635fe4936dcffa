using System.Diagnostics;
using Bench.Core.Hosting;
using Bench.Core.Planning;
using Bench.Core.Scenarios;
using Bench.Harness.Running;
using Bench.Harness.SelfTest;

namespace Bench.Harness.Tests.Running;

/// <summary>
/// <c>bench run</c> in a process whose descriptor limit is lowered (<c>ulimit -n 300</c>: soft and hard, so neither the
/// runtime nor Bench can raise it): a workload that needs more connections than that is refused before anything is
/// sent, naming the field and the figures, rather than failing request by request.
/// </summary>
public sealed class DescriptorLimitRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-fd-limit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_MoreInFlightThanTheHardLimitAllows_Exits2_NamingTheField_BeforeSending()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return; // no RLIMIT_NOFILE to lower
        }

        Directory.CreateDirectory(Path.Combine(_dir, "profiles"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "profiles", "m.json"), SelfTestProfiles.ProfileJson("m", 10, 100, 2));
        var scenario = Path.Combine(_dir, "fd.json");
        await File.WriteAllTextAsync(scenario, """
            {
              "name": "fd",
              "target": { "simulator": true, "profiles": "profiles" },
              "models": ["m"],
              "modes": ["streaming"],
              "workload": [
                { "type": "iterations_for_constant", "copies": 2, "iterations": 2, "warmup": true },
                { "type": "iterations_for_constant", "copies": 1000, "iterations": 1000 }
              ]
            }
            """);
        var results = Path.Combine(_dir, "results");

        var (exit, stdout, stderr) = await RunUnderLimitAsync(300, "run", scenario, "--out", results);

        Assert.True(exit == ExitCodes.BadInput, $"exit {exit}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        Assert.Contains($"{scenario}: $.workload[1].copies: 1,000 requests in flight with the simulator in this process need about 2,256 open file descriptors", stderr, StringComparison.Ordinal);
        Assert.Contains("RLIMIT_NOFILE soft 300, hard 300", stderr, StringComparison.Ordinal);
        Assert.Contains("(nothing was sent)", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(results) && Directory.EnumerateFileSystemEntries(results).Any(), "nothing is written");
    }

    [Fact]
    public void DescriptorShortfall_AShardHoldsItsShare_TheWholeDoesNot()
    {
        if (DescriptorLimit.Current() is not { Hard: < int.MaxValue / 8 } limits)
        {
            return; // no limit to exceed here (Windows, or a very high hard limit)
        }

        // A real endpoint (one descriptor per connection): 4 shards of (hard − reserve) connections each fit exactly.
        var copies = (int)(limits.Hard - DescriptorLimit.Reserve) * 4;
        var scenario = new Scenario
        {
            Target = new TargetSpec { BaseUrl = new Uri("http://127.0.0.1:1/v1/") },
            Workload = [new WorkloadStep { Kind = StepKind.KeepConstant, Copies = copies, Duration = TimeSpan.FromSeconds(1) }],
        };

        var whole = RunHarness.DescriptorShortfall(scenario, null, "s.json");
        var shard = RunHarness.DescriptorShortfall(scenario, new ShardSpec(1, 4), "s.json");

        Assert.NotNull(whole);
        Assert.Equal(("s.json", "$.workload[0].copies"), (whole.File, whole.Path));
        Assert.StartsWith(FormattableString.Invariant($"{copies:N0} requests in flight need about {copies + DescriptorLimit.Reserve:N0} open file descriptors"), whole.Reason, StringComparison.Ordinal);
        Assert.Null(shard);
        Assert.Contains("(this shard's share of 3)", RunHarness.DescriptorShortfall(scenario, new ShardSpec(1, 3), "s.json")!.Reason, StringComparison.Ordinal);
    }

    /// <summary>Runs the built <c>bench</c> under <c>sh -c 'ulimit -n N; exec …'</c>.</summary>
    private static async Task<(int Exit, string Stdout, string Stderr)> RunUnderLimitAsync(int limit, params string[] args)
    {
        var (fileName, prefix) = ChildSimulator.BenchExecutable();
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"ulimit -n {limit} && exec \"$@\"");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(fileName);
        foreach (var argument in prefix.Concat(args))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a guard against a hang, not a timing
        await process.WaitForExitAsync(hang.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
