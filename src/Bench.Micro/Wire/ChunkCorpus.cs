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

    /// <summary>Loads the events of the recorded streams in <c>recorded-streams/<paramref name="folder"/></c>
    /// (<c>anthropic</c>, <c>responses</c>, <c>gemini</c>): per stream, every event's type (<c>message</c> when it named
    /// none) and its <c>data:</c> payload, in file name order.</summary>
    /// <exception cref="DirectoryNotFoundException">No <c>shared/fixtures</c> above the binaries or the sources.</exception>
    public static (string EventType, byte[] Data)[][] LoadEvents(string folder)
    {
        var files = Directory.GetFiles(Path.Combine(LocateFixtures(), "recorded-streams", folder), "*.sse");
        Array.Sort(files, StringComparer.Ordinal);
        return [.. files.Select(f => Events(File.ReadAllText(f)))];
    }

    /// <summary>The events of one body (one <c>data:</c> line per event in these files; LF or CRLF).</summary>
    private static (string, byte[])[] Events(string body)
    {
        var events = new List<(string, byte[])>();
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
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                events.Add((eventType, Encoding.UTF8.GetBytes(line[5..].TrimStart(' '))));
            }
        }

        return [.. events];
    }

    /// <summary>The folder <c>recorded-streams/<paramref name="name"/></c> (<c>openai-chat</c>, <c>responses</c>...).</summary>
    /// <exception cref="DirectoryNotFoundException">No <c>shared/fixtures</c> above the binaries or the sources.</exception>
    public static string Folder(string name) => Path.Combine(LocateFixtures(), "recorded-streams", name);

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
