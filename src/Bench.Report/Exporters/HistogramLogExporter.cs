using System.Text;
using Bench.Core.Metrics;
using Bench.Core.Records;
using HdrHistogram;

namespace Bench.Report.Exporters;

/// <summary>
/// Writes <c>histograms/&lt;target&gt;__&lt;model&gt;__&lt;mode&gt;[__&lt;policy&gt;].hlog</c> (results without a target
/// keep the older <c>&lt;model&gt;__&lt;mode&gt;.hlog</c>, and <see cref="Read"/> reads either): one HdrHistogram log (format 1.3, values in microseconds)
/// per cell, one tagged histogram per latency metric (tag = metric id, e.g. <c>ttft_ms</c>). Logs of several runs or
/// shards can be merged by adding histograms with the same tag, and percentiles recomputed from the sum — never by
/// averaging each shard's p99.
/// </summary>
public static class HistogramLogExporter
{
    /// <summary>Folder inside a results folder.</summary>
    public const string FolderName = "histograms";

    /// <summary>Writes one log per cell; returns the paths written.</summary>
    public static IReadOnlyList<string> Write(RunAggregator aggregator, DateTimeOffset runStartUtc, string directory)
    {
        ArgumentNullException.ThrowIfNull(aggregator);
        var folder = Path.Combine(directory, FolderName);
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        foreach (var cell in aggregator.Cells)
        {
            var histograms = new List<HistogramBase>();
            foreach (var metric in Metric.Latencies)
            {
                if (cell.Histogram(metric) is not { } latency)
                {
                    continue;
                }

                var copy = latency.Histogram.Copy();
                copy.Tag = metric.Id;
                copy.StartTimeStamp = runStartUtc.ToUnixTimeMilliseconds();
                copy.EndTimeStamp = runStartUtc.ToUnixTimeMilliseconds();
                histograms.Add(copy);
            }

            if (histograms.Count == 0)
            {
                continue;
            }

            // A cell under a resilience policy has its own file (model__mode__policy); without one the name is as before.
            // With a target (every run since targets), its name comes first: one model at two targets has two files.
            var name = cell.Policy is { } policy ? $"{FileSafe(cell.Model)}__{Names.Of(cell.Mode)}__{FileSafe(policy)}" : $"{FileSafe(cell.Model)}__{Names.Of(cell.Mode)}";
            name = cell.Target is { Length: > 0 } target ? $"{FileSafe(target)}__{name}" : name;
            var path = Path.Combine(folder, name + ".hlog");
            var buffer = new MemoryStream();
            using (var writer = new HistogramLogWriter(buffer))
            {
                writer.Write(runStartUtc.UtcDateTime, [.. histograms]);
            }

            // HdrHistogram.NET writes UTF-16 with a byte order mark; the log format is ASCII text, and the other
            // HdrHistogram implementations (Java's HistogramLogProcessor, Python, Go) read it as such.
            File.WriteAllText(path, Encoding.Unicode.GetString(buffer.ToArray()).TrimStart('\uFEFF'), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

            paths.Add(path);
        }

        return paths;
    }

    /// <summary>Reads every tagged histogram of an <c>.hlog</c> file, summed per tag (so shards merge correctly).</summary>
    public static IReadOnlyDictionary<string, HistogramBase> Read(string path)
    {
        var merged = new Dictionary<string, HistogramBase>();
        using var stream = File.OpenRead(path);
        using var reader = new HistogramLogReader(stream);
        foreach (var histogram in reader.ReadHistograms())
        {
            var tag = histogram.Tag ?? "";
            if (merged.TryGetValue(tag, out var sum))
            {
                sum.Add(histogram);
            }
            else
            {
                merged[tag] = histogram.Copy();
            }
        }

        return merged;
    }

    /// <summary>A model id as a file name: ASCII letters, digits, <c>.</c>, <c>-</c> and <c>_</c> kept, anything else
    /// <c>_</c>; a name that had to change or is longer than 80 characters is cut to 80 and gets 8 hex digits of its
    /// SHA-256, so two models never share a file and no name exceeds the file system's limit.</summary>
    private static string FileSafe(string name)
    {
        var safe = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
        if (safe == name && safe.Length <= 80 && safe is not ("." or ".."))
        {
            return safe;
        }

        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        return $"{safe[..Math.Min(safe.Length, 80)]}-{hash}";
    }
}
