namespace Bench.Report.Pdf;

/// <summary>
/// Finds the Chromium that prints <c>report.pdf</c>: the <see cref="EnvironmentVariable"/> when it is set (then only
/// it: a path the user chose is never silently replaced by another browser), else <c>/usr/bin/chromium</c> (what
/// <c>eng/install-chromium.sh</c> installs), else <c>chromium</c>, <c>chromium-browser</c>, <c>google-chrome</c> on
/// <c>PATH</c>, in that order.
/// </summary>
public static class ChromiumLocator
{
    /// <summary>The environment variable naming the browser's executable.</summary>
    public const string EnvironmentVariable = "BENCH_CHROMIUM";

    /// <summary>Where Debian's package (and <c>eng/install-chromium.sh</c>) puts it.</summary>
    public const string DebianPath = "/usr/bin/chromium";

    /// <summary>Executable names looked up on <c>PATH</c>, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["chromium", "chromium-browser", "google-chrome"];

    /// <summary>Looks for Chromium with <paramref name="environment"/> (a variable's value, or <see langword="null"/>
    /// when unset; <see cref="Environment.GetEnvironmentVariable(string)"/> unless a test gives another).</summary>
    public static ChromiumSearch Find(Func<string, string?>? environment = null) => Find(environment, [DebianPath]);

    /// <summary>Looks for Chromium with <paramref name="environment"/>, trying <paramref name="fixedPaths"/> (in
    /// <see cref="Find(Func{string, string?}?)"/>: <see cref="DebianPath"/>) before <c>PATH</c>.</summary>
    public static ChromiumSearch Find(Func<string, string?>? environment, IReadOnlyList<string> fixedPaths)
    {
        ArgumentNullException.ThrowIfNull(fixedPaths);
        environment ??= Environment.GetEnvironmentVariable;
        var looked = new List<string>();
        if (environment(EnvironmentVariable) is { Length: > 0 } chosen)
        {
            looked.Add($"{EnvironmentVariable}={chosen}");
            return new ChromiumSearch(IsExecutable(chosen) ? Path.GetFullPath(chosen) : null, looked, FromEnvironment: true);
        }

        foreach (var fixedPath in fixedPaths)
        {
            looked.Add(fixedPath);
            if (IsExecutable(fixedPath))
            {
                return new ChromiumSearch(fixedPath, looked, FromEnvironment: false);
            }
        }

        var path = (environment("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in Names)
        {
            looked.Add($"{name} on PATH");
            foreach (var directory in path)
            {
                var candidate = Path.Combine(directory, name);
                if (IsExecutable(candidate))
                {
                    return new ChromiumSearch(Path.GetFullPath(candidate), looked, FromEnvironment: false);
                }
            }
        }

        return new ChromiumSearch(null, looked, FromEnvironment: false);
    }

    /// <summary>A regular file with an execute bit (on Windows: a file).</summary>
    private static bool IsExecutable(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            return OperatingSystem.IsWindows()
                || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }
}

/// <summary>What <see cref="ChromiumLocator.Find(Func{string, string?}?)"/> found.</summary>
/// <param name="Path">The executable, or <see langword="null"/> when none was found.</param>
/// <param name="LookedAt">Every place looked at, in order (for the message when none was found).</param>
/// <param name="FromEnvironment">The path came from (or was sought only in) <see cref="ChromiumLocator.EnvironmentVariable"/>.</param>
public sealed record ChromiumSearch(string? Path, IReadOnlyList<string> LookedAt, bool FromEnvironment)
{
    /// <summary>Chromium was found.</summary>
    public bool Found => Path is not null;

    /// <summary>The message when nothing was found: what was looked for and how to install it.</summary>
    public string NotFoundMessage => FromEnvironment
        ? $"No PDF: {LookedAt[0]} is not an executable file. Point {ChromiumLocator.EnvironmentVariable} at a Chromium or Chrome executable, or unset it to use {ChromiumLocator.DebianPath} or chromium on PATH."
        : $"No PDF: no Chromium found (looked for {string.Join(", ", LookedAt)}). Install it with eng/install-chromium.sh (Debian's chromium package: apt-get install chromium), or set {ChromiumLocator.EnvironmentVariable}=/path/to/chromium.";
}
