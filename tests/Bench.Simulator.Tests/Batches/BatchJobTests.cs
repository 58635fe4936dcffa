using Bench.Core.Batches;
using Bench.Simulator.Batches;

namespace Bench.Simulator.Tests.Batches;

/// <summary>A batch's status as a function of the batch clock: never backwards, timestamps ordered.</summary>
public class BatchJobTests
{
    private static readonly string[] Forward =
        [BatchStatuses.Validating, BatchStatuses.InProgress, BatchStatuses.Finalizing, BatchStatuses.Completed];

    [Fact]
    public void Evaluate_IncreasingTimes_NeverGoesBackwardsAndKeepsTimestampsOrdered()
    {
        var random = new Random(1234);
        for (var trial = 0; trial < 500; trial++)
        {
            var lines = random.Next(0, 40);
            var job = Job(lines, queueS: random.NextDouble() * 100_000, secondsPerLine: random.NextDouble() * 5_000, finalizeS: random.Next(0, 100),
                failed: lines == 0 || random.Next(10) == 0);
            var cancelAt = random.Next(3) == 0 ? random.NextDouble() * 100_000 : (double?)null;
            var previous = (Rank: -1, Done: 0);
            for (var t = 0.0; t < 200_000; t += random.NextDouble() * 3_000)
            {
                if (cancelAt is { } c && t >= c && job.CancelS is null
                    && job.Evaluate(t).Status is BatchStatuses.Validating or BatchStatuses.InProgress)
                {
                    job.CancelS = t;
                }

                var state = job.Evaluate(t);
                var rank = Rank(state.Status);
                Assert.True(rank >= previous.Rank, $"trial {trial}: {state.Status} after rank {previous.Rank} at {t}");
                Assert.True(state.Done >= previous.Done, $"trial {trial}: {state.Done} lines done after {previous.Done}");
                previous = (rank, state.Done);

                var wire = job.ToWire(state);
                long?[] chain = [wire.CreatedAt, wire.InProgressAt, wire.FinalizingAt, wire.CompletedAt];
                var present = chain.Where(x => x is not null).ToList();
                Assert.Equal(present.Order(), present);
                foreach (var end in (long?[])[wire.FailedAt, wire.ExpiredAt, wire.CancellingAt, wire.CancelledAt])
                {
                    Assert.True(end is null || end >= (wire.InProgressAt ?? wire.CreatedAt), $"trial {trial}: an end before the start");
                }

                Assert.True(wire.CancelledAt is null || wire.CancelledAt >= wire.CancellingAt);
                Assert.Equal(state.Started ? lines : 0, wire.RequestCounts!.Total);
                Assert.True(wire.RequestCounts.Completed + wire.RequestCounts.Failed <= wire.RequestCounts.Total);
            }
        }
    }

    /// <summary>The forward path ranks 0–3; a terminal end other than completed ranks after everything it can
    /// follow; cancelling before cancelled.</summary>
    private static int Rank(string status) => status switch
    {
        BatchStatuses.Cancelling => 4,
        BatchStatuses.Cancelled => 5,
        BatchStatuses.Failed or BatchStatuses.Expired => 6,
        _ => Array.IndexOf(Forward, status),
    };

    private static BatchJob Job(int lines, double queueS, double secondsPerLine, double finalizeS, bool failed) => new()
    {
        Id = "batch_x",
        Number = 1,
        InputFileId = "file-x",
        Endpoint = "/v1/chat/completions",
        CompletionWindow = "24h",
        Model = failed ? null : "m",
        Lines = failed ? [] : [.. Enumerable.Range(0, lines).Select(i => new BatchLine(i, $"c{i}", new Bench.Simulator.Endpoints.ChatCompletionRequest { Model = "m", MaxTokens = 1 }))],
        Errors = failed ? [new BatchError { Code = "empty_file" }] : null,
        Seed = 1,
        CreatedS = 0,
        QueueEndS = queueS,
        SecondsPerLine = Math.Max(secondsPerLine, 0.001),
        FinalizeS = finalizeS,
        ExpiresS = BatchEngine.WindowS,
        FinishOrder = [.. Enumerable.Range(0, failed ? 0 : lines)],
        FailsAt = new bool[failed ? 0 : lines],
    };
}
