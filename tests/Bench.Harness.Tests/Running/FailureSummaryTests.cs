using Bench.Core.Metrics;
using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Results;
using Bench.Harness.Running;

namespace Bench.Harness.Tests.Running;

public sealed class FailureSummaryTests : IDisposable
{
    private static readonly PlanCell[] Cells =
    [
        new("gpt-4.1", Mode.Streaming), new("gpt-4.1", Mode.NonStreaming), new("o3", Mode.Streaming), new("o3", Mode.NonStreaming),
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("bench-failures-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(IEnumerable<RequestRecord> records)
    {
        var path = Path.Combine(_dir, ResultsDirectory.RecordsFile);
        File.WriteAllLines(path, records.Select(r => System.Text.Json.JsonSerializer.Serialize(r, ResultsJson.Default.RequestRecord)));
        return path;
    }

    private static RequestRecord Record(PlanCell cell, Outcome outcome, int? status = null, ErrorInfo? error = null, string phase = Phases.Measure) =>
        new() { Model = cell.Model, Mode = cell.Mode, Policy = cell.Policy, Outcome = outcome, HttpStatus = status, Error = error, Phase = phase };

    [Fact]
    public void Read_PolicyIsPartOfTheCell_ItsLineNamesIt()
    {
        PlanCell[] cells = [new("gpt-4.1", Mode.Streaming), new("gpt-4.1", Mode.Streaming, "retries-3")];
        var path = Write([Record(cells[0], Outcome.Success, 200), Record(cells[1], Outcome.ServerError, 503), Record(cells[1], Outcome.ServerError, 503)]);

        var summary = FailureSummary.Read(path, cells);

        Assert.Equal([(1L, 1L), (2L, 0L)], summary.Cells.Select(c => (c.Attempts, c.Successes)));
        Assert.Equal(["gpt-4.1 streaming retries-3: 0/2 succeeded — 2 server_error 503"], summary.Failing.Select(c => c.Line()));
    }

    [Fact]
    public void Read_TargetIsPartOfTheCell_ItsLineNamesIt()
    {
        CellKey[] cells = [new("direct", "gpt-4.1", Mode.Streaming, null), new("relay", "gpt-4.1", Mode.Streaming, null)];
        var relayFailure = new RequestRecord { Target = "relay", Model = "gpt-4.1", Mode = Mode.Streaming, Outcome = Outcome.ServerError, HttpStatus = 502 };
        var path = Write(
        [
            new RequestRecord { Target = "direct", Model = "gpt-4.1", Mode = Mode.Streaming, Outcome = Outcome.Success, HttpStatus = 200 },
            relayFailure,
            relayFailure,
        ]);

        var summary = FailureSummary.Read(path, cells);

        Assert.Equal([(1L, 1L), (2L, 0L)], summary.Cells.Select(c => (c.Attempts, c.Successes)));
        Assert.Equal(["relay gpt-4.1 streaming: 0/2 succeeded — 2 server_error 502"], summary.Failing.Select(c => c.Line()));
    }

    [Fact]
    public void Read_PlanWithoutTargets_CountsEveryTargetsRecordsInItsCell()
    {
        var path = Write([new RequestRecord { Target = "simulator", Model = "gpt-4.1", Mode = Mode.Streaming, Outcome = Outcome.Success, HttpStatus = 200 }]);

        var summary = FailureSummary.Read(path, [new PlanCell("gpt-4.1", Mode.Streaming)]);

        Assert.Equal((1L, 1L), (summary.Cells.Single().Attempts, summary.Cells.Single().Successes));
    }

    [Fact]
    public void Line_KeyRefused_NamesStatusCodeAndMessage()
    {
        var refusal = new ErrorInfo("invalid_request_error", "invalid_api_key", "Incorrect API key provided: sk-***");
        var path = Write(Enumerable.Repeat(Record(Cells[0], Outcome.ClientError, 401, refusal), 20));

        var summary = FailureSummary.Read(path, Cells[..1]);

        Assert.Equal(["gpt-4.1 streaming: 0/20 succeeded — 20 client_error 401 invalid_api_key: Incorrect API key provided: sk-***"],
            summary.Failing.Select(c => c.Line()));
    }

    [Fact]
    public void Line_ConnectionRefused_NamesTheOutcomeAndMessage_AndCountsOtherFailures()
    {
        var refused = new ErrorInfo("connection_error", null, "Connection refused (127.0.0.1:9)");
        var path = Write(
        [
            .. Enumerable.Repeat(Record(Cells[0], Outcome.ConnectionError, error: refused), 7),
            Record(Cells[0], Outcome.Timeout, error: new ErrorInfo("timeout", null, "No complete response within 30 s.")),
            Record(Cells[0], Outcome.ConnectionError, error: new ErrorInfo("connection_error", null, "Connection reset by peer")),
            Record(Cells[0], Outcome.Success, phase: Phases.Warmup),
            Record(Cells[0], Outcome.Cancelled),
        ]);

        var cell = FailureSummary.Read(path, Cells[..1]).Failing.Single();

        Assert.Equal("gpt-4.1 streaming: 0/9 succeeded — 8 connection_error: Connection refused (127.0.0.1:9) (+1 other failures)", cell.Line());
        Assert.Equal(11, cell.Records);
        Assert.Equal(10, cell.AllAttempts);
        Assert.Equal(1, cell.NotAttempted);
    }

    [Fact]
    public void Failing_OneSuccessInACell_IsNotFailing_AndACellWithoutRecordsIs()
    {
        var path = Write(
        [
            Record(Cells[0], Outcome.ServerError, 500), Record(Cells[0], Outcome.Success, 200),
            Record(Cells[1], Outcome.ServerError, 500),
        ]);

        var failing = FailureSummary.Read(path, Cells[..3]).Failing.Select(c => c.Line()).ToList();

        Assert.Equal(["gpt-4.1 non-streaming: 0/1 succeeded — 1 server_error 500", "o3 streaming: 0/0 succeeded — no measured request completed"], failing);
    }

    [Fact]
    public void Read_ManyDistinctMessages_KeepsABoundedNumber_AndStillCountsEveryFailure()
    {
        var path = Write(Enumerable.Range(0, 5_000).Select(i => Record(Cells[0], Outcome.ServerError, 500 + (i % 100),
            new ErrorInfo(null, "code" + i, new string('x', 10_000) + i))));

        var cell = FailureSummary.Read(path, Cells[..1]).Cells[0];
        var line = cell.Line();

        Assert.Equal(5_000, cell.Attempts);
        Assert.StartsWith("gpt-4.1 streaming: 0/5000 succeeded — 1 server_error 500 code0: xxx", line, StringComparison.Ordinal);
        Assert.EndsWith("… (+4999 other failures)", line, StringComparison.Ordinal);
        Assert.True(line.Length < 2 * FailureTally.MaxMessageChars, $"{line.Length} characters");
    }

    [Theory]
    [InlineData(new[] { 0, 0, 0, 0 }, null, new[] { 0, 1, 2, 3 })]
    [InlineData(new[] { 5, 2, 0, 0 }, null, new[] { 1, 2, 3 })]
    [InlineData(new[] { 5, 5, 0, 0 }, 5, new[] { 2, 3 })]
    [InlineData(new[] { 5, 5, 5, 5 }, 5, new int[0])]
    [InlineData(new[] { 5, 5, 5, 3 }, 5, new[] { 3 })]
    public void PartialCells_TheCellInProgressAndEveryLaterOne(int[] recordsPerCell, int? expected, int[] partial)
    {
        var path = Write(recordsPerCell.SelectMany((n, i) => Enumerable.Repeat(Record(Cells[i], Outcome.Success, 200), n)));

        var cells = FailureSummary.Read(path, Cells).PartialCells(expected, Cells.Length);

        Assert.Equal(partial.Select(i => Cells[i]).Select(c => $"{c.Model} {Names.Of(c.Mode)}"), cells);
    }
}
