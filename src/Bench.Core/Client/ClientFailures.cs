using System.Net.Sockets;
using System.Text;

namespace Bench.Core.Client;

/// <summary>
/// Tells Bench's own failures from the endpoint's, and words a failed request's exception for its record.
/// </summary>
public static class ClientFailures
{
    /// <summary>
    /// True when <paramref name="exception"/> (or any exception inside it) is a <see cref="SocketException"/> whose
    /// error is a resource of Bench's own machine running out or refusing, before the endpoint could answer: the request
    /// is then <see cref="Records.Outcome.LocalError"/>, never the endpoint's <c>connection_error</c>.
    /// </summary>
    /// <remarks>
    /// Local: <see cref="SocketError.TooManyOpenSockets"/> (EMFILE/ENFILE: descriptors exhausted),
    /// <see cref="SocketError.AddressNotAvailable"/> (EADDRNOTAVAIL: no ephemeral port or local address left),
    /// <see cref="SocketError.AddressAlreadyInUse"/> (EADDRINUSE on connect: the local port is taken),
    /// <see cref="SocketError.NoBufferSpaceAvailable"/> (ENOBUFS/ENOMEM: kernel buffers), <see cref="SocketError.ProcessLimit"/>
    /// and <see cref="SocketError.SystemNotReady"/> (Windows' equivalents). Not local: a refused, reset, unreachable or
    /// timed-out connection (<see cref="SocketError.ConnectionRefused"/>, <see cref="SocketError.NetworkUnreachable"/>,
    /// <see cref="SocketError.HostUnreachable"/>, <see cref="SocketError.TimedOut"/>...): the endpoint or the network
    /// between did that.
    /// </remarks>
    public static bool IsLocal(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket && IsLocal(socket.SocketErrorCode))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for the socket errors that mean Bench's own machine ran out of a resource (see
    /// <see cref="IsLocal(Exception)"/>).</summary>
    public static bool IsLocal(SocketError error) => error is SocketError.TooManyOpenSockets
        or SocketError.AddressNotAvailable
        or SocketError.AddressAlreadyInUse
        or SocketError.NoBufferSpaceAvailable
        or SocketError.ProcessLimit
        or SocketError.SystemNotReady;

    /// <summary>The messages of <paramref name="exception"/> and the exceptions inside it, each once, outermost first,
    /// joined by <c>": "</c> — e.g. "An error occurred while sending the request.: Connection reset by peer", so the
    /// record says what the socket saw and not only that something failed.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = new StringBuilder();
        var seen = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var message = e.Message.Trim();
            if (message.Length == 0 || seen.Exists(s => s.Contains(message, StringComparison.Ordinal)))
            {
                continue;
            }

            seen.Add(message);
            if (text.Length > 0)
            {
                text.Append(": ");
            }

            text.Append(message.TrimEnd('.'));
        }

        return text.ToString();
    }
}
