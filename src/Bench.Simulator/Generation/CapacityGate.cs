namespace Bench.Simulator.Generation;

/// <summary>
/// A first-come-first-served counting gate: at most a fixed number of holders at once, and waiters admitted strictly
/// in arrival order (unlike <see cref="SemaphoreSlim"/>, whose order is not guaranteed). A request that waits
/// allocates one completion source; one that finds a free slot allocates nothing.
/// </summary>
internal sealed class CapacityGate
{
    private readonly Queue<TaskCompletionSource> _waiters = new();
    private int _free;

    /// <summary>Creates a gate with <paramref name="slots"/> free slots (≥ 1).</summary>
    public CapacityGate(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        Slots = slots;
        _free = slots;
    }

    /// <summary>The number of slots.</summary>
    public int Slots { get; }

    /// <summary>Requests waiting for a slot (including ones cancelled but not yet skipped).</summary>
    public int Waiting
    {
        get
        {
            lock (_waiters)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>Takes a slot, waiting behind earlier callers when none is free. Completes with
    /// <see langword="true"/> when a slot was free at once, <see langword="false"/> after a wait; the caller must
    /// <see cref="Exit"/> once in both cases.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting
    /// (no slot is held then).</exception>
    public ValueTask<bool> EnterAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_waiters)
        {
            if (_free > 0)
            {
                _free--;
                return new ValueTask<bool>(true);
            }

            // Continuations run on the pool, not inside Exit (which holds the lock).
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    /// <summary>Releases a slot: hands it to the longest waiter still waiting, else frees it.</summary>
    public void Exit()
    {
        lock (_waiters)
        {
            while (_waiters.TryDequeue(out var waiter))
            {
                if (waiter.TrySetResult())
                {
                    return;
                }
            }

            _free++;
        }
    }

    private static async ValueTask<bool> WaitAsync(TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        // Whichever comes first wins: a cancelled waiter is skipped by Exit; a granted one holds the slot even if the
        // token is cancelled afterwards.
        await using (cancellationToken.Register(
            static (state, token) => ((TaskCompletionSource)state!).TrySetCanceled(token), waiter))
        {
            await waiter.Task.ConfigureAwait(false);
        }

        return false;
    }
}
