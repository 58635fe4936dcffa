using System.Globalization;
using System.Net.Http;
using System.Net.Sockets;

namespace Bench.Core.Client;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of <see cref="BenchHttpClient"/>: opens the TCP connection as
/// the handler would by default (<c>NoDelay</c>, dual-mode to a <see cref="System.Net.DnsEndPoint"/>), bounded by the
/// connect timeout on the run clock's <see cref="TimeProvider"/>, and wraps it in a <see cref="TrackedStream"/> so each
/// request learns whether its connection was fresh or reused.
/// </summary>
internal sealed class TcpConnector(TimeSpan connectTimeout, TimeProvider timeProvider)
{
    /// <summary>Opens one connection.</summary>
    /// <exception cref="TimeoutException">No connection within the connect timeout (the handler wraps it in an
    /// <see cref="HttpRequestException"/> naming the host and port).</exception>
    /// <exception cref="SocketException">The connect failed (refused, unreachable, or a local resource such as
    /// descriptors or ephemeral ports ran out: see <see cref="ClientFailures.IsLocal(Exception)"/>).</exception>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(connectTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, linked.Token).ConfigureAwait(false);
            return new TrackedStream(new NetworkStream(socket, ownsSocket: true));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException(Message(connectTimeout));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The message of a connect timeout: "No connection within 10 s (connect timeout)"; the handler adds the host and port.</summary>
    internal static string Message(TimeSpan connectTimeout) =>
        $"No connection within {connectTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s (connect timeout)";
}
