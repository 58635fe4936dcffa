using System.Globalization;
using Bench.Report.Model;
using CsvHelper;

namespace Bench.Report.Exporters;

/// <summary>Writes <c>summary.csv</c>: one row per model × mode, the columns of <see cref="SummaryColumns.For"/>.</summary>
public static class SummaryCsvExporter
{
    /// <summary>File name inside a results folder.</summary>
    public const string FileName = "summary.csv";

    /// <summary>Writes the summary to <paramref name="writer"/> (CsvHelper, invariant culture).</summary>
    public static void Write(RunReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        var columns = SummaryColumns.For(report);
        foreach (var (id, _) in columns)
        {
            csv.WriteField(id);
        }

        csv.NextRecord();
        foreach (var cell in report.Cells)
        {
            foreach (var (_, value) in columns)
            {
                csv.WriteField(value(cell));
            }

            csv.NextRecord();
        }
    }

    /// <summary>Writes <c>summary.csv</c> into <paramref name="directory"/>; returns its path.</summary>
    public static string Write(RunReport report, string directory)
    {
        var path = Path.Combine(directory, FileName);
        using var writer = new StreamWriter(path);
        Write(report, writer);
        return path;
    }
}
