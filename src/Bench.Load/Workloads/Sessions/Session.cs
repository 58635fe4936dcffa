using Bench.Core.Prompts;
using Bench.Core.Records;
using Bench.Load.Running;

namespace Bench.Load.Workloads.Sessions;

/// <summary>What a step lets a session's next turn do.</summary>
internal enum TurnAdmission
{
    /// <summary>Send it.</summary>
    Send,

    /// <summary>Record it as dropped (an open step's cap, or its end for a session's first turn) and end the session.</summary>
    Drop,

    /// <summary>End the session without sending or recording it: the step's count or end cut the session.</summary>
    Stop,
}

/// <summary>A step's rule for each turn (closed: the count or the deadline; open: the in-flight cap and the end).</summary>
internal abstract class TurnGate
{
    /// <summary>Turns at or after this time are not sent (the step's end; +∞ when it has none).</summary>
    public virtual double EndMs => double.PositiveInfinity;

    /// <summary>Decides turn <paramref name="turn"/> now; <paramref name="reason"/> is a drop's reason.</summary>
    public abstract TurnAdmission Admit(int turn, double nowMs, out string? reason);

    /// <summary>An admitted turn ended.</summary>
    public virtual void Ended()
    {
    }
}

/// <summary>
/// Runs one multi-turn session: its turns in order, each sending the growing history with the previous answers, the
/// think time waited on the run clock after each answer. A turn that does not succeed ends its session (its later
/// turns are not sent: the session <em>ended early</em>); a turn the gate drops is recorded as dropped and ends it; a
/// turn the gate stops (the step's count or end) ends it unrecorded (the session was <em>cut</em>). Records carry the
/// session id <c>s{n}</c>, the turn and the session's drawn turns. Cancellation follows <see cref="LoadRunner"/>'s rules:
/// a turn in flight ends as a cancelled record, a think-time wait just ends, and the cancellation is thrown.
/// </summary>
internal static class Session
{
    /// <summary>The id of session <paramref name="number"/>.</summary>
    public static string Id(long number) => $"s{number}";

    /// <summary>Runs session <paramref name="number"/>.</summary>
    /// <param name="context">The step's context (its runner carries the <see cref="SessionPlan"/>).</param>
    /// <param name="phase">The step's phase.</param>
    /// <param name="number">The session number, from 1 in each cell.</param>
    /// <param name="firstIntendedMs">Open steps: the arrival time of the first turn (later turns are intended at the
    /// previous answer's end plus the think time); null for closed steps.</param>
    /// <param name="gate">The step's rule.</param>
    public static async Task RunAsync(StepContext context, string phase, long number, double? firstIntendedMs, TurnGate gate)
    {
        var plan = context.Runner.Sessions ?? throw new InvalidOperationException("The runner has no session plan.");
        var clock = context.Clock;
        var token = context.CancellationToken;
        var id = Id(number);
        var turns = plan.Turns(number);
        var open = firstIntendedMs is not null;
        double? intendedMs = firstIntendedMs;
        PromptDraw? previous = null;
        string? answer = null;
        for (var turn = 1; turn <= turns; turn++)
        {
            if (turn > 1)
            {
                var think = plan.ThinkMs(number, turn - 1);
                var dueMs = clock.NowMs() + think;
                if (dueMs >= gate.EndMs)
                {
                    return; // cut: the step ends before the next turn is due
                }

                if (think > 0)
                {
                    await clock.DelayUntilAsync(dueMs, token).ConfigureAwait(false);
                }

                intendedMs = open ? dueMs : null;
            }

            string? reason;
            var admission = gate.Admit(turn, clock.NowMs(), out reason);
            if (admission == TurnAdmission.Stop)
            {
                return;
            }

            if (admission == TurnAdmission.Drop)
            {
                context.Runner.Drop(context, phase, intendedMs ?? clock.NowMs(), reason ?? "dropped", sessionId: id, turn: turn, sessionTurns: turns);
                return;
            }

            var draw = plan.Draw(number, turn, context.Cell, previous, answer);
            RequestRecord record;
            try
            {
                record = await context.Runner.SendAsync(context, phase, intendedMs, draw, id, turn, turns).ConfigureAwait(false);
            }
            finally
            {
                gate.Ended();
            }

            answer = record.AnswerText;
            record.AnswerText = null; // the history holds it now; the record does not need to
            if (record.Outcome != Outcome.Success)
            {
                return; // ended early: a later turn would send a history the conversation never had
            }

            previous = draw;
        }
    }
}
