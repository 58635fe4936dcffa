using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Records;
using CsvHelper;

namespace Bench.Report.Exporters;

/// <summary>
/// Writes <c>records.csv</c> (CsvHelper, invariant culture): one row per request with its outcome, token counts and
/// derived per-request metrics — the columns of <see cref="MetricCatalog.RecordsCsv"/>, whose distributions compute
/// their values with <see cref="RequestMetrics"/>. Rows are written as records are read, so memory stays flat.
/// </summary>
public sealed class RecordsCsvExporter : IDisposable
{
    /// <summary>File name inside a results folder.</summary>
    public const string FileName = "records.csv";

    private readonly StreamWriter _writer;
    private readonly CsvWriter _csv;

    /// <summary>Creates <c>records.csv</c> in <paramref name="directory"/> and writes the header.</summary>
    public RecordsCsvExporter(string directory)
    {
        _writer = new StreamWriter(Path.Combine(directory, FileName));
        _csv = new CsvWriter(_writer, CultureInfo.InvariantCulture);
        foreach (var column in MetricCatalog.RecordsCsv)
        {
            _csv.WriteField(column.Id);
        }

        _csv.NextRecord();
    }

    /// <summary>Writes one record's row.</summary>
    public void Add(RequestRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        foreach (var column in MetricCatalog.RecordsCsv)
        {
            _csv.WriteField(column.Text(r));
        }

        _csv.NextRecord();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _csv.Dispose();
        _writer.Dispose();
    }
}
