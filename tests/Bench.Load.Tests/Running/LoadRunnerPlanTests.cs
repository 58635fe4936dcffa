using System.Collections.Concurrent;
using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Load.Running;

namespace Bench.Load.Tests.Running;

public sealed class LoadRunnerPlanTests
{
    /// <summary>Answers at once: what is tested is which requests the plan makes the runner send, not their timing.</summary>
    private sealed class InstantExecutor : IRequestExecutor
    {
        public Task<RequestRecord> ExecuteAsync(RequestTicket ticket, CancellationToken cancellationToken) => Task.FromResult(new RequestRecord
        {
            Id = ticket.Id,
            Model = ticket.Cell.Model,
            Mode = ticket.Cell.Mode,
            Phase = ticket.Phase,
            Outcome = Outcome.Success,
        });
    }

    private sealed class CellLog : ILoadObserver
    {
        public ConcurrentQueue<string> Events { get; } = new();

        public void CellStarted(Cell cell) => Events.Enqueue($"start {cell}");

        public void RequestCompleted(Cell cell, RequestRecord record)
        {
        }

        public void CellFinished(Cell cell) => Events.Enqueue($"end {cell}");
    }

    [Fact]
    public async Task RunAsync_Plan_RunsItsStepsForEachCellInPlanOrder()
    {
        var plan = Plan.Create(new Scenario
        {
            Models = ["a", "b"],
            Modes = [Mode.Streaming, Mode.NonStreaming],
            Workload =
            [
                new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 1, Warmup = true },
                new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 2, Iterations = 3 },
            ],
        }, PlanOverrides.None, "plan.json");
        var records = new ConcurrentQueue<RequestRecord>();
        var log = new CellLog();

        await new LoadRunner(new InstantExecutor(), new RunClock(), records.Enqueue, log).RunAsync(plan, CancellationToken.None);

        Assert.Equal(
            ["start simulator · a · streaming", "end simulator · a · streaming", "start simulator · a · non-streaming", "end simulator · a · non-streaming",
             "start simulator · b · streaming", "end simulator · b · streaming", "start simulator · b · non-streaming", "end simulator · b · non-streaming"],
            log.Events);
        Assert.Equal(4 * plan.ExpectedRequestsPerCell, records.Count);
        Assert.All(plan.Cells, c => Assert.Equal(
            (1, 3),
            (records.Count(r => r.Model == c.Model && r.Mode == c.Mode && r.Phase == "warmup"),
             records.Count(r => r.Model == c.Model && r.Mode == c.Mode && r.Phase != "warmup"))));
    }

    [Fact]
    public async Task RunAsync_PlanWithReplicates_RunsReplicateRBeforeRPlus1_RecordsCarryIt_IdsUnique()
    {
        var plan = Plan.Create(new Scenario
        {
            Models = ["a", "b"],
            Modes = [Mode.Streaming],
            Workload =
            [
                new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 1, Warmup = true },
                new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 2, Iterations = 3 },
            ],
        }, new PlanOverrides { Repeat = 2 }, "plan.json");
        var records = new ConcurrentQueue<RequestRecord>();
        var log = new CellLog();

        await new LoadRunner(new InstantExecutor(), new RunClock(), records.Enqueue, log).RunAsync(plan, CancellationToken.None);

        Assert.Equal(
            ["start simulator · a · streaming", "end simulator · a · streaming", "start simulator · b · streaming", "end simulator · b · streaming",
             "start simulator · a · streaming", "end simulator · a · streaming", "start simulator · b · streaming", "end simulator · b · streaming"],
            log.Events);
        Assert.Equal(2 * 2 * 4, records.Count);
        Assert.Equal(records.Count, records.Select(r => r.Id).Distinct().Count());
        // Each replicate runs a plain run's steps: one warm-up and three measured requests per cell.
        Assert.All(from r in new[] { 1, 2 } from m in new[] { "a", "b" } select (r, m), x => Assert.Equal(
            (1, 3),
            (records.Count(q => q.Replicate == x.r && q.Model == x.m && q.Phase == "warmup"),
             records.Count(q => q.Replicate == x.r && q.Model == x.m && q.Phase != "warmup"))));
        // Replicate 1's ids all come before replicate 2's: the order is the plan's.
        Assert.True(records.Where(r => r.Replicate == 1).Max(r => r.Id) < records.Where(r => r.Replicate == 2).Min(r => r.Id));
    }

    [Fact]
    public async Task RunAsync_PlanWithBatchApiAndAFirstId_RunsOnlyTheSynchronousCellsFromThatId()
    {
        var plan = Plan.Create(new Scenario
        {
            Models = ["a"],
            Modes = [Mode.Streaming, Mode.BatchApi],
            Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 3 }],
        }, PlanOverrides.None, "plan.json");
        var records = new ConcurrentQueue<RequestRecord>();
        var log = new CellLog();

        // The batch-api cell's 3 lines took ids 0..2; the synchronous cells start after them.
        await new LoadRunner(new InstantExecutor(), new RunClock(), records.Enqueue, log) { FirstId = 3 }.RunAsync(plan, CancellationToken.None);

        Assert.Equal(["start simulator · a · streaming", "end simulator · a · streaming"], log.Events);
        Assert.Equal([3L, 4, 5], records.Select(r => r.Id).Order());
    }
}
