using System.Threading.RateLimiting;

namespace Bench.Core.Resilience;

/// <summary>
/// The client-side RPM/TPM limiter of one cell (<see cref="ClientRateLimitSpec"/>), handed to Polly.RateLimiting as its
/// <c>RateLimiter</c>: each attempt takes 1 request and its tokens (prompt tokens plus <c>max_tokens</c>), the requests
/// limit first. Waits queue in order (oldest first, System.Threading.RateLimiting's queue); past the queue the attempt
/// is refused.
/// </summary>
/// <remarks>
/// <para>Each limit is a <see cref="ConcurrencyLimiter"/> of <c>C</c> permits whose leases are held for
/// <c>H = C × 60 s / limit</c> on the run clock (a timer of the injected <see cref="TimeProvider"/> returns each lease
/// <c>H</c> after it was taken): in any window of <c>H</c> at most <c>C</c> permits are taken, the limit's rate
/// exactly. <c>C</c> is the smallest number of permits that keeps <c>H</c> at or above <see cref="MinHold"/> (the tokens
/// limit at least one attempt's tokens): a steady pace, no burst of a whole minute's permits.</para>
/// <para>Why not System.Threading.RateLimiting's token bucket: its refill is measured with
/// <c>Stopwatch.GetTimestamp</c> even when <c>AutoReplenishment</c> is off and <c>TryReplenish</c> is called by the
/// caller's timer, so it would not move on a fake clock (and a test could not assert exact times).</para>
/// <para>A requests permit taken by an attempt that is then refused tokens is not given back early; with a queue
/// that is rare.</para>
/// </remarks>
internal sealed class ClientRateLimiter : IDisposable
{
    /// <summary>The shortest time a lease is held.</summary>
    public static readonly TimeSpan MinHold = TimeSpan.FromMilliseconds(50);

    private readonly TimeProvider _time;
    private readonly Limit? _requests;
    private readonly Limit? _tokens;
    private readonly int _tokensPerAttempt;

    /// <summary>Creates the limits on <paramref name="time"/>.</summary>
    /// <param name="spec">The limits.</param>
    /// <param name="tokensPerAttempt">Tokens each attempt takes (prompt plus <c>max_tokens</c>), at least 1.</param>
    /// <param name="time">The run clock's provider.</param>
    public ClientRateLimiter(ClientRateLimitSpec spec, int tokensPerAttempt, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _tokensPerAttempt = Math.Max(1, tokensPerAttempt);
        if (spec.Rpm is { } rpm)
        {
            _requests = Limit.Create(rpm, minimumCapacity: 1, queuePermits: spec.Queue);
        }

        if (spec.Tpm is { } tpm)
        {
            _tokens = Limit.Create(tpm, minimumCapacity: _tokensPerAttempt, queuePermits: (int)Math.Min(int.MaxValue, (long)spec.Queue * _tokensPerAttempt));
        }
    }

    /// <summary>Polly.RateLimiting's <c>RateLimiter</c>: a lease for one attempt, or a refused one.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken)
    {
        foreach (var (limit, permits) in new[] { (_requests, 1), (_tokens, _tokensPerAttempt) })
        {
            if (limit is null)
            {
                continue;
            }

            var lease = await limit.Limiter.AcquireAsync(permits, cancellationToken).ConfigureAwait(false);
            if (!lease.IsAcquired)
            {
                return lease;
            }

            // Polly disposes the lease it is given when the attempt ends: the permits are returned by the clock instead.
            Return.After(lease, limit.Hold, _time);
        }

        return Granted.Instance;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _requests?.Limiter.Dispose();
        _tokens?.Limiter.Dispose();
    }

    private sealed record Limit(ConcurrencyLimiter Limiter, TimeSpan Hold)
    {
        public static Limit Create(int perMinute, int minimumCapacity, int queuePermits)
        {
            var ticksPerPermit = TimeSpan.FromMinutes(1).Ticks / (double)perMinute;
            var capacity = (int)Math.Max(minimumCapacity, Math.Ceiling(MinHold.Ticks / ticksPerPermit));
            var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = capacity,
                QueueLimit = queuePermits,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
            // Every lease, whatever its size, is held H = C × 60 s / limit: C permits per H.
            return new Limit(limiter, TimeSpan.FromTicks((long)Math.Round(ticksPerPermit * capacity)));
        }
    }

    /// <summary>Returns a lease's permits when its timer fires.</summary>
    private sealed class Return
    {
        private readonly RateLimitLease _lease;
        private ITimer? _timer;
        private int _fired;

        private Return(RateLimitLease lease) => _lease = lease;

        public static void After(RateLimitLease lease, TimeSpan hold, TimeProvider time)
        {
            var release = new Return(lease);
            release._timer = time.CreateTimer(static state => ((Return)state!).Fire(), release, hold, Timeout.InfiniteTimeSpan);
            if (Volatile.Read(ref release._fired) == 1)
            {
                release._timer.Dispose();
            }
        }

        private void Fire()
        {
            Interlocked.Exchange(ref _fired, 1);
            _lease.Dispose();
            _timer?.Dispose();
        }
    }

    /// <summary>What Polly is handed for an attempt let through.</summary>
    private sealed class Granted : RateLimitLease
    {
        public static readonly Granted Instance = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
