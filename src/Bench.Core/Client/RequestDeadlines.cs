using System.Globalization;
using System.Runtime.CompilerServices;

namespace Bench.Core.Client;

/// <summary>
/// The timeouts of one request, each a timer of the run clock's <see cref="TimeProvider"/> that cancels
/// <see cref="Token"/> and says which one fired (<see cref="Fired"/>): the whole request (send → end of response), the
/// first byte (send → first byte of the response body, so a hang before the headers and headers then silence both
/// count), and the idle gap (the longest one read of the body may wait for bytes). The caller's own cancellation also
/// cancels <see cref="Token"/>, without a reason. A cancelled read of a real socket ends at once, so on a fake clock
/// a timeout fires when the test moves time, without any real waiting.
/// </summary>
internal sealed class RequestDeadlines : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly CancellationTokenRegistration _caller;
    private readonly ITimer _overall;
    private readonly ITimer? _firstByte;
    private readonly ITimer? _idle;
    private readonly TimeSpan _overallTimeout;
    private readonly TimeSpan? _firstByteTimeout;
    private readonly TimeSpan? _idleTimeout;
    private readonly TimeProvider _time;
    private string? _fired;
    private bool _firstByteSeen;

    // The idle timer is lazy: a read notes when it started (NoRead when none is waiting) and the timer, once armed,
    // checks on firing how long the waiting read has waited, firing the timeout or re-arming for the rest. A read then
    // costs a timestamp, not two timer changes (each takes the timer queue's lock).
    private const long NoRead = long.MinValue;
    private long _readStarted = NoRead;
    private bool _idleArmed;

    /// <summary>Creates the timers, not yet running (<see cref="Start"/>).</summary>
    public RequestDeadlines(TimeProvider time, TimeSpan overall, TimeSpan? firstByte, TimeSpan? idle, CancellationToken caller)
    {
        _overallTimeout = overall;
        _firstByteTimeout = firstByte;
        _idleTimeout = idle;
        _overall = time.CreateTimer(static s => ((RequestDeadlines)s!).Fire(Kind.Overall), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _firstByte = firstByte is null ? null : time.CreateTimer(static s => ((RequestDeadlines)s!).Fire(Kind.FirstByte), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _time = time;
        _idle = idle is null ? null : time.CreateTimer(static s => ((RequestDeadlines)s!).IdleCheck(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _caller = caller.UnsafeRegister(static s => ((RequestDeadlines)s!).Cancel(), this);
    }

    private enum Kind
    {
        Overall,
        FirstByte,
        Idle,
    }

    /// <summary>Cancelled when a timeout fires or the caller cancels.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The message of the timeout that fired first ("No first byte within 5 s (first-byte timeout)."), or
    /// <see langword="null"/> while none has.</summary>
    public string? Fired => Volatile.Read(ref _fired);

    /// <summary>The request is being sent: the overall and first-byte timers start.</summary>
    public void Start()
    {
        _overall.Change(_overallTimeout, Timeout.InfiniteTimeSpan);
        if (_firstByteTimeout is { } firstByte)
        {
            _firstByte!.Change(firstByte, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Wraps the response body so that each read runs under the first-byte and idle timeouts.</summary>
    public Stream Watch(Stream body) => _firstByte is null && _idle is null ? body : new DeadlineStream(body, this);

    public void Dispose()
    {
        _caller.Dispose();
        _overall.Dispose();
        _firstByte?.Dispose();
        _idle?.Dispose();
        _cancel.Dispose();
    }

    private void ReadStarting()
    {
        if (_idleTimeout is { } idle)
        {
            Volatile.Write(ref _readStarted, _time.GetTimestamp());
            if (!_idleArmed)
            {
                _idleArmed = true;
                _idle!.Change(idle, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void ReadEnded()
    {
        if (_idle is not null)
        {
            Volatile.Write(ref _readStarted, NoRead);
        }

        if (!_firstByteSeen)
        {
            _firstByteSeen = true;
            _firstByte?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The idle timer fired: a read that has waited the whole idle timeout fires it; otherwise the timer waits
    /// for the rest of the waiting read's timeout, or a whole timeout when no read is waiting.</summary>
    private void IdleCheck()
    {
        var idle = _idleTimeout!.Value;
        var started = Volatile.Read(ref _readStarted);
        var waited = started == NoRead ? TimeSpan.Zero : _time.GetElapsedTime(started);
        if (started != NoRead && waited >= idle)
        {
            Fire(Kind.Idle);
            return;
        }

        try
        {
            _idle!.Change(idle - waited, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The request ended while the timer fired.
        }
    }

    private void Fire(Kind kind)
    {
        var message = kind switch
        {
            Kind.FirstByte => $"No first byte within {Seconds(_firstByteTimeout!.Value)} s (first-byte timeout).",
            Kind.Idle => $"No response byte for {Seconds(_idleTimeout!.Value)} s (idle timeout).",
            _ => $"No complete response within {Seconds(_overallTimeout)} s.",
        };
        if (Interlocked.CompareExchange(ref _fired, message, null) is null)
        {
            Cancel();
        }
    }

    private void Cancel()
    {
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The request ended while the timer fired.
        }
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A response body whose reads start the idle timer and whose first completed read stops the first-byte
    /// timer; read-only (<see cref="Wire.ReadOnlyStream"/>).</summary>
    private sealed class DeadlineStream(Stream inner, RequestDeadlines deadlines) : Wire.ReadOnlyStream
    {
        public override int Read(Span<byte> buffer)
        {
            deadlines.ReadStarting();
            try
            {
                return inner.Read(buffer);
            }
            finally
            {
                deadlines.ReadEnded();
            }
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            deadlines.ReadStarting();
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                deadlines.ReadEnded();
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
