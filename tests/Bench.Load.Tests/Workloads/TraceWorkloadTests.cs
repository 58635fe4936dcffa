using System.Collections.Concurrent;
using Bench.Core.Metrics;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Core.Traces;
using Bench.Load.Running;
using Bench.Tests.Shared;

namespace Bench.Load.Tests.Workloads;

/// <summary>The trace step on a fake clock (<see cref="SteppingClock"/>): every time asserted is exact.</summary>
[Collection(SteppingClock.Collection)]
public class TraceWorkloadTests
{
    private const string TracePath = "/traces/day.jsonl";

    /// <summary>A 40 ms endpoint that keeps every ticket and stamps the draw as <see cref="ChatExecutor"/> does.</summary>
    private sealed class Endpoint(RunClock clock) : IRequestExecutor
    {
        public ConcurrentQueue<RequestTicket> Tickets { get; } = new();

        public async Task<RequestRecord> ExecuteAsync(RequestTicket ticket, CancellationToken cancellationToken)
        {
            Tickets.Enqueue(ticket);
            var sent = clock.NowMs();
            await clock.DelayAsync(TimeSpan.FromMilliseconds(40), cancellationToken);
            var end = clock.NowMs();
            var record = new RequestRecord
            {
                Id = ticket.Id, Model = ticket.Cell.Model, Mode = ticket.Cell.Mode, Phase = ticket.Phase, IntendedMs = ticket.IntendedMs,
                SentMs = sent, FirstByteMs = end, FirstTokenMs = end, LastTokenMs = end, EndMs = end, CompletionTokens = 1, Outcome = Outcome.Success,
            };
            ChatExecutor.Stamp(record, ticket);
            return record;
        }
    }

    private static TraceFile Trace(string text) => TraceReader.Parse(text.Split('\n'), TracePath);

    private static async Task<(List<RequestRecord> Records, Endpoint Endpoint)> RunAsync(TraceFile trace, WorkloadStep step, params Cell[] cells)
    {
        var time = new SteppingClock();
        var clock = new RunClock(time);
        var endpoint = new Endpoint(clock);
        var records = new ConcurrentQueue<RequestRecord>();
        var runner = new LoadRunner(endpoint, clock, records.Enqueue, seed: 42) { Traces = new Dictionary<string, TraceFile> { [TracePath] = trace } };
        await time.RunAsync(() => runner.RunAsync(cells.Length == 0 ? [new Cell("gpt-4o", Mode.Streaming)] : cells, [step], CancellationToken.None));
        return ([.. records.OrderBy(r => r.Id)], endpoint);
    }

    private static WorkloadStep Step(double speedup = 1, int? cap = null) =>
        new() { Kind = StepKind.Trace, Trace = new TraceSpec { Path = TracePath, Speedup = speedup }, MaxConcurrency = cap };

    private const string FourLines = """
        {"timestamp": 1000, "input_length": 30, "output_length": 5, "session_id": "u1"}
        {"timestamp": 1000, "input_length": 40, "output_length": 6}
        {"timestamp": 1600, "prompt": "Summarise the report.", "output_length": 7, "session_id": "u1"}
        {"timestamp": 4000, "input_length": 50, "output_length": 8}
        """;

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(0.5)]
    public async Task Replay_SendsEachLineAtItsTimestamp_DividedByTheSpeedup(double speedup)
    {
        var (records, _) = await RunAsync(Trace(FourLines), Step(speedup));

        // Offsets from the first timestamp (1000 ms), divided by the speed-up, from the step's start (0 on this clock).
        var expected = new[] { 0.0, 0, 600, 3000 }.Select(t => t / speedup);
        Assert.Equal(expected, records.Select(r => r.IntendedMs!.Value));
        Assert.All(records, r => Assert.InRange(r.SentMs - r.IntendedMs!.Value, -0.0005, 0.0006));
        Assert.All(records, r => Assert.Equal(Outcome.Success, r.Outcome));
    }

    [Fact]
    public async Task Replay_SendsEachLinesDraw_WithItsIndexLengthsAndSession()
    {
        var (records, endpoint) = await RunAsync(Trace(FourLines), Step());

        Assert.Equal([0L, 1, 2, 3], records.Select(r => r.SourceIndex!.Value));
        Assert.Equal([30, 40, Core.Tokens.TokenCounter.ForModel("gpt-4o").Count("Summarise the report."), 50], records.Select(r => r.IntendedPromptTokens!.Value));
        Assert.Equal([5, 6, 7, 8], records.Select(r => r.IntendedCompletionTokens!.Value));
        Assert.Equal(["u1", null, "u1", null], records.Select(r => r.SessionId));
        var tickets = endpoint.Tickets.OrderBy(t => t.Id).ToList();
        Assert.Equal([5, 6, 7, 8], tickets.Select(t => t.Draw!.MaxTokens));
        Assert.Equal("Summarise the report.", tickets[2].Draw!.Messages.Single().Content);
        Assert.Equal(30, tickets[0].Draw!.Messages.Single().Content.Split(' ').Length);
    }

    [Fact]
    public async Task EveryCell_ReplaysTheWholeTrace_WithTheSamePrompts()
    {
        var (records, endpoint) = await RunAsync(Trace(FourLines), Step(), new Cell("gpt-4o", Mode.Streaming), new Cell("gpt-4o", Mode.NonStreaming));

        Assert.Equal(8, records.Count);
        Assert.Equal([0L, 1, 2, 3, 0, 1, 2, 3], records.Select(r => r.SourceIndex!.Value));
        var tickets = endpoint.Tickets.OrderBy(t => t.Id).ToList();
        Assert.Equal(tickets.Take(4).Select(t => t.Draw!.Messages[0].Content), tickets.Skip(4).Select(t => t.Draw!.Messages[0].Content));
        // The second cell starts when the first has ended (its last request: 3000 + 40 ms) and replays from offset 0.
        Assert.Equal(new[] { 0.0, 0, 600, 3000 }.Select(t => t + 3040), records.Skip(4).Select(r => r.IntendedMs!.Value));
    }

    [Fact]
    public async Task ALineDueAtAFullCap_IsDropped_KeepingItsSourceIndex()
    {
        var (records, _) = await RunAsync(Trace(FourLines), Step(cap: 1));

        // Lines 0 and 1 share a timestamp: with one request in flight at most, line 1 is dropped, not sent late.
        Assert.Equal([Outcome.Success, Outcome.Dropped, Outcome.Success, Outcome.Success], records.Select(r => r.Outcome));
        var dropped = records[1];
        Assert.Equal((1L, 40, 6, 0.0), (dropped.SourceIndex!.Value, dropped.IntendedPromptTokens!.Value, dropped.IntendedCompletionTokens!.Value, dropped.IntendedMs!.Value));
        Assert.Equal("in-flight cap of 1 reached", dropped.Error!.Message);
    }

    [Fact]
    public async Task MooncakeLines_SharingHashIds_SendIdenticalPrefixes()
    {
        var trace = Trace("""
            {"timestamp": 0, "input_length": 1100, "output_length": 3, "hash_ids": [7, 8, 9]}
            {"timestamp": 50, "input_length": 700, "output_length": 3, "hash_ids": [7, 10]}
            {"timestamp": 90, "input_length": 600, "output_length": 3, "hash_ids": [11, 12]}
            """);
        var (_, endpoint) = await RunAsync(trace, Step());
        var texts = endpoint.Tickets.OrderBy(t => t.Id).Select(t => t.Draw!.Messages.Single().Content.Split(' ')).ToList();

        Assert.Equal([1100, 700, 600], texts.Select(t => t.Length));
        Assert.Equal(texts[0].Take(512), texts[1].Take(512));          // block 7 shared
        Assert.NotEqual(texts[0].Skip(512).Take(50), texts[1].Skip(512).Take(50)); // then 8 against 10
        Assert.NotEqual(texts[0].Take(50), texts[2].Take(50));
    }
}
