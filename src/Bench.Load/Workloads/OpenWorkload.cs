using Bench.Core.Scenarios;
using Bench.Load.Running;

namespace Bench.Load.Workloads;

/// <summary>
/// Open workloads: requests are sent at their intended times whatever the responses do. Each request carries its
/// intended time; when the client falls behind (a slow dispatcher, or the concurrency cap), the request is sent late
/// and its record shows by how much (<c>queue_ms</c>) — it is never silently re-timed.
/// </summary>
internal static class OpenWorkload
{
    public static Task RunAsync(WorkloadStep step, IEnumerable<double> arrivalsMs, StepContext context) =>
        RunAsync(step, arrivalsMs, context, Workload.Phase(step));

    public static async Task RunAsync(WorkloadStep step, IEnumerable<double> arrivalsMs, StepContext context, string phase)
    {
        using var cap = step.MaxConcurrency is { } max ? new SemaphoreSlim(max, max) : null;
        var inFlight = new InFlight();
        var startMs = context.Clock.NowMs();
        var token = context.CancellationToken;

        foreach (var offset in arrivalsMs)
        {
            var intendedMs = startMs + offset;
            // On the system clock: a timer, then a spin for the last millisecond (never early, late only by the timer's
            // wake-up jitter); on a test's fake clock: its timer alone.
            await context.Clock.DelayUntilAsync(intendedMs, token).ConfigureAwait(false);
            inFlight.Start(SendAsync(intendedMs));
        }

        await inFlight.DrainAsync().ConfigureAwait(false);

        async Task SendAsync(double intendedMs)
        {
            if (cap is null)
            {
                await context.Runner.SendAsync(context, phase, intendedMs).ConfigureAwait(false);
                return;
            }

            await cap.WaitAsync(token).ConfigureAwait(false);
            try
            {
                await context.Runner.SendAsync(context, phase, intendedMs).ConfigureAwait(false);
            }
            finally
            {
                cap.Release();
            }
        }
    }

    /// <summary>Counts requests in flight without keeping them, and lets the step wait for the last one.</summary>
    private sealed class InFlight
    {
        private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count = 1; // the dispatcher itself, released by DrainAsync
        private Exception? _error;

        public void Start(Task request)
        {
            Interlocked.Increment(ref _count);
            request.ContinueWith(
                static (t, state) => ((InFlight)state!).Done(t.Exception?.InnerException),
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        public Task DrainAsync()
        {
            Done(null);
            return _drained.Task;
        }

        private void Done(Exception? error)
        {
            if (error is not null)
            {
                Interlocked.CompareExchange(ref _error, error, null);
            }

            if (Interlocked.Decrement(ref _count) == 0)
            {
                if (_error is { } e)
                {
                    _drained.TrySetException(e);
                }
                else
                {
                    _drained.TrySetResult();
                }
            }
        }
    }
}
