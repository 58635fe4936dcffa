using System.Collections.Concurrent;
using System.Globalization;
using Bench.Core.Client;
using Bench.Core.Prompts;
using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Load.Running;
using Bench.Load.Workloads.Sessions;
using Bench.Tests.Shared;

namespace Bench.Load.Tests.Workloads;

/// <summary>Multi-turn sessions on a fake clock (<see cref="SteppingClock"/>): the history each turn sends, think times,
/// workers, failures, the step's count and cap, and determinism. Every time asserted is exact.</summary>
[Collection(SteppingClock.Collection)]
public class SessionWorkloadTests
{
    private static readonly Cell Cell = new("m", Mode.Streaming);

    private static LengthDistribution Fixed(int value) => new() { Kind = DistributionKind.Fixed, Value = value };

    /// <summary>An endpoint whose answer takes 40 ms and says which turn it answers; it keeps what each turn sent, and
    /// fails the turns named in <c>Fail</c> (session id, turn).</summary>
    private sealed class EchoExecutor(RunClock clock) : IRequestExecutor
    {
        public readonly ConcurrentDictionary<(string Session, int Turn), IReadOnlyList<ChatMessage>> Sent = new();
        public HashSet<(string, int)> Fail { get; init; } = [];
        private int _inFlight;
        public int MaxInFlight;

        public static string Answer(string session, int turn) => $"answer of {session} turn {turn}";

        public async Task<RequestRecord> ExecuteAsync(RequestTicket ticket, CancellationToken cancellationToken)
        {
            var session = ticket.SessionId!;
            var turn = ticket.Turn!.Value;
            Sent[(session, turn)] = ticket.Draw!.Messages;
            var now = Interlocked.Increment(ref _inFlight);
            if (now > Volatile.Read(ref MaxInFlight))
            {
                Volatile.Write(ref MaxInFlight, now);
            }

            var sent = clock.NowMs();
            await clock.DelayAsync(TimeSpan.FromMilliseconds(40), cancellationToken);
            Interlocked.Decrement(ref _inFlight);
            var end = clock.NowMs();
            var failed = Fail.Contains((session, turn));
            return new RequestRecord
            {
                Id = ticket.Id, Model = ticket.Cell.Model, Mode = ticket.Cell.Mode, Phase = ticket.Phase, IntendedMs = ticket.IntendedMs,
                SentMs = sent, FirstTokenMs = end, LastTokenMs = end, EndMs = end, CompletionTokens = 5,
                Outcome = failed ? Outcome.ServerError : Outcome.Success, HttpStatus = failed ? 500 : 200,
                AnswerText = failed ? null : Answer(session, turn),
            };
        }
    }

    private static async Task<(List<RequestRecord> Records, EchoExecutor Executor)> RunAsync(ConversationSpec conversation, WorkloadStep step,
        HashSet<(string, int)>? fail = null, int seed = 7, Cell? cell = null)
    {
        var time = new SteppingClock();
        var clock = new RunClock(time);
        var executor = new EchoExecutor(clock) { Fail = fail ?? [] };
        var records = new ConcurrentQueue<RequestRecord>();
        var runner = new LoadRunner(executor, clock, records.Enqueue, seed: seed)
        {
            Sessions = new SessionPlan(conversation, new PromptSourceTurns(PromptSources.For(new RequestShape { PromptTokens = 20, SystemPrompt = "You are terse." }, seed)), seed),
        };
        await time.RunAsync(() => runner.RunAsync([cell ?? Cell], [step], CancellationToken.None));
        return ([.. records.OrderBy(r => r.SessionId, StringComparer.Ordinal).ThenBy(r => r.Turn)], executor);
    }

    [Fact]
    public async Task ClosedSessions_EachTurnSendsTheHistoryWithEveryPreviousAnswer()
    {
        var (records, executor) = await RunAsync(new ConversationSpec { Turns = Fixed(3) },
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 3, Iterations = 9 });

        Assert.Equal(9, records.Count);
        Assert.Equal(["s1", "s2", "s3"], records.Select(r => r.SessionId!).Distinct());
        Assert.All(records, r => Assert.Equal((Outcome.Success, 3), (r.Outcome, r.SessionTurns!.Value)));
        foreach (var session in new[] { "s1", "s2", "s3" })
        {
            var first = executor.Sent[(session, 1)];
            Assert.Equal(["system", "user"], first.Select(m => m.Role));
            // Turn k of session n is the prompt source's request n × 1,000 + k − 1 (PromptSourceTurns).
            Assert.StartsWith($"request {(int.Parse(session[1..], CultureInfo.InvariantCulture) * 1000) + 0} ", first[1].Content, StringComparison.Ordinal);
            for (var turn = 2; turn <= 3; turn++)
            {
                var sent = executor.Sent[(session, turn)];
                // system, then (user, assistant) per previous turn, then the new user message.
                Assert.Equal(1 + (2 * turn) - 1, sent.Count);
                Assert.Equal(first, sent.Take(2));
                Assert.Equal(executor.Sent[(session, turn - 1)], sent.Take(sent.Count - 2));
                Assert.Equal(new ChatMessage("assistant", EchoExecutor.Answer(session, turn - 1)), sent[^2]);
                Assert.Equal(Enumerable.Range(1, turn - 1).Select(k => EchoExecutor.Answer(session, k)), sent.Where(m => m.Role == "assistant").Select(m => m.Content));
                Assert.Equal("user", sent[^1].Role);
                Assert.StartsWith($"request {(int.Parse(session[1..], CultureInfo.InvariantCulture) * 1000) + turn - 1} ", sent[^1].Content, StringComparison.Ordinal);
            }
        }

        Assert.All(records, r => Assert.Null(r.AnswerText)); // the history keeps the text, not the record
    }

    [Fact]
    public async Task ClosedSessions_ThinkTimeWaitedOnTheRunClockAfterEachAnswer()
    {
        var conversation = new ConversationSpec { Turns = Fixed(4), ThinkTimeMs = new() { Kind = DistributionKind.Uniform, Min = 100, Max = 900 } };
        var (records, _) = await RunAsync(conversation, new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 8 });

        var plan = new SessionPlan(conversation, new PromptSourceTurns(PromptSources.For(new RequestShape(), 7)), 7);
        Assert.Equal(8, records.Count);
        foreach (var group in records.GroupBy(r => r.SessionId!))
        {
            var number = long.Parse(group.Key[1..], System.Globalization.CultureInfo.InvariantCulture);
            var turns = group.ToList();
            for (var k = 1; k < turns.Count; k++)
            {
                var think = plan.ThinkMs(number, k);
                Assert.InRange(think, 100, 900);
                Assert.Equal(turns[k - 1].EndMs + think, turns[k].SentMs);
            }

            Assert.All(turns, r => Assert.Null(r.IntendedMs)); // closed: no intended times
        }

        // Different think times were drawn (7 waits from 801 values).
        Assert.True(Enumerable.Range(1, 3).Select(k => plan.ThinkMs(1, k)).Concat(Enumerable.Range(1, 3).Select(k => plan.ThinkMs(2, k))).Distinct().Count() > 1);
    }

    [Fact]
    public async Task ClosedSessions_SpreadOverWorkers_ASessionNeverSpansTwo()
    {
        var (records, executor) = await RunAsync(new ConversationSpec { Turns = Fixed(2), ThinkTimeMs = Fixed(10) },
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 3, Iterations = 12 });

        Assert.Equal(12, records.Count);
        Assert.Equal(3, executor.MaxInFlight);
        // Three workers start three sessions at once; a session's turns never overlap (one worker, in order).
        Assert.Equal(3, records.Count(r => r.Turn == 1 && r.SentMs == 0));
        foreach (var group in records.GroupBy(r => r.SessionId!))
        {
            var turns = group.OrderBy(r => r.Turn).ToList();
            Assert.Equal([1, 2], turns.Select(r => r.Turn!.Value));
            Assert.Equal(turns[0].EndMs + 10, turns[1].SentMs);
        }

        Assert.Equal(6, records.Select(r => r.SessionId).Distinct().Count());
    }

    [Fact]
    public async Task ClosedSessions_AFailingTurnEndsItsSession()
    {
        var (records, executor) = await RunAsync(new ConversationSpec { Turns = Fixed(4) },
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 10 }, fail: [("s1", 2)]);

        // s1: turns 1 and 2 (failed), turns 3 and 4 never sent; s2: 4 turns; s3: the last 4 of the count.
        Assert.Equal([("s1", 1), ("s1", 2), ("s2", 1), ("s2", 2), ("s2", 3), ("s2", 4), ("s3", 1), ("s3", 2), ("s3", 3), ("s3", 4)],
            records.Select(r => (r.SessionId!, r.Turn!.Value)));
        Assert.Equal(Outcome.ServerError, records[1].Outcome);
        Assert.False(executor.Sent.ContainsKey(("s1", 3)));
    }

    [Fact]
    public async Task ClosedSessions_TheCountCutsTheLastSession()
    {
        var (records, _) = await RunAsync(new ConversationSpec { Turns = Fixed(3) },
            new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 5 });

        Assert.Equal([("s1", 1), ("s1", 2), ("s1", 3), ("s2", 1), ("s2", 2)], records.Select(r => (r.SessionId!, r.Turn!.Value)));
        Assert.All(records, r => Assert.Equal(3, r.SessionTurns));
    }

    [Fact]
    public async Task KeepConstantSessions_NoTurnDueAfterTheEndIsSent()
    {
        var (records, _) = await RunAsync(new ConversationSpec { Turns = Fixed(3), ThinkTimeMs = Fixed(100) },
            new WorkloadStep { Kind = StepKind.KeepConstant, Copies = 1, Duration = TimeSpan.FromMilliseconds(300) });

        // s1: 0–40, 140–180, 280–320; s2's first turn would be at 320, after the end.
        Assert.Equal([0.0, 140, 280], records.Select(r => r.SentMs));
        Assert.All(records, r => Assert.Equal("s1", r.SessionId));
    }

    [Fact]
    public async Task OpenSessions_EachArrivalStartsASession_LaterTurnsIntendedAfterTheThinkTime()
    {
        var (records, _) = await RunAsync(new ConversationSpec { Turns = Fixed(2), ThinkTimeMs = Fixed(30) },
            new WorkloadStep { Kind = StepKind.IterationsForInject, Rate = 10, Iterations = 3 });

        Assert.Equal(6, records.Count);
        var firsts = records.Where(r => r.Turn == 1).OrderBy(r => r.IntendedMs).ToList();
        Assert.Equal([0.0, 100, 200], firsts.Select(r => r.IntendedMs!.Value));
        foreach (var first in firsts)
        {
            var second = records.Single(r => r.SessionId == first.SessionId && r.Turn == 2);
            Assert.Equal(first.EndMs + 30, second.IntendedMs);
            Assert.Equal(second.IntendedMs, second.SentMs);
        }
    }

    [Fact]
    public async Task OpenSessions_ATurnOverTheCapIsDroppedAndEndsItsSession()
    {
        // Arrivals every 20 ms, turns of 40 ms, think 0: with a cap of 1 turn in flight, s2 (at 20) is dropped at once;
        // s1's turn 2 (at 40) starts; s3 (at 40, after it) is dropped; ...
        var (records, _) = await RunAsync(new ConversationSpec { Turns = Fixed(2) },
            new WorkloadStep { Kind = StepKind.IterationsForInject, Rate = 50, Iterations = 3, MaxConcurrency = 1 });

        var dropped = records.Where(r => r.Outcome == Outcome.Dropped).ToList();
        Assert.NotEmpty(dropped);
        Assert.All(dropped, d =>
        {
            Assert.NotNull(d.SessionId);
            Assert.Contains("in-flight cap of 1 reached", d.Error!.Message, StringComparison.Ordinal);
            // Nothing of that session is recorded after its dropped turn.
            Assert.DoesNotContain(records, r => r.SessionId == d.SessionId && r.Turn > d.Turn);
        });
        Assert.Equal(records.Count, records.Select(r => (r.SessionId, r.Turn)).Distinct().Count());
        Assert.Contains(records, r => r is { SessionId: "s1", Turn: 2, Outcome: Outcome.Success });
    }

    [Fact]
    public async Task Sessions_SameSeed_SameConversationsInEveryRunAndMode()
    {
        var conversation = new ConversationSpec { Turns = new() { Kind = DistributionKind.Uniform, Min = 1, Max = 4 }, ThinkTimeMs = Fixed(5) };
        // One worker: which session the count cuts is then fixed too (with several, workers racing at one fake instant may
        // take the last requests in either order; the conversations themselves are compared below with three).
        var step = new WorkloadStep { Kind = StepKind.IterationsForConstant, Copies = 1, Iterations = 20 };
        var (first, a) = await RunAsync(conversation, step);
        var (again, b) = await RunAsync(conversation, step);
        var (other, c) = await RunAsync(conversation, step, cell: new Cell("m", Mode.NonStreaming));
        var (reseeded, d) = await RunAsync(conversation, step, seed: 8);

        static string Text(EchoExecutor e) => string.Join("\n", e.Sent.OrderBy(p => p.Key.Session, StringComparer.Ordinal).ThenBy(p => p.Key.Turn)
            .Select(p => $"{p.Key.Session}/{p.Key.Turn}: " + string.Join(" | ", p.Value.Select(m => $"{m.Role}:{m.Content}"))));
        Assert.Equal(Text(a), Text(b));
        Assert.Equal(Text(a), Text(c));
        Assert.NotEqual(Text(a), Text(d));
        Assert.Equal(first.Select(r => (r.SessionId, r.Turn, r.SessionTurns)), again.Select(r => (r.SessionId, r.Turn, r.SessionTurns)));
        Assert.Equal(first.Select(r => (r.SessionId, r.Turn, r.SessionTurns)), other.Select(r => (r.SessionId, r.Turn, r.SessionTurns)));
        Assert.True(first.Select(r => r.SessionTurns).Distinct().Count() > 1); // turns were drawn, not fixed
        Assert.NotEmpty(reseeded);

        var (_, parallel) = await RunAsync(conversation, step with { Copies = 3 });
        var shared = parallel.Sent.Where(p => a.Sent.ContainsKey(p.Key)).ToList();
        Assert.True(shared.Count >= 10);
        Assert.All(shared, p => Assert.Equal(a.Sent[p.Key], p.Value));
    }
}
