using Bench.Core.Scenarios;
using Bench.Load.Running;
using Bench.Load.Workloads.Sessions;

namespace Bench.Load.Workloads;

/// <summary>Closed workloads: a fixed (or ramping) number of requests in flight. A worker checks the step's deadline
/// before each request, so none starts after the step's end; a request in flight then finishes (bounded by the
/// request timeout). When the run is cancelled no worker starts another request, and the step ends only once every
/// worker's request has ended (as a cancelled record).
/// With multi-turn sessions (<see cref="LoadRunner.Sessions"/>) each worker runs whole sessions, one after another (a
/// session never spans workers; its think times are the worker's idle time); <c>iterations</c> still counts requests, so
/// the session the count runs out in stops early, and a session's turn due at or after a step's end is not sent.</summary>
internal static class ClosedWorkload
{
    /// <summary>How often <c>ramping_constant</c> re-targets the number in flight.</summary>
    public static readonly TimeSpan RetargetInterval = TimeSpan.FromMilliseconds(50);

    /// <summary><c>iterations_for_constant</c>: <c>copies</c> workers share <c>iterations</c> requests.</summary>
    public static async Task IterationsAsync(WorkloadStep step, StepContext context)
    {
        if (context.Runner.Shard is { } shard)
        {
            await ShardIterationsAsync(step, context, shard).ConfigureAwait(false);
            return;
        }

        var remaining = (long)step.Iterations!.Value;
        var copies = Math.Min(step.Copies!.Value, step.Iterations.Value);
        var phase = Workload.Phase(step);
        var workers = new Task[copies];
        var gate = new ClosedGate(() => Interlocked.Decrement(ref remaining) >= 0, double.PositiveInfinity);
        for (var i = 0; i < copies; i++)
        {
            workers[i] = context.Runner.Sessions is not null
                ? Task.Run(async () =>
                {
                    while (Volatile.Read(ref remaining) > 0)
                    {
                        await Session.RunAsync(context, phase, context.NextSession(), null, gate).ConfigureAwait(false);
                    }
                })
                : Task.Run(async () =>
                {
                    while (Interlocked.Decrement(ref remaining) >= 0)
                    {
                        await context.Runner.SendAsync(context, phase, null).ConfigureAwait(false);
                    }
                });
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        context.LastCopies = copies;
    }

    /// <summary><c>iterations_for_constant</c> in a shard: request k of the step (k from 0) is this shard's when
    /// <see cref="Core.Planning.ShardSpec.Takes"/>(k); its workers are its share of <c>copies</c> (at least 1 when it has
    /// requests). Without sessions request k has the unsharded run's id while the shard's ids are canonical; with
    /// sessions the shard runs its own sessions until its share of the count is used.</summary>
    private static async Task ShardIterationsAsync(WorkloadStep step, StepContext context, Core.Planning.ShardSpec shard)
    {
        var runner = context.Runner;
        var count = step.Iterations!.Value;
        var mine = runner.ShareOf(count);
        var copies = (int)Math.Min(Math.Max(runner.ShareOf(step.Copies!.Value), mine > 0 ? 1 : 0), mine);
        var phase = Workload.Phase(step);
        if (runner.Sessions is not null)
        {
            runner.BecomeCongruent();
        }

        var block = runner.CanonicalBlock();
        var remaining = mine;
        long taken = -1;
        var gate = new ClosedGate(() => Interlocked.Decrement(ref remaining) >= 0, double.PositiveInfinity);
        var workers = new Task[copies];
        for (var i = 0; i < copies; i++)
        {
            workers[i] = runner.Sessions is not null
                ? Task.Run(async () =>
                {
                    while (Volatile.Read(ref remaining) > 0)
                    {
                        await Session.RunAsync(context, phase, context.NextSession(), null, gate).ConfigureAwait(false);
                    }
                })
                : Task.Run(async () =>
                {
                    long j;
                    while ((j = Interlocked.Increment(ref taken)) < mine)
                    {
                        var k = (j * shard.Count) + shard.Index - 1; // the shard's j-th request is the step's k-th
                        await runner.SendAsync(context, phase, null, id: block + k).ConfigureAwait(false);
                    }
                });
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        if (block is { } first)
        {
            runner.EndCanonicalBlock(first, count);
        }

        context.LastCopies = copies;
    }

    /// <summary><c>keep_constant</c>: <c>copies</c> workers send until the duration ends; requests in flight then finish.</summary>
    public static async Task KeepConstantAsync(WorkloadStep step, StepContext context)
    {
        context.Runner.BecomeCongruent(); // which requests are sent depends on timing: a shard's ids are its own from here
        var copies = (int)context.Runner.ShareOf(step.Copies!.Value);
        if (copies == 0)
        {
            // A shard without a worker here waits out the step, so that its next step starts with the others'.
            await context.Clock.DelayAsync(step.Duration!.Value, context.CancellationToken).ConfigureAwait(false);
            context.LastCopies = 0;
            return;
        }

        var deadlineMs = context.Clock.NowMs() + step.Duration!.Value.TotalMilliseconds;
        var phase = Workload.Phase(step);
        var workers = new Task[copies];
        var gate = new ClosedGate(null, deadlineMs);
        for (var i = 0; i < copies; i++)
        {
            workers[i] = Task.Run(async () =>
            {
                while (context.Clock.NowMs() < deadlineMs)
                {
                    await SendOrRunSessionAsync(context, phase, gate).ConfigureAwait(false);
                }
            });
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        context.LastCopies = copies;
    }

    /// <summary>
    /// <c>ramping_constant</c>: the number in flight moves linearly from the previous closed step's copies (0 at the
    /// start) to <c>copies</c> over the duration. A controller re-targets every 50 ms: it starts workers when the
    /// target rises; a worker leaves after its current request when there are more workers than the target.
    /// </summary>
    public static async Task RampingAsync(WorkloadStep step, StepContext context)
    {
        context.Runner.BecomeCongruent(); // which requests are sent depends on timing: a shard's ids are its own from here
        var from = context.LastCopies;
        var to = (int)context.Runner.ShareOf(step.Copies!.Value);
        if (from == 0 && to == 0)
        {
            // A shard without a worker at either end of the ramp waits it out, so that its next step starts with the others'.
            await context.Clock.DelayAsync(step.Duration!.Value, context.CancellationToken).ConfigureAwait(false);
            context.LastCopies = 0;
            return;
        }

        var durationMs = step.Duration!.Value.TotalMilliseconds;
        var startMs = context.Clock.NowMs();
        var phase = Workload.Phase(step);
        var active = 0;
        var target = Math.Max(from, 1);
        var workers = new List<Task>();
        var gate = new ClosedGate(null, startMs + durationMs);

        async Task WorkerAsync()
        {
            while (context.Clock.NowMs() - startMs < durationMs)
            {
                await SendOrRunSessionAsync(context, phase, gate).ConfigureAwait(false);
                var current = Volatile.Read(ref active);
                if (current > Volatile.Read(ref target)
                    && Interlocked.CompareExchange(ref active, current - 1, current) == current)
                {
                    return;
                }
            }
        }

        try
        {
            while (true)
            {
                var elapsed = context.Clock.NowMs() - startMs;
                if (elapsed >= durationMs)
                {
                    break;
                }

                var wanted = (int)Math.Round(from + ((to - from) * elapsed / durationMs));
                Volatile.Write(ref target, Math.Max(wanted, 1));
                while (Volatile.Read(ref active) < Volatile.Read(ref target))
                {
                    Interlocked.Increment(ref active);
                    workers.Add(Task.Run(WorkerAsync));
                }

                await context.Clock.DelayAsync(RetargetInterval, context.CancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // Also when the run is cancelled during a re-targeting wait: the workers' requests end (as cancelled
            // records) before the step throws.
            await Task.WhenAll(workers).ConfigureAwait(false);
        }

        context.LastCopies = to;
    }

    /// <summary>A worker's next unit: one request, or one whole session when the runner has sessions.</summary>
    private static Task SendOrRunSessionAsync(StepContext context, string phase, ClosedGate gate) =>
        context.Runner.Sessions is not null
            ? Session.RunAsync(context, phase, context.NextSession(), null, gate)
            : context.Runner.SendAsync(context, phase, null);
}
