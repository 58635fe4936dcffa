using Bench.Core.Results;
using Bench.Report.Exporters;
using Bench.Report.Html;

namespace Bench.Harness.Running;

/// <summary>
/// Whether <c>bench run --out DIR</c> may write into a folder, and starting it afresh with <c>--force</c>. A results
/// folder holds one run: a second run appended to its <c>records.jsonl</c> would be reported as one with the first.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A folder that does not exist, or is empty, is used as it is.</item>
/// <item>A non-empty folder is refused (exit code 2) unless <c>--force</c> is given.</item>
/// <item>With <c>--force</c>, only a Bench results folder (one holding <c>run.json</c>) is started afresh, and only the
/// entries Bench writes are deleted (<see cref="BenchEntries"/>); anything else in it is kept. A non-empty folder
/// without <c>run.json</c> — a home folder given by mistake, a source tree — is refused even with <c>--force</c>:
/// Bench never deletes files it did not write.</item>
/// </list>
/// The default folder (<c>results/&lt;run-id&gt;</c>) is always new, so it needs none of this.
/// </remarks>
internal static class ResultsFolder
{
    /// <summary>The top-level entries of a results folder that Bench writes (files and the chart and histogram
    /// folders).</summary>
    public static IReadOnlyList<string> BenchEntries { get; } =
    [
        ResultsDirectory.RunFile, ResultsDirectory.RunFileTemporary, ResultsDirectory.RecordsFile, ResultsDirectory.InjectionsFile, ResultsDirectory.BatchesFile, ResultsDirectory.BatchesFileTemporary, ResultsDirectory.ClientFile, RecordsCsvExporter.FileName, SummaryCsvExporter.FileName,
        SummaryJsonExporter.FileName, ReplicatesCsvExporter.FileName, MarkdownExporter.FileName, HtmlExporter.FileName, Report.Pdf.PdfPrinter.FileName, "histograms", "charts",
    ];

    /// <summary>Why <paramref name="requested"/> cannot be written to, or <see langword="null"/> when it can (after
    /// <see cref="StartAfresh"/> when <paramref name="force"/> and it holds an earlier run).</summary>
    public static string? Check(string? requested, bool force)
    {
        if (requested is null)
        {
            return null;
        }

        var path = Path.GetFullPath(requested);
        if (File.Exists(path))
        {
            return $"--out: {requested} is a file, not a folder; name a new or empty folder.";
        }

        if (!Directory.Exists(path) || !Directory.EnumerateFileSystemEntries(path).Any())
        {
            return null;
        }

        if (!force)
        {
            return $"--out: results folder {requested} is not empty; use --force to start it afresh (Bench deletes only the files it wrote), or name a new folder.";
        }

        return File.Exists(Path.Combine(path, ResultsDirectory.RunFile))
            ? null
            : $"--out: {requested} is not empty and is not a Bench results folder (it has no {ResultsDirectory.RunFile}); "
                + "--force only starts afresh a folder Bench wrote. Name a new or empty folder.";
    }

    /// <summary>Deletes the entries Bench writes from an earlier run in <paramref name="requested"/> (which
    /// <see cref="Check"/> accepted with <c>--force</c>); returns the names of the entries it kept.</summary>
    public static IReadOnlyList<string> StartAfresh(string requested)
    {
        var path = Path.GetFullPath(requested);
        if (!Directory.Exists(path))
        {
            return [];
        }

        foreach (var name in BenchEntries)
        {
            var entry = Path.Combine(path, name);
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else if (File.Exists(entry))
            {
                File.Delete(entry);
            }
        }

        return [.. Directory.EnumerateFileSystemEntries(path).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
    }
}
