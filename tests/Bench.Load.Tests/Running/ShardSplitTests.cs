using System.Collections.Concurrent;
using System.Globalization;
using Bench.Core.Planning;
using Bench.Core.Prompts;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Core.Traces;
using Bench.Load.Running;
using Bench.Load.Workloads.Sessions;
using Bench.Tests.Shared;

namespace Bench.Load.Tests.Running;

/// <summary>
/// <c>--shard I/N</c>'s split on a fake clock (<see cref="SteppingClock"/>): for each workload the union over I = 1..3 of
/// what the shards send or drop — (id, phase, intended time, draw) — is the unsharded run's, without duplicates, and
/// <c>--shard 1/1</c> is the unsharded run.
/// </summary>
[Collection(SteppingClock.Collection)]
public class ShardSplitTests
{
    private const int Seed = 11;
    private const string TracePath = "/traces/shard.jsonl";
    private static readonly Cell CellA = new("m", Mode.Streaming);
    private static readonly Cell CellB = new("n", Mode.NonStreaming);

    /// <summary>Prompts of drawn lengths: each id's draw differs, so a wrong id shows as a wrong draw.</summary>
    private static readonly IPromptSource Prompts = PromptSources.For(
        new RequestShape { InputTokens = new LengthDistribution { Kind = DistributionKind.Uniform, Min = 5, Max = 400 } }, Seed);

    /// <summary>A 30 ms endpoint that keeps what each request sent: the ticket's draw, else the draw
    /// <see cref="ChatExecutor"/> makes for the id; a session's turn answers with its session and turn.</summary>
    private sealed class Endpoint(RunClock clock) : IRequestExecutor
    {
        public ConcurrentDictionary<long, string> Draws { get; } = new();

        public async Task<RequestRecord> ExecuteAsync(RequestTicket ticket, CancellationToken cancellationToken)
        {
            var draw = ticket.Draw ?? Prompts.Draw(ticket.Id, ticket.Cell.Model);
            Draws[ticket.Id] = DrawText(draw);
            var sent = clock.NowMs();
            await clock.DelayAsync(TimeSpan.FromMilliseconds(30), cancellationToken);
            var end = clock.NowMs();
            var record = new RequestRecord
            {
                Id = ticket.Id, Model = ticket.Cell.Model, Mode = ticket.Cell.Mode, Phase = ticket.Phase, IntendedMs = ticket.IntendedMs,
                SentMs = sent, FirstTokenMs = end, LastTokenMs = end, EndMs = end, CompletionTokens = 3, Outcome = Outcome.Success,
                AnswerText = ticket.SessionId is { } s ? $"answer of {s} turn {ticket.Turn}" : null,
            };
            ChatExecutor.Stamp(record, ticket);
            return record;
        }
    }

    private static string DrawText(PromptDraw draw) =>
        string.Join(" | ", draw.Messages.Select(m => $"{m.Role}: {m.Content}")) + $" ({draw.MaxTokens})";

    private sealed record Sent(long Id, string Phase, double? IntendedMs, string Draw, string? Session, int? Turn, int? Shard, Outcome Outcome);

    private static async Task<List<Sent>> RunAsync(ShardSpec? shard, IReadOnlyList<Cell> cells, bool sessions, params WorkloadStep[] steps)
    {
        var time = new SteppingClock();
        var clock = new RunClock(time);
        var endpoint = new Endpoint(clock);
        var records = new ConcurrentQueue<RequestRecord>();
        var trace = TraceReader.Parse(TraceLines().Split('\n'), TracePath);
        var runner = new LoadRunner(endpoint, clock, records.Enqueue, seed: Seed)
        {
            Shard = shard,
            FirstId = 7, // as after a batch's lines
            Traces = new Dictionary<string, TraceFile> { [TracePath] = trace },
            Sessions = sessions
                ? new SessionPlan(new ConversationSpec { Turns = new LengthDistribution { Kind = DistributionKind.Uniform, Min = 1, Max = 4 }, ThinkTimeMs = new LengthDistribution { Kind = DistributionKind.Fixed, Value = 20 } },
                    new PromptSourceTurns(PromptSources.For(new RequestShape { PromptTokens = 20 }, Seed)), Seed)
                : null,
        };
        await time.RunAsync(() => runner.RunAsync(cells, steps, CancellationToken.None));
        // A dropped request was never sent: its draw is the one the id would have sent (a trace line's is stamped).
        return [.. records.Select(r => new Sent(r.Id, r.Phase, r.IntendedMs,
                endpoint.Draws.TryGetValue(r.Id, out var d) ? d : DrawText(Prompts.Draw(r.Id, r.Model)), r.SessionId, r.Turn, r.Shard, r.Outcome))
            .OrderBy(s => s.Id)];
    }

    /// <summary>24 lines over 2.3 s, some sharing a timestamp.</summary>
    private static string TraceLines() => string.Join('\n', Enumerable.Range(0, 24).Select(i =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"timestamp": {{1000 + (i / 2 * 200)}}, "input_length": {{10 + (i * 7)}}, "output_length": {{2 + i}}}""")));

    /// <summary>Runs the plan unsharded and as 3 shards; asserts the shards' union is the unsharded run, each shard's
    /// records name it, and no request is in two shards.</summary>
    private static async Task<(List<Sent> Whole, List<Sent>[] Shards)> AssertUnionAsync(IReadOnlyList<Cell> cells, bool sessions, params WorkloadStep[] steps)
    {
        var whole = await RunAsync(null, cells, sessions, steps);
        var shards = new List<Sent>[3];
        for (var i = 1; i <= 3; i++)
        {
            shards[i - 1] = await RunAsync(new ShardSpec(i, 3), cells, sessions, steps);
            Assert.All(shards[i - 1], s => Assert.Equal(i, s.Shard));
            Assert.NotEmpty(shards[i - 1]);
        }

        Assert.All(whole, s => Assert.Null(s.Shard));
        var union = shards.SelectMany(s => s).ToList();
        Assert.Equal(union.Count, union.Select(s => s.Id).Distinct().Count()); // no id in two shards
        Assert.Equal(whole.Count, union.Count);
        return (whole, shards);
    }

    private static object Key(Sent s) => (s.Id, s.Phase, s.IntendedMs, s.Draw);

    [Fact]
    public async Task IterationsForConstant_TwoCellsWithWarmup_UnionIsTheUnshardedRun()
    {
        var (whole, shards) = await AssertUnionAsync([CellA, CellB], sessions: false,
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 2, Iterations = 5, Warmup = true },
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 4, Iterations = 20 });
        Assert.Equal(50, whole.Count);
        Assert.Equal(whole.Select(Key).ToHashSet(), shards.SelectMany(s => s).Select(Key).ToHashSet());
        // Request k of each step in shard ((k mod 3) + 1): per cell the warm-up's 5 split 2, 2, 1 and the 20 measured 7, 7, 6.
        Assert.Equal([18, 18, 14], shards.Select(s => s.Count));
        Assert.Equal(Enumerable.Range(7, 50).Select(i => (long)i), whole.Select(s => s.Id));
    }

    [Fact]
    public async Task InjectWithDuration_UnionIsTheIntendedArrivalProcess()
    {
        var (whole, shards) = await AssertUnionAsync([CellA], sessions: false,
            new WorkloadStep { Kind = StepKind.Inject, Rate = 40, Duration = TimeSpan.FromSeconds(1) });
        Assert.Equal(40, whole.Count);
        Assert.Equal(whole.Select(Key).ToHashSet(), shards.SelectMany(s => s).Select(Key).ToHashSet());
        // Each shard offers a third of the rate at the unsharded offsets: shard 2 sends arrivals 1, 4, 7, … (75 ms apart).
        Assert.Equal(25.0, shards[1][0].IntendedMs);
        Assert.Equal(75.0, shards[1][1].IntendedMs!.Value - shards[1][0].IntendedMs!.Value);
    }

    [Fact]
    public async Task Poisson_SameSeedSameOffsets_UnionIsTheUnshardedRun()
    {
        // One cell: a later cell (or step) starts when the shard's previous one drained, so its times are on each shard's
        // own start (ids and draws are still the unsharded run's: see the two-cell iteration test).
        var (whole, shards) = await AssertUnionAsync([CellA], sessions: false,
            new WorkloadStep { Kind = StepKind.Poisson, Rate = 60, Duration = TimeSpan.FromSeconds(2) });
        Assert.InRange(whole.Count, 75, 165); // 2 s × 60/s = 120 expected
        Assert.Equal(whole.Select(Key).ToHashSet(), shards.SelectMany(s => s).Select(Key).ToHashSet());
    }

    [Fact]
    public async Task Trace_LineKGoesToItsShard_UnionIsTheUnshardedReplay()
    {
        var (whole, shards) = await AssertUnionAsync([CellA], sessions: false,
            new WorkloadStep { Kind = StepKind.Trace, Trace = new TraceSpec { Path = TracePath, Speedup = 1 } });
        Assert.Equal(24, whole.Count);
        Assert.Equal(whole.Select(Key).ToHashSet(), shards.SelectMany(s => s).Select(Key).ToHashSet());
        Assert.Equal([7L, 10, 13, 16, 19, 22, 25, 28], shards[0].Select(s => s.Id));
    }

    [Fact]
    public async Task OpenSessions_SessionNGoesToShardNMod3_WithAllItsTurns()
    {
        var (whole, shards) = await AssertUnionAsync([CellA], sessions: true,
            new WorkloadStep { Kind = StepKind.IterationsForInject, Rate = 20, Iterations = 12 });
        static object SessionKey(Sent s) => (s.Session, s.Turn, s.Phase, s.IntendedMs, s.Draw);
        Assert.Equal(whole.Select(SessionKey).ToHashSet(), shards.SelectMany(s => s).Select(SessionKey).ToHashSet());
        for (var i = 1; i <= 3; i++)
        {
            var shard = i;
            Assert.All(shards[i - 1], s => Assert.Equal(shard - 1, (long.Parse(s.Session![1..], CultureInfo.InvariantCulture) - 1) % 3));
            // Turns' ids depend on timing: a shard's are congruent to I − 1 mod 3, so no two shards share one.
            Assert.All(shards[i - 1], s => Assert.Equal(shard - 1, s.Id % 3));
        }
    }

    [Fact]
    public async Task KeepConstant_IdsCongruentToTheShard_CopiesSplit()
    {
        var steps = new[]
        {
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 2, Iterations = 4 },
            new WorkloadStep { Kind = StepKind.KeepConstant, Copies = 4, Duration = TimeSpan.FromMilliseconds(300) },
        };
        var shards = new List<Sent>[3];
        for (var i = 1; i <= 3; i++)
        {
            shards[i - 1] = await RunAsync(new ShardSpec(i, 3), [CellA], false, steps);
            var shard = i;
            // The iteration step keeps the unsharded ids 7..10; from keep_constant on, ids are ≡ I − 1 mod 3, from 12.
            Assert.All(shards[i - 1].Where(s => s.Id > 10), s => Assert.Equal(shard - 1, s.Id % 3));
        }

        var all = shards.SelectMany(s => s).ToList();
        Assert.Equal(all.Count, all.Select(s => s.Id).Distinct().Count());
        Assert.Equal([7L, 8, 9, 10], all.Where(s => s.Id <= 10).Select(s => s.Id).Order());
        // Copies 4 over 3 shards: 2, 1, 1 workers for 300 ms of 30 ms requests (10 each), whatever the first step took.
        var keep = shards.Select(s => s.Count(r => r.Id > 10)).ToList();
        Assert.InRange(keep[0], 18, 22);
        Assert.InRange(keep[1], 9, 11);
        Assert.InRange(keep[2], 9, 11);
    }

    [Fact]
    public async Task ShardOneOfOne_IsTheUnshardedRun()
    {
        var steps = new[]
        {
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 3, Iterations = 9, Warmup = true },
            new WorkloadStep { Kind = StepKind.Poisson, Rate = 50, Duration = TimeSpan.FromMilliseconds(600) },
            new WorkloadStep { Kind = StepKind.Trace, Trace = new TraceSpec { Path = TracePath, Speedup = 2 } },
            new WorkloadStep { Kind = StepKind.KeepConstant, Copies = 2, Duration = TimeSpan.FromMilliseconds(200) },
        };
        var whole = await RunAsync(null, [CellA, CellB], false, steps);
        var one = await RunAsync(new ShardSpec(1, 1), [CellA, CellB], false, steps);
        Assert.Equal(whole.Select(Key), one.Select(Key));
        Assert.All(one, s => Assert.Equal(1, s.Shard));
    }

    [Fact]
    public async Task Sweep_IsRefusedInAShard()
    {
        var time = new SteppingClock();
        var clock = new RunClock(time);
        var runner = new LoadRunner(new Endpoint(clock), clock, _ => { }) { Shard = new ShardSpec(1, 2) };
        var e = await Assert.ThrowsAsync<ArgumentException>(() => runner.RunAsync([CellA], [new WorkloadStep { Kind = StepKind.Sweep }], CancellationToken.None));
        Assert.Contains("sweep", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAtMs_TheFirstStepBeginsAtTheSharedStart_AndTheLatenessIsKept()
    {
        var time = new SteppingClock();
        var clock = new RunClock(time);
        var endpoint = new Endpoint(clock);
        var records = new ConcurrentQueue<RequestRecord>();
        var runner = new LoadRunner(endpoint, clock, records.Enqueue, seed: Seed) { Shard = new ShardSpec(1, 2), StartAtMs = 5_000 };

        await time.RunAsync(() => runner.RunAsync([CellA],
            [new WorkloadStep { Kind = StepKind.Inject, Rate = 10, Duration = TimeSpan.FromSeconds(1) }], CancellationToken.None));

        // Inject at 10/s: arrivals at 0, 100, … 900 ms after the step's start; shard 1 of 2 sends the even ones, the
        // first at the shared start exactly (the fake clock wakes the wait when it is due).
        Assert.Equal([5_000d, 5_200, 5_400, 5_600, 5_800], records.OrderBy(r => r.IntendedMs).Select(r => Math.Round(r.IntendedMs!.Value, 3)));
        Assert.Equal(0, runner.StartLatenessMs!.Value, 3);
    }

    /// <summary>Starts every step it is asked about 1 s after the call, and keeps the steps and the starts.</summary>
    private sealed class DelayingBarrier(RunClock clock) : IStepBarrier
    {
        public List<(long Step, double StartMs)> Arrivals { get; } = [];

        public bool Left { get; private set; }

        public Task<double> ArriveAsync(long step, CancellationToken cancellationToken)
        {
            var start = clock.NowMs() + 1_000;
            Arrivals.Add((step, start));
            return Task.FromResult(start);
        }

        public void Leave() => Left = true;
    }

    [Fact]
    public async Task Barrier_EveryStep_StartsWhenTheShardsMeet_AndTheShardLeavesAtTheEnd()
    {
        var time = new SteppingClock();
        var clock = new RunClock(time);
        var barrier = new DelayingBarrier(clock);
        var records = new ConcurrentQueue<RequestRecord>();
        var runner = new LoadRunner(new Endpoint(clock), clock, records.Enqueue, seed: Seed) { Shard = new ShardSpec(1, 2), Barrier = barrier };
        var inject = new WorkloadStep { Kind = StepKind.Inject, Rate = 10, Duration = TimeSpan.FromSeconds(1) };

        await time.RunAsync(() => runner.RunAsync([CellA, CellB], [inject, inject], CancellationToken.None));

        // Every step of the 4 (two cells × two steps; no shared start, so the first too) begins at the barrier's start:
        // its first arrival exactly then.
        Assert.Equal([0L, 1, 2, 3], barrier.Arrivals.Select(a => a.Step));
        foreach (var (_, startMs) in barrier.Arrivals)
        {
            Assert.Contains(records, r => Math.Abs(r.IntendedMs!.Value - startMs) < 1e-6);
        }

        Assert.True(barrier.Left);
    }
}
