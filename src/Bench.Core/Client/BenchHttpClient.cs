using System.Net;

namespace Bench.Core.Client;

/// <summary>
/// Creates the <see cref="HttpClient"/> Bench sends its requests with (<c>bench run</c>, the self-test): one
/// <see cref="SocketsHttpHandler"/> pool with as many connections as the load needs, no decompression (bytes are timed
/// as they come off the socket), no cookies, and an infinite <see cref="HttpClient.Timeout"/> (the
/// <see cref="ChatClient"/>'s timeouts rule, on the run clock). Its connections are opened with the connect timeout on
/// the run clock and tracked, so that a request whose reused connection fails before any response byte (the keep-alive
/// race) is retried once on a fresh connection (<see cref="KeepAliveRetryHandler"/>); the record notes it
/// (<see cref="Records.RequestRecord.ConnectionRetried"/>).
/// </summary>
public static class BenchHttpClient
{
    /// <summary>Creates a client; dispose it to close its connections.</summary>
    /// <param name="options">Connection settings; defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ConnectionOptions.ConnectTimeout"/> is not positive or
    /// exceeds <see cref="int.MaxValue"/> milliseconds, <see cref="ConnectionOptions.MaxConnectionsPerServer"/> is below
    /// 1, or <see cref="ConnectionOptions.PooledConnectionIdleTimeout"/> is not positive.</exception>
    public static HttpClient Create(ConnectionOptions? options = null)
    {
        options ??= new ConnectionOptions();
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        if (options.ConnectTimeout <= TimeSpan.Zero || options.ConnectTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ConnectTimeout, "ConnectTimeout must be positive and at most int.MaxValue milliseconds.");
        }

        if (options.MaxConnectionsPerServer < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxConnectionsPerServer, "MaxConnectionsPerServer must be at least 1.");
        }

        if (options.PooledConnectionIdleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PooledConnectionIdleTimeout, "PooledConnectionIdleTimeout must be positive.");
        }

        var connector = new TcpConnector(options.ConnectTimeout, options.TimeProvider);
        var pooled = Handler(options, connector);
        pooled.PooledConnectionIdleTimeout = options.PooledConnectionIdleTimeout;

        // The retry's handler never keeps a connection (lifetime zero: disposed when the response ends), so a retry
        // always goes out on a connection of its own.
        var fresh = Handler(options, connector);
        fresh.PooledConnectionLifetime = TimeSpan.Zero;
        return new HttpClient(new KeepAliveRetryHandler(pooled, fresh), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    private static SocketsHttpHandler Handler(ConnectionOptions options, TcpConnector connector) => new()
    {
        MaxConnectionsPerServer = options.MaxConnectionsPerServer,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        // The TCP connect is bounded on the run clock by the connector; this real-time bound also covers the TLS
        // handshake, which runs after the callback.
        ConnectTimeout = options.ConnectTimeout,
        ConnectCallback = connector.ConnectAsync,
    };
}
