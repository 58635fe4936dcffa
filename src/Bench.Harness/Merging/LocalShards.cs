using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Bench.Core.Configuration;
using Bench.Core.Planning;
using Bench.Core.Pricing;
using Bench.Core.Results;
using Bench.Core.Scenarios;
using Bench.Harness.Reporting;
using Bench.Harness.Running;

namespace Bench.Harness.Merging;

/// <summary>What <c>bench run --shards N</c> was asked for.</summary>
public sealed record LocalShardsRequest
{
    /// <summary>The run as its flags gave it (scenario, overrides with <see cref="PlanOverrides.Shards"/>, <c>--out</c>,
    /// <c>--force</c>, report settings, <c>--pdf</c>, clock, signals).</summary>
    public required RunRequest Run { get; init; }

    /// <summary><c>bench run</c>'s arguments as given (after <c>run</c>): each child gets them without <c>--shards</c>,
    /// <c>--out</c>, <c>--start-at</c>, <c>--force</c>, <c>--pdf</c> and <c>--paper</c>, plus its own <c>--shard I/N</c>,
    /// the shared <c>--start-at</c> and <c>--out OUT/shards/shard-I</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>How far ahead of now the shared start is set when <c>--start-at</c> is not given: long enough for every
    /// child process to start and plan (a few seconds on a busy 2-core machine).</summary>
    public TimeSpan StartLead { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>After this process is interrupted, how long a child has to say it saw the signal itself (a terminal's
    /// Ctrl-C reaches the whole process group) before the signal is passed on to it (a <c>kill</c> of this process
    /// alone); on the run's clock.</summary>
    public TimeSpan ForwardAfter { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// <c>bench run --shards N</c>: the plan run as N shards on this host, each a <c>bench run --shard I/N</c> process of
/// this very build (<see cref="SelfTest.ChildSimulator.BenchExecutable"/>: its app host, else <c>dotnet exec
/// bench.dll</c>), started together at one <c>--start-at</c>, their output streamed prefixed <c>[shard I]</c>, then
/// merged (<see cref="MergeHarness"/>) into <c>--out</c>, whose <c>shards/shard-I</c> keep each shard's own folder.
/// The same split and merge a Kubernetes Indexed Job runs across machines, on one machine.
/// </summary>
/// <remarks>An interrupt (SIGINT, SIGTERM) reaches every child: a terminal's Ctrl-C reaches the process group by
/// itself; otherwise (a <c>kill</c> of this process) it is passed on to each child that has not announced it within
/// <see cref="LocalShardsRequest.ForwardAfter"/> (POSIX only). Every child writes its interrupted report and the merge
/// still runs on what they wrote.</remarks>
public static class LocalShards
{
    /// <summary>The folder under <c>--out</c> that holds the shards' own folders.</summary>
    public const string ShardsFolder = "shards";

    /// <summary>The folder under <see cref="ShardsFolder"/> where the children meet before each step
    /// (<c>--sync-dir</c>, <see cref="Running.FolderBarrier"/>).</summary>
    public const string SyncFolder = ".sync";

    /// <summary>Flags a child does not get (each replaced or handled here), with whether each takes a value.</summary>
    private static readonly Dictionary<string, bool> Dropped = new(StringComparer.Ordinal)
    {
        ["--shards"] = true, ["--out"] = true, ["--start-at"] = true, ["--sync-dir"] = true, ["--paper"] = true, ["--force"] = false, ["--pdf"] = false,
    };

    /// <summary>Runs the N shards and merges them.</summary>
    /// <returns>The worst of the children's exit codes and the merge's (130/143 &gt; 99 &gt; 2 &gt; 1 &gt; 0), with the
    /// merged folder; <see cref="ExitCodes.BadInput"/> before any child starts when the scenario, the flags
    /// (<c>--shards</c> with <c>--resume</c> or <c>--shard</c>), the report settings or <c>--out</c> are refused.</returns>
    public static async Task<RunOutcome> RunAsync(LocalShardsRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var run = request.Run;
        var count = run.Overrides.Shards ?? 1;
        if (run.ResumeDirectory is not null)
        {
            await error.WriteLineAsync("--shards: cannot be combined with --resume (resume each shard's folder, OUT/shards/shard-I, then bench merge them).").ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }

        Plan plan;
        try
        {
            ReportPrices.Validate(run.Report);
            var scenarioFile = ScenarioFiles.Locate(run.ScenarioPath);
            plan = Plan.Create(ScenarioLoader.Load(scenarioFile), run.Overrides, scenarioFile);
            ReportPrices.CheckCurrent(run.Report, plan);
        }
        catch (Exception e) when (e is ConfigException or PricingException)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }

        if (run.Pdf?.FindChromium() is { Found: false } noChromium)
        {
            await error.WriteLineAsync($"{noChromium.NotFoundMessage} Nothing was sent; run without --pdf, or print later with bench report DIR --pdf.").ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }

        if (ResultsFolder.Check(run.OutputDirectory, run.Force) is { } refusal)
        {
            await error.WriteLineAsync(refusal).ConfigureAwait(false);
            return new RunOutcome(ExitCodes.BadInput, null);
        }

        var time = run.TimeProvider;
        var now = time.GetUtcNow();
        if (run.Force && run.OutputDirectory is { } forced && ResultsFolder.StartAfresh(forced) is { Count: > 0 } kept)
        {
            await error.WriteLineAsync($"--force: started {forced} afresh; kept what Bench did not write: {string.Join(", ", kept)}").ConfigureAwait(false);
        }

        var directory = ResultsDirectory.Create(run.OutputDirectory, $"{now:yyyyMMdd-HHmmss}-{plan.Scenario.Name}");
        var startAt = run.Overrides.StartAt ?? now + request.StartLead;
        startAt = new DateTimeOffset(startAt.UtcTicks - (startAt.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Bench: {count} shards of {plan.Description}, each its own process on this host, starting together at {startAt:yyyy-MM-ddTHH:mm:ss.fffZ}; merged into {directory}"));

        // A meeting place of this run only: an earlier run's arrivals (--force) would start steps at once.
        var sync = Path.Combine(directory, ShardsFolder, SyncFolder);
        if (Directory.Exists(sync))
        {
            Directory.Delete(sync, recursive: true);
        }

        var gate = new Lock();
        var children = new List<Child>();
        try
        {
            for (var index = 1; index <= count; index++)
            {
                var folder = Path.Combine(directory, ShardsFolder, MergeHarness.ShardFolderPrefix + index.ToString(CultureInfo.InvariantCulture));
                var child = Child.Start(index, folder, ChildArguments(request.Arguments, new ShardSpec(index, count), startAt, folder, run.Force), output, error, gate);
                children.Add(child);
                // A child that exits, even killed before it could say so, is not waited for at the next step by the others.
                var leaving = index;
                _ = child.Exited.ContinueWith(_ => Running.FolderBarrier.MarkLeft(sync, leaving), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            await WaitAsync(children, request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var child in children)
            {
                child.Dispose();
            }
        }

        var known = new Dictionary<string, ShardSpec>(StringComparer.Ordinal);
        var missing = new Dictionary<int, string>();
        var folders = new List<string>();
        foreach (var child in children)
        {
            if (File.Exists(Path.Combine(child.Folder, ResultsDirectory.RunFile)))
            {
                folders.Add(child.Folder);
                known[Path.GetFullPath(child.Folder)] = new ShardSpec(child.Index, count);
            }
            else
            {
                missing[child.Index] = string.Create(CultureInfo.InvariantCulture, $"exited {child.ExitCode} before writing its results (its [shard {child.Index}] lines say why)");
            }
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Shards ended: {string.Join(", ", children.Select(c => $"{c.Index} exit {c.ExitCode}"))}. Merging them."));
        var merged = await MergeHarness.MergeAsync(new MergeRequest
        {
            Directories = folders,
            OutputDirectory = directory,
            Known = known,
            Count = count,
            KnownMissing = missing,
            OutputHoldsShards = true,
        }, output, error).ConfigureAwait(false);
        var exitCode = Worst([.. children.Select(c => c.ExitCode), merged]);
        if (run.Pdf is { } pdf && merged != ExitCodes.BadInput && File.Exists(Path.Combine(directory, Report.Html.HtmlExporter.FileName)))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync($"report.pdf not printed: the run was interrupted. Print it with: bench report {directory} --pdf").ConfigureAwait(false);
            }
            else if (!await ReportPdf.PrintAsync(directory, pdf, output, error, CancellationToken.None).ConfigureAwait(false) && exitCode == ExitCodes.Success)
            {
                exitCode = ExitCodes.BadInput;
            }
        }

        return new RunOutcome(exitCode, directory);
    }

    /// <summary>A child's command line: <paramref name="arguments"/> without the flags it must not get
    /// (<see cref="Dropped"/>, in either <c>--flag value</c> or <c>--flag=value</c> form; a flag's optional
    /// <c>true</c>/<c>false</c> with it), then <c>--shard I/N --start-at T --out FOLDER --sync-dir SHARDS/.sync</c> (and <c>--force</c>).</summary>
    public static IReadOnlyList<string> ChildArguments(IReadOnlyList<string> arguments, ShardSpec shard, DateTimeOffset startAt, string folder, bool force)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(shard);
        var kept = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            var name = argument.Split('=', ':')[0];
            if (!argument.StartsWith("--", StringComparison.Ordinal) || !Dropped.TryGetValue(name, out var takesValue))
            {
                kept.Add(argument);
                continue;
            }

            var inline = name.Length < argument.Length;
            if (!inline && i + 1 < arguments.Count
                && (takesValue || arguments[i + 1].Equals("true", StringComparison.OrdinalIgnoreCase) || arguments[i + 1].Equals("false", StringComparison.OrdinalIgnoreCase)))
            {
                i++; // its value
            }
        }

        kept.AddRange(["--shard", shard.ToString(), "--start-at", startAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), "--out", folder,
            "--sync-dir", Path.Combine(Path.GetDirectoryName(folder) ?? folder, SyncFolder)]);
        if (force)
        {
            kept.Add("--force");
        }

        return kept;
    }

    /// <summary>The worst exit code: 130/143 &gt; 99 &gt; 2 &gt; 1 &gt; 0 (any other code counts as 1).</summary>
    public static int Worst(IReadOnlyList<int> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        static int Rank(int code) => code switch
        {
            ExitCodes.Interrupted or ExitCodes.Terminated => 4,
            ExitCodes.ThresholdsFailed => 3,
            ExitCodes.BadInput => 2,
            ExitCodes.Success => 0,
            _ => 1,
        };
        if (codes.Count == 0)
        {
            return ExitCodes.Success;
        }

        var worst = codes.MaxBy(Rank);
        return Rank(worst) == 1 ? ExitCodes.MeasuredFailure : worst;
    }

    /// <summary>Waits for every child; on an interrupt, passes it on to each child that has not announced it.</summary>
    private static async Task WaitAsync(List<Child> children, LocalShardsRequest request, CancellationToken cancellationToken)
    {
        var all = Task.WhenAll(children.Select(c => c.Exited));
        var interrupted = Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        if (await Task.WhenAny(all, interrupted).ConfigureAwait(false) == all)
        {
            return;
        }

        var signal = request.Run.Interrupts?.Reason == InterruptReasons.Sigterm ? Sigterm : Sigint;
        await Task.WhenAll(children.Select(async child =>
        {
            var announced = await Task.WhenAny(child.Stopping, child.Exited, Task.Delay(request.ForwardAfter, request.Run.TimeProvider, CancellationToken.None)).ConfigureAwait(false);
            if (announced != child.Stopping && announced != child.Exited)
            {
                child.Signal(signal);
            }
        })).ConfigureAwait(false);
        await all.ConfigureAwait(false);
    }

    private const int Sigint = 2;
    private const int Sigterm = 15;

    /// <summary>One shard's process, its output streamed with its prefix.</summary>
    private sealed class Child : IDisposable
    {
        private readonly Process _process;
        private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _streamsOpen = 2;

        private Child(int index, string folder, Process process)
        {
            Index = index;
            Folder = folder;
            _process = process;
        }

        public int Index { get; }

        public string Folder { get; }

        /// <summary>Completes when the child has said it saw an interrupt (<c>SIGINT: stopping</c>).</summary>
        public Task Stopping => _stopping.Task;

        /// <summary>Completes when the child has exited and both its streams are read to their end.</summary>
        public Task Exited => _exited.Task;

        /// <summary>The child's exit code once <see cref="Exited"/>; <see cref="ExitCodes.MeasuredFailure"/> before.</summary>
        public int ExitCode { get; private set; } = ExitCodes.MeasuredFailure;

        public static Child Start(int index, string folder, IReadOnlyList<string> arguments, TextWriter output, TextWriter error, Lock gate)
        {
            var (fileName, prefix) = SelfTest.ChildSimulator.BenchExecutable();
            var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in prefix.Concat(["run", .. arguments]))
            {
                info.ArgumentList.Add(argument);
            }

            var process = new Process { StartInfo = info, EnableRaisingEvents = true };
            var child = new Child(index, folder, process);
            var tag = string.Create(CultureInfo.InvariantCulture, $"[shard {index}] ");
            process.OutputDataReceived += (_, e) => child.Line(e.Data, output, tag, gate);
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { } line && (line.StartsWith(InterruptReasons.Sigint + ": stopping", StringComparison.Ordinal) || line.StartsWith(InterruptReasons.Sigterm + ": stopping", StringComparison.Ordinal)))
                {
                    child._stopping.TrySetResult();
                }

                child.Line(e.Data, error, tag, gate);
            };
            if (!process.Start())
            {
                throw new InvalidOperationException($"could not start {fileName}");
            }

            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return child;
        }

        /// <summary>Writes one line of the child's with its prefix; the end of a stream (null) counts towards
        /// <see cref="Exited"/>.</summary>
        private void Line(string? line, TextWriter writer, string tag, Lock gate)
        {
            if (line is null)
            {
                if (Interlocked.Decrement(ref _streamsOpen) == 0)
                {
                    _ = _process.WaitForExitAsync().ContinueWith(_ =>
                    {
                        ExitCode = _process.ExitCode;
                        _exited.TrySetResult();
                    }, TaskScheduler.Default);
                }

                return;
            }

            lock (gate)
            {
                writer.WriteLine(tag + line);
            }
        }

        /// <summary>Sends <paramref name="signal"/> to the child as <c>kill</c> does (POSIX; nothing elsewhere, where the
        /// console's Ctrl-C reaches every process attached to it).</summary>
        public void Signal(int signal)
        {
            if (!OperatingSystem.IsWindows() && !_process.HasExited)
            {
                _ = NativeMethods.Kill(_process.Id, signal);
            }
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            _process.Dispose();
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
