using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Core.Wire;

namespace Bench.Harness.SelfTest;

/// <summary>
/// wrk against the child simulator's non-streaming endpoint (<see cref="SelfTestProfiles.ZeroModel"/>, answered at
/// once): the loopback server's own ceiling, against which Bench's non-streaming requests/s are read. wrk is used
/// only when it is on <c>PATH</c>, or after <c>eng/install-wrk.sh</c> when <c>--install-tools</c> is given;
/// otherwise the result says why it was skipped.
/// </summary>
internal static partial class WrkRun
{
    /// <summary>The install script, relative to the repository root.</summary>
    public const string InstallScript = "eng/install-wrk.sh";

    /// <summary>Finds wrk on <c>PATH</c> (or on <paramref name="searchPath"/>, a list in the same format), installing
    /// it when allowed; returns its path, or <see langword="null"/> and why not.</summary>
    public static async Task<(string? Path, string? Reason)> LocateAsync(bool install, TextWriter log, CancellationToken cancellationToken, string? searchPath = null)
    {
        searchPath ??= Environment.GetEnvironmentVariable("PATH") ?? "";
        if (FindOnPath("wrk", searchPath) is { } found)
        {
            return (found, null);
        }

        if (!install)
        {
            return (null, "wrk is not on PATH and --install-tools was not given (it would run eng/install-wrk.sh: apt-get install wrk, as root or with sudo -n)");
        }

        if (FindScript() is not { } script)
        {
            return (null, $"wrk is not on PATH and {InstallScript} was not found above the working directory or the bench executable");
        }

        log.WriteLine($"Installing wrk with {script} ...");
        var (exit, output) = await RunAsync("bash", [script], TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            return (null, $"{InstallScript} failed (exit {exit}): {Last(output, 400)}");
        }

        return FindOnPath("wrk", searchPath) is { } installed
            ? (installed, null)
            : (null, $"{InstallScript} succeeded but wrk is still not on PATH");
    }

    /// <summary>Runs wrk for <paramref name="durationS"/> seconds with a POST body (a Lua script in a temp file) and
    /// parses its summary; <paramref name="serverCpu"/> is read around the run.</summary>
    public static async Task<WrkResult> RunAsync(string wrk, Uri baseUrl, string apiKey, string prompt, int connections, int threads, int durationS,
        Func<TimeSpan> serverCpu, CeilingStep? bench, CancellationToken cancellationToken)
    {
        var script = Path.Combine(Path.GetTempPath(), $"bench-selftest-{Guid.NewGuid():N}.lua");
        var url = new Uri(baseUrl, "chat/completions").ToString();
        string[] arguments = ["-t", Inv(threads), "-c", Inv(connections), "-d", Inv(durationS) + "s", "--latency", "-s", script, url];
        var command = "wrk " + string.Join(' ', arguments);
        try
        {
            await File.WriteAllTextAsync(script, LuaScript(apiKey, prompt), cancellationToken).ConfigureAwait(false);
            var cpuBefore = serverCpu();
            var started = Stopwatch.GetTimestamp();
            var (exit, output) = await RunAsync(wrk, arguments, TimeSpan.FromSeconds(durationS + 60), cancellationToken).ConfigureAwait(false);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var cpuPercent = 100 * (serverCpu() - cpuBefore).TotalSeconds / (seconds * Environment.ProcessorCount);
            if (exit != 0 || RequestsPerSecond().Match(output) is not { Success: true })
            {
                return Skipped($"wrk failed (exit {exit}): {Last(output, 400)}", connections, threads, durationS, bench, command);
            }

            var parsed = Parse(output, command, connections, threads, durationS, cpuPercent, bench);
            var (_, version) = await RunAsync(wrk, ["-v"], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            parsed.Version = version.Split('\n')[0].Split('[')[0].Trim();
            return parsed;
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>Reads wrk's summary (<c>--latency</c> output) into a result.</summary>
    internal static WrkResult Parse(string output, string command, int connections, int threads, int durationS, double? serverCpuPercent, CeilingStep? bench) => new()
    {
        Ran = true,
        Command = command,
        Connections = connections,
        Threads = threads,
        DurationS = durationS,
        Requests = RequestsLine().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
        Non2xxResponses = Non2xx().Match(output) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
        SocketErrors = SocketErrorsLine().Match(output) is { Success: true } s
            ? s.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture))
            : 0,
        RequestsPerS = RequestsPerSecond().Match(output) is { Success: true } rps ? double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
        LatencyP50Ms = Percentile(output, "50"),
        LatencyP99Ms = Percentile(output, "99"),
        ServerCpuPercent = serverCpuPercent,
        Bench = bench,
    };

    /// <summary>A result that says why wrk did not run.</summary>
    public static WrkResult Skipped(string reason, int connections, int threads, int durationS, CeilingStep? bench, string? command = null) => new()
    {
        Ran = false,
        Command = command,
        SkippedReason = reason,
        Connections = connections,
        Threads = threads,
        DurationS = durationS,
        Bench = bench,
    };

    /// <summary>The Lua script that makes every wrk request the same non-streaming chat completion of
    /// <paramref name="prompt"/> (the body as Bench's client writes it for a request without a seed).</summary>
    internal static string LuaScript(string apiKey, string prompt)
    {
        var body = new ArrayBufferWriter<byte>();
        ChatRequestWriter.Write(body, new ChatRequest(SelfTestProfiles.ZeroModel, Mode.NonStreaming, [new ChatMessage("user", prompt)], SelfTestProfiles.MaxTokens));
        var json = Encoding.UTF8.GetString(body.WrittenSpan);
        return $"""
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Authorization"] = "Bearer {apiKey}"
            wrk.body = {LuaString(json)}
            """;
    }

    /// <summary>A Lua string literal: a long bracket with as many '=' as needed to not occur in the text.</summary>
    private static string LuaString(string text)
    {
        var level = new string('=', Enumerable.Range(0, 10).First(n => !text.Contains("]" + new string('=', n) + "]", StringComparison.Ordinal)));
        return $"[{level}[{text}]{level}]";
    }

    /// <summary>A latency percentile from wrk's <c>--latency</c> distribution (<c>50%  1.23ms</c>), in ms.</summary>
    internal static double? Percentile(string output, string percent)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(percent)}(?:\.0+)?%\s+(?<v>[\d.]+)(?<u>us|ms|s|m)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        if (!match.Success)
        {
            return null;
        }

        var value = double.Parse(match.Groups["v"].Value, CultureInfo.InvariantCulture);
        return match.Groups["u"].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            _ => value * 60_000,
        };
    }

    private static string? FindOnPath(string name, string searchPath) =>
        searchPath
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    /// <summary>Looks for the install script above the working directory, then above the executable.</summary>
    private static string? FindScript()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, InstallScript);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }

    private static string Inv(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Last(string text, int length) => text.Length <= length ? text.Trim() : "…" + text[^length..].Trim();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in", RegexOptions.CultureInvariant)]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex SocketErrorsLine();
}
