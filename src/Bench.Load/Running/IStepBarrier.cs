namespace Bench.Load.Running;

/// <summary>
/// Where the shards of one run meet before each step (issue 16): every shard arrives at step g (counted over the cells
/// and their steps, from 0) when it has finished the one before, and all learn one instant to start it, so the union of
/// their schedules is the unsharded one step after step, whatever each shard's previous step took (a warm-up only some
/// shards had a share of, a drain that ended later on one).
/// </summary>
public interface IStepBarrier
{
    /// <summary>Arrives at step <paramref name="step"/>; completes when it is known when the step starts.</summary>
    /// <returns>When to start it, in ms on the run clock (may be in the past: start at once).</returns>
    /// <exception cref="OperationCanceledException">The run was interrupted while waiting.</exception>
    Task<double> ArriveAsync(long step, CancellationToken cancellationToken);

    /// <summary>Says this shard will arrive nowhere else (its plan ended or was interrupted), so the others stop
    /// waiting for it.</summary>
    void Leave();
}
