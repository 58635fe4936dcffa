using Bench.Core.Scenarios;
using Bench.Core.Traces;
using Bench.Load.Running;

namespace Bench.Load.Workloads;

/// <summary>
/// The <c>trace</c> step: replays a trace file (<see cref="TraceFile"/>) as an open workload. Line i is meant to be sent
/// at (timestamp_i − timestamp_0) ÷ speed-up after the step's start, with its own prompt and answer length
/// (<see cref="TracePrompts"/>) and session; the schedule goes through <see cref="OpenWorkload"/> like every open
/// step's, so the in-flight cap drops what it cannot send, and queue_ms, response_ms and the scheduler's lag are
/// measured the same way. Each cell replays the whole trace.
/// </summary>
internal static class TraceWorkload
{
    public static Task RunAsync(WorkloadStep step, StepContext context)
    {
        var spec = step.Trace ?? throw new InvalidOperationException("A trace step without its trace (the scenario's validation refuses it).");
        var trace = context.Runner.Traces.TryGetValue(spec.Path, out var loaded) ? loaded : TraceReader.Load(spec.Path, spec.Format);
        context.LastRatePerS = trace.SpanMs > 0 ? trace.Lines.Count / (trace.SpanMs / spec.Speedup / 1000) : 0;
        return OpenWorkload.RunAsync(step, Arrivals(trace, spec.Speedup, context.Cell.Model, context.Runner.Seed), context, Workload.Phase(step));
    }

    /// <summary>The trace's arrivals for <paramref name="model"/>: each line's offset and draw, built lazily (when the
    /// dispatcher reaches the line, before it waits for the line's time), so a long trace holds no prompts in memory.</summary>
    internal static IEnumerable<OpenWorkload.Arrival> Arrivals(TraceFile trace, double speedup, string model, int seed) =>
        trace.Lines.Select(line => new OpenWorkload.Arrival(trace.OffsetMs(line, speedup), TracePrompts.Draw(line, model, seed), line.SessionId));
}
