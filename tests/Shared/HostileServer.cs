using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bench.Tests.Shared;

/// <summary>
/// A misbehaving HTTP/1.1 server on real sockets (127.0.0.1, port 0), for the cases no well-behaved server produces:
/// random bytes, HTML, a reset before the response, headers then silence, a close after each stream while advertising
/// keep-alive. Each accepted connection reads one request at a time (headers and a <c>Content-Length</c> body) and hands
/// it to the test's script, which writes whatever bytes it likes, closes, resets, or keeps the connection for the next
/// request.
/// </summary>
/// <remarks>
/// The script decides everything after the request: <see cref="HostileExchange.WriteAsync(string)"/> writes raw text
/// (write the status line and headers yourself), <see cref="HostileExchange.Reset"/> aborts the connection with a TCP
/// RST, and returning <see langword="true"/> keeps the connection open for another request. Counters say how many
/// connections were accepted and requests received, so a test can prove a request never reached the server.
/// </remarks>
public sealed class HostileServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<HostileExchange, Task<bool>> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Task> _connections = [];
    private int _connectionsAccepted;
    private int _requestsReceived;

    private HostileServer(Func<HostileExchange, Task<bool>> script)
    {
        _script = script;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog: 512);
        _accepting = AcceptLoopAsync();
    }

    /// <summary>Starts a server whose <paramref name="script"/> answers every request; the script returns true to keep
    /// the connection for another request, false to close it (a FIN) after its bytes.</summary>
    public static HostileServer Start(Func<HostileExchange, Task<bool>> script) => new(script);

    /// <summary>The base URL with the <c>/v1</c> path: <c>http://127.0.0.1:{port}/v1/</c>.</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1/");

    /// <summary>The port the server listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>TCP connections accepted so far.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref _connectionsAccepted);

    /// <summary>Complete requests (headers and body) received so far.</summary>
    public int RequestsReceived => Volatile.Read(ref _requestsReceived);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connectionsAccepted);
            lock (_connections)
            {
                _connections.Add(ServeAsync(socket));
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var request = await ReadRequestAsync(stream, _stop.Token).ConfigureAwait(false);
                if (request is null)
                {
                    return;
                }

                Interlocked.Increment(ref _requestsReceived);
                var exchange = new HostileExchange(socket, stream, request.Value.Head, request.Value.Body, _stop.Token);
                var keep = await _script(exchange).ConfigureAwait(false);
                await stream.FlushAsync(_stop.Token).ConfigureAwait(false);
                if (!keep || exchange.WasReset)
                {
                    if (!exchange.WasReset)
                    {
                        socket.Shutdown(SocketShutdown.Both);
                    }

                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the server is stopping: nothing to do.
        }
    }

    /// <summary>Reads one request: the head up to the blank line, then <c>Content-Length</c> bytes. Null at a clean
    /// end of the connection.</summary>
    private static async Task<(string Head, string Body)?> ReadRequestAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>(1024);
        var one = new byte[1];
        while (true)
        {
            var read = await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            head.Add(one[0]);
            var n = head.Count;
            if (n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r' && head[n - 1] == '\n')
            {
                break;
            }
        }

        var headText = Encoding.ASCII.GetString([.. head]);
        var length = 0;
        foreach (var line in headText.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line.AsSpan("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        return (headText, Encoding.UTF8.GetString(body));
    }

    /// <summary>Stops listening and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
        _stop.Dispose();
    }
}

/// <summary>One request received by a <see cref="HostileServer"/>, and the raw connection to answer it on.</summary>
public sealed class HostileExchange
{
    private readonly Socket _socket;

    internal HostileExchange(Socket socket, Stream stream, string head, string body, CancellationToken stopping)
    {
        _socket = socket;
        Stream = stream;
        Head = head;
        Body = body;
        Stopping = stopping;
    }

    /// <summary>The request line and headers, as received (CRLF-separated).</summary>
    public string Head { get; }

    /// <summary>The request body (UTF-8).</summary>
    public string Body { get; }

    /// <summary>The raw connection: write anything.</summary>
    public Stream Stream { get; }

    /// <summary>Cancelled when the server is disposed: a script that hangs should wait on it.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>True once <see cref="Reset"/> was called.</summary>
    public bool WasReset { get; private set; }

    /// <summary>True when the request asked for a stream (<c>"stream":true</c> in the body).</summary>
    public bool IsStreaming => Body.Contains("\"stream\":true", StringComparison.Ordinal);

    /// <summary>Writes <paramref name="text"/> (UTF-8) and flushes.</summary>
    public async Task WriteAsync(string text)
    {
        await Stream.WriteAsync(Encoding.UTF8.GetBytes(text), Stopping).ConfigureAwait(false);
        await Stream.FlushAsync(Stopping).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="bytes"/> and flushes.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        await Stream.WriteAsync(bytes, Stopping).ConfigureAwait(false);
        await Stream.FlushAsync(Stopping).ConfigureAwait(false);
    }

    /// <summary>Writes a complete response: status line, <c>Content-Type</c>, <c>Content-Length</c>, any extra header
    /// lines, then the body; <c>Connection: keep-alive</c> is advertised unless an extra header says otherwise.</summary>
    public Task RespondAsync(int status, string contentType, string body, params string[] headers)
    {
        var bytes = Encoding.UTF8.GetByteCount(body);
        var extra = headers.Length == 0 ? "" : string.Join("\r\n", headers) + "\r\n";
        var connection = headers.Any(h => h.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase)) ? "" : "Connection: keep-alive\r\n";
        return WriteAsync($"HTTP/1.1 {status} {Reason(status)}\r\nContent-Type: {contentType}\r\nContent-Length: {bytes}\r\n{connection}{extra}\r\n{body}");
    }

    /// <summary>Writes the head of a Server-Sent Events response with no length (the body ends when the connection
    /// closes), advertising keep-alive anyway, as misbehaving servers do.</summary>
    public Task BeginEventStreamAsync(int status = 200) =>
        WriteAsync($"HTTP/1.1 {status} {Reason(status)}\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n");

    /// <summary>Waits until the server is disposed (headers then silence, a hang before the first token).</summary>
    public async Task HangAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, Stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Aborts the connection with a TCP RST (linger 0, then close), whatever was written.</summary>
    public void Reset()
    {
        WasReset = true;
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    };
}
