namespace Bench.Core.Client;

/// <summary>
/// Retries, once and on a fresh connection, a request whose reused pooled connection failed before any response byte:
/// the keep-alive race, where a server closes a connection (FIN or RST) after a response while advertising
/// <c>Connection: keep-alive</c>, and the pool hands that connection to the next request before the close arrives. The
/// server never received that request, so its failure is not the server's.
/// </summary>
/// <remarks>
/// <para>Why SocketsHttpHandler does not retry it itself: it retries a failure on a reused connection
/// (<c>RequestRetryType.RetryOnConnectionFailure</c>) only when the connection read EOF before any response byte AND
/// the request had no body (or an <c>Expect: 100-continue</c> body not yet released): <c>HttpConnection.SendAsync</c>
/// sets <c>_canRetry</c> only then. A chat completion is a POST whose body is written with its headers, so a reset or
/// EOF after it reaches a half-closed socket ("The response ended prematurely", "Connection reset by peer") fails the
/// request. Its read-ahead check when taking a connection from the pool only catches a close that has already
/// arrived.</para>
/// <para>What is retried: a failure (<see cref="HttpRequestException"/> or <see cref="IOException"/>, never a
/// cancellation or timeout) of an attempt whose request was written to a connection that had carried an earlier
/// request, with no byte received after it (<see cref="ConnectionAttempt.MayRetry"/>, known from the connection's
/// <see cref="TrackedStream"/>, not from exception text). The retry goes through a second handler that never pools
/// (<see cref="SocketsHttpHandler.PooledConnectionLifetime"/> zero), so it always opens a fresh connection, and is
/// never retried again. A failure on a fresh connection (a refused port, a reset of a new connection) is never
/// retried. The request's <see cref="HttpRequestMessage.Options"/> carry the last attempt
/// (<see cref="AttemptKey"/>), so <see cref="ChatClient"/> can note the retry in the record.</para>
/// </remarks>
internal sealed class KeepAliveRetryHandler : DelegatingHandler
{
    /// <summary>The request's last <see cref="ConnectionAttempt"/>.</summary>
    public static readonly HttpRequestOptionsKey<ConnectionAttempt> AttemptKey = new("Bench.ConnectionAttempt");

    /// <summary>Set to true on a request that must never be sent twice (a batch creation, a file upload): its failure
    /// is returned as it is, since the server may have acted on it before the connection broke.</summary>
    public static readonly HttpRequestOptionsKey<bool> NeverResendKey = new("Bench.NeverResend");

    private readonly HttpMessageInvoker _fresh;

    /// <summary>Sends through <paramref name="pooled"/>, retrying through <paramref name="fresh"/>; disposes both.</summary>
    public KeepAliveRetryHandler(HttpMessageHandler pooled, HttpMessageHandler fresh)
        : base(pooled)
    {
        _fresh = new HttpMessageInvoker(fresh, disposeHandler: true);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var first = new ConnectionAttempt();
        try
        {
            return await SendAsync(request, first, pooled: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && first.MayRetry && !cancellationToken.IsCancellationRequested
            && !(request.Options.TryGetValue(NeverResendKey, out var never) && never))
        {
            return await SendAsync(request, new ConnectionAttempt(isRetry: true), pooled: false, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _fresh.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>One attempt: its <see cref="ConnectionAttempt"/> is current for the calls this request makes down to the
    /// socket (the async-local value reverts when this method returns).</summary>
    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, ConnectionAttempt attempt, bool pooled, CancellationToken cancellationToken)
    {
        request.Options.Set(AttemptKey, attempt);
        ConnectionAttempt.Current = attempt;
        try
        {
            return pooled ? base.SendAsync(request, cancellationToken) : _fresh.SendAsync(request, cancellationToken);
        }
        finally
        {
            ConnectionAttempt.Current = null;
        }
    }
}
