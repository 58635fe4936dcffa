using System.Text.Json;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Results;

namespace Bench.Core.Tests.Records;

/// <summary>The connection layer's record fields reach <c>records.jsonl</c> and <c>records.csv</c> (issue 10 §5), and a
/// record of an older run, without them, still reads.</summary>
public class ConnectionFieldsTests
{
    [Fact]
    public void Serialize_HeadersAndRetry_WrittenInSnakeCase_RetryOmittedWhenFalse()
    {
        var retried = new RequestRecord { SentMs = 1, HeadersMs = 12.5, FirstByteMs = 52.5, ConnectionRetried = true };
        var plain = new RequestRecord { SentMs = 1 };

        var json = JsonSerializer.Serialize(retried, ResultsJson.Default.RequestRecord);
        var plainJson = JsonSerializer.Serialize(plain, ResultsJson.Default.RequestRecord);

        Assert.Contains("\"headers_ms\":12.5", json, StringComparison.Ordinal);
        Assert.Contains("\"connection_retried\":true", json, StringComparison.Ordinal);
        Assert.DoesNotContain("connection_retried", plainJson, StringComparison.Ordinal);
        Assert.DoesNotContain("headers_ms", plainJson, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize(json, ResultsJson.Default.RequestRecord)!;
        Assert.Equal((12.5, true), (back.HeadersMs, back.ConnectionRetried));
    }

    [Fact]
    public void Deserialize_OldRecordWithoutTheFields_NullAndFalse()
    {
        var old = JsonSerializer.Deserialize("""{"id":3,"model":"m","mode":"streaming","sent_ms":1,"end_ms":2,"outcome":"success"}""", ResultsJson.Default.RequestRecord)!;

        Assert.Null(old.HeadersMs);
        Assert.False(old.ConnectionRetried);
    }

    [Fact]
    public void RecordsCsv_HeadersAndRetryColumns_ReadTheRecord()
    {
        var record = new RequestRecord { SentMs = 1, HeadersMs = 12.5, ConnectionRetried = true };

        Assert.Contains(MetricCatalog.RecordsCsv, c => c.Id == "headers_ms");
        Assert.Contains(MetricCatalog.RecordsCsv, c => c.Id == "connection_retried");
        Assert.Equal("12.5", MetricCatalog.Find("headers_ms").Text(record));
        Assert.Equal("true", MetricCatalog.Find("connection_retried").Text(record));
        Assert.Equal("", MetricCatalog.Find("headers_ms").Text(new RequestRecord()));
        Assert.Equal("false", MetricCatalog.Find("connection_retried").Text(new RequestRecord()));
    }
}
