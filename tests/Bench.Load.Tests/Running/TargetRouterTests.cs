using System.Collections.Concurrent;
using Bench.Core.Planning;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Load.Running;

namespace Bench.Load.Tests.Running;

/// <summary>A run over two targets: each cell's requests go to its target's executor, every record names its
/// target.</summary>
public class TargetRouterTests
{
    private sealed class CountingExecutor : IRequestExecutor
    {
        public ConcurrentQueue<string?> Seen { get; } = new();

        public Task<RequestRecord> ExecuteAsync(RequestTicket ticket, CancellationToken cancellationToken)
        {
            Seen.Enqueue(ticket.Cell.Target);
            return Task.FromResult(new RequestRecord { Id = ticket.Id, Model = ticket.Cell.Model, Mode = ticket.Cell.Mode, Phase = ticket.Phase, Outcome = Outcome.Success });
        }
    }

    [Fact]
    public async Task RunAsync_TwoTargets_EachCellToItsExecutor_RecordsCarryTheTarget()
    {
        var plan = Plan.Create(new Scenario
        {
            Targets = [new TargetSpec { Name = "direct" }, new TargetSpec { Name = "relay" }],
            Models = ["a"],
            Modes = [Mode.Streaming, Mode.NonStreaming],
            Workload = [new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 3 }],
        }, PlanOverrides.None, "plan.json");
        var direct = new CountingExecutor();
        var relay = new CountingExecutor();
        var records = new ConcurrentQueue<RequestRecord>();
        var router = new TargetRouter(new Dictionary<string, IRequestExecutor> { ["direct"] = direct, ["relay"] = relay });

        await new LoadRunner(router, new RunClock(), records.Enqueue).RunAsync(plan, CancellationToken.None);

        Assert.Equal(6, direct.Seen.Count);
        Assert.All(direct.Seen, t => Assert.Equal("direct", t));
        Assert.Equal(6, relay.Seen.Count);
        Assert.All(relay.Seen, t => Assert.Equal("relay", t));
        Assert.Equal(6, records.Count(r => r.Target == "direct"));
        Assert.Equal(6, records.Count(r => r.Target == "relay"));
    }

    [Fact]
    public void For_UnknownTarget_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new TargetRouter(new Dictionary<string, IRequestExecutor> { ["a"] = new CountingExecutor(), ["b"] = new CountingExecutor() }).For("c"));
}
