using System.Globalization;
using Bench.Core.Metrics;
using Bench.Report.Model;
using CsvHelper;

namespace Bench.Report.Exporters;

/// <summary>Writes <c>summary.csv</c>: one row per model × mode, the columns of <see cref="MetricCatalog.SummaryCsv"/>
/// (ids, order and rounding from the catalogue; an undefined value is an empty field, never 0).</summary>
public static class SummaryCsvExporter
{
    /// <summary>File name inside a results folder.</summary>
    public const string FileName = "summary.csv";

    /// <summary>Writes the summary to <paramref name="writer"/> (CsvHelper, invariant culture).</summary>
    public static void Write(RunReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        var columns = MetricCatalog.SummaryCsv(report.SloNames);
        foreach (var column in columns)
        {
            csv.WriteField(column.Id);
        }

        csv.NextRecord();
        foreach (var cell in report.Cells)
        {
            foreach (var column in columns)
            {
                csv.WriteField(column.Text(cell));
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
