using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Core.Resilience;
using Bench.Tests.Shared;

namespace Bench.Core.Tests.Resilience;

/// <summary>
/// The policy pipeline on a fake clock, against a scripted attempt sender (no network): exact back-offs, the server's
/// asked waits, timeouts, the breaker, the limiter and hedging, and how attempts join their logical request.
/// </summary>
[Collection(SteppingClock.Collection)]
public class ResilientSenderTests
{
    private static readonly ChatRequest Request = new("m", Mode.NonStreaming, [new ChatMessage("user", "hi")], 16);

    [Fact]
    public async Task SendAsync_RetryAfter2_SecondAttemptExactly2000MsAfterTheFirstEnded()
    {
        var script = new Script(
            Answer(429, Outcome.RateLimited, retryAfterMs: 2000, takesMs: 150),
            Answer(200, Outcome.Success));
        var record = await RunAsync(Policy(new RetrySpec { Jitter = false }), script);

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal([0.0, 2150.0], script.SentMs);
        Assert.Equal([1, 2], script.Attempts);
        Assert.Equal(0, record.SentMs);
        Assert.Equal(2000, record.BackoffMs);
        var attempts = Assert.IsType<List<AttemptRecord>>(record.Attempts);
        Assert.Equal(2, attempts.Count);
        Assert.Equal((1, Outcome.RateLimited, 429, 0.0, 0.0, 150.0, false), (attempts[0].Number, attempts[0].Outcome, attempts[0].HttpStatus, attempts[0].BackoffMs, attempts[0].SentMs, attempts[0].EndMs, attempts[0].ServerDelay));
        Assert.Equal((2, Outcome.Success, 200, 2000.0, 2150.0, true), (attempts[1].Number, attempts[1].Outcome, attempts[1].HttpStatus, attempts[1].BackoffMs, attempts[1].SentMs, attempts[1].ServerDelay));
        Assert.Equal(2000, attempts[0].RateLimit?.RetryAfterMs);
        Assert.Equal("p", record.Policy);
    }

    [Fact]
    public async Task SendAsync_429WithRequestsExhausted_WaitsTheRequestsReset()
    {
        var limits = new RateLimitInfo(LimitRequests: 60, RemainingRequests: 0, ResetRequestsMs: 1500, LimitTokens: 1000, RemainingTokens: 900, ResetTokensMs: 9000);
        var script = new Script(Answer(429, Outcome.RateLimited, limits: limits), Answer(200, Outcome.Success));
        var record = await RunAsync(Policy(new RetrySpec { Jitter = false }), script);

        Assert.Equal([0.0, 1500.0], script.SentMs);
        Assert.True(record.Attempts![1].ServerDelay);
    }

    [Fact]
    public async Task SendAsync_ServerError_ExponentialBackOffExactWithoutJitter()
    {
        var script = new Script(Answer(500, Outcome.ServerError));
        var record = await RunAsync(Policy(new RetrySpec { MaxRetries = 3, BaseDelayMs = 100, Jitter = false }), script);

        Assert.Equal([0.0, 100.0, 300.0, 700.0], script.SentMs);
        Assert.Equal(Outcome.ServerError, record.Outcome);
        Assert.Equal(700, record.BackoffMs);
        Assert.Equal([0.0, 100, 200, 400], record.Attempts!.Select(a => a.BackoffMs));
        Assert.All(record.Attempts!, a => Assert.False(a.ServerDelay));
        Assert.Equal(0, record.SentMs);
        Assert.Equal(700, record.EndMs);
    }

    [Fact]
    public async Task SendAsync_BackOffPastMaxDelay_CappedAtMaxDelay()
    {
        var script = new Script(Answer(500, Outcome.ServerError));
        await RunAsync(Policy(new RetrySpec { MaxRetries = 3, BaseDelayMs = 100, MaxDelayMs = 150, Jitter = false }), script);

        Assert.Equal([0.0, 100.0, 250.0, 400.0], script.SentMs);
    }

    [Fact]
    public async Task SendAsync_ServerAsksLongerThanMaxDelay_NotRetried()
    {
        var script = new Script(Answer(429, Outcome.RateLimited, retryAfterMs: 120_000), Answer(200, Outcome.Success));
        var record = await RunAsync(Policy(new RetrySpec { MaxDelayMs = 60_000 }), script);

        Assert.Equal(Outcome.RateLimited, record.Outcome);
        Assert.Single(script.SentMs);
        Assert.Null(record.Attempts);
        Assert.Null(record.BackoffMs);
    }

    [Fact]
    public async Task SendAsync_ServerAsksButNotHonoured_BackOffInstead()
    {
        var script = new Script(Answer(429, Outcome.RateLimited, retryAfterMs: 120_000), Answer(200, Outcome.Success));
        var record = await RunAsync(Policy(new RetrySpec { BaseDelayMs = 10, Jitter = false, HonourRetryAfter = false }), script);

        Assert.Equal([0.0, 10.0], script.SentMs);
        Assert.False(record.Attempts![1].ServerDelay);
    }

    [Fact]
    public async Task SendAsync_ClientError_NeverRetried()
    {
        var script = new Script(Answer(400, Outcome.ClientError));
        var record = await RunAsync(Policy(new RetrySpec { BaseDelayMs = 0 }), script);

        Assert.Equal(Outcome.ClientError, record.Outcome);
        Assert.Single(script.SentMs);
    }

    [Fact]
    public async Task SendAsync_RetryOnNarrowed_OnlyThoseRetried()
    {
        var script = new Script(Answer(500, Outcome.ServerError));
        await RunAsync(Policy(new RetrySpec { BaseDelayMs = 0, RetryOn = [Outcome.RateLimited] }), script);

        Assert.Single(script.SentMs);
    }

    [Fact]
    public async Task SendAsync_AttemptTimeout_TimeoutAttemptThenRetried()
    {
        var script = new Script(Hang, Answer(200, Outcome.Success));
        var record = await RunAsync(Policy(new RetrySpec { BaseDelayMs = 100, Jitter = false }) with { AttemptTimeoutS = 5 }, script);

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal([0.0, 5100.0], script.SentMs);
        var first = record.Attempts![0];
        Assert.Equal((Outcome.Timeout, 0.0, 5000.0), (first.Outcome, first.SentMs, first.EndMs));
        Assert.Equal("No complete response within the attempt timeout of 5 s (policy p).", first.Error?.Message);
    }

    [Fact]
    public async Task SendAsync_AttemptTimeoutWithoutRetry_RecordIsTimeoutNotThrown()
    {
        var script = new Script(Hang);
        var record = await RunAsync(new ResiliencePolicy { Name = "p", AttemptTimeoutS = 2 }, script);

        Assert.Equal(Outcome.Timeout, record.Outcome);
        Assert.Equal((0.0, 2000.0), (record.SentMs, record.EndMs));
        Assert.Null(record.Attempts);
    }

    [Fact]
    public async Task SendAsync_TotalTimeout_EndsAsTimeoutAcrossAttempts()
    {
        var script = new Script(Answer(500, Outcome.ServerError, takesMs: 1000));
        var record = await RunAsync(Policy(new RetrySpec { MaxRetries = 10, BaseDelayMs = 500, Jitter = false }) with { TotalTimeoutS = 3 }, script);

        // Attempts at 0 (ends 1000), 1500 (ends 2500), 3500 would be past the total: cut during the second back-off.
        Assert.Equal(Outcome.Timeout, record.Outcome);
        Assert.Equal((0.0, 3000.0), (record.SentMs, record.EndMs));
        Assert.Equal([0.0, 1500.0], script.SentMs);
        Assert.Equal("No complete response within the total timeout of 3 s (policy p).", record.Error?.Message);
        Assert.Equal([Outcome.ServerError, Outcome.ServerError], record.Attempts!.Select(a => a.Outcome));
    }

    [Fact]
    public async Task SendAsync_TotalTimeoutDuringAttempt_AttemptIsTimeout()
    {
        var script = new Script(Hang);
        var record = await RunAsync(Policy(new RetrySpec()) with { TotalTimeoutS = 3 }, script);

        Assert.Equal(Outcome.Timeout, record.Outcome);
        Assert.Equal(3000, record.EndMs);
        Assert.Null(record.Attempts); // one attempt
        Assert.Single(script.SentMs);
    }

    [Fact]
    public async Task SendAsync_RunCancelled_Throws()
    {
        var time = new SteppingClock();
        var clock = new RunClock(time);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(1), time);
        using var sender = new ResilientSender(Policy(new RetrySpec()), Mode.NonStreaming, clock, new Script(Hang).Bind(clock), 10);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => time.RunAsync(() => sender.SendAsync(Request, new RequestContext(7), cancellation.Token)));
    }

    [Fact]
    public async Task SendAsync_NonePolicy_OneAttemptStraightThrough()
    {
        var script = new Script(Answer(500, Outcome.ServerError));
        var record = await RunAsync(new ResiliencePolicy { Name = "none" }, script);

        Assert.Equal(Outcome.ServerError, record.Outcome);
        Assert.Equal("none", record.Policy);
        Assert.Null(record.Attempts);
        Assert.Null(record.BackoffMs);
        Assert.Null(record.LimiterWaitMs);
        Assert.Equal([1], script.Attempts);
    }

    [Fact]
    public async Task SendAsync_RequestsPerMinute_LimiterHoldsRpmOverAFakeMinute()
    {
        var time = new SteppingClock();
        var clock = new RunClock(time);
        var script = new Script(Answer(200, Outcome.Success));
        var policy = new ResiliencePolicy { Name = "rpm", RateLimiter = new ClientRateLimitSpec { Rpm = 60 } };
        using var sender = new ResilientSender(policy, Mode.NonStreaming, clock, script.Bind(clock), 10);

        var records = await time.RunAsync(() => Task.WhenAll(Enumerable.Range(0, 90).Select(i => sender.SendAsync(Request, new RequestContext(i)))));

        Assert.All(records, r => Assert.Equal(Outcome.Success, r.Outcome));
        Assert.Equal(60, script.SentMs.Count(ms => ms < 60_000));
        Assert.Equal(Enumerable.Range(0, 90).Select(i => i * 1000.0), script.SentMs.Order());
        // Each waited for its permit from the start of its logical request.
        Assert.Equal(Enumerable.Range(0, 90).Select(i => i * 1000.0), records.Select(r => r.LimiterWaitMs!.Value).Order());
        Assert.All(records, r => Assert.Equal(0, r.SentMs));
    }

    [Fact]
    public async Task SendAsync_TokensPerMinute_LimiterHoldsTpmOverAFakeMinute()
    {
        var time = new SteppingClock();
        var clock = new RunClock(time);
        var script = new Script(Answer(200, Outcome.Success));
        var policy = new ResiliencePolicy { Name = "tpm", RateLimiter = new ClientRateLimitSpec { Tpm = 600 } };
        using var sender = new ResilientSender(policy, Mode.NonStreaming, clock, script.Bind(clock), tokensPerAttempt: 100);

        await time.RunAsync(() => Task.WhenAll(Enumerable.Range(0, 12).Select(i => sender.SendAsync(Request, new RequestContext(i)))));

        // 600 tokens a minute, 100 an attempt: one every 10 s.
        Assert.Equal(6, script.SentMs.Count(ms => ms < 60_000));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i * 10_000.0), script.SentMs.Order());
    }

    [Fact]
    public async Task SendAsync_LimiterQueueFull_ClientRejectedNothingSent()
    {
        var time = new SteppingClock();
        var clock = new RunClock(time);
        var script = new Script(Answer(200, Outcome.Success));
        var policy = new ResiliencePolicy { Name = "q", RateLimiter = new ClientRateLimitSpec { Rpm = 60, Queue = 1 } };
        using var sender = new ResilientSender(policy, Mode.NonStreaming, clock, script.Bind(clock), 10);

        var records = await time.RunAsync(() => Task.WhenAll(Enumerable.Range(0, 3).Select(i => sender.SendAsync(Request, new RequestContext(i)))));

        // One permit at once, one queued, the third refused.
        Assert.Equal(2, script.SentMs.Count);
        var refused = Assert.Single(records, r => r.Outcome == Outcome.ClientRejected);
        var attempt = Assert.Single(refused.Attempts!);
        Assert.Equal(Outcome.ClientRejected, attempt.Outcome);
        Assert.Null(attempt.HttpStatus);
        Assert.Equal("The client-side rate limiter of policy q has its queue full: the attempt was not sent.", refused.Error?.Message);
    }

    [Fact]
    public async Task SendAsync_Breaker_OpensRefusesHalfOpensAfterBreakAndCloses()
    {
        var time = new SteppingClock();
        var clock = new RunClock(time);
        var failing = true;
        var script = new Script((c, t) => (failing ? Answer(500, Outcome.ServerError) : Answer(200, Outcome.Success))(c, t));
        var policy = new ResiliencePolicy
        {
            Name = "cb",
            CircuitBreaker = new CircuitBreakerSpec { FailureRatio = 0.5, MinimumThroughput = 2, SamplingS = 10, BreakS = 5 },
        };
        using var sender = new ResilientSender(policy, Mode.NonStreaming, clock, script.Bind(clock), 10);

        var outcomes = await time.RunAsync(async () =>
        {
            var seen = new List<(double, Outcome)>();
            for (var i = 0; i < 3; i++)
            {
                var r = await sender.SendAsync(Request, new RequestContext(i));
                seen.Add((r.EndMs, r.Outcome));
            }

            failing = false;
            await clock.DelayAsync(TimeSpan.FromMilliseconds(4999), CancellationToken.None);
            var stillOpen = await sender.SendAsync(Request, new RequestContext(3));
            seen.Add((stillOpen.EndMs, stillOpen.Outcome));
            await clock.DelayAsync(TimeSpan.FromMilliseconds(1), CancellationToken.None);
            for (var i = 4; i < 6; i++)
            {
                var r = await sender.SendAsync(Request, new RequestContext(i));
                seen.Add((r.EndMs, r.Outcome));
            }

            return seen;
        });

        Assert.Equal(
            [(0.0, Outcome.ServerError), (0.0, Outcome.ServerError), (0.0, Outcome.ClientRejected), (4999.0, Outcome.ClientRejected), (5000.0, Outcome.Success), (5000.0, Outcome.Success)],
            outcomes);
        Assert.Equal(4, script.SentMs.Count); // the refused two never reached the server
    }

    [Fact]
    public async Task SendAsync_Hedging_SecondAttemptAfterDelayLoserCancelled()
    {
        var script = new Script(Hang, Answer(200, Outcome.Success, takesMs: 100));
        var policy = new ResiliencePolicy { Name = "h", Hedging = new HedgingSpec { DelayMs = 500 } };
        var record = await RunAsync(policy, script);

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal([0.0, 500.0], script.SentMs);
        Assert.True(script.Cancelled[0]);
        Assert.Equal((0.0, 600.0), (record.SentMs, record.EndMs));
        var attempts = record.Attempts!;
        Assert.Equal((1, false, Outcome.Cancelled, 600.0), (attempts[0].Number, attempts[0].Hedged, attempts[0].Outcome, attempts[0].EndMs));
        Assert.Equal((2, true, Outcome.Success, 500.0, 600.0), (attempts[1].Number, attempts[1].Hedged, attempts[1].Outcome, attempts[1].SentMs, attempts[1].EndMs));
    }

    [Fact]
    public async Task SendAsync_HedgingPolicyOnStreamingCell_NotHedged()
    {
        var time = new SteppingClock();
        var clock = new RunClock(time);
        var script = new Script(Answer(200, Outcome.Success, takesMs: 1000));
        using var sender = new ResilientSender(new ResiliencePolicy { Name = "h", Hedging = new HedgingSpec { DelayMs = 500 } }, Mode.Streaming, clock, script.Bind(clock), 10);

        var record = await time.RunAsync(() => sender.SendAsync(Request with { Mode = Mode.Streaming }, new RequestContext(1)));

        Assert.False(sender.Hedging);
        Assert.Single(script.SentMs);
        Assert.Null(record.Attempts);
    }

    [Theory]
    [InlineData(429, 0, 1500d, 5, 3000d, 1500d)]
    [InlineData(429, 0, 1500d, 0, 3000d, 3000d)]
    [InlineData(429, 1, 1500d, 5, 3000d, null)]
    [InlineData(503, 0, 1500d, 0, 3000d, null)] // reset headers count on a 429 only
    public void ServerAskedWaitMs_ResetHeaders_OfTheExhaustedLimit(int status, long remainingRequests, double resetRequests, long remainingTokens, double resetTokens, double? expected)
    {
        var record = new RequestRecord { HttpStatus = status, RateLimit = new RateLimitInfo(RemainingRequests: remainingRequests, ResetRequestsMs: resetRequests, RemainingTokens: remainingTokens, ResetTokensMs: resetTokens) };

        Assert.Equal(expected, ResilientSender.ServerAskedWaitMs(record));
    }

    [Fact]
    public void ServerAskedWaitMs_RetryAfterOnAnyStatus_Wins() =>
        Assert.Equal(700, ResilientSender.ServerAskedWaitMs(new RequestRecord { HttpStatus = 503, RateLimit = new RateLimitInfo(RetryAfterMs: 700) }));

    private static ResiliencePolicy Policy(RetrySpec retry) => new() { Name = "p", Retry = retry };

    private static async Task<RequestRecord> RunAsync(ResiliencePolicy policy, Script script)
    {
        var time = new SteppingClock();
        var clock = new RunClock(time);
        using var sender = new ResilientSender(policy, Mode.NonStreaming, clock, script.Bind(clock), 10);
        return await time.RunAsync(() => sender.SendAsync(Request, new RequestContext(7)));
    }

    private static Func<RunClock, CancellationToken, Task<Reply>> Answer(
        int status, Outcome outcome, double? retryAfterMs = null, RateLimitInfo? limits = null, double takesMs = 0) =>
        async (clock, token) =>
        {
            if (takesMs > 0)
            {
                await clock.DelayAsync(TimeSpan.FromMilliseconds(takesMs), token);
            }

            return new Reply(status, outcome, limits ?? (retryAfterMs is { } ms ? new RateLimitInfo(RetryAfterMs: ms) : null));
        };

    private static Func<RunClock, CancellationToken, Task<Reply>> Hang => async (clock, token) =>
    {
        await Task.Delay(Timeout.Infinite, token);
        throw new InvalidOperationException("unreachable");
    };

    private sealed record Reply(int Status, Outcome Outcome, RateLimitInfo? RateLimit);

    /// <summary>Answers attempt n with the n-th step (the last repeats); notes when each was sent, its number and
    /// whether it was cancelled.</summary>
    private sealed class Script(params Func<RunClock, CancellationToken, Task<Reply>>[] steps)
    {
        private readonly Lock _lock = new();
        private int _calls;

        public List<double> SentMs { get; } = [];

        public List<int> Attempts { get; } = [];

        public List<bool> Cancelled { get; } = [];

        public AttemptSender Bind(RunClock clock) => async (request, context, token) =>
        {
            int call;
            var sent = clock.NowMs();
            lock (_lock)
            {
                call = _calls++;
                SentMs.Add(sent);
                Attempts.Add(context.Attempt);
                Cancelled.Add(false);
            }

            var step = steps[Math.Min(call, steps.Length - 1)];
            try
            {
                var answer = await step(clock, token);
                return new RequestRecord
                {
                    Id = context.Id,
                    Model = request.Model,
                    Mode = request.Mode,
                    SentMs = sent,
                    EndMs = clock.NowMs(),
                    HttpStatus = answer.Status,
                    Outcome = answer.Outcome,
                    RateLimit = answer.RateLimit,
                };
            }
            catch (OperationCanceledException)
            {
                lock (_lock)
                {
                    Cancelled[call] = true;
                }

                throw;
            }
        };
    }
}
