using System.Collections.Concurrent;
using System.Diagnostics;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Core.Resilience;
using Bench.Tests.Shared;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Core.Tests.Resilience;

/// <summary>
/// Policies against a real server (<see cref="HostileServer"/> on loopback), timed from the server's side on a fake
/// clock: when each attempt arrived, with which <c>X-Bench-Request-Id</c> and <c>X-Bench-Attempt</c>, and what the
/// server saw of a hedging loser. Time moves only while the client waits on a policy's timer (a back-off, the hedging
/// delay), never while an attempt is on the wire: the client's own deadlines are 10 minutes, and the clock steps only
/// when the next timer is due within 100 s.
/// </summary>
[Collection(SteppingClock.Collection)]
public class ResilienceOverSocketsTests
{
    private const string Completion =
        "{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}]," +
        "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";

    private const string RateLimited = "{\"error\":{\"type\":\"rate_limit_exceeded\",\"message\":\"slow down\"}}";

    private static readonly ChatRequest Request = new("m", Mode.NonStreaming, [new ChatMessage("user", "hi")], 8);

    [Fact]
    public async Task SendAsync_RetryAfter2_ServerSeesTheSecondAttemptExactly2000MsAfterTheFirstEnded()
    {
        var time = new SteppingClock();
        var log = new ArrivalLog(time);
        await using var server = HostileServer.Start(async exchange =>
        {
            if (log.Arrived(exchange) == 1)
            {
                await exchange.RespondAsync(429, "application/json", RateLimited, "Retry-After: 2");
            }
            else
            {
                await exchange.RespondAsync(200, "application/json", Completion);
            }

            return true;
        });
        using var sender = Sender(server, time, new ResiliencePolicy { Name = "r", Retry = new RetrySpec() });

        var record = await time.RunAsync(() => sender.SendAsync(Request, new RequestContext(42)), PolicyTimerDue(time));

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal([(0.0, "42", null), (2000.0, "42", "2")], log.Arrivals);
        var attempts = record.Attempts!;
        Assert.Equal(0, attempts[0].EndMs); // the 429 ended at 0 ms; the server saw the retry at 2000 ms
        Assert.Equal((429, 2000.0), (attempts[0].HttpStatus, attempts[0].RateLimit!.RetryAfterMs!.Value));
        Assert.Equal((2000.0, true, 2000.0), (attempts[1].BackoffMs, attempts[1].ServerDelay, attempts[1].SentMs));
        Assert.Equal((0.0, 2000.0), (record.SentMs, record.BackoffMs!.Value));
        Assert.Equal(3, record.PromptTokens);
    }

    [Fact]
    public async Task SendAsync_RetryAfterHttpDate_WaitsAgainstTheServersDate()
    {
        var time = new SteppingClock();
        var log = new ArrivalLog(time);
        // The server's clock is an hour ahead of the run's: the wait is Retry-After minus Date, 3 s.
        var serverNow = SteppingClock.Epoch.AddHours(1);
        await using var server = HostileServer.Start(async exchange =>
        {
            if (log.Arrived(exchange) == 1)
            {
                await exchange.RespondAsync(503, "application/json", "{}", $"Date: {serverNow:r}", $"Retry-After: {serverNow.AddSeconds(3):r}");
            }
            else
            {
                await exchange.RespondAsync(200, "application/json", Completion);
            }

            return true;
        });
        using var sender = Sender(server, time, new ResiliencePolicy { Name = "r", Retry = new RetrySpec() });

        var record = await time.RunAsync(() => sender.SendAsync(Request, new RequestContext(1)), PolicyTimerDue(time));

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal([0.0, 3000.0], log.Arrivals.Select(a => a.Ms));
    }

    [Fact]
    public async Task SendAsync_429RequestsExhausted_WaitsTheResetHeader()
    {
        var time = new SteppingClock();
        var log = new ArrivalLog(time);
        await using var server = HostileServer.Start(async exchange =>
        {
            if (log.Arrived(exchange) == 1)
            {
                await exchange.RespondAsync(429, "application/json", RateLimited,
                    "x-ratelimit-limit-requests: 60", "x-ratelimit-remaining-requests: 0", "x-ratelimit-reset-requests: 1.5s",
                    "x-ratelimit-limit-tokens: 150000", "x-ratelimit-remaining-tokens: 149984", "x-ratelimit-reset-tokens: 6m0s");
            }
            else
            {
                await exchange.RespondAsync(200, "application/json", Completion);
            }

            return true;
        });
        using var sender = Sender(server, time, new ResiliencePolicy { Name = "r", Retry = new RetrySpec() });

        var record = await time.RunAsync(() => sender.SendAsync(Request, new RequestContext(1)), PolicyTimerDue(time));

        Assert.Equal([0.0, 1500.0], log.Arrivals.Select(a => a.Ms));
        Assert.Equal(new RateLimitInfo(60, 0, 1500, 150000, 149984, 360_000), record.Attempts![0].RateLimit);
        Assert.True(record.Attempts![1].ServerDelay);
    }

    [Fact]
    public async Task SendAsync_BreakerOpen_RefusedAttemptsNeverReachTheServer()
    {
        var time = new SteppingClock();
        await using var server = HostileServer.Start(async exchange =>
        {
            await exchange.RespondAsync(500, "application/json", "{}");
            return true;
        });
        var policy = new ResiliencePolicy { Name = "cb", CircuitBreaker = new CircuitBreakerSpec { MinimumThroughput = 2, FailureRatio = 0.5 } };
        using var sender = Sender(server, time, policy);

        var outcomes = new List<Outcome>();
        for (var i = 0; i < 5; i++)
        {
            outcomes.Add((await sender.SendAsync(Request, new RequestContext(i))).Outcome);
        }

        Assert.Equal([Outcome.ServerError, Outcome.ServerError, Outcome.ClientRejected, Outcome.ClientRejected, Outcome.ClientRejected], outcomes);
        Assert.Equal(2, server.RequestsReceived);
    }

    [Fact]
    public async Task SendAsync_Hedging_SecondAttemptAfterDelayAndTheServerSeesTheLoserAborted()
    {
        var time = new SteppingClock();
        var log = new ArrivalLog(time);
        var loserClosed = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = HostileServer.Start(async exchange =>
        {
            if (log.Arrived(exchange) == 1)
            {
                // Hang, reading, until the client goes away.
                var buffer = new byte[64];
                try
                {
                    while (await exchange.Stream.ReadAsync(buffer, exchange.Stopping) > 0)
                    {
                    }
                }
                catch (Exception e) when (e is IOException or OperationCanceledException)
                {
                }

                loserClosed.TrySetResult(time.Elapsed.TotalMilliseconds);
                return false;
            }

            await exchange.RespondAsync(200, "application/json", Completion);
            return true;
        });
        using var sender = Sender(server, time, new ResiliencePolicy { Name = "h", Hedging = new HedgingSpec { DelayMs = 500 } });

        var record = await time.RunAsync(
            () => sender.SendAsync(Request, new RequestContext(9)),
            () => server.RequestsReceived >= 1 && PolicyTimerDue(time)());

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Equal([(0.0, "9", null), (500.0, "9", "2")], log.Arrivals);
        Assert.Equal(500.0, await loserClosed.Task.WaitAsync(TimeSpan.FromMinutes(1)));
        var attempts = record.Attempts!;
        Assert.Equal((1, false, Outcome.Cancelled), (attempts[0].Number, attempts[0].Hedged, attempts[0].Outcome));
        Assert.Equal((2, true, Outcome.Success, 500.0), (attempts[1].Number, attempts[1].Hedged, attempts[1].Outcome, attempts[1].SentMs));
        Assert.Equal((0.0, 500.0), (record.SentMs, record.EndMs));
    }

    /// <summary>True when the clock's next timer is a policy's (due within 100 s), not an attempt's 10-minute
    /// deadline: no attempt is on the wire.</summary>
    private static Func<bool> PolicyTimerDue(SteppingClock time) =>
        () => time.NextDue is { } due && due - time.GetUtcNow() < TimeSpan.FromSeconds(100);

    private static ResilientSender Sender(HostileServer server, SteppingClock time, ResiliencePolicy policy)
    {
        // Not disposed: the client lives as long as the test, and its connections close with the server.
        var http = BenchHttpClient.Create(new ConnectionOptions { TimeProvider = time, ConnectTimeout = TimeSpan.FromMinutes(10) });
        var clock = new RunClock(time);
        var client = new ChatClient(http, new Endpoint(server.BaseUrl, "sk-resilience"), clock, new ChatClientOptions
        {
            Timeout = TimeSpan.FromMinutes(10),
            Tokenizer = "none",
        });
        return new ResilientSender(policy, Mode.NonStreaming, clock, client.SendAsync, 10);
    }

    /// <summary>What the server saw: when each request arrived (fake ms), its request id and attempt headers.</summary>
    private sealed class ArrivalLog(SteppingClock time)
    {
        private readonly ConcurrentQueue<(double Ms, string? Id, string? Attempt)> _arrivals = new();
        private int _count;

        public List<(double Ms, string? Id, string? Attempt)> Arrivals => [.. _arrivals];

        /// <summary>Notes an arrival; returns its number from 1.</summary>
        public int Arrived(HostileExchange exchange)
        {
            _arrivals.Enqueue((time.Elapsed.TotalMilliseconds, Header(exchange.Head, "X-Bench-Request-Id"), Header(exchange.Head, "X-Bench-Attempt")));
            return Interlocked.Increment(ref _count);
        }

        private static string? Header(string head, string name) => head.Split("\r\n")
            .Where(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(line => line[(name.Length + 1)..].Trim())
            .FirstOrDefault();
    }
}
