using System.Net;
using System.Net.Sockets;
using Bench.Core.Client;
using Bench.Core.Records;
using Endpoint = Bench.Core.Client.Endpoint;

namespace Bench.Core.Tests.Client;

/// <summary>Bench's own failures (descriptors, ephemeral ports, kernel buffers) are <c>local_error</c>, never the
/// endpoint's <c>connection_error</c> (issue 10 §4). Descriptors cannot be exhausted in a test, so the classification is
/// tested with constructed exceptions, and the client's path with a handler that throws them.</summary>
public class ClientFailuresTests
{
    [Theory]
    [InlineData(SocketError.TooManyOpenSockets)]
    [InlineData(SocketError.AddressNotAvailable)]
    [InlineData(SocketError.AddressAlreadyInUse)]
    [InlineData(SocketError.NoBufferSpaceAvailable)]
    [InlineData(SocketError.ProcessLimit)]
    public void IsLocal_ResourceOfThisMachine_True(SocketError error)
    {
        var socket = new SocketException((int)error);

        Assert.True(ClientFailures.IsLocal(socket));
        Assert.True(ClientFailures.IsLocal(new HttpRequestException("An error occurred while sending the request.", socket)));
        Assert.True(ClientFailures.IsLocal(new HttpRequestException("outer", new IOException("middle", socket))));
    }

    [Theory]
    [InlineData(SocketError.ConnectionRefused)]
    [InlineData(SocketError.ConnectionReset)]
    [InlineData(SocketError.NetworkUnreachable)]
    [InlineData(SocketError.HostUnreachable)]
    [InlineData(SocketError.TimedOut)]
    [InlineData(SocketError.HostNotFound)]
    public void IsLocal_EndpointOrNetworkFailure_False(SocketError error)
    {
        var socket = new SocketException((int)error);

        Assert.False(ClientFailures.IsLocal(socket));
        Assert.False(ClientFailures.IsLocal(new HttpRequestException("An error occurred while sending the request.", socket)));
    }

    [Fact]
    public void IsLocal_NoSocketExceptionInside_False() =>
        Assert.False(ClientFailures.IsLocal(new HttpRequestException("The response ended prematurely.", new IOException("EOF"))));

    [Fact]
    public void Describe_Chain_KeepsEachMessageOnce()
    {
        var socket = new SocketException((int)SocketError.ConnectionReset);
        var e = new HttpRequestException("An error occurred while sending the request.", new IOException($"Unable to read data from the transport connection: {socket.Message}.", socket));

        Assert.Equal($"An error occurred while sending the request: Unable to read data from the transport connection: {socket.Message}", ClientFailures.Describe(e));
    }

    [Fact]
    public async Task SendAsync_DescriptorsExhausted_LocalError()
    {
        var exhausted = new HttpRequestException("An error occurred while sending the request.", new SocketException((int)SocketError.TooManyOpenSockets));
        using var http = new HttpClient(new ThrowingHandler(exhausted));
        var client = new ChatClient(http, new Endpoint(new Uri("http://127.0.0.1:1/v1")), new RunClock());

        var record = await client.SendAsync(new ChatRequest("m", Mode.Streaming, [new ChatMessage("user", "hi")], 8), new RequestContext(0));

        Assert.Equal(Outcome.LocalError, record.Outcome);
        Assert.Equal("local_error", record.Error?.Type);
        Assert.StartsWith("Bench's own machine failed the request: ", record.Error?.Message, StringComparison.Ordinal);
        Assert.Null(record.HttpStatus);
    }

    [Fact]
    public async Task SendAsync_NothingListening_ConnectionErrorNamingTheAddress_NotRetried()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = BenchHttpClient.Create();
        var client = new ChatClient(http, new Endpoint(new Uri($"http://127.0.0.1:{port}/v1")), new RunClock());

        var record = await client.SendAsync(new ChatRequest("m", Mode.Streaming, [new ChatMessage("user", "hi")], 8), new RequestContext(0));

        // A refused port is the endpoint's failure (nothing listens there), not Bench's machine's.
        Assert.Equal(Outcome.ConnectionError, record.Outcome);
        Assert.False(record.ConnectionRetried);
        Assert.Contains($"127.0.0.1:{port}", record.Error?.Message, StringComparison.Ordinal);
    }

    private sealed class ThrowingHandler(Exception exception) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromException<HttpResponseMessage>(exception);
    }
}
