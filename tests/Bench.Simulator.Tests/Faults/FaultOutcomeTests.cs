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
/// Each injected fault, sent through Bench's own <see cref="ChatClient"/>, ends with the outcome
/// <see cref="FaultKinds.ExpectedOutcome"/> says (both modes), and the simulator reports it exactly once. The faults
/// that take no time run on the real clock (the fast profile answers in milliseconds); the hangs run on a
/// <see cref="SteppingClock"/> shared by the simulator and the client, so the client's 2 s deadlines fire without any
/// real waiting (see <see cref="FaultHangTests"/>).
/// </summary>
public class FaultOutcomeTests
{
    public static TheoryData<FaultRule, Mode> Immediate()
    {
        var data = new TheoryData<FaultRule, Mode>();
        FaultRule[] rules =
        [
            new() { Kind = FaultKind.RateLimited },
            new() { Kind = FaultKind.RateLimited, RetryAfterS = 2, RetryAfterFormat = RetryAfterFormat.Date },
            new() { Kind = FaultKind.ServerError },
            new() { Kind = FaultKind.ServerError, Status = 502, Body = FaultBody.Html },
            new() { Kind = FaultKind.ServerError, Status = 503 },
            new() { Kind = FaultKind.ServerError, Status = 504, Body = FaultBody.Html },
            new() { Kind = FaultKind.Overloaded },
            new() { Kind = FaultKind.ConnectionRefused },
            new() { Kind = FaultKind.ConnectionReset },
            new() { Kind = FaultKind.Stall, DurationS = 0.05 },
            new() { Kind = FaultKind.Trickle, TokensPerS = 400 },
            new() { Kind = FaultKind.Disconnect },
            new() { Kind = FaultKind.Disconnect, Reset = true, At = 0.25 },
            new() { Kind = FaultKind.MalformedChunk },
            new() { Kind = FaultKind.MalformedChunk, At = 0 },
            new() { Kind = FaultKind.EmptyAnswer },
            new() { Kind = FaultKind.ErrorMidStream },
            new() { Kind = FaultKind.ErrorMidStream, At = 1 },
            new() { Kind = FaultKind.AbsurdUsage },
        ];
        foreach (var rule in rules)
        {
            data.Add(rule, Mode.Streaming);
            data.Add(rule, Mode.NonStreaming);
        }

        data.Add(new FaultRule { Kind = FaultKind.MissingDone }, Mode.Streaming);
        return data;
    }

    [Theory]
    [MemberData(nameof(Immediate))]
    public async Task SendAsync_InjectedFault_EndsWithItsExpectedOutcome(FaultRule rule, Mode mode)
    {
        var injected = new ConcurrentQueue<InjectionRecord>();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            // A disconnect: 20 ms between tokens, time for the client to read what was sent before the connection drops
            // (a reset discards what it has not read, as a real one does).
            Profiles = [rule.Kind == FaultKind.Disconnect ? Fast() with { DecodeTokensPerSecond = 50 } : Fast()],
            Faults = [rule],
            OnInjected = injected.Enqueue,
        });
        using var http = BenchHttpClient.Create();
        var client = new ChatClient(http, new Endpoint(host.BaseUrl, ApiKey), new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        var record = await client.SendAsync(Request(mode), new RequestContext(7));

        Assert.Equal(FaultKinds.ExpectedOutcome(rule.Kind, mode), record.Outcome);
        var injection = Assert.Single(injected);
        Assert.Equal(rule.Kind, injection.Kind);
        if (rule.Kind == FaultKind.ConnectionRefused)
        {
            Assert.Equal((null, "", false), (injection.RequestId, injection.Model, injection.Stream));
        }
        else
        {
            Assert.Equal(("7", "fast", mode == Mode.Streaming, 1), (injection.RequestId, injection.Model, injection.Stream, injection.Attempt));
            Assert.Equal("rule 1", injection.Cause);
        }

        if (rule.Kind == FaultKind.AbsurdUsage)
        {
            Assert.NotNull(record.UsageIssue);
        }

        Assert.Equal(FaultEngineStatus(rule), record.HttpStatus);
    }

    [Fact]
    public async Task SendAsync_MissingDoneNonStreaming_IsNotInjectedAndSucceeds()
    {
        // A JSON body has no [DONE] to leave out: the rule takes no share of a non-streaming request's draw.
        var injected = new ConcurrentQueue<InjectionRecord>();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Profiles = [Fast()],
            Faults = [new FaultRule { Kind = FaultKind.MissingDone }],
            OnInjected = injected.Enqueue,
        });
        using var http = BenchHttpClient.Create();
        var client = new ChatClient(http, new Endpoint(host.BaseUrl, ApiKey), new RunClock(), new ChatClientOptions { Tokenizer = "none" });

        var record = await client.SendAsync(Request(Mode.NonStreaming), new RequestContext(7));

        Assert.Equal(FaultKinds.ExpectedOutcome(FaultKind.MissingDone, Mode.NonStreaming), record.Outcome);
        Assert.Equal(Outcome.Success, record.Outcome);
        Assert.Empty(injected);
    }

    internal static ChatRequest Request(Mode mode) => new("fast", mode, [new ChatMessage("user", "Say hello.")], MaxTokens: 12, Seed: 5);

    /// <summary>The status the client must see: the injected one, none when the connection broke before a response
    /// (or never opened), 200 for faults in a 200 answer.</summary>
    private static int? FaultEngineStatus(FaultRule rule) => rule.Kind switch
    {
        FaultKind.RateLimited => 429,
        FaultKind.ServerError => rule.Status ?? 500,
        FaultKind.Overloaded => 529,
        FaultKind.ConnectionRefused or FaultKind.ConnectionReset => null,
        _ => 200,
    };
}
