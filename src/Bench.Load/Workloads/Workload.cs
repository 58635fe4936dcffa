using Bench.Core.Records;
using Bench.Core.Scenarios;
using Bench.Load.Running;

namespace Bench.Load.Workloads;

/// <summary>
/// Runs one workload step for one cell. Closed steps keep a number of requests in flight (each worker sends its next
/// request when the previous one ends); open steps send on a schedule of intended times whatever the responses do,
/// and record each request's intended time so that lag (<c>queue_ms</c>) and coordinated-omission-corrected latency
/// (<c>response_ms</c>) are measured, never hidden.
/// </summary>
internal static class Workload
{
    public static Task RunAsync(WorkloadStep step, StepContext context) => step.Kind switch
    {
        StepKind.IterationsForConstant => ClosedWorkload.IterationsAsync(step, context),
        StepKind.KeepConstant => ClosedWorkload.KeepConstantAsync(step, context),
        StepKind.RampingConstant => ClosedWorkload.RampingAsync(step, context),
        StepKind.Inject or StepKind.IterationsForInject or StepKind.RampingInject or StepKind.Poisson or StepKind.Gamma
            => OpenWorkload.RunAsync(step, Arrivals.For(step, context), context),
        StepKind.Trace => TraceWorkload.RunAsync(step, context),
        StepKind.Pause => context.Clock.DelayAsync(step.Duration!.Value, context.CancellationToken),
        StepKind.Sweep => SweepWorkload.RunAsync(step, context),
        _ => throw new ArgumentOutOfRangeException(nameof(step), step.Kind, "Unknown workload step."),
    };

    public static string Phase(WorkloadStep step) => step.Warmup ? Phases.Warmup : Phases.Measure;
}
