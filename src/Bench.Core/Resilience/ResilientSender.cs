using System.Globalization;
using System.Runtime.ExceptionServices;
using Bench.Core.Client;
using Bench.Core.Records;
using Polly;
using Outcome = Bench.Core.Records.Outcome;
using Polly.Timeout;

namespace Bench.Core.Resilience;

/// <summary>Sends one attempt and returns its record (<see cref="ChatClient.SendAsync"/>'s shape): classifies every
/// failure, throws only <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.</summary>
/// <param name="request">What to send.</param>
/// <param name="context">The logical request's id, phase and intended time, with this attempt's number
/// (<see cref="RequestContext.Attempt"/>).</param>
/// <param name="cancellationToken">Cancelled when the attempt is cut (timeout, hedging loser) or the run stops.</param>
public delegate Task<RequestRecord> AttemptSender(ChatRequest request, RequestContext context, CancellationToken cancellationToken);

/// <summary>
/// Sends logical requests of one cell under its <see cref="ResiliencePolicy"/> through a Polly pipeline
/// (<see cref="PolicyPipeline"/>) and returns ONE <see cref="RequestRecord"/> per logical request, with every attempt
/// under it. Create one per cell and dispose it after: the circuit breaker's and the limiter's state start fresh with
/// each cell.
/// </summary>
/// <remarks>
/// <para>Each attempt is sent with <see cref="RequestContext.Attempt"/> = its number and the logical request's id, so
/// the server sees <c>X-Bench-Request-Id</c> and <c>X-Bench-Attempt</c>. The record returned is the attempt's that ended
/// the request (its outcome, times, tokens, usage and rate-limit headers), except that
/// <see cref="RequestRecord.SentMs"/> is when the logical request began (before any limiter wait), and it carries
/// <see cref="RequestRecord.Policy"/>, <see cref="RequestRecord.BackoffMs"/> (total waited between attempts),
/// <see cref="RequestRecord.LimiterWaitMs"/> (total waited for the client-side limiter; with a limiter only) and
/// <see cref="RequestRecord.Attempts"/> (every attempt, when more than one was made or one was refused).</para>
/// <para>Attempts refused by the open circuit or a full limiter queue are <see cref="Outcome.ClientRejected"/>; an
/// attempt cut by the attempt or total timeout is <see cref="Outcome.Timeout"/> (as is the logical request the total
/// timeout ends), a hedging loser <see cref="Outcome.Cancelled"/>; none of them throws. Only the run's own
/// cancellation throws <see cref="OperationCanceledException"/>. An attempt cut before its end loses what it had
/// received (its record has no response times or tokens).</para>
/// <para>A policy that does nothing (<see cref="ResiliencePolicy.IsNone"/>) sends one attempt straight to the client,
/// no Polly in the way, and only names the policy in the record.</para>
/// <para>Thread-safe: one sender serves every concurrent request of its cell.</para>
/// </remarks>
public sealed class ResilientSender : IDisposable
{
    private readonly AttemptSender _send;
    private readonly RunClock _clock;
    private readonly ResiliencePipeline<RequestRecord>? _pipeline;
    private readonly ClientRateLimiter? _limiter;

    /// <summary>Builds the cell's pipeline.</summary>
    /// <param name="policy">The cell's policy.</param>
    /// <param name="mode">The cell's mode: hedging applies to non-streaming cells only.</param>
    /// <param name="clock">The run clock: record times, and (<see cref="RunClock.Timers"/>, never early) the timers of every Polly strategy
    /// and of the limiter's buckets.</param>
    /// <param name="send">Sends one attempt (<see cref="ChatClient.SendAsync"/>).</param>
    /// <param name="tokensPerAttempt">Tokens each attempt takes from the limiter's TPM bucket: prompt tokens plus
    /// <c>max_tokens</c>.</param>
    public ResilientSender(ResiliencePolicy policy, Mode mode, RunClock clock, AttemptSender send, int tokensPerAttempt)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(send);
        Policy = policy;
        _clock = clock;
        _send = send;
        Hedging = policy.Hedging is not null && mode == Mode.NonStreaming;
        if (policy.IsNone)
        {
            return;
        }

        _limiter = policy.RateLimiter is { } limits ? new ClientRateLimiter(limits, tokensPerAttempt, clock.Timers) : null;
        _pipeline = PolicyPipeline.Build(policy, mode, clock, _limiter);
    }

    /// <summary>The cell's policy.</summary>
    public ResiliencePolicy Policy { get; }

    /// <summary>Whether hedging runs in this cell: the policy has it and the cell is non-streaming (a stream's attempts
    /// are not hedged).</summary>
    public bool Hedging { get; }

    /// <summary>Sends one logical request: as many attempts as the policy makes.</summary>
    /// <param name="request">What to send at each attempt.</param>
    /// <param name="context">Id, phase and intended send time; <see cref="RequestContext.Attempt"/> is set per attempt.</param>
    /// <param name="cancellationToken">The run's cancellation.</param>
    /// <returns>The logical request's record.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<RequestRecord> SendAsync(ChatRequest request, RequestContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_pipeline is null)
        {
            var single = await _send(request, context with { Attempt = 1 }, cancellationToken).ConfigureAwait(false);
            single.Policy = Policy.Name;
            return single;
        }

        var log = new AttemptLog(_clock.NowMs(), request, context, cancellationToken);
        var resilience = ResilienceContextPool.Shared.Get(cancellationToken);
        resilience.Properties.Set(PolicyPipeline.LogKey, log);
        Outcome<RequestRecord> outcome;
        try
        {
            outcome = await _pipeline.ExecuteOutcomeAsync(SendAttemptAsync, resilience, this).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
        }

        cancellationToken.ThrowIfCancellationRequested();
        RequestRecord final;
        if (outcome.Result is { } result)
        {
            final = result;
        }
        else if (outcome.Exception is TimeoutRejectedException or OperationCanceledException)
        {
            // The total timeout ended the logical request (during an attempt, a back-off or a limiter wait).
            final = log.NotFinished(Outcome.Timeout, log.StartMs, _clock.NowMs(),
                $"No complete response within the total timeout of {Seconds(Policy.TotalTimeoutS)} s (policy {Policy.Name}).");
        }
        else
        {
            ExceptionDispatchInfo.Throw(outcome.Exception!);
            throw new InvalidOperationException("unreachable");
        }

        return Assemble(final, log);
    }

    /// <summary>The wait the server asked for before another attempt, in ms: <c>retry-after-ms</c> or
    /// <c>Retry-After</c>; else, on a 429, the <c>x-ratelimit-reset-*</c> of the limit whose remaining is 0 (the longer
    /// when both are). Null when it asked for none.</summary>
    public static double? ServerAskedWaitMs(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.RateLimit is not { } limits)
        {
            return null;
        }

        if (limits.RetryAfterMs is { } retryAfter)
        {
            return retryAfter;
        }

        if (record.HttpStatus != 429)
        {
            return null;
        }

        double? wait = null;
        if (limits.RemainingRequests == 0 && limits.ResetRequestsMs is { } requests)
        {
            wait = requests;
        }

        if (limits.RemainingTokens == 0 && limits.ResetTokensMs is { } tokens)
        {
            wait = Math.Max(wait ?? 0, tokens);
        }

        return wait;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _limiter?.Dispose();
    }

    internal static string Seconds(double? seconds) => (seconds ?? 0).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>The innermost callback: one attempt through the client, numbered by its slot.</summary>
    private static async ValueTask<Outcome<RequestRecord>> SendAttemptAsync(ResilienceContext resilience, ResilientSender sender)
    {
        var log = resilience.Properties.GetValue(PolicyPipeline.LogKey, null!);
        var slot = resilience.Properties.GetValue(PolicyPipeline.SlotKey, null!);
        slot.SentMs = sender._clock.NowMs();
        var record = await sender._send(log.Request, log.Context with { Attempt = slot.Number }, resilience.CancellationToken).ConfigureAwait(false);
        return Polly.Outcome.FromResult(record);
    }

    /// <summary>The logical record: the final attempt's, with the request's start, policy, waits and attempts. The
    /// attempts are copied before the final record (one of them) is changed.</summary>
    private RequestRecord Assemble(RequestRecord final, AttemptLog log)
    {
        var slots = log.Slots.Where(s => s.Record is not null).ToList();
        var attempts = slots.Select(s => s.ToAttemptRecord()).ToList();
        final.SentMs = log.StartMs;
        final.Policy = Policy.Name;
        final.BackoffMs = log.BackoffMs > 0 ? log.BackoffMs : null;
        final.LimiterWaitMs = _limiter is null ? null : slots.Sum(s => s.LimiterWaitMs);
        final.Attempts = attempts.Count > 1 || attempts.Any(a => a.Outcome == Outcome.ClientRejected) ? attempts : null;
        return final;
    }
}
