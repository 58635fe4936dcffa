using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Bench.Cli.Tests.TestSupport;

/// <summary>
/// The built <c>bench</c> in a process of its own (<c>dotnet bench.dll …</c>; the project reference to Bench.Cli
/// puts bench.dll, its runtimeconfig and the shipped scenarios next to the tests), so a test can send it real
/// signals. Standard output and error are collected as they come; disposing kills a process still running.
/// </summary>
internal sealed class BenchProcess : IDisposable
{
    /// <summary>How long a test waits on the process before calling it hung (a guard, not a timing assertion).</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private BenchProcess(Process process) => _process = process;

    /// <summary>bench's process id (the <c>dotnet</c> host runs the app in its own process).</summary>
    public int Id => _process.Id;

    /// <summary>Standard output so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Standard error so far.</summary>
    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet bench.dll <paramref name="args"/></c> in <paramref name="workingDirectory"/>.</summary>
    public static BenchProcess Start(string workingDirectory, params string[] args)
    {
        UnignoreTerminationSignals();
        var dll = Path.Combine(AppContext.BaseDirectory, "bench.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: the test project's reference to Bench.Cli copies it");
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var info = new ProcessStartInfo(host)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {host} {dll}");
        var bench = new BenchProcess(process);
        process.OutputDataReceived += (_, e) => Append(bench._output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(bench._error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bench;
    }

    /// <summary>Sends <paramref name="signal"/> (a POSIX signal number: 2 SIGINT, 15 SIGTERM) as <c>kill</c> does.</summary>
    public void Signal(int signal) => Assert.True(Kill(_process.Id, signal) == 0, $"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");

    /// <summary>Waits for the exit and returns its code.</summary>
    /// <exception cref="TimeoutException">Still running after <see cref="HangGuard"/> (the process is killed).</exception>
    public async Task<int> WaitForExitAsync()
    {
        using var hang = new CancellationTokenSource(HangGuard);
        try
        {
            await _process.WaitForExitAsync(hang.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bench still ran {HangGuard} later.\nstdout:\n{Output}\nstderr:\n{Error}");
        }

        _process.WaitForExit(); // the redirected streams are read to their end
        return _process.ExitCode;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checking every 20 ms.</summary>
    /// <exception cref="TimeoutException">Not within <see cref="HangGuard"/>, or bench exited first.</exception>
    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var hang = new CancellationTokenSource(HangGuard);
        while (!condition())
        {
            if (_process.HasExited)
            {
                throw new TimeoutException($"bench exited ({_process.ExitCode}) before {what}.\nstdout:\n{Output}\nstderr:\n{Error}");
            }

            try
            {
                await Task.Delay(20, hang.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"not {what} within {HangGuard}.\nstdout:\n{Output}\nstderr:\n{Error}");
            }
        }
    }

    /// <summary>Kills the process if it still runs.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    /// <summary>
    /// A child inherits ignored signals (POSIX), and a test host started as a background job of a non-interactive
    /// shell ignores SIGINT: bench would then never see the signals these tests send, as a shell's background job
    /// would not. So, when this process ignores SIGINT or SIGTERM, restore their default action here before starting
    /// bench (Linux: read from /proc; elsewhere left as is).
    /// </summary>
    private static void UnignoreTerminationSignals()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status) || File.ReadLines(status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) is not { } line)
        {
            return;
        }

        var ignored = Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16);
        foreach (var signal in new[] { 2, 15 })
        {
            if ((ignored & (1UL << (signal - 1))) != 0)
            {
                SetSignal(signal, 0); // SIG_DFL
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "signal")]
    private static extern nint SetSignal(int signal, nint handler);
}
