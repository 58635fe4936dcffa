using System.Runtime.CompilerServices;
using System.Text;

namespace Bench.Micro.Wire;

/// <summary>
/// The <c>data:</c> payloads of the recorded OpenAI-format streams in <c>shared/fixtures/recorded-streams/openai-chat</c>
/// (twelve providers' real bodies): every <c>chat.completion.chunk</c> JSON object, grouped by stream, without
/// <c>[DONE]</c> and without <c>event: error</c> payloads (not chunks).
/// </summary>
internal static class ChunkCorpus
{
    /// <summary>Loads the corpus: one array of UTF-8 payloads per recorded stream, in file name order.</summary>
    /// <exception cref="DirectoryNotFoundException">No <c>shared/fixtures</c> above the binaries or the sources.</exception>
    public static byte[][][] Load()
    {
        var directory = Path.Combine(LocateFixtures(), "recorded-streams", "openai-chat");
        var files = Directory.GetFiles(directory, "*.sse");
        Array.Sort(files, StringComparer.Ordinal);
        return [.. files.Select(f => Payloads(File.ReadAllText(f)))];
    }

    /// <summary>The chunk payloads of one body (one <c>data:</c> line per event in these files; LF or CRLF).</summary>
    private static byte[][] Payloads(string body)
    {
        var payloads = new List<byte[]>();
        var eventType = "message";
        foreach (var raw in body.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                eventType = "message";
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                eventType = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal) && eventType == "message")
            {
                var data = line[5..].TrimStart(' ');
                if (data != "[DONE]")
                {
                    payloads.Add(Encoding.UTF8.GetBytes(data));
                }
            }
        }

        return [.. payloads];
    }

    private static string LocateFixtures([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory, Path.GetDirectoryName(sourceFile)! })
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

        throw new DirectoryNotFoundException($"No shared/fixtures above {AppContext.BaseDirectory}, {Environment.CurrentDirectory} or {sourceFile}.");
    }
}
