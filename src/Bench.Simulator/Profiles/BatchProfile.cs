using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Bench.Core.Configuration;

namespace Bench.Simulator.Profiles;

/// <summary>
/// How the simulator's Batch API turns one model's batches around: the profile's optional <c>batch</c> section, e.g.
/// <c>"batch": { "queue_delay_s": { "median": 120, "p95": 900 }, "lines_per_minute": 600, "line_failure_rate": 0.0004,
/// "finalize_s": 30 }</c>. A profile without one gets <see cref="Default"/>.
/// </summary>
/// <remarks>
/// A batch's timeline in simulated seconds from its <c>created_at</c>: <c>validating</c> for a queue delay drawn from
/// <see cref="QueueDelayS"/> (validation and queueing; a file that fails validation is <c>failed</c> at that moment,
/// timed by the profile of the first served model its lines name, else by <see cref="Default"/>),
/// then <c>in_progress</c> with its lines finishing one every <c>60 / lines_per_minute</c> seconds in a seeded
/// shuffled order, then <c>finalizing</c> for <see cref="FinalizeS"/>, then <c>completed</c>. Each line fails with
/// probability <see cref="LineFailureRate"/> (an HTTP 500 line in the error file). OpenAI states only that a batch
/// completes "within 24 hours, often faster" (platform.openai.com/docs/guides/batch): every figure here is an
/// assumption unless the profile's comment cites an observation.
/// </remarks>
public sealed record BatchProfile : IConfigValidatable
{
    /// <summary>The turnaround of a profile without a <c>batch</c> section (an assumption, not an observation): queue
    /// median 60 s, p95 600 s; 600 lines per minute; no line failures; 30 s to finalize; no enqueued-token
    /// limit.</summary>
    public static BatchProfile Default { get; } = new()
    {
        QueueDelayS = new BatchQueueDelay(60, 600),
        LinesPerMinute = 600,
        LineFailureRate = 0,
        FinalizeS = 30,
    };

    /// <summary>Time from creation to <c>in_progress</c> (validation and queueing), in simulated seconds: a
    /// log-normal given by its median and p95. JSON <c>queue_delay_s</c>.</summary>
    public required BatchQueueDelay QueueDelayS { get; init; }

    /// <summary>Processing throughput once in progress: lines finished per simulated minute (&gt; 0). JSON
    /// <c>lines_per_minute</c>.</summary>
    [Range(0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be a finite number of lines per minute > 0")]
    public required double LinesPerMinute { get; init; }

    /// <summary>Probability in [0, 1] that a line fails with HTTP 500 <c>server_error</c> (a <c>response</c> with that
    /// status and an error body, in the error file). A 500 rather than a 429: a batch line is not admitted against the
    /// per-minute RPM/TPM limits that answer 429 synchronously (OpenAI limits batches by enqueued tokens when they are
    /// created, <see cref="MaxEnqueuedTokens"/>), so its failure is the server's. JSON <c>line_failure_rate</c>;
    /// default 0.</summary>
    [Range(0.0, 1.0, ErrorMessage = "must be a probability in [0, 1]")]
    public double LineFailureRate { get; init; }

    /// <summary>Simulated seconds from the last line to <c>completed</c> (writing the output files), also the time
    /// from <c>cancelling</c> to <c>cancelled</c>. JSON <c>finalize_s</c>; default 30.</summary>
    [Range(0, double.MaxValue, ErrorMessage = "must be a finite number of seconds ≥ 0")]
    public double FinalizeS { get; init; } = 30;

    /// <summary>OpenAI's per-model enqueued token limit: a batch whose lines' prompt plus <c>max_tokens</c>, added to
    /// those of the model's batches still validating or in progress, exceed it fails validation with
    /// <c>token_limit_exceeded</c>. JSON <c>max_enqueued_tokens</c> (at most 2,147,483,647); default none.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be an integer ≥ 1")]
    public int? MaxEnqueuedTokens { get; init; }

    /// <summary>The queue delay's median must be finite and &gt; 0 and its p95 at least the median.</summary>
    public void Validate(ConfigValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (validation.Unreadable(nameof(QueueDelayS)) || validation.Given(nameof(QueueDelayS)) == false)
        {
            return;
        }

        var queue = validation.Child(nameof(QueueDelayS));
        if (!(QueueDelayS.Median > 0) || !double.IsFinite(QueueDelayS.Median))
        {
            queue.Error(nameof(BatchQueueDelay.Median), "must be a finite number of seconds > 0");
        }
        else if (!(QueueDelayS.P95 >= QueueDelayS.Median) || !double.IsFinite(QueueDelayS.P95))
        {
            queue.Error(nameof(BatchQueueDelay.P95), "must be a finite number of seconds ≥ the median");
        }
    }
}

/// <summary>A batch's queue delay in simulated seconds, log-normal: <c>mu = ln(median)</c>,
/// <c>sigma = ln(p95 / median) / 1.6449</c> (a p95 equal to the median gives a fixed delay). JSON
/// <c>{ "median": 120, "p95": 900 }</c>.</summary>
/// <param name="Median">Median seconds (&gt; 0).</param>
/// <param name="P95">95th percentile seconds (≥ the median).</param>
public readonly record struct BatchQueueDelay(
    [property: JsonPropertyName("median")] double Median,
    [property: JsonPropertyName("p95")] double P95)
{
    /// <summary>The fitted distribution.</summary>
    public LogNormal Distribution => new(Math.Log(Median), Math.Log(P95 / Median) / LogNormal.Z95);
}
