using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Bench.Harness.SelfTest;

/// <summary>
/// <c>bench simulate --port 0</c> in a child process, so the server's CPU time is not counted as the client's. The
/// bound URL is read from the line the command prints when it listens. Disposing kills the child.
/// </summary>
internal sealed partial class ChildSimulator : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private ChildSimulator(Process process, string command)
    {
        _process = process;
        Command = command;
    }

    /// <summary>The child's API base URL, e.g. <c>http://127.0.0.1:41234/v1/</c>.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The command line that started the child.</summary>
    public string Command { get; }

    /// <summary>CPU time the child has used so far (user + system, all threads).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts the child serving the profiles in <paramref name="profilesDirectory"/>, accepting only
    /// <paramref name="apiKey"/>, and returns once it listens. With <paramref name="timingsPath"/>, the child appends its
    /// record of every request there (<c>--timings</c>, <see cref="Simulating.TimingsFile"/>).</summary>
    /// <exception cref="InvalidOperationException">The child exited or printed no URL within a minute; the message
    /// holds what it wrote to stderr.</exception>
    public static async Task<ChildSimulator> StartAsync(string profilesDirectory, string apiKey, int seed, CancellationToken cancellationToken,
        string? timingsPath = null)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var (fileName, prefix) = BenchExecutable();
        info.FileName = fileName;
        foreach (var argument in prefix.Concat(["simulate", "--port", "0", "--profiles", profilesDirectory, "--api-key", apiKey, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            info.ArgumentList.Add(argument);
        }

        if (timingsPath is not null)
        {
            info.ArgumentList.Add("--timings");
            info.ArgumentList.Add(timingsPath);
        }

        var command = string.Join(' ', new[] { fileName }.Concat(info.ArgumentList)).Replace(apiKey, "***", StringComparison.Ordinal);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start: {command}");
        var child = new ChildSimulator(process, command);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (child._errors)
                {
                    if (child._errors.Length < 4000)
                    {
                        child._errors.AppendLine(line);
                    }
                }
            }
        };
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
            {
                if (ListeningLine().Match(line) is { Success: true } match)
                {
                    // Keep draining stdout so the child never blocks on a full pipe.
                    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                    child.BaseUrl = new Uri(match.Groups["url"].Value);
                    return child;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
        catch
        {
            await child.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await child.DisposeAsync().ConfigureAwait(false);
        throw new InvalidOperationException($"The child simulator did not start ({command}): {child.Errors.Trim()}");
    }

    /// <summary>What the child wrote to stderr (first 4,000 characters).</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Kills the child and waits for it to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or will be reaped by the system.
        }

        _process.Dispose();
    }

    /// <summary>
    /// How to run this very build of <c>bench</c>: its app host next to <c>bench.dll</c> when there is one, else the
    /// <c>dotnet</c> host with <c>bench.dll</c> (e.g. under the test host).
    /// </summary>
    internal static (string FileName, IReadOnlyList<string> Prefix) BenchExecutable()
    {
        // The harness library sits next to bench.dll (in the bench build and in any build that references Bench.Cli).
        var directory = Path.GetDirectoryName(typeof(ChildSimulator).Assembly.Location)!;
        var dll = Path.Combine(directory, "bench.dll");
        var appHost = Path.Combine(directory, OperatingSystem.IsWindows() ? "bench.exe" : "bench");
        if (File.Exists(appHost))
        {
            return (appHost, []);
        }

        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? path
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return (host, ["exec", "--runtimeconfig", Path.Combine(directory, "bench.runtimeconfig.json"), "--depsfile", Path.Combine(directory, "bench.deps.json"), dll]);
    }

    [GeneratedRegex(@"listening on (?<url>http://\S+/)", RegexOptions.CultureInvariant)]
    private static partial Regex ListeningLine();
}
