using Bench.Core.Faults;
using Bench.Simulator.Generation;

namespace Bench.Simulator.Faults;

/// <summary>How a fault that acts on the answer's timing changes a request's <see cref="CompletionPlan"/>; the faults
/// that act on its bytes ride along in <see cref="CompletionPlan.Fault"/> for the writers.</summary>
internal static class FaultShaping
{
    /// <summary>The default <see cref="FaultRule.TokensPerS"/> of a trickle.</summary>
    public const double DefaultTrickleTokensPerS = 2;

    /// <summary><paramref name="plan"/> with <paramref name="fault"/> applied: a hang before the first token pauses
    /// every content chunk (headers and, streaming, the role prelude go out at once); a stall pauses the chunks after
    /// <c>⌊n × at⌋</c> tokens (non-streaming: the body); a trickle decodes at <see cref="FaultRule.TokensPerS"/>
    /// (TTFT unchanged). A pause without <see cref="FaultRule.DurationS"/> lasts until the client gives up
    /// (<see cref="Ticks"/>).</summary>
    public static CompletionPlan Shape(CompletionPlan plan, FaultRule? fault, TimeProvider time)
    {
        if (fault is null)
        {
            return plan;
        }

        plan = plan with { Fault = fault };
        return fault.Kind switch
        {
            FaultKind.HangBeforeFirstToken => plan with { PauseAfterTokens = 0, PauseTicks = Ticks(fault.DurationS, time) },
            FaultKind.Stall => plan with { PauseAfterTokens = plan.FaultAfterTokens, PauseTicks = Ticks(fault.DurationS, time) },
            FaultKind.Trickle => plan with { TicksPerToken = time.TimestampFrequency / (fault.TokensPerS ?? DefaultTrickleTokensPerS) },
            _ => plan,
        };
    }

    /// <summary>A hang's or stall's length in <paramref name="time"/>'s timestamps; unset: "until the client gives
    /// up", the longest wait a timer takes (<see cref="Bench.Core.Scenarios.ScenarioLimits.MaxSeconds"/>, about 24.8
    /// days), which every client deadline is shorter than.</summary>
    public static long Ticks(double? durationS, TimeProvider time) =>
        (long)Math.Ceiling((durationS ?? Bench.Core.Scenarios.ScenarioLimits.MaxSeconds) * time.TimestampFrequency);
}
