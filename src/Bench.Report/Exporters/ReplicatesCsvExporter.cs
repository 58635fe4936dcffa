using System.Globalization;
using Bench.Core.Metrics;
using Bench.Report.Model;
using CsvHelper;

namespace Bench.Report.Exporters;

/// <summary>Writes <c>replicates.csv</c> for a run with replicates (<c>bench run --repeat N</c>): one row per replicate ×
/// cell, in replicate order then the report's cell order; the columns are <see cref="MetricCatalog.Target"/>,
/// <see cref="MetricCatalog.Replicate"/>, then the rest of those of <c>summary.csv</c> (<see cref="MetricCatalog.SummaryCsv"/>, ids, order and rounding from the catalogue), each
/// row the cell's figures over that replicate's records alone.</summary>
public static class ReplicatesCsvExporter
{
    /// <summary>File name inside a results folder.</summary>
    public const string FileName = "replicates.csv";

    /// <summary>Writes the rows to <paramref name="writer"/> (CsvHelper, invariant culture).</summary>
    /// <exception cref="ArgumentException">The report has no replicates.</exception>
    public static void Write(RunReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        var replicates = report.Replicates ?? throw new ArgumentException("The run has no replicates.", nameof(report));
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        var columns = MetricCatalog.SummaryCsv(report.SloNames).Where(c => c != MetricCatalog.Target).ToList();
        csv.WriteField(MetricCatalog.Target.Id);
        csv.WriteField(MetricCatalog.Replicate.Id);
        foreach (var column in columns)
        {
            csv.WriteField(column.Id);
        }

        csv.NextRecord();
        var rows = replicates.Cells.SelectMany((cell, order) => cell.Replicates.Select(r => (r.Replicate, order, r.Result)))
            .OrderBy(r => r.Replicate).ThenBy(r => r.order);
        foreach (var (replicate, _, result) in rows)
        {
            csv.WriteField(MetricCatalog.Target.Text(result));
            csv.WriteField(MetricValue.Count(replicate).ToText(MetricCatalog.Replicate.Format));
            foreach (var column in columns)
            {
                csv.WriteField(column.Text(result));
            }

            csv.NextRecord();
        }
    }

    /// <summary>Writes <c>replicates.csv</c> into <paramref name="directory"/> when the run has replicates; returns its
    /// path, or null (and writes nothing) for a run without.</summary>
    public static string? Write(RunReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Replicates is null)
        {
            return null;
        }

        var path = Path.Combine(directory, FileName);
        using var writer = new StreamWriter(path);
        Write(report, writer);
        return path;
    }
}
