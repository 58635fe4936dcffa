using Bench.Core.Scenarios;
using Bench.Load.Running;

namespace Bench.Load.Workloads;

/// <summary>
/// Arrival schedules for open workloads: offsets in milliseconds from the step's start at which requests are
/// intended to be sent. Lazily generated, so a long step holds no schedule in memory.
/// </summary>
internal static class Arrivals
{
    public static IEnumerable<double> For(WorkloadStep step, StepContext context)
    {
        var perS = step.Rate!.Value / step.Interval.TotalSeconds;
        var schedule = step.Kind switch
        {
            StepKind.Inject => Even(perS, step.Duration!.Value.TotalMilliseconds, long.MaxValue),
            StepKind.IterationsForInject => Even(perS, double.PositiveInfinity, step.Iterations!.Value),
            StepKind.RampingInject => Ramp(context.LastRatePerS, perS, step.Duration!.Value.TotalMilliseconds),
            StepKind.Poisson => Poisson(step.Rate.Value, step.Duration?.TotalMilliseconds ?? double.PositiveInfinity,
                step.Iterations ?? long.MaxValue, context.Random),
            StepKind.Gamma => Gamma(step.Rate.Value, step.Burstiness ?? 1, step.Duration?.TotalMilliseconds ?? double.PositiveInfinity,
                step.Iterations ?? long.MaxValue, context.Random),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step.Kind, "Not an open workload."),
        };
        context.LastRatePerS = step.Kind is StepKind.Poisson or StepKind.Gamma ? step.Rate.Value : perS;
        return schedule;
    }

    /// <summary>Evenly spaced: request k at k / rate, while before <paramref name="durationMs"/> and fewer than
    /// <paramref name="count"/>.</summary>
    public static IEnumerable<double> Even(double perS, double durationMs, long count)
    {
        var gapMs = 1000.0 / perS;
        for (long k = 0; k < count; k++)
        {
            var t = k * gapMs;
            if (t >= durationMs)
            {
                yield break;
            }

            yield return t;
        }
    }

    /// <summary>
    /// Rate rising (or falling) linearly from <paramref name="fromPerS"/> to <paramref name="toPerS"/> over the
    /// duration. The expected count by time t is N(t) = r0·t + (r1 − r0)·t²/(2D); request k is sent when N(t) = k,
    /// solving the quadratic for t.
    /// </summary>
    public static IEnumerable<double> Ramp(double fromPerS, double toPerS, double durationMs)
    {
        var d = durationMs / 1000.0;
        var a = (toPerS - fromPerS) / (2 * d);
        var b = fromPerS;
        for (long k = 1; ; k++)
        {
            double t;
            if (Math.Abs(a) < 1e-12)
            {
                t = k / b;
            }
            else
            {
                var discriminant = (b * b) + (4 * a * k);
                if (discriminant < 0)
                {
                    yield break; // a falling ramp that never reaches k requests
                }

                t = (-b + Math.Sqrt(discriminant)) / (2 * a);
            }

            if (double.IsNaN(t) || t * 1000 >= durationMs)
            {
                yield break;
            }

            yield return t * 1000;
        }
    }

    /// <summary>Poisson arrivals: exponential gaps with mean 1/rate, from a seeded generator.</summary>
    public static IEnumerable<double> Poisson(double perS, double durationMs, long count, Random random)
    {
        var t = 0.0;
        for (long k = 0; k < count; k++)
        {
            t += -Math.Log(1 - random.NextDouble()) / perS * 1000;
            if (t >= durationMs)
            {
                yield break;
            }

            yield return t;
        }
    }

    /// <summary>
    /// Gamma arrivals, vLLM's convention (<c>benchmarks/benchmark_serving.py</c>, <c>get_request</c>: with
    /// <c>burstiness</c> k, <c>theta = 1.0 / (request_rate * burstiness)</c> and each gap
    /// <c>np.random.gamma(shape=burstiness, scale=theta)</c>): gaps ~ Gamma(shape k, scale 1 / (rate·k)), so the mean gap
    /// is 1/rate whatever k, and the coefficient of variation of the gaps is 1/√k — k = 1 is Poisson (exponential gaps),
    /// k &lt; 1 burstier (clusters and lulls), k &gt; 1 more even. Drawn by <see cref="GammaSampler"/> from a seeded
    /// generator, while before <paramref name="durationMs"/> and fewer than <paramref name="count"/>.
    /// </summary>
    public static IEnumerable<double> Gamma(double perS, double burstiness, double durationMs, long count, Random random)
    {
        var scaleMs = 1000.0 / (perS * burstiness);
        var t = 0.0;
        for (long k = 0; k < count; k++)
        {
            t += GammaSampler.Next(random, burstiness, scaleMs);
            if (t >= durationMs)
            {
                yield break;
            }

            yield return t;
        }
    }
}
