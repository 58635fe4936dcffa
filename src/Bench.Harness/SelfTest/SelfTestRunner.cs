using System.Globalization;
using System.Reflection;
using Bench.Core.Results;

namespace Bench.Harness.SelfTest;

/// <summary>
/// <c>bench selftest</c> from start to end: the ground-truth and arrival-rate accuracy run (embedded simulator), the
/// client ceiling against the OpenAI SDK and wrk's run (child-process simulator), the checks, and the report files.
/// </summary>
public static class SelfTestRunner
{
    /// <summary>Runs the self-test, writes <c>selftest.json</c> and <c>selftest.md</c> and prints a summary.</summary>
    /// <returns><see cref="ExitCodes.Success"/> when every accuracy check passed, <see cref="ExitCodes.MeasuredFailure"/>
    /// when one failed, <see cref="ExitCodes.Interrupted"/> when cancelled (Ctrl-C).</returns>
    public static async Task<int> RunAsync(SelfTestOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var (result, _) = await RunAsync(options, output, cancellationToken).ConfigureAwait(false);
            return result.Passed ? ExitCodes.Success : ExitCodes.MeasuredFailure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Interrupted.").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>Runs everything, writes <c>selftest.json</c> and <c>selftest.md</c> and prints a summary.</summary>
    /// <returns>The results and the folder they were written to.</returns>
    internal static async Task<(SelfTestResult Result, string Directory)> RunAsync(SelfTestOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var started = DateTimeOffset.UtcNow;
        var runId = $"{started:yyyyMMdd-HHmmss}-selftest";
        var directory = ResultsDirectory.Create(options.OutputDirectory, runId);
        var (versions, machine) = RunInfo.Describe();
        versions["openai_sdk"] = Version(typeof(OpenAI.OpenAIClient).Assembly);
        if (LoadAverage() is { } load)
        {
            machine["load_average_at_start"] = load;
        }

        var result = new SelfTestResult
        {
            RunId = Path.GetFileName(directory),
            CommandLine = options.CommandLine,
            Quick = options.Quick,
            StartedUtc = started,
            Versions = versions,
            Machine = machine,
        };

        output.WriteLine(Inv($"Bench self-test: accuracy at {options.OpenRatePerS:0.##} req/s for {options.OpenDuration.TotalSeconds:0.#} s per mode against the embedded simulator ({SelfTestProfiles.FixedModel}: TTFT {SelfTestProfiles.FixedTtftMs:0} ms, E2E {SelfTestProfiles.FixedE2eMs:0} ms)"));
        result.Accuracy.AddRange(await AccuracyRun.RunAsync(options, cancellationToken).ConfigureAwait(false));
        result.Checks = [.. SelfTestChecks.Evaluate(result.Accuracy)];

        if (options.RunCeiling || options.RunWrk)
        {
            await RunChildPartsAsync(options, result, output, cancellationToken).ConfigureAwait(false);
        }

        if (options.RunScale && options.EffectiveScaleStreams.Count > 0)
        {
            await RunScaleAsync(options, result, output, cancellationToken).ConfigureAwait(false);
        }

        result.Goals = [.. SelfTestGoals.Evaluate(result)];
        result.EndedUtc = DateTimeOffset.UtcNow;
        if (LoadAverage() is { } endLoad)
        {
            machine["load_average_at_end"] = endLoad;
        }

        SelfTestReport.Write(directory, result);
        SelfTestReport.Print(result, Display(directory), output);
        return (result, directory);
    }

    /// <summary>The parts that need the simulator in a child process: the client ceiling and wrk.</summary>
    private static async Task RunChildPartsAsync(SelfTestOptions options, SelfTestResult result, TextWriter output, CancellationToken cancellationToken)
    {
        var profiles = Directory.CreateTempSubdirectory("bench-selftest-profiles-").FullName;
        var apiKey = "sk-selftest-" + Guid.NewGuid().ToString("N");
        try
        {
            SelfTestProfiles.WriteChildProfiles(profiles);
            ChildSimulator server;
            try
            {
                server = await ChildSimulator.StartAsync(profiles, apiKey, options.Seed, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                if (options.RunCeiling)
                {
                    result.Ceiling = new CeilingResult { Model = SelfTestProfiles.FastModel, SkippedReason = e.Message };
                }

                if (options.RunWrk)
                {
                    result.Wrk = WrkRun.Skipped(e.Message, options.WrkConnections, options.WrkThreads, options.WrkDurationS, null);
                }

                return;
            }

            await using var _ = server;
            var ceiling = new ClientCeiling(server, apiKey, options);
            if (options.RunCeiling)
            {
                output.WriteLine(Inv($"Client ceiling: closed load at concurrency {string.Join(", ", options.Concurrencies)} (until events/s stop rising), {options.StepDuration.TotalSeconds:0.#} s per step, simulator in a child process ({server.BaseUrl})"));
                result.Ceiling = await ceiling.RunAsync(
                    step => output.WriteLine(Inv($"  {step.Client,-19} c={step.Concurrency,-4} {step.RequestsPerS,8:N0} req/s {step.EventsPerS,10:N0} events/s  client CPU {step.ClientCpuPercent,3:0} %  server CPU {step.ServerCpuPercent,3:0} %{(step.Failures > 0 ? $"  {step.Failures} failed" : "")}")),
                    cancellationToken).ConfigureAwait(false);
            }

            if (options.RunWrk)
            {
                output.WriteLine(Inv($"Non-streaming at {options.WrkConnections} connections for {options.WrkDurationS} s: Bench's client, with local token counting off, then wrk"));
                var bench = await ceiling.NonStreamingAsync(options.WrkConnections, TimeSpan.FromSeconds(options.WrkDurationS), tokenizerOff: false, cancellationToken).ConfigureAwait(false);
                var benchTokenizerOff = await ceiling.NonStreamingAsync(options.WrkConnections, TimeSpan.FromSeconds(options.WrkDurationS), tokenizerOff: true, cancellationToken).ConfigureAwait(false);
                var (wrk, reason) = await WrkRun.LocateAsync(options.InstallTools, output, cancellationToken).ConfigureAwait(false);
                result.Wrk = wrk is null
                    ? WrkRun.Skipped(reason!, options.WrkConnections, options.WrkThreads, options.WrkDurationS, bench)
                    : await WrkRun.RunAsync(wrk, server.BaseUrl, apiKey, ceiling.Prompt(0), options.WrkConnections, options.WrkThreads, options.WrkDurationS,
                        () => server.CpuTime, bench, cancellationToken).ConfigureAwait(false);
                result.Wrk.BenchTokenizerOff = benchTokenizerOff;
            }
        }
        finally
        {
            Directory.Delete(profiles, recursive: true);
        }
    }

    /// <summary>The scale steps, against a child simulator of their own that writes its timings file (kept apart from the
    /// ceiling's, whose figures the file's writing would otherwise load).</summary>
    private static async Task RunScaleAsync(SelfTestOptions options, SelfTestResult result, TextWriter output, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("bench-selftest-scale-").FullName;
        var apiKey = "sk-selftest-" + Guid.NewGuid().ToString("N");
        var e2eMs = SelfTestProfiles.ScaleE2eMs(options);
        try
        {
            var profiles = Path.Combine(folder, "profiles");
            var timingsPath = Path.Combine(folder, "timings.jsonl");
            SelfTestProfiles.WriteScaleProfile(profiles, options);
            output.WriteLine(Inv($"Scale: {string.Join(" then ", options.EffectiveScaleStreams.Select(n => n.ToString("N0", CultureInfo.InvariantCulture)))} concurrent streams{(options.Quick && options.ScaleStreams is null ? " (10,000 only in the full self-test)" : "")}, closed, against a child simulator ({SelfTestProfiles.ScaleModel}: TTFT {options.ScaleTtftMs:0} ms, {options.ScaleTokens} tokens at {options.ScaleDecodeTokensPerS:0.##} tokens/s, {e2eMs / 1000:0.##} s per answer); streams start spread over {e2eMs / 1000:0.##} s, then {options.ScaleWindow.TotalSeconds:0.#} s measured"));
            ChildSimulator server;
            try
            {
                server = await ChildSimulator.StartAsync(profiles, apiKey, options.Seed, cancellationToken, timingsPath).ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                result.Scale.AddRange(options.EffectiveScaleStreams.Select(n => new ScaleResult { Streams = n, Model = SelfTestProfiles.ScaleModel, SkippedReason = e.Message }));
                return;
            }

            await using var _ = server;
            var truth = new GroundTruth();
            var run = new ScaleRun(server, apiKey, new TimingsTail(timingsPath, truth), truth, options);
            foreach (var streams in options.EffectiveScaleStreams)
            {
                var step = await run.RunAsync(streams, cancellationToken).ConfigureAwait(false);
                result.Scale.Add(step);
                output.WriteLine(step.SkippedReason is { } reason
                    ? Inv($"  {streams,6:N0} streams: skipped — {reason}")
                    : Inv($"  {streams,6:N0} streams: {step.RequestsPerS,6:N0} req/s {step.EventsPerS,8:N0} events/s  TTFT error p50 {Num(step.TtftErrorUs?.P50Us)} µs p99 {Num(step.TtftErrorUs?.P99Us)} µs  client CPU {step.ClientCpuPercent:0} %  server CPU {step.ServerCpuPercent:0} %  client GC pause {step.ClientGcPauseMs:0} ms{(step.Successes < step.Requests ? $"  {step.Requests - step.Successes} failed" : "")}"));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Num(long? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "–";

    /// <summary>The 1, 5 and 15 minute load averages (Linux <c>/proc/loadavg</c>), to say how busy the machine was;
    /// <see langword="null"/> elsewhere.</summary>
    private static string? LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string Version(Assembly assembly) =>
        (assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "?")
            .Split('+')[0];

    private static string Display(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
