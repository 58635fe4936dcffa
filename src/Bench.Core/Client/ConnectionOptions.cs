namespace Bench.Core.Client;

/// <summary>
/// Settings of the HTTP connections Bench sends its requests on (<see cref="BenchHttpClient.Create"/>), validated when
/// the client is created.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>option</term><description>default</description></listheader>
/// <item><term><see cref="ConnectTimeout"/></term><description>10 s (<see cref="DefaultConnectTimeout"/>); scenario
/// <c>request.connect_timeout_s</c></description></item>
/// <item><term><see cref="TimeProvider"/></term><description><see cref="System.TimeProvider.System"/> (a run passes its
/// <see cref="Records.RunClock.TimeProvider"/>)</description></item>
/// <item><term><see cref="MaxConnectionsPerServer"/></term><description><see cref="int.MaxValue"/>: the load model, not
/// the pool, limits what is in flight</description></item>
/// <item><term><see cref="PooledConnectionIdleTimeout"/></term><description>2 minutes</description></item>
/// </list>
/// </remarks>
public sealed class ConnectionOptions
{
    /// <summary>The default <see cref="ConnectTimeout"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The longest a new connection may take to open: the TCP connect on <see cref="TimeProvider"/>, and the
    /// whole connect including the TLS handshake on the handler's own (real-time) clock. A connection not open by then
    /// fails its request as <see cref="Records.Outcome.ConnectionError"/> ("no connection within 10 s (connect
    /// timeout)"): the endpoint could not be reached, which is the endpoint's or the network's failure, not a response
    /// that was too slow. Positive, at most <see cref="int.MaxValue"/> milliseconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = DefaultConnectTimeout;

    /// <summary>Where the connect timeout's timer comes from: the run clock's provider, so that a test on a fake clock
    /// moves it.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The most connections open to one server at once. At least 1.</summary>
    public int MaxConnectionsPerServer { get; set; } = int.MaxValue;

    /// <summary>How long an idle pooled connection is kept for reuse. Positive.</summary>
    public TimeSpan PooledConnectionIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
