using System.Globalization;

namespace Bench.Harness.SelfTest;

/// <summary>One performance goal of the harness itself (issue 17, "the harness disappears"), as measured by this
/// run. Goals are reported, never failed on: they depend on the machine, unlike <see cref="SelfTestCheck"/>s.</summary>
/// <param name="Name">What is measured.</param>
/// <param name="Target">The goal, in words (e.g. <c>≤ 1.0 µs</c>).</param>
/// <param name="Measured">The measured value with its unit, or why there is none.</param>
/// <param name="Met">Whether it was met; <see langword="null"/> when not measured.</param>
internal sealed record SelfTestGoal(string Name, string Target, string Measured, bool? Met);

/// <summary>
/// The harness's own performance goals, read off a self-test's results.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>goal</term><description>bound, and how it is read</description></listheader>
/// <item><term>TTFT error at scale</term><description>p99 ≤ <see cref="SelfTestChecks.GoalTtftErrorP99Us"/> µs at
/// <see cref="SelfTestChecks.GoalStreams"/> concurrent streams, every request succeeded and joined
/// (<see cref="SelfTestChecks.Goals"/>)</description></item>
/// <item><term>client CPU per SSE event</term><description>≤ <see cref="MaxCpuUsPerEvent"/> µs of the request path
/// (process CPU less the token-counting thread's) at Bench's peak step of the client ceiling</description></item>
/// <item><term>against the OpenAI SDK</term><description>≥ <see cref="MinSdkCpuRatio"/>× fewer CPU µs per event than
/// the SDK at the highest concurrency both measured</description></item>
/// <item><term>non-streaming against wrk</term><description>≥ <see cref="MinWrkShare"/> of wrk's requests/s on the
/// same endpoint and connections</description></item>
/// </list>
/// </remarks>
internal static class SelfTestGoals
{
    /// <summary>Request-path CPU per SSE event at Bench's peak, µs.</summary>
    public const double MaxCpuUsPerEvent = 1.0;

    /// <summary>How many times fewer CPU µs per event than the SDK.</summary>
    public const double MinSdkCpuRatio = 3.0;

    /// <summary>Bench's non-streaming requests/s as a share of wrk's.</summary>
    public const double MinWrkShare = 0.60;

    /// <summary>Every goal this run measured (or could not).</summary>
    public static IReadOnlyList<SelfTestGoal> Evaluate(SelfTestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var goals = new List<SelfTestGoal>();
        foreach (var check in SelfTestChecks.Goals(result.Scale))
        {
            // The scale step's goal (its bound and its reading live with the checks, SelfTestChecks.Goals).
            var measured = result.Scale.FirstOrDefault(s => s.Streams == SelfTestChecks.GoalStreams)?.SkippedReason is null;
            goals.Add(new(Inv($"TTFT error p99 at {SelfTestChecks.GoalStreams:N0} concurrent streams"), Inv($"≤ {SelfTestChecks.GoalTtftErrorP99Us:N0} µs"),
                check.Detail, measured ? check.Passed : null));
        }

        if (result.Ceiling is { SkippedReason: null } ceiling)
        {
            var peak = SelfTestReport.Peaks(ceiling).FirstOrDefault(p => p.Client == ClientCeiling.BenchClient);
            goals.Add(peak?.ClientCpuUsPerEvent is { } perEvent
                ? new("client CPU per SSE event (request path, at Bench's peak)", Inv($"≤ {MaxCpuUsPerEvent:0.0#} µs"),
                    Inv($"{perEvent:0.00} µs at concurrency {peak.Concurrency} ({peak.EventsPerS:N0} events/s)"), perEvent <= MaxCpuUsPerEvent)
                : new("client CPU per SSE event (request path, at Bench's peak)", Inv($"≤ {MaxCpuUsPerEvent:0.0#} µs"), "not measured", null));

            var common = ceiling.Steps.Where(s => s.Client == ClientCeiling.BenchClient)
                .Join(ceiling.Steps.Where(s => s.Client == ClientCeiling.SdkClient), s => s.Concurrency, s => s.Concurrency, (b, o) => (Bench: b, Sdk: o))
                .OrderBy(pair => pair.Bench.Concurrency)
                .LastOrDefault();
            goals.Add(common.Bench?.ClientCpuUsPerEvent is { } bench && common.Sdk?.ClientCpuUsPerEvent is { } sdk && bench > 0
                ? new("CPU per event against the OpenAI SDK (highest concurrency both measured)", Inv($"≥ {MinSdkCpuRatio:0.#}× fewer"),
                    Inv($"{sdk / bench:0.0}× fewer ({bench:0.00} against {sdk:0.00} µs at concurrency {common.Bench.Concurrency})"), sdk / bench >= MinSdkCpuRatio)
                : new("CPU per event against the OpenAI SDK (highest concurrency both measured)", Inv($"≥ {MinSdkCpuRatio:0.#}× fewer"), "not measured", null));
        }

        if (result.Wrk is { } wrk)
        {
            goals.Add(wrk is { Ran: true, RequestsPerS: > 0, Bench: { } nonStreaming }
                ? new("non-streaming requests/s against wrk (same endpoint and connections)", Inv($"≥ {MinWrkShare * 100:0} %"),
                    Inv($"{nonStreaming.RequestsPerS / wrk.RequestsPerS * 100:0} % ({nonStreaming.RequestsPerS:N0} against {wrk.RequestsPerS:N0} req/s at {wrk.Connections} connections)"),
                    nonStreaming.RequestsPerS / wrk.RequestsPerS >= MinWrkShare)
                : new("non-streaming requests/s against wrk (same endpoint and connections)", Inv($"≥ {MinWrkShare * 100:0} %"), $"not measured ({wrk.SkippedReason ?? "wrk did not run"})", null));
        }

        return goals;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
