using System.Reflection;

namespace Bench.Simulator.Tests;

/// <summary>Folders the tests read: the checkout's <c>scenarios/profiles</c> and the shared data beside the
/// checkout.</summary>
internal static class TestPaths
{
    /// <summary>The repository root, recorded at build time (the test binaries may live outside the checkout when
    /// built with <c>--artifacts-path</c>).</summary>
    public static string RepositoryRoot { get; } = typeof(TestPaths).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "RepositoryRoot").Value!;

    /// <summary>The shipped model profiles.</summary>
    public static string Profiles { get; } = Path.Combine(RepositoryRoot, "scenarios", "profiles");

    /// <summary>The shipped recorded streams of the replay profile.</summary>
    public static string ReplayOpenAiChat { get; } = Path.Combine(RepositoryRoot, "scenarios", "replay", "openai-chat");

    /// <summary>
    /// The shared <c>data</c> folder: the first <c>shared/data</c> found walking up from the test binaries, then from
    /// the checkout (CI clones the repository to <c>X/main-clone</c> with the shared folder at <c>X/shared</c>).
    /// </summary>
    public static string SharedData { get; } = FindSharedData();

    private static string FindSharedData()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, RepositoryRoot })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "shared", "data");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"No shared/data folder above {AppContext.BaseDirectory} or {RepositoryRoot}.");
    }
}
