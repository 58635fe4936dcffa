using System.Globalization;
using Bench.Core.Metrics;
using Bench.Core.Records;
using CsvHelper;

namespace Bench.Report.Exporters;

/// <summary>
/// Writes <c>records.csv</c> (CsvHelper, invariant culture): one row per request with its outcome, token counts and
/// derived per-request metrics (from <see cref="RequestMetrics"/>), for spreadsheets. Rows are written as records are
/// read, so memory stays flat.
/// </summary>
public sealed class RecordsCsvExporter : IDisposable
{
    /// <summary>File name inside a results folder.</summary>
    public const string FileName = "records.csv";

    private static readonly string[] Header =
    [
        "id", "model", "mode", "phase", "outcome", "http_status", "error_type", "error_code", "finish_reason",
        "intended_ms", "sent_ms", "end_ms", "ttfb_ms", "ttft_ms", "ttfo_ms", "e2e_ms", "tpot_ms", "queue_ms", "response_ms",
        "token_events", "prompt_tokens", "completion_tokens", "reasoning_tokens", "cached_tokens", "tokens_source", "probe_rate_per_s",
    ];

    private readonly StreamWriter _writer;
    private readonly CsvWriter _csv;

    /// <summary>Creates <c>records.csv</c> in <paramref name="directory"/> and writes the header.</summary>
    public RecordsCsvExporter(string directory)
    {
        _writer = new StreamWriter(Path.Combine(directory, FileName));
        _csv = new CsvWriter(_writer, CultureInfo.InvariantCulture);
        foreach (var column in Header)
        {
            _csv.WriteField(column);
        }

        _csv.NextRecord();
    }

    /// <summary>Writes one record's row.</summary>
    public void Add(RequestRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        _csv.WriteField(r.Id);
        _csv.WriteField(r.Model);
        _csv.WriteField(Names.Of(r.Mode));
        _csv.WriteField(r.Phase);
        _csv.WriteField(Names.Of(r.Outcome));
        _csv.WriteField(r.HttpStatus);
        _csv.WriteField(r.Error?.Type);
        _csv.WriteField(r.Error?.Code);
        _csv.WriteField(r.FinishReason);
        Ms(r.IntendedMs);
        Ms(r.SentMs);
        Ms(r.EndMs);
        Ms(RequestMetrics.TtfbMs(r));
        Ms(RequestMetrics.TtftMs(r));
        Ms(RequestMetrics.TtfoMs(r));
        Ms(RequestMetrics.E2eMs(r));
        Ms(RequestMetrics.TpotMs(r));
        Ms(RequestMetrics.QueueMs(r));
        Ms(RequestMetrics.ResponseMs(r));
        _csv.WriteField(r.TokenEventsMs.Count);
        _csv.WriteField(r.PromptTokens);
        _csv.WriteField(r.CompletionTokens);
        _csv.WriteField(r.ReasoningTokens);
        _csv.WriteField(r.CachedTokens);
        _csv.WriteField(r.TokensSource);
        _csv.WriteField(r.ProbeRatePerS);
        _csv.NextRecord();
    }

    private void Ms(double? value) => _csv.WriteField(value is { } v ? Math.Round(v, 3).ToString("0.###", CultureInfo.InvariantCulture) : null);

    /// <inheritdoc />
    public void Dispose()
    {
        _csv.Dispose();
        _writer.Dispose();
    }
}
