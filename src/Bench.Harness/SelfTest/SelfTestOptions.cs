namespace Bench.Harness.SelfTest;

/// <summary>
/// Settings of <c>bench selftest</c>. Every duration has a default, a shorter <see cref="Quick"/> one, and is replaced
/// by <see cref="Duration"/> when that is given.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>setting</term><description>default (quick)</description></listheader>
/// <item><term><see cref="OpenDuration"/></term><description>10 s (3 s) per mode, after a 1 s warm-up at 5 req/s</description></item>
/// <item><term><see cref="StepDuration"/></term><description>5 s (1.5 s) per ceiling step, after a 0.5 s (0.3 s) warm-up</description></item>
/// <item><term><see cref="WrkDurationS"/></term><description>5 s (2 s); wrk takes whole seconds</description></item>
/// <item><term><see cref="OpenRatePerS"/></term><description>20 requests/s</description></item>
/// <item><term><see cref="Concurrencies"/></term><description>4, 8, … 1024, doubling (each client stops after two steps without a 5 % rise in events/s)</description></item>
/// <item><term><see cref="WrkConnections"/></term><description>64, with 2 wrk threads</description></item>
/// <item><term><see cref="ScaleStreams"/></term><description>500 and 10,000 concurrent streams (500 only)</description></item>
/// <item><term><see cref="ScaleWindow"/></term><description>15 s (3 s) per scale step, after a ramp of one answer's length</description></item>
/// <item><term>scale model</term><description>TTFT <see cref="ScaleTtftMs"/> 1,000 ms, <see cref="ScaleTokens"/> 10 tokens at <see cref="ScaleDecodeTokensPerS"/> 2 tokens/s (5.5 s per answer)</description></item>
/// </list>
/// </remarks>
public sealed class SelfTestOptions
{
    /// <summary>Results folder; <see langword="null"/> for <c>results/&lt;yyyyMMdd-HHmmss&gt;-selftest</c>.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Shorter steps, for CI and smoke tests.</summary>
    public bool Quick { get; init; }

    /// <summary>Duration of every measured step (each mode's open run, each ceiling step, wrk); <see langword="null"/>
    /// for the defaults.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Run <c>eng/install-wrk.sh</c> when <c>wrk</c> is not on <c>PATH</c>.</summary>
    public bool InstallTools { get; init; }

    /// <summary>The open run's intended rate, requests per second.</summary>
    public double OpenRatePerS { get; init; } = 20;

    /// <summary>Closed concurrencies of the client-ceiling steps, in order.</summary>
    public IReadOnlyList<int> Concurrencies { get; init; } = [4, 8, 16, 32, 64, 128, 256, 512, 1024];

    /// <summary>Connections of the wrk run, and the concurrency of Bench's own non-streaming run beside it.</summary>
    public int WrkConnections { get; init; } = 64;

    /// <summary>wrk threads (<c>-t</c>).</summary>
    public int WrkThreads { get; init; } = 2;

    /// <summary>Seed of prompts and of the simulators' draws.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Measure the client ceiling (Bench against the OpenAI SDK, child-process simulator). Default
    /// <see langword="true"/>; tests turn it off to stay short.</summary>
    public bool RunCeiling { get; init; } = true;

    /// <summary>Run the wrk comparison (and Bench's non-streaming run beside it). Default <see langword="true"/>.</summary>
    public bool RunWrk { get; init; } = true;

    /// <summary>Measure TTFT and E2E error at many concurrent streams (<see cref="ScaleStreams"/>) against a child-process
    /// simulator. Default <see langword="true"/>.</summary>
    public bool RunScale { get; init; } = true;

    /// <summary>The scale steps' concurrent streams, in order; <see langword="null"/> (the default) for 500 and 10,000
    /// (500 alone with <see cref="Quick"/>: 10,000 streams take a minute of their own).</summary>
    public IReadOnlyList<int>? ScaleStreams { get; init; }

    /// <summary>Fixed TTFT of the scale steps' model, ms: long enough that every stream waits a while with its
    /// connection open.</summary>
    public double ScaleTtftMs { get; init; } = 1000;

    /// <summary>Answer length of the scale steps' model, tokens (one SSE event each).</summary>
    public int ScaleTokens { get; init; } = 10;

    /// <summary>Decode rate of the scale steps' model, tokens/s: a few a second, so 10,000 streams ask the child server
    /// for about 25,000 events/s (10,000 / 5.5 s answers × 14 events), a fraction of what it serves at the ceiling.</summary>
    public double ScaleDecodeTokensPerS { get; init; } = 2;

    /// <summary>The command line as typed, for the report.</summary>
    public string CommandLine { get; init; } = "bench selftest";

    /// <summary>Duration of each mode's measured open run.</summary>
    public TimeSpan OpenDuration => Duration ?? TimeSpan.FromSeconds(Quick ? 3 : 10);

    /// <summary>Duration of each measured ceiling step.</summary>
    public TimeSpan StepDuration => Duration ?? TimeSpan.FromSeconds(Quick ? 1.5 : 5);

    /// <summary>Warm-up before each ceiling step (opens the step's connections; not measured).</summary>
    public TimeSpan StepWarmup => TimeSpan.FromSeconds(Quick ? 0.3 : 0.5);

    /// <summary>The scale steps to run.</summary>
    public IReadOnlyList<int> EffectiveScaleStreams => ScaleStreams ?? (Quick ? [500] : [500, 10_000]);

    /// <summary>Measured window of each scale step (after the ramp; requests sent in it are measured).</summary>
    public TimeSpan ScaleWindow => Duration ?? TimeSpan.FromSeconds(Quick ? 3 : 15);

    /// <summary>Duration of the wrk run and of Bench's non-streaming run beside it, whole seconds (wrk's <c>-d</c> takes
    /// no fractions), at least 1.</summary>
    public int WrkDurationS => Math.Max(1, (int)Math.Ceiling((Duration ?? TimeSpan.FromSeconds(Quick ? 2 : 5)).TotalSeconds));
}
