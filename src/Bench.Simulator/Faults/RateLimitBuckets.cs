using System.Globalization;
using Bench.Core.Faults;

namespace Bench.Simulator.Faults;

/// <summary>
/// One model's RPM and TPM limits as token buckets on the simulator's clock, as OpenAI describes its limits: each bucket
/// holds at most its per-minute limit and refills continuously at limit / 60 per second; a request costs 1 request and
/// its prompt tokens plus its <c>max_tokens</c> tokens, and is admitted only when both buckets hold its cost (then both
/// are charged; a refused request is not). Both start full and refill at once when a new fault epoch begins
/// (<see cref="Refill"/>). Thread-safe.
/// </summary>
internal sealed class RateLimitBuckets
{
    private readonly TimeProvider _time;
    private readonly Bucket? _requests;
    private readonly Bucket? _tokens;
    private readonly Lock _lock = new();

    /// <summary>Buckets for <paramref name="spec"/>, full now.</summary>
    public RateLimitBuckets(RateLimitSpec spec, TimeProvider timeProvider)
    {
        _time = timeProvider;
        var now = timeProvider.GetTimestamp();
        _requests = spec.Rpm is { } rpm ? new Bucket(rpm, timeProvider.TimestampFrequency, now) : null;
        _tokens = spec.Tpm is { } tpm ? new Bucket(tpm, timeProvider.TimestampFrequency, now) : null;
    }

    /// <summary>Takes <c>1</c> request and <paramref name="tokens"/> tokens when both buckets hold them.</summary>
    /// <param name="tokens">The request's prompt tokens plus its <c>max_tokens</c>.</param>
    /// <returns>What to answer: the headers (after the charge, when admitted) and, when refused, which limit and how
    /// long until the bucket holds the cost.</returns>
    public Admission TryAdmit(long tokens)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _requests?.Advance(now);
            _tokens?.Advance(now);
            string? refusedBy = null;
            var waitS = 0.0;
            if (_requests is { } requests && requests.Level < 1)
            {
                refusedBy = "rpm";
                waitS = requests.SecondsUntil(1);
            }

            if (_tokens is { } tokenBucket && tokenBucket.Level < tokens)
            {
                refusedBy ??= "tpm";
                waitS = Math.Max(waitS, tokenBucket.SecondsUntil(tokens));
            }

            if (refusedBy is null)
            {
                _requests?.Take(1);
                _tokens?.Take(tokens);
            }

            return new Admission(refusedBy, waitS, _requests?.Snapshot(), _tokens?.Snapshot());
        }
    }

    /// <summary>Fills both buckets (a new fault epoch begins).</summary>
    public void Refill()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _requests?.Fill(now);
            _tokens?.Fill(now);
        }
    }

    /// <summary>A bucket's state for the headers: its limit, what is left (rounded down) and the seconds until it is
    /// full again (OpenAI's <c>x-ratelimit-reset-*</c>: "the time until the rate limit resets to its initial
    /// state").</summary>
    public readonly record struct BucketState(long Limit, long Remaining, double ResetS);

    /// <summary>The answer to <see cref="TryAdmit"/>.</summary>
    /// <param name="RefusedBy"><c>rpm</c> or <c>tpm</c> when refused (<c>rpm</c> when both), else
    /// <see langword="null"/>.</param>
    /// <param name="RetryAfterS">When refused: seconds until every refusing bucket holds the cost.</param>
    /// <param name="Requests">The request bucket, if the model has an RPM limit.</param>
    /// <param name="Tokens">The token bucket, if the model has a TPM limit.</param>
    public readonly record struct Admission(string? RefusedBy, double RetryAfterS, BucketState? Requests, BucketState? Tokens)
    {
        /// <summary>Writes OpenAI's <c>x-ratelimit-limit/remaining/reset-requests</c> and <c>-tokens</c> for the limits
        /// the model has.</summary>
        public void WriteHeaders(Microsoft.AspNetCore.Http.IHeaderDictionary headers)
        {
            Write("requests", Requests);
            Write("tokens", Tokens);

            void Write(string what, BucketState? state)
            {
                if (state is { } s)
                {
                    headers[$"x-ratelimit-limit-{what}"] = s.Limit.ToString(CultureInfo.InvariantCulture);
                    headers[$"x-ratelimit-remaining-{what}"] = s.Remaining.ToString(CultureInfo.InvariantCulture);
                    headers[$"x-ratelimit-reset-{what}"] = OpenAiDuration.Format(s.ResetS);
                }
            }
        }
    }

    private sealed class Bucket(long capacity, long frequency, long now)
    {
        private readonly double _perTick = capacity / 60.0 / frequency;
        private long _last = now;

        public double Level { get; private set; } = capacity;

        public void Advance(long now)
        {
            if (now > _last)
            {
                Level = Math.Min(capacity, Level + ((now - _last) * _perTick));
                _last = now;
            }
        }

        public void Take(double amount) => Level -= amount;

        public void Fill(long now)
        {
            Level = capacity;
            _last = now;
        }

        /// <summary>Seconds until the level reaches <paramref name="amount"/> (more than the capacity: until full).</summary>
        public double SecondsUntil(double amount) =>
            Math.Max(0, Math.Min(amount, capacity) - Level) / (_perTick * frequency);

        public BucketState Snapshot() =>
            new(capacity, (long)Math.Floor(Math.Max(0, Level)), (capacity - Level) / (_perTick * frequency));
    }
}

/// <summary>Durations as OpenAI writes them in <c>x-ratelimit-reset-*</c> (Go's <c>time.Duration</c> text:
/// <c>20ms</c>, <c>1s</c>, <c>1.5s</c>, <c>6m0s</c>, <c>1h2m3s</c>), rounded up to the millisecond.</summary>
internal static class OpenAiDuration
{
    /// <summary>Formats <paramref name="seconds"/> (≥ 0): under a second as whole milliseconds (<c>0s</c> for zero),
    /// else hours and minutes when non-zero, then seconds with up to three decimals.</summary>
    public static string Format(double seconds)
    {
        var ms = (long)Math.Ceiling(Math.Round(Math.Max(0, seconds) * 1000, 6));
        if (ms == 0)
        {
            return "0s";
        }

        if (ms < 1000)
        {
            return ms.ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var hours = ms / 3_600_000;
        var minutes = ms / 60_000 % 60;
        var secondsPart = (ms % 60_000) / 1000.0;
        var text = secondsPart.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        if (hours > 0)
        {
            return $"{hours}h{minutes}m{text}";
        }

        return minutes > 0 ? $"{minutes}m{text}" : text;
    }
}
