using System.Collections.Concurrent;
using Bench.Core.Faults;
using Bench.Simulator.Faults;
using Bench.Simulator.Generation;
using Microsoft.Extensions.Time.Testing;
using static Bench.Simulator.Tests.TestSimulator;

namespace Bench.Simulator.Tests.Faults;

/// <summary>The fault engine's draw: windows on the fault clock (exact, on a fake clock), epochs, the walk in order,
/// causes and what each injection records.</summary>
public class FaultEngineTests
{
    private static readonly CompletionPlan Plan = new(FaultDraw: 0.5, TtftTicks: 0, TicksPerToken: 0, CompletionTokens: 10, "stop");

    [Theory]
    [InlineData(29_999, false)]
    [InlineData(30_000, true)]
    [InlineData(44_999, true)]
    [InlineData(45_000, false)]
    public void Draw_Window_HitsFromItsStartToJustBeforeItsEnd(long atMs, bool hit)
    {
        var time = new FakeTimeProvider();
        var (engine, injected, _) = Engine(time, new FaultRule { Kind = FaultKind.ServerError, Status = 503, FromS = 30, ToS = 45 });
        time.Advance(TimeSpan.FromMilliseconds(atMs));

        var fault = engine.Draw("fast", stream: false, replay: false, Plan, requestSeed: 1, attempt: 1, requestId: "9");

        Assert.Equal(hit, fault is not null);
        if (hit)
        {
            Assert.Equal(
                new InjectionRecord
                {
                    Epoch = 0, AtMs = atMs, RequestId = "9", Attempt = 1, Model = "fast", Stream = false,
                    Kind = FaultKind.ServerError, Status = 503, Cause = "rule 1 (30–45 s)",
                },
                Assert.Single(injected));
        }
        else
        {
            Assert.Empty(injected);
        }
    }

    [Fact]
    public void BeginEpoch_RestartsTheWindows()
    {
        var time = new FakeTimeProvider();
        var (engine, injected, clock) = Engine(time, new FaultRule { Kind = FaultKind.ServerError, FromS = 30, ToS = 45 });
        time.Advance(TimeSpan.FromSeconds(50));
        Assert.Null(engine.Draw("fast", false, false, Plan, 1, 1, null));

        Assert.Equal(1, clock.Begin());
        time.Advance(TimeSpan.FromSeconds(29.999));
        Assert.Null(engine.Draw("fast", false, false, Plan, 1, 1, null));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.NotNull(engine.Draw("fast", false, false, Plan, 1, 1, null));

        Assert.Equal((1, 30_000.0), (Assert.Single(injected).Epoch, injected.Single().AtMs));
    }

    [Theory]
    [InlineData(0.0, FaultKind.RateLimited)]
    [InlineData(0.199, FaultKind.RateLimited)]
    [InlineData(0.2, FaultKind.ServerError)]
    [InlineData(0.299, FaultKind.ServerError)]
    [InlineData(0.3001, null)]
    public void Draw_RulesInOrder_EachTakesItsRateOfTheUnitInterval(double draw, FaultKind? expected)
    {
        var (engine, _, _) = Engine(
            new FakeTimeProvider(),
            new FaultRule { Kind = FaultKind.RateLimited, Rate = 0.2 },
            new FaultRule { Kind = FaultKind.ServerError, Rate = 0.1 });

        var fault = engine.Draw("fast", false, false, Plan with { FaultDraw = draw }, 1, 1, null);

        Assert.Equal(expected, fault?.Kind);
    }

    [Fact]
    public void Draw_RuleForAnotherModeOrModel_TakesNoShare()
    {
        // The streaming-only rule and the other model's rule are skipped: the draw of 0.15 lands in the third rule.
        var (engine, injected, _) = Engine(
            new FakeTimeProvider(),
            new FaultRule { Kind = FaultKind.Disconnect, Rate = 0.1, Modes = [Bench.Core.Records.Mode.Streaming] },
            new FaultRule { Kind = FaultKind.RateLimited, Rate = 0.1, Models = ["other"] },
            new FaultRule { Kind = FaultKind.ServerError, Rate = 0.2 });

        var fault = engine.Draw("fast", false, false, Plan with { FaultDraw = 0.15 }, 1, 1, null);

        Assert.Equal(FaultKind.ServerError, fault?.Kind);
        Assert.Equal("rule 3", Assert.Single(injected).Cause);
    }

    [Fact]
    public void Draw_ProfileRulesComeFirst_NumberedBeforeTheSimulatorsRules()
    {
        var injected = new ConcurrentQueue<InjectionRecord>();
        var time = new FakeTimeProvider();
        var clock = new FaultClock(time);
        var profile = Fast() with { Faults = [new FaultRule { Kind = FaultKind.RateLimited, Rate = 0.5 }] };
        var engine = new FaultEngine([profile], [new FaultRule { Kind = FaultKind.ServerError }], null, clock, 42, injected.Enqueue, time);

        var first = engine.Draw("fast", false, false, Plan with { FaultDraw = 0.4 }, 1, 1, null);
        var second = engine.Draw("fast", false, false, Plan with { FaultDraw = 0.6 }, 1, 1, null);

        Assert.Equal((FaultKind.RateLimited, FaultKind.ServerError), (first?.Kind, second?.Kind));
        Assert.Equal(["rule 1", "rule 2"], injected.Select(i => i.Cause));
    }

    [Fact]
    public void Draw_LaterAttempt_DrawsFromItsOwnSourceReproducibly()
    {
        var (engine, _, _) = Engine(new FakeTimeProvider(), new FaultRule { Kind = FaultKind.ServerError, Rate = 0.5 });
        var seeds = Enumerable.Range(0, 400).ToArray();

        bool[] Hits(int attempt) =>
            [.. seeds.Select(s => engine.Draw("fast", false, false, Plan with { FaultDraw = new Random(s).NextDouble() }, s, attempt, null) is not null)];

        var first = Hits(1);
        var second = Hits(2);

        Assert.Equal(second, Hits(2));
        Assert.NotEqual(first, second);
        // Each attempt still meets the rule's rate.
        Assert.InRange(second.Count(h => h), 150, 250);
    }

    [Theory]
    [InlineData(FaultKind.MissingDone, false, false, false)]
    [InlineData(FaultKind.MissingDone, true, false, true)]
    [InlineData(FaultKind.MissingDone, true, true, false)]
    [InlineData(FaultKind.MalformedChunk, true, true, false)]
    [InlineData(FaultKind.Disconnect, false, true, false)]
    [InlineData(FaultKind.Disconnect, true, true, true)]
    [InlineData(FaultKind.ServerError, false, true, true)]
    [InlineData(FaultKind.ConnectionRefused, true, false, false)]
    public void CanInject_KindModeAndAnswer_SaysWhereAKindMeansSomething(FaultKind kind, bool stream, bool replay, bool expected) =>
        Assert.Equal(expected, FaultEngine.CanInject(kind, stream, replay));

    [Fact]
    public async Task StartAsync_InvalidSimulatorRule_ThrowsNamingTheRuleAndField()
    {
        var exception = await Assert.ThrowsAsync<Bench.Core.Configuration.ConfigException>(() => Bench.Simulator.Hosting.SimulatorHost.StartAsync(
            new Bench.Simulator.Hosting.SimulatorOptions
            {
                Profiles = [Fast()],
                Faults = [new FaultRule { Kind = FaultKind.ServerError }, new FaultRule { Kind = FaultKind.RateLimited, Status = 503 }],
            }));

        Assert.Equal(["simulator faults[1]: $.status: applies to server_error only"], exception.Errors.Select(e => e.ToString()));
    }

    private static (FaultEngine Engine, ConcurrentQueue<InjectionRecord> Injected, FaultClock Clock) Engine(
        TimeProvider time, params FaultRule[] rules)
    {
        var injected = new ConcurrentQueue<InjectionRecord>();
        var clock = new FaultClock(time);
        return (new FaultEngine([Fast()], rules, null, clock, 42, injected.Enqueue, time), injected, clock);
    }
}
