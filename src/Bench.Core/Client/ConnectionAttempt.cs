namespace Bench.Core.Client;

/// <summary>
/// One attempt to send a request on a connection of <see cref="BenchHttpClient"/>: whether the request was written to
/// a connection, whether that connection had carried an earlier request (a reused, pooled connection), and whether any
/// byte came back after it was written. The attempt is the <see cref="Current"/> one while its request goes through the
/// handler (an <see cref="AsyncLocal{T}"/> flows with the request's own calls down to the socket writes); the
/// connection's <see cref="TrackedStream"/> binds to it at the request's first write, so the connection it names is the
/// one the request really went out on, not the one whose opening it caused.
/// </summary>
internal sealed class ConnectionAttempt
{
    private static readonly AsyncLocal<ConnectionAttempt?> s_current = new();

    private int _written;
    private int _reused;
    private int _responseBytes;

    /// <summary>Creates an attempt; <paramref name="isRetry"/> marks the retry on a fresh connection.</summary>
    public ConnectionAttempt(bool isRetry = false) => IsRetry = isRetry;

    /// <summary>The attempt of the request whose calls are running here, if any.</summary>
    public static ConnectionAttempt? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    /// <summary>True for the one retry of a request whose reused connection failed before any response byte.</summary>
    public bool IsRetry { get; }

    /// <summary>True once the request's first bytes were handed to a connection.</summary>
    public bool Written => Volatile.Read(ref _written) != 0;

    /// <summary>True when that connection had carried an earlier request (taken from the pool).</summary>
    public bool Reused => Volatile.Read(ref _reused) != 0;

    /// <summary>True once any byte arrived on the connection after the request was written.</summary>
    public bool ResponseBytes => Volatile.Read(ref _responseBytes) != 0;

    /// <summary>A failure of this attempt may be retried once on a fresh connection: it was written to a reused
    /// connection (the keep-alive race: the server closed it just as it was taken from the pool) and nothing came back,
    /// so the server cannot have answered it. Never for a retry, never for a fresh connection.</summary>
    public bool MayRetry => !IsRetry && Written && Reused && !ResponseBytes;

    /// <summary>The connection's stream saw the request's first write.</summary>
    public void OnWritten(bool reused)
    {
        Volatile.Write(ref _reused, reused ? 1 : 0);
        Volatile.Write(ref _written, 1);
    }

    /// <summary>Bytes arrived on the connection after the request was written.</summary>
    public void OnResponseBytes() => Volatile.Write(ref _responseBytes, 1);
}
