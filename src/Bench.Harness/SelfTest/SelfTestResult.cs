using Bench.Core.Metrics;

namespace Bench.Harness.SelfTest;

/// <summary>Everything one <c>bench selftest</c> measured: the contents of <c>selftest.json</c>.</summary>
internal sealed class SelfTestResult
{
    /// <summary>Folder name of the run, e.g. <c>20261123-114000-selftest</c>.</summary>
    public required string RunId { get; init; }

    /// <summary>The command line as typed.</summary>
    public required string CommandLine { get; init; }

    /// <summary>Whether the short durations of <c>--quick</c> were used.</summary>
    public bool Quick { get; init; }

    /// <summary>When the self-test started (wall clock, for the reader only).</summary>
    public DateTimeOffset StartedUtc { get; init; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset EndedUtc { get; set; }

    /// <summary>Versions of Bench, .NET and the peers (OpenAI SDK, wrk).</summary>
    public required Dictionary<string, string> Versions { get; init; }

    /// <summary>The machine: OS, architecture, logical cores, memory.</summary>
    public required Dictionary<string, string> Machine { get; init; }

    /// <summary>Ground-truth accuracy and arrival-rate accuracy, one entry per mode (streaming, non-streaming).</summary>
    public List<AccuracyResult> Accuracy { get; init; } = [];

    /// <summary>The client ceiling: Bench's client against the OpenAI SDK; <see langword="null"/> when not run.</summary>
    public CeilingResult? Ceiling { get; set; }

    /// <summary>wrk against the non-streaming endpoint; <see langword="null"/> when not attempted.</summary>
    public WrkResult? Wrk { get; set; }

    /// <summary>Ground-truth accuracy at many concurrent streams (child-process simulator), one entry per step; empty
    /// when not run.</summary>
    public List<ScaleResult> Scale { get; init; } = [];

    /// <summary>The harness's own performance goals (<see cref="SelfTestGoals"/>): reported, never failed on.</summary>
    public List<SelfTestGoal> Goals { get; set; } = [];

    /// <summary>The accuracy checks (<see cref="SelfTestChecks"/>); the command fails when one fails.</summary>
    public List<SelfTestCheck> Checks { get; set; } = [];

    /// <summary>Whether every check passed.</summary>
    public bool Passed => Checks.All(c => c.Passed);
}

/// <summary>
/// Bench's records of a load joined to the simulator's own record of each request by <c>X-Bench-Request-Id</c>
/// (<see cref="TruthJoin"/>), and the differences, all on one clock: the errors are Bench's, transit and the simulator's
/// lateness explain measured − profile.
/// </summary>
internal abstract class GroundTruthErrors
{
    /// <summary>Creates an empty result (fields set by initializers).</summary>
    protected GroundTruthErrors()
    {
    }

    /// <summary>Creates a result holding <paramref name="join"/>'s figures.</summary>
    protected GroundTruthErrors(TruthJoin join)
    {
        ArgumentNullException.ThrowIfNull(join);
        Joined = join.Joined;
        TtftErrorUs = join.TtftErrorUs;
        E2eErrorUs = join.E2eErrorUs;
        RequestTransitUs = join.RequestTransitUs;
        SimulatorTtftLatenessUs = join.SimulatorTtftLatenessUs;
        SimulatorE2eLatenessUs = join.SimulatorE2eLatenessUs;
    }

    /// <summary>Measured requests the simulator reported on (joined by request id).</summary>
    public long Joined { get; init; }

    /// <summary>TTFT error: client first-token arrival − simulator's first-token flush (same clock), µs; equal to
    /// measured TTFT − true TTFT, where true TTFT is the flush time minus the client's send time.</summary>
    public DistributionUs? TtftErrorUs { get; init; }

    /// <summary>E2E error: client end of response − simulator's last-byte flush, µs.</summary>
    public DistributionUs? E2eErrorUs { get; init; }

    /// <summary>Request transit: simulator received the request − client sent it, µs (part of a true TTFT, not an
    /// error; shown to explain measured TTFT − profile TTFT).</summary>
    public DistributionUs? RequestTransitUs { get; init; }

    /// <summary>The simulator's own lateness: (first-token flush − its start) − profile TTFT, µs (streaming).</summary>
    public DistributionUs? SimulatorTtftLatenessUs { get; init; }

    /// <summary>The simulator's own lateness: (last-byte flush − its start) − profile E2E, µs.</summary>
    public DistributionUs? SimulatorE2eLatenessUs { get; init; }

    /// <summary>The five distributions with their names in the reports, in order.</summary>
    public IEnumerable<(string Name, DistributionUs? Value)> ErrorRows() =>
    [
        ("TTFT error", TtftErrorUs),
        ("E2E error", E2eErrorUs),
        ("request transit", RequestTransitUs),
        ("simulator TTFT lateness", SimulatorTtftLatenessUs),
        ("simulator E2E lateness", SimulatorE2eLatenessUs),
    ];
}

/// <summary>
/// One mode of the accuracy run: an open (constant-rate) load against the embedded simulator's fixed-delay model,
/// each request joined to the simulator's own record of it by <c>X-Bench-Request-Id</c>.
/// </summary>
internal sealed class AccuracyResult : GroundTruthErrors
{
    /// <summary>Creates an empty result (fields set by initializers).</summary>
    public AccuracyResult()
    {
    }

    /// <summary>Creates a result holding <paramref name="join"/>'s figures.</summary>
    public AccuracyResult(TruthJoin join)
        : base(join)
    {
    }

    /// <summary><c>streaming</c> or <c>non-streaming</c>.</summary>
    public required string Mode { get; init; }

    /// <summary>The simulator model (fixed timing).</summary>
    public required string Model { get; init; }

    /// <summary>The rate asked for, requests/s.</summary>
    public double IntendedRatePerS { get; init; }

    /// <summary>The rate of the intended send times as scheduled, (n − 1) / span, requests/s.</summary>
    public double? ScheduledRatePerS { get; init; }

    /// <summary>The rate requests actually went out at, (n − 1) / (last − first send time), requests/s.</summary>
    public double? AchievedSendRatePerS { get; init; }

    /// <summary>Measured requests (warm-up excluded).</summary>
    public long Requests { get; init; }

    /// <summary>Measured requests that succeeded.</summary>
    public long Successes { get; init; }

    /// <summary>Server TTFT of the profile, ms (streaming), or <see langword="null"/>.</summary>
    public double? ProfileTtftMs { get; init; }

    /// <summary>Server E2E of the profile (TTFT + (n − 1) / decode rate), ms.</summary>
    public double ProfileE2eMs { get; init; }

    /// <summary><c>queue_ms</c>: intended → actual send time (the scheduler's lag).</summary>
    public MetricStats? QueueMs { get; init; }

    /// <summary><c>ttft_ms</c> as Bench measured it (streaming).</summary>
    public MetricStats? TtftMs { get; init; }

    /// <summary><c>e2e_ms</c> as Bench measured it.</summary>
    public MetricStats? E2eMs { get; init; }
}

/// <summary>
/// One scale step: <see cref="Streams"/> streamed requests kept in flight (closed load) against the simulator in a child
/// process, each joined by <c>X-Bench-Request-Id</c> to the child's own record of it (its <c>--timings</c> file, whose
/// Stopwatch timestamps are on this process's clock), with both processes' CPU beside the errors.
/// </summary>
internal sealed class ScaleResult : GroundTruthErrors
{
    /// <summary>Creates an empty result (fields set by initializers).</summary>
    public ScaleResult()
    {
    }

    /// <summary>Creates a result holding <paramref name="join"/>'s figures.</summary>
    public ScaleResult(TruthJoin join)
        : base(join)
    {
    }

    /// <summary>Requests in flight at once (one connection each).</summary>
    public int Streams { get; init; }

    /// <summary>Why the step was not measured (descriptor limit, child simulator did not start); else
    /// <see langword="null"/>.</summary>
    public string? SkippedReason { get; init; }

    /// <summary>The simulator model (fixed timing).</summary>
    public required string Model { get; init; }

    /// <summary>Server TTFT of the profile, ms.</summary>
    public double ProfileTtftMs { get; init; }

    /// <summary>Server E2E of the profile, ms: each stream is open about this long.</summary>
    public double ProfileE2eMs { get; init; }

    /// <summary>The soft descriptor limit after Bench raised it, or <see langword="null"/> where there is none.</summary>
    public long? DescriptorSoftLimit { get; init; }

    /// <summary>The ramp: streams start evenly spread over this many seconds (one answer's length), so connects come at
    /// streams / ramp per second rather than all at once (the listen backlog holds them) and answers end spread out.</summary>
    public double RampS { get; init; }

    /// <summary>The measured window, s: requests sent in it are measured; CPU is measured over it.</summary>
    public double WindowS { get; init; }

    /// <summary>Measured requests (sent in the window).</summary>
    public long Requests { get; init; }

    /// <summary>Measured requests that succeeded.</summary>
    public long Successes { get; init; }

    /// <summary>The first failure's outcome and message, if any.</summary>
    public string? FirstFailure { get; init; }

    /// <summary>Requests in flight at the window's end (should be <see cref="Streams"/>).</summary>
    public long InFlightAtEnd { get; init; }

    /// <summary>Requests completed per second over the window.</summary>
    public double RequestsPerS { get; init; }

    /// <summary>SSE events received per second over the window (<c>[DONE]</c> included).</summary>
    public double EventsPerS { get; init; }

    /// <summary>CPU of this (client) process over the window, % of the whole machine.</summary>
    public double ClientCpuPercent { get; init; }

    /// <summary>CPU of the child simulator over the window, % of the whole machine.</summary>
    public double ServerCpuPercent { get; init; }

    /// <summary>Time this (client) process spent paused by its garbage collector during the window, ms
    /// (<see cref="GC.GetTotalPauseDuration"/>): every stream's clock stands still meanwhile, so it shows in the errors'
    /// tail.</summary>
    public double ClientGcPauseMs { get; init; }

    /// <summary>Full (generation 2) collections of this process during the window.</summary>
    public int ClientGen2Collections { get; init; }

    /// <summary><c>ttft_ms</c> as Bench measured it.</summary>
    public MetricStats? TtftMs { get; init; }

    /// <summary><c>e2e_ms</c> as Bench measured it.</summary>
    public MetricStats? E2eMs { get; init; }
}

/// <summary>
/// The client ceiling: closed load at rising concurrency against a simulator in a child process, Bench's client and
/// the OpenAI .NET SDK in turn, with this process's CPU time and the child's measured over each step.
/// </summary>
internal sealed class CeilingResult
{
    /// <summary>Why the ceiling was not measured (e.g. the child simulator did not start); else <see langword="null"/>.</summary>
    public string? SkippedReason { get; init; }

    /// <summary>The model served: fixed TTFT and one token per SSE event.</summary>
    public required string Model { get; init; }

    /// <summary>Tokens (content events) per answer.</summary>
    public int TokensPerAnswer { get; init; }

    /// <summary>Server E2E per request, ms: a closed step of concurrency c cannot exceed c / E2E requests/s.</summary>
    public double ServerE2eMs { get; init; }

    /// <summary>Logical cores of the machine (CPU % is of all of them: 100 % = every core busy).</summary>
    public int LogicalCores { get; init; }

    /// <summary>How the child simulator was started.</summary>
    public string? ServerCommand { get; init; }

    /// <summary>Clients whose events/s still rose by 5 % or more at their last step (the highest concurrency tried):
    /// their ceiling lies above their best step.</summary>
    public List<string> NotLevelledOff { get; init; } = [];

    /// <summary>Every step measured, in order, per client.</summary>
    public List<CeilingStep> Steps { get; init; } = [];
}

/// <summary>One closed-load step of the ceiling (or Bench's non-streaming run beside wrk).</summary>
internal sealed class CeilingStep
{
    /// <summary><c>bench</c> (Bench's <c>ChatClient</c>) or <c>openai-sdk</c>.</summary>
    public required string Client { get; init; }

    /// <summary><c>streaming</c> or <c>non-streaming</c>.</summary>
    public required string Mode { get; init; }

    /// <summary>Requests in flight.</summary>
    public int Concurrency { get; init; }

    /// <summary>Measured window, s (after the warm-up).</summary>
    public double DurationS { get; init; }

    /// <summary>Warm-up before the window, s, as it lasted (the step's warm-up, and for the non-streaming step until
    /// the JIT went quiet: <see cref="ClosedLoop.SettleQuietPeriod"/>).</summary>
    public double WarmupS { get; init; }

    /// <summary>Methods the JIT compiled (tier-ups included) in this process during the window
    /// (<see cref="System.Runtime.JitInfo.GetCompiledMethodCount"/>): near zero when the window measured warm code.</summary>
    public long JitMethodsInWindow { get; init; }

    /// <summary>Requests completed in the window.</summary>
    public long Requests { get; init; }

    /// <summary>Requests that failed in the window.</summary>
    public long Failures { get; init; }

    /// <summary>The first failure's message, if any.</summary>
    public string? FirstFailure { get; init; }

    /// <summary>SSE events on the wire received in the window, <c>[DONE]</c> included (0 for non-streaming).</summary>
    public long Events { get; init; }

    /// <summary>Completed requests/s.</summary>
    public double RequestsPerS { get; init; }

    /// <summary>SSE events/s.</summary>
    public double EventsPerS { get; init; }

    /// <summary>CPU of this (client) process over the window, % of the whole machine: the request path and the
    /// token-counting thread together (<see cref="TokenCountingCpuPercent"/> is the latter's share).</summary>
    public double ClientCpuPercent { get; init; }

    /// <summary>CPU of the token-counting thread (<see cref="Bench.Core.Tokens.TokenCountingQueue"/>, off the request
    /// path) over the window, % of the whole machine; 0 when no request was counted (tokenizer off, the SDK).</summary>
    public double TokenCountingCpuPercent { get; init; }

    /// <summary>Token-counting CPU per completed request, µs (off the request path; not in
    /// <see cref="ClientCpuUsPerRequest"/>).</summary>
    public double? TokenCountingCpuUsPerRequest { get; init; }

    /// <summary>CPU of the child simulator over the window, % of the whole machine.</summary>
    public double ServerCpuPercent { get; init; }

    /// <summary>Client CPU time of the request path per completed request, µs: the process's CPU less the
    /// token-counting thread's (socket reads, SSE framing, chunk parsing, timestamps, the record).</summary>
    public double? ClientCpuUsPerRequest { get; init; }

    /// <summary>Client CPU time of the request path per SSE event, µs (as <see cref="ClientCpuUsPerRequest"/>, per
    /// event).</summary>
    public double? ClientCpuUsPerEvent { get; init; }
}

/// <summary>wrk against the child simulator's non-streaming endpoint: the loopback server's ceiling.</summary>
internal sealed class WrkResult
{
    /// <summary>Whether wrk ran.</summary>
    public bool Ran { get; init; }

    /// <summary>Why it did not (not installed and <c>--install-tools</c> not given, install failed, wrk failed).</summary>
    public string? SkippedReason { get; init; }

    /// <summary>wrk's version line (<c>wrk -v</c>), e.g. <c>wrk debian/4.1.0-3+b2</c>.</summary>
    public string? Version { get; set; }

    /// <summary>The wrk command line.</summary>
    public string? Command { get; init; }

    /// <summary>Connections (<c>-c</c>).</summary>
    public int Connections { get; init; }

    /// <summary>Threads (<c>-t</c>).</summary>
    public int Threads { get; init; }

    /// <summary>Duration (<c>-d</c>), s.</summary>
    public int DurationS { get; init; }

    /// <summary>Requests completed.</summary>
    public long Requests { get; init; }

    /// <summary>Responses that were not 2xx/3xx.</summary>
    public long Non2xxResponses { get; init; }

    /// <summary>Socket errors (connect, read, write, timeout) wrk reported.</summary>
    public long SocketErrors { get; init; }

    /// <summary>wrk's <c>Requests/sec</c>.</summary>
    public double RequestsPerS { get; init; }

    /// <summary>wrk's latency median, ms.</summary>
    public double? LatencyP50Ms { get; init; }

    /// <summary>wrk's latency 99th percentile, ms.</summary>
    public double? LatencyP99Ms { get; init; }

    /// <summary>CPU of the child simulator during the wrk run, % of the whole machine.</summary>
    public double? ServerCpuPercent { get; init; }

    /// <summary>Bench's own client, non-streaming, same model and concurrency, just before wrk.</summary>
    public CeilingStep? Bench { get; init; }

    /// <summary>The same with local token counting off (<c>tokenizer: none</c>), run between the two: the wire path
    /// alone, doing what wrk does.</summary>
    public CeilingStep? BenchTokenizerOff { get; set; }
}
