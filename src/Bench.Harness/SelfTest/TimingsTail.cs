using System.Text.Json;
using Bench.Harness.Simulating;

namespace Bench.Harness.SelfTest;

/// <summary>
/// Reads the lines a child simulator appends to its <c>--timings</c> file (<see cref="TimingsFile"/>) into a
/// <see cref="GroundTruth"/>, from where the last read stopped to the last whole line. Not thread-safe.
/// </summary>
internal sealed class TimingsTail(string path, GroundTruth truth)
{
    private long _offset;

    /// <summary>Lines that could not be parsed (none, unless the file is not the simulator's).</summary>
    public long Unreadable { get; private set; }

    /// <summary>Reads the whole lines appended since the last call (none when the file does not exist yet).</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public void Refresh()
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        var length = stream.Length - _offset;
        if (length <= 0)
        {
            return;
        }

        var bytes = new byte[length];
        stream.Seek(_offset, SeekOrigin.Begin);
        stream.ReadExactly(bytes);
        var end = Array.LastIndexOf(bytes, (byte)'\n');
        if (end < 0)
        {
            return;
        }

        var text = bytes.AsSpan(0, end);
        while (!text.IsEmpty)
        {
            var newline = text.IndexOf((byte)'\n');
            var line = newline < 0 ? text : text[..newline];
            text = newline < 0 ? [] : text[(newline + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }

            try
            {
                truth.Add(TimingsFile.Parse(line));
            }
            catch (JsonException)
            {
                Unreadable++;
            }
        }

        _offset += end + 1;
    }
}
