using Bench.Core.Records;
using Polly;
using Outcome = Bench.Core.Records.Outcome;
using Polly.CircuitBreaker;
using Polly.Hedging;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace Bench.Core.Resilience;

/// <summary>
/// Builds a cell's Polly pipeline from its <see cref="ResiliencePolicy"/>, every strategy on the run clock's
/// <see cref="TimeProvider"/>. Order, outermost first (each strategy wraps the ones after it):
/// </summary>
/// <remarks>
/// <list type="number">
/// <item><b>total timeout</b> (<c>total_timeout_s</c>): bounds everything the user waits for — attempts, back-offs and
/// limiter waits;</item>
/// <item><b>retry</b> (<c>retry</c>): each retry runs everything below again, so every retry is hedged, counted by
/// the breaker, limited and timed like the first attempt;</item>
/// <item><b>hedging</b> (<c>hedging</c>, non-streaming cells only): each hedged attempt is a full attempt below — it
/// passes the breaker, takes a limiter permit and has its own attempt timeout;</item>
/// <item>(Bench's attempt recorder: numbers each attempt and turns a refusal or a cut into its outcome);</item>
/// <item><b>circuit breaker</b> (<c>circuit_breaker</c>): outside the limiter, so an open circuit refuses at once,
/// without taking or waiting for a permit; it counts the endpoint's failures (not the client's refusals);</item>
/// <item><b>rate limiter</b> (<c>rate_limiter</c>): outside the attempt timeout, so waiting for a permit does not eat
/// the attempt's time (the total timeout bounds it);</item>
/// <item><b>attempt timeout</b> (<c>attempt_timeout_s</c>): innermost, around the send alone.</item>
/// </list>
/// <para>Polly's bounds: a timeout is kept within 10 ms – 1 day, a back-off within 0 – 1 day, a breaker's sampling
/// and break within 0.5 s – 1 day (the scenario's own bounds for them).</para>
/// </remarks>
internal static class PolicyPipeline
{
    /// <summary>The logical request's <see cref="AttemptLog"/>.</summary>
    public static readonly ResiliencePropertyKey<AttemptLog> LogKey = new("bench.attempt-log");

    /// <summary>The running attempt's <see cref="AttemptSlot"/> (each hedged attempt has its own context).</summary>
    public static readonly ResiliencePropertyKey<AttemptSlot> SlotKey = new("bench.attempt-slot");

    /// <summary>Set on a hedged attempt's context.</summary>
    public static readonly ResiliencePropertyKey<bool> HedgedKey = new("bench.hedged");

    private static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxPollyTime = TimeSpan.FromDays(1);
    private static readonly TimeSpan MinBreakerTime = TimeSpan.FromMilliseconds(500);

    /// <summary>Builds the pipeline.</summary>
    public static ResiliencePipeline<RequestRecord> Build(ResiliencePolicy policy, Mode mode, RunClock clock, ClientRateLimiter? limiter)
    {
        var builder = new ResiliencePipelineBuilder<RequestRecord> { TimeProvider = clock.Timers, Name = policy.Name };
        if (policy.TotalTimeoutS is { } totalS)
        {
            builder.AddTimeout(Clamp(TimeSpan.FromSeconds(totalS), MinTimeout, MaxPollyTime));
            builder.AddStrategy(_ => new TotalTimeoutWatch(), new StrategyOptions("total-timeout-watch"));
        }

        var retryOn = (policy.Retry?.RetryOn ?? RetrySpec.DefaultRetryOn).ToHashSet();
        if (policy.Retry is { MaxRetries: > 0 } retry)
        {
            builder.AddRetry(RetryOptions(retry, retryOn));
        }

        if (policy.Hedging is { } hedging && mode == Mode.NonStreaming)
        {
            builder.AddHedging(new HedgingStrategyOptions<RequestRecord>
            {
                Delay = Clamp(TimeSpan.FromMilliseconds(hedging.DelayMs), TimeSpan.Zero, MaxPollyTime),
                MaxHedgedAttempts = hedging.MaxHedgedAttempts,
                ShouldHandle = args => new(args.Outcome.Result is { } record && retryOn.Contains(record.Outcome)),
                ActionGenerator = args =>
                {
                    args.ActionContext.Properties.Set(HedgedKey, true);
                    return () => args.Callback(args.ActionContext);
                },
            });
        }

        builder.AddStrategy(_ => new AttemptRecorder(clock, policy), new StrategyOptions("attempt-recorder"));
        if (policy.CircuitBreaker is { } breaker)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<RequestRecord>
            {
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = Clamp(TimeSpan.FromSeconds(breaker.SamplingS), MinBreakerTime, MaxPollyTime),
                BreakDuration = Clamp(TimeSpan.FromSeconds(breaker.BreakS), MinBreakerTime, MaxPollyTime),
                ShouldHandle = args => new(args.Outcome switch
                {
                    { Exception: TimeoutRejectedException } => true,
                    { Result: { } record } => IsEndpointFailure(record.Outcome),
                    _ => false,
                }),
            });
        }

        if (limiter is not null)
        {
            builder.AddRateLimiter(new RateLimiterStrategyOptions { RateLimiter = args => limiter.AcquireAsync(args.Context.CancellationToken) });
        }

        if (policy.AttemptTimeoutS is { } attemptS)
        {
            builder.AddTimeout(Clamp(TimeSpan.FromSeconds(attemptS), MinTimeout, MaxPollyTime));
        }

        return builder.Build();
    }

    /// <summary>A failure the endpoint caused, which the breaker counts: not the client's refusals, its own machine's
    /// failures, a bad request (4xx other than 429) or a cancellation.</summary>
    public static bool IsEndpointFailure(Outcome outcome) =>
        outcome is not (Outcome.Success or Outcome.ClientError or Outcome.LocalError or Outcome.ClientRejected
            or Outcome.Cancelled or Outcome.Dropped);

    private static RetryStrategyOptions<RequestRecord> RetryOptions(RetrySpec retry, HashSet<Outcome> retryOn) => new()
    {
        MaxRetryAttempts = retry.MaxRetries,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = retry.Jitter,
        Delay = Clamp(TimeSpan.FromMilliseconds(retry.BaseDelayMs), TimeSpan.Zero, MaxPollyTime),
        MaxDelay = Clamp(TimeSpan.FromMilliseconds(retry.MaxDelayMs), TimeSpan.Zero, MaxPollyTime),
        ShouldHandle = args => new(args.Outcome.Result is { } record && retryOn.Contains(record.Outcome)
            && !(retry.HonourRetryAfter && ResilientSender.ServerAskedWaitMs(record) > retry.MaxDelayMs)),
        DelayGenerator = retry.HonourRetryAfter
            ? args =>
            {
                var log = args.Context.Properties.GetValue(LogKey, null!);
                var asked = args.Outcome.Result is { } record ? ResilientSender.ServerAskedWaitMs(record) : null;
                log.NextDelayFromServer = asked is not null;
                return new(asked is { } ms ? TimeSpan.FromMilliseconds(ms) : null);
            }
            : null,
        OnRetry = args =>
        {
            var log = args.Context.Properties.GetValue(LogKey, null!);
            log.RetryScheduled(args.RetryDelay.TotalMilliseconds, retry.HonourRetryAfter && log.NextDelayFromServer);
            return default;
        },
    };

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;

    /// <summary>Options of Bench's own strategies (they have none but a name).</summary>
    private sealed class StrategyOptions : ResilienceStrategyOptions
    {
        public StrategyOptions(string name) => Name = name;
    }

    /// <summary>Just inside the total timeout: keeps its token, so an attempt cut by it is told from a hedging loser.</summary>
    private sealed class TotalTimeoutWatch : ResilienceStrategy<RequestRecord>
    {
        protected override ValueTask<Outcome<RequestRecord>> ExecuteCore<TState>(
            Func<ResilienceContext, TState, ValueTask<Outcome<RequestRecord>>> callback, ResilienceContext context, TState state)
        {
            context.Properties.GetValue(LogKey, null!).TotalTimeoutToken = context.CancellationToken;
            return callback(context, state);
        }
    }

    /// <summary>
    /// Around each attempt, outside the breaker, limiter and attempt timeout: begins its slot (number, back-off waited
    /// before it), and when it ends keeps its record — the client's, or one for an attempt refused by the open circuit
    /// or the full limiter queue (<see cref="Outcome.ClientRejected"/>, returned as a result so the retry judges it by
    /// <c>retry_on</c>), cut by the attempt timeout (<see cref="Outcome.Timeout"/>, a result), or cut by a cancellation:
    /// the total timeout's (<see cref="Outcome.Timeout"/>) or hedging's (<see cref="Outcome.Cancelled"/>, the loser),
    /// whose exception goes on so Polly's outer strategies see the cancellation.
    /// </summary>
    private sealed class AttemptRecorder(RunClock clock, ResiliencePolicy policy) : ResilienceStrategy<RequestRecord>
    {
        protected override async ValueTask<Outcome<RequestRecord>> ExecuteCore<TState>(
            Func<ResilienceContext, TState, ValueTask<Outcome<RequestRecord>>> callback, ResilienceContext context, TState state)
        {
            var log = context.Properties.GetValue(LogKey, null!);
            var slot = log.Begin(context.Properties.GetValue(HedgedKey, false), clock.NowMs());
            context.Properties.Set(SlotKey, slot);
            Outcome<RequestRecord> outcome;
            try
            {
                outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
            }
#pragma warning disable CA1031 // Polly's strategies turn every exception into an outcome
            catch (Exception ex)
#pragma warning restore CA1031
            {
                outcome = Polly.Outcome.FromException<RequestRecord>(ex);
            }

            var now = clock.NowMs();
            var sent = slot.SentMs ?? slot.BeganMs;
            switch (outcome.Exception)
            {
                case null:
                    slot.Record = outcome.Result;
                    return outcome;
                case BrokenCircuitException:
                    slot.Record = log.NotFinished(Outcome.ClientRejected, slot.BeganMs, now,
                        $"The circuit breaker of policy {policy.Name} is open: the attempt was not sent.");
                    return Polly.Outcome.FromResult(slot.Record);
                case RateLimiterRejectedException:
                    slot.Record = log.NotFinished(Outcome.ClientRejected, slot.BeganMs, now,
                        $"The client-side rate limiter of policy {policy.Name} has its queue full: the attempt was not sent.");
                    return Polly.Outcome.FromResult(slot.Record);
                case TimeoutRejectedException:
                    slot.Record = log.NotFinished(Outcome.Timeout, sent, now,
                        $"No complete response within the attempt timeout of {ResilientSender.Seconds(policy.AttemptTimeoutS)} s (policy {policy.Name}).");
                    return Polly.Outcome.FromResult(slot.Record);
                case OperationCanceledException when log.TotalTimeoutToken.IsCancellationRequested && !log.RunToken.IsCancellationRequested:
                    slot.Record = log.NotFinished(Outcome.Timeout, sent, now,
                        $"No complete response within the total timeout of {ResilientSender.Seconds(policy.TotalTimeoutS)} s (policy {policy.Name})"
                        + (slot.SentMs is null ? ", waiting for the client-side rate limiter: never sent." : "."));
                    return outcome;
                case OperationCanceledException when log.RunToken.IsCancellationRequested:
                    slot.Record = log.NotFinished(Outcome.Cancelled, sent, now, "cancelled: the run was interrupted while the request was in flight");
                    return outcome;
                case OperationCanceledException:
                    slot.Record = log.NotFinished(Outcome.Cancelled, sent, now, "Cancelled by hedging: another attempt answered first.");
                    return outcome;
                default:
                    slot.Record = log.NotFinished(Outcome.LocalError, sent, now, $"Bench failed the attempt: {outcome.Exception.GetType().Name}.");
                    return outcome;
            }
        }
    }
}
