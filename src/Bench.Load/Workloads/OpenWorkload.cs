using Bench.Core.Scenarios;
using Bench.Load.Running;
using Bench.Load.Workloads.Sessions;

namespace Bench.Load.Workloads;

/// <summary>
/// Open workloads: requests are sent at their intended times whatever the responses do. Each request carries its
/// intended time; when the dispatcher wakes late, the request is sent late and its record shows by how much
/// (<c>queue_ms</c>) — it is never silently re-timed.
/// </summary>
/// <remarks>
/// <para>Overload is handled the way k6's arrival-rate executors handle it: when an iteration is due and no VU is
/// free (<c>maxVUs</c> reached), k6 does not start it late; it counts it in the <c>dropped_iterations</c> metric and
/// moves on. Here an arrival due while the step's cap on requests in flight (<see cref="WorkloadStep.InFlightCap"/>,
/// <see cref="WorkloadStep.DefaultMaxConcurrency"/> unless the step names one) is reached is not queued to be sent
/// later: it becomes a <c>dropped</c> record (its intended time, phase, model and mode; sent and ended at the moment it
/// was dropped; no HTTP status) counted apart from the requests. Queueing instead would send a burst after the
/// endpoint recovers, misstate the load the endpoint was offered as kept, and grow the queue (and, uncapped, sockets
/// and memory) without bound for as long as the offered rate exceeds the endpoint's capacity.</para>
/// <para>A step with a duration stops sending at its end: an arrival the dispatcher reaches at or after the end (it
/// fell behind its schedule) is dropped likewise, with the reason. Requests in flight at the end finish (each bounded
/// by the request timeout) before the next step starts. When the run is cancelled, the dispatcher stops at once and
/// the step waits for the requests in flight to end as cancelled records before it throws.</para>
/// <para>With multi-turn sessions (<see cref="LoadRunner.Sessions"/>) each arrival starts a session (the rate is of
/// session starts, not requests); its later turns follow their think times after each answer, each intended at the
/// answer's end plus the think time. The cap counts turns in flight: a turn that finds it reached is dropped and ends
/// its session; a later turn due at or after the step's end is not sent (the session is cut), and the step waits for
/// every session in progress.</para>
/// </remarks>
internal static class OpenWorkload
{
    public static Task RunAsync(WorkloadStep step, IEnumerable<double> arrivalsMs, StepContext context) =>
        RunAsync(step, arrivalsMs, context, Workload.Phase(step));

    public static Task RunAsync(WorkloadStep step, IEnumerable<double> arrivalsMs, StepContext context, string phase) =>
        RunAsync(step, arrivalsMs.Select(offset => new Arrival(offset)), context, phase);

    /// <summary>Sends each arrival at the step's start + its offset (or drops it), with its own draw and session when
    /// it carries them (a trace line), else the executor's own prompt.</summary>
    public static async Task RunAsync(WorkloadStep step, IEnumerable<Arrival> arrivals, StepContext context, string phase)
    {
        var shard = context.Runner.Shard;
        var cap = step.InFlightCap ?? WorkloadStep.DefaultMaxConcurrency;
        if (shard is not null)
        {
            cap = (cap + shard.Count - 1) / shard.Count; // each shard its share: ceil(cap / N)
        }

        var capReached = $"in-flight cap of {cap} reached";
        var inFlight = new InFlight();
        var startMs = context.Clock.NowMs();
        var endMs = step.Duration is { } duration ? startMs + duration.TotalMilliseconds : double.PositiveInfinity;
        var token = context.CancellationToken;
        var stepEnded = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the step ended (at {endMs:0} ms) before the client could send it");
        var gate = context.Runner.Sessions is null ? null : new OpenGate(cap, endMs, capReached, stepEnded);
        if (shard is not null && gate is not null)
        {
            context.Runner.BecomeCongruent(); // sessions' turns depend on timing: their ids do too
        }

        // A shard walks the whole schedule (same offsets, same random draws) and acts on its own arrivals only; while its
        // ids are canonical, arrival k has the unsharded run's id block + k.
        var block = shard is null ? null : context.Runner.CanonicalBlock();
        long k = -1;
        try
        {
            foreach (var arrival in arrivals)
            {
                k++;
                long? id = null;
                long session = 0;
                if (gate is not null)
                {
                    session = context.OpenSession(k, out var mine);
                    if (!mine)
                    {
                        continue;
                    }
                }
                else if (shard is not null)
                {
                    if (!shard.Takes(k))
                    {
                        continue;
                    }

                    id = block + k;
                }

                var intendedMs = startMs + arrival.OffsetMs;
                // On the system clock: a timer, then a spin for the last millisecond (never early, late only by the
                // timer's wake-up jitter); on a test's fake clock: its timer alone.
                await context.Clock.DelayUntilAsync(intendedMs, token).ConfigureAwait(false);
                if (gate is not null)
                {
                    inFlight.Start(Session.RunAsync(context, phase, session, intendedMs, gate));
                }
                else if (context.Clock.NowMs() >= endMs)
                {
                    context.Runner.Drop(context, phase, intendedMs, stepEnded, arrival.Draw, arrival.SessionId, id: id);
                }
                else if (inFlight.Requests >= cap)
                {
                    context.Runner.Drop(context, phase, intendedMs, capReached, arrival.Draw, arrival.SessionId, id: id);
                }
                else
                {
                    inFlight.Start(context.Runner.SendAsync(context, phase, intendedMs, arrival.Draw, arrival.SessionId, id: id));
                }
            }

            if (block is { } first)
            {
                context.Runner.EndCanonicalBlock(first, k + 1);
            }
        }
        finally
        {
            // Whatever ended the schedule (its last arrival, or a cancellation), the requests in flight end first: their
            // records (cancelled ones included) are sunk before the step returns or throws.
            await inFlight.DrainAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One arrival of an open schedule.</summary>
    /// <param name="OffsetMs">When it is meant to be sent, in ms after the step's start.</param>
    /// <param name="Draw">What it sends (a trace line's prompt and lengths), or null for the executor's own prompt.</param>
    /// <param name="SessionId">The session it belongs to (a trace line's <c>session_id</c>), or null.</param>
    internal readonly record struct Arrival(double OffsetMs, Core.Prompts.PromptDraw? Draw = null, string? SessionId = null);

    /// <summary>Counts requests in flight without keeping them, and lets the step wait for the last one.</summary>
    private sealed class InFlight
    {
        private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count = 1; // the dispatcher itself, released by DrainAsync
        private Exception? _error;

        /// <summary>Requests started and not yet ended (the dispatcher not counted).</summary>
        public int Requests => Volatile.Read(ref _count) - 1;

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
