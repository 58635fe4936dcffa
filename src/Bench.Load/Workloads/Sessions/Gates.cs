namespace Bench.Load.Workloads.Sessions;

/// <summary>A closed step's rule: a turn is sent while the step's count lasts (<c>iterations</c> counts requests, so a
/// session the count reaches stops early) and before its end.</summary>
/// <param name="take">Takes one request from the step's count; false when none is left (null: no count).</param>
/// <param name="endMs">The step's end on the run clock (+∞ without one).</param>
internal sealed class ClosedGate(Func<bool>? take, double endMs) : TurnGate
{
    /// <inheritdoc />
    public override double EndMs => endMs;

    /// <inheritdoc />
    public override TurnAdmission Admit(int turn, double nowMs, out string? reason)
    {
        reason = null;
        return nowMs >= endMs || (take is not null && !take()) ? TurnAdmission.Stop : TurnAdmission.Send;
    }
}

/// <summary>An open step's rule: a turn that finds the step's cap on requests in flight reached is dropped (and its
/// session ends), as any open arrival is; a session's first turn due at or after the step's end is dropped likewise,
/// a later one is not sent (the session was cut by the end).</summary>
/// <param name="cap">The step's cap on requests in flight (turns, not sessions).</param>
/// <param name="endMs">The step's end (+∞ without a duration).</param>
/// <param name="capReached">The drop reason at the cap.</param>
/// <param name="stepEnded">The drop reason at the end.</param>
internal sealed class OpenGate(int cap, double endMs, string capReached, string stepEnded) : TurnGate
{
    private int _requests;

    /// <inheritdoc />
    public override double EndMs => endMs;

    /// <inheritdoc />
    public override TurnAdmission Admit(int turn, double nowMs, out string? reason)
    {
        reason = null;
        if (nowMs >= endMs)
        {
            reason = stepEnded;
            return turn == 1 ? TurnAdmission.Drop : TurnAdmission.Stop;
        }

        if (Interlocked.Increment(ref _requests) > cap)
        {
            Interlocked.Decrement(ref _requests);
            reason = capReached;
            return TurnAdmission.Drop;
        }

        return TurnAdmission.Send;
    }

    /// <inheritdoc />
    public override void Ended() => Interlocked.Decrement(ref _requests);
}
