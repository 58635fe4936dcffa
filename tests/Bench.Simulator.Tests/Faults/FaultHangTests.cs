using System.Collections.Concurrent;
using Bench.Core.Client;
using Bench.Core.Faults;
using Bench.Core.Records;
using Bench.Simulator.Hosting;
using Bench.Tests.Shared;
using static Bench.Simulator.Tests.TestSimulator;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Simulator.Tests.Faults;

/// <summary>
/// Hangs and a stall longer than the client's deadlines, through Bench's <see cref="ChatClient"/>: the simulator and
/// the client share one <see cref="SteppingClock"/>, and the client's first-byte and idle deadlines of 2 s end the
/// request at exactly 2 s. The clock cannot see bytes in flight, so each test says when it may move: a hang, once it
/// has been injected (and, before the first token, once the client has the headers); a hang the client outlasts, only
/// to the simulator's own deadlines (all before 2 s), never to the client's.
/// </summary>
[Collection(SteppingClock.Collection)]
public class FaultHangTests
{
    public static TheoryData<FaultKind, Mode> Hangs() => new()
    {
        { FaultKind.HangBeforeHeaders, Mode.Streaming },
        { FaultKind.HangBeforeHeaders, Mode.NonStreaming },
        { FaultKind.HangBeforeFirstToken, Mode.Streaming },
        { FaultKind.HangBeforeFirstToken, Mode.NonStreaming },
    };

    [Theory]
    [MemberData(nameof(Hangs))]
    public async Task SendAsync_Hang_TimesOutAtTheClientsDeadline(FaultKind kind, Mode mode)
    {
        var (record, injected) = await SendAsync(
            new FaultRule { Kind = kind }, mode, (_, injected, headers) => injected && (kind == FaultKind.HangBeforeHeaders || headers));

        Assert.Equal(FaultKinds.ExpectedOutcome(kind, mode), record.Outcome);
        Assert.Equal(Outcome.Timeout, record.Outcome);
        Assert.Equal(kind, Assert.Single(injected).Kind);
        Assert.Equal(2000, record.EndMs);
        // Before headers: none arrived. Before the first token: the headers (and, streaming, the role chunk) did.
        Assert.Equal(kind == FaultKind.HangBeforeHeaders ? null : 200, record.HttpStatus);
    }

    [Theory]
    [InlineData(Mode.Streaming)]
    [InlineData(Mode.NonStreaming)]
    public async Task SendAsync_HangShorterThanTheDeadlines_Succeeds(Mode mode)
    {
        // A hang the client outlasts delays the answer by its duration, exactly.
        var (record, _) = await SendAsync(
            new FaultRule { Kind = FaultKind.HangBeforeHeaders, DurationS = 1.5 }, mode, (clock, _, _) => clock.NextDue < SteppingClock.Epoch.AddSeconds(1.9));

        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.True(record.HeadersMs >= 1500, $"headers at {record.HeadersMs} ms");
    }

    [Theory]
    [InlineData(Mode.Streaming)]
    [InlineData(Mode.NonStreaming)]
    public async Task SendAsync_StallLongerThanTheIdleDeadline_TimesOut(Mode mode)
    {
        // Whenever the client's deadline fires (before or during the stall), the request times out.
        var (record, _) = await SendAsync(new FaultRule { Kind = FaultKind.Stall, DurationS = 30 }, mode, (_, injected, _) => injected);

        Assert.Equal(Outcome.Timeout, record.Outcome);
    }

    /// <param name="rule">The fault, injected into every request.</param>
    /// <param name="mode">The request's mode.</param>
    /// <param name="ready">When the clock may move, from the clock, whether the fault was injected and whether the
    /// client has the response headers.</param>
    private static async Task<(RequestRecord Record, InjectionRecord[] Injected)> SendAsync(
        FaultRule rule, Mode mode, Func<SteppingClock, bool, bool, bool> ready)
    {
        var clock = new SteppingClock();
        var injected = new ConcurrentQueue<InjectionRecord>();
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Profiles = [Fast()],
            Faults = [rule],
            OnInjected = injected.Enqueue,
            OnCompleted = timings.Add,
            TimeProvider = clock,
        });
        var headers = new HeadersSeen(new SocketsHttpHandler());
        using var http = new HttpClient(headers) { Timeout = Timeout.InfiniteTimeSpan };
        var client = new ChatClient(http, new Endpoint(host.BaseUrl, ApiKey), new RunClock(clock), new ChatClientOptions
        {
            Tokenizer = "none",
            Timeout = TimeSpan.FromSeconds(30),
            FirstByteTimeout = TimeSpan.FromSeconds(2),
            IdleTimeout = TimeSpan.FromSeconds(2),
        });

        var record = await clock.RunAsync(
            () => client.SendAsync(FaultOutcomeTests.Request(mode), new RequestContext(1)),
            ready: () => ready(clock, !injected.IsEmpty, headers.Seen));
        // The server notices the client has gone (its hang is cancelled) before the next test starts its clock.
        await timings.WaitForAsync(1);
        return (record, [.. injected]);
    }

    /// <summary>Notes when a response's headers have arrived.</summary>
    private sealed class HeadersSeen(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private volatile bool _seen;

        public bool Seen => _seen;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            _seen = true;
            return response;
        }
    }
}
