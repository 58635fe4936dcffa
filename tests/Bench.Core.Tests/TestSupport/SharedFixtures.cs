using System.Runtime.CompilerServices;

namespace Bench.Core.Tests.TestSupport;

/// <summary>Finds <c>shared/fixtures</c>: the nearest ancestor of the test binaries that has it (CI clones the repo
/// with <c>shared/</c> beside the repository root), else of this source file (builds with an <c>--artifacts-path</c>
/// outside the repository).</summary>
public static class SharedFixtures
{
    private static readonly Lazy<string> s_root = new(() => Locate());

    /// <summary>The absolute path of <c>shared/fixtures</c>.</summary>
    public static string Root => s_root.Value;

    /// <summary>The recorded OpenAI Chat Completions streams, <c>*.sse</c>, sorted by name.</summary>
    public static IReadOnlyList<string> OpenAiChatStreams()
    {
        var files = Directory.GetFiles(Path.Combine(Root, "recorded-streams", "openai-chat"), "*.sse");
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    private static string Locate([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile)! })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "fixtures");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException($"No shared/fixtures in any parent of {AppContext.BaseDirectory} or {sourceFile}.");
    }
}
