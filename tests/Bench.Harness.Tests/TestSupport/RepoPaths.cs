using System.Runtime.CompilerServices;

namespace Bench.Harness.Tests.TestSupport;

/// <summary>Paths in the repository the tests run from (found from this source file's path, so they hold however the
/// test binaries are laid out).</summary>
internal static class RepoPaths
{
    /// <summary>The repository's root folder (where README.md and <c>scenarios/</c> are).</summary>
    public static string Root { get; } = Locate();

    private static string Locate([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));
}
