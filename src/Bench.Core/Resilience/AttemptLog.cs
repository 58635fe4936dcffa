using Bench.Core.Client;
using Bench.Core.Records;

namespace Bench.Core.Resilience;

/// <summary>
/// What one logical request did under its policy, filled in by the pipeline's callbacks while it runs: every attempt in
/// the order begun (hedged attempts run at once, so it is locked), the back-off asked before the next attempt, and the
/// token that the total timeout cancels. One per <see cref="ResilientSender.SendAsync"/>; carried in the
/// <c>ResilienceContext</c>'s properties (hedged attempts get copies of the context that share it).
/// </summary>
internal sealed class AttemptLog(double startMs, ChatRequest request, RequestContext context, CancellationToken runToken)
{
    private readonly Lock _lock = new();
    private readonly List<AttemptSlot> _slots = [];
    private double _pendingBackoffMs;
    private bool _pendingServerDelay;

    /// <summary>When the logical request began (ms on the run clock), before any limiter wait.</summary>
    public double StartMs { get; } = startMs;

    /// <summary>The request sent at each attempt.</summary>
    public ChatRequest Request { get; } = request;

    /// <summary>The logical request's context (its id, phase, intended time); each attempt gets its number.</summary>
    public RequestContext Context { get; } = context;

    /// <summary>The run's own cancellation (Ctrl-C): it alone makes the send throw.</summary>
    public CancellationToken RunToken { get; } = runToken;

    /// <summary>The total timeout's token (the context's token just inside it); <see langword="default"/> without one.</summary>
    public CancellationToken TotalTimeoutToken { get; set; }

    /// <summary>Whether the wait the retry strategy is about to ask for came from the server (set by its delay
    /// generator, read by its <c>OnRetry</c>).</summary>
    public bool NextDelayFromServer { get; set; }

    /// <summary>Total waited between attempts, ms.</summary>
    public double BackoffMs { get; private set; }

    /// <summary>The attempts begun so far, in order.</summary>
    public IReadOnlyList<AttemptSlot> Slots
    {
        get
        {
            lock (_lock)
            {
                return [.. _slots];
            }
        }
    }

    /// <summary>A record for an attempt the client did not finish or never got: refused by the breaker or the limiter,
    /// or cut by a timeout or by hedging. No response, no tokens.</summary>
    public RequestRecord NotFinished(Outcome outcome, double sentMs, double endMs, string message) => new()
    {
        Id = Context.Id,
        Model = Request.Model,
        Mode = Request.Mode,
        Phase = Context.Phase ?? Phases.Measure,
        IntendedMs = Context.IntendedMs,
        SentMs = sentMs,
        EndMs = endMs,
        Outcome = outcome,
        Error = new ErrorInfo(Names.Of(outcome), null, message),
    };

    /// <summary>The retry strategy is about to wait <paramref name="delayMs"/> before the next attempt.</summary>
    public void RetryScheduled(double delayMs, bool fromServer)
    {
        lock (_lock)
        {
            _pendingBackoffMs = delayMs;
            _pendingServerDelay = fromServer;
        }
    }

    /// <summary>An attempt begins (before the breaker and the limiter): numbered in order, given the back-off waited
    /// before it.</summary>
    public AttemptSlot Begin(bool hedged, double nowMs)
    {
        lock (_lock)
        {
            var slot = new AttemptSlot(_slots.Count + 1, hedged, nowMs, _pendingBackoffMs, _pendingServerDelay);
            BackoffMs += _pendingBackoffMs;
            _pendingBackoffMs = 0;
            _pendingServerDelay = false;
            _slots.Add(slot);
            return slot;
        }
    }
}

/// <summary>One attempt of a logical request while it runs: its number, when it began and was sent, and its record once
/// it ended (the client's, or one made for an attempt refused or cut).</summary>
internal sealed class AttemptSlot(int number, bool hedged, double beganMs, double backoffMs, bool serverDelay)
{
    /// <summary>1, 2, ... in the order begun.</summary>
    public int Number { get; } = number;

    /// <summary>Sent while an earlier attempt was still running (hedging).</summary>
    public bool Hedged { get; } = hedged;

    /// <summary>When it began, before the breaker and the limiter (ms on the run clock).</summary>
    public double BeganMs { get; } = beganMs;

    /// <summary>Waited before it (back-off or the server's ask), ms.</summary>
    public double BackoffMs { get; } = backoffMs;

    /// <summary>Whether that wait was the server's ask.</summary>
    public bool ServerDelay { get; } = serverDelay;

    /// <summary>When it was handed to the client (past the breaker and the limiter); null when it never was.</summary>
    public double? SentMs { get; set; }

    /// <summary>Its record once it ended.</summary>
    public RequestRecord? Record { get; set; }

    /// <summary>Time spent past the breaker waiting for the limiter, ms (0 when it was never sent or there was no wait).</summary>
    public double LimiterWaitMs => SentMs is { } sent ? Math.Max(0, sent - BeganMs) : 0;

    /// <summary>The attempt as <c>records.jsonl</c> keeps it.</summary>
    public AttemptRecord ToAttemptRecord()
    {
        var record = Record ?? throw new InvalidOperationException($"Attempt {Number} has not ended.");
        return new AttemptRecord
        {
            Number = Number,
            Hedged = Hedged,
            BackoffMs = BackoffMs,
            ServerDelay = ServerDelay,
            SentMs = record.SentMs,
            HeadersMs = record.HeadersMs,
            FirstByteMs = record.FirstByteMs,
            FirstTokenMs = record.FirstTokenMs,
            EndMs = record.EndMs,
            HttpStatus = record.HttpStatus,
            Outcome = record.Outcome,
            Error = record.Error,
            PromptTokens = record.PromptTokens,
            CompletionTokens = record.CompletionTokens,
            CachedTokens = record.CachedTokens,
            TokensSource = record.TokensSource,
            RateLimit = record.RateLimit,
            ConnectionRetried = record.ConnectionRetried,
        };
    }
}
